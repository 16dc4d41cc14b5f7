#include "channels/registry.hpp"

#include "channels/smtp/smtp_channel.hpp"
#include "channels/telegram/telegram_channel.hpp"
#include "channels/twilio/twilio_channel.hpp"
#include "channels/webhook/webhook_channel.hpp"
#include "channels/whatsapp/whatsapp_channel.hpp"
#include "core/strings.hpp"
// One include and one line per channel type.
// (adapters add themselves here)

namespace faro::channels {

const std::vector<ChannelType>& ChannelTypes() {
  static const std::vector<ChannelType> types = {
      {"smtp", "email over SMTP (STARTTLS, AUTH)", smtp::Create},
      {"twilio_sms", "SMS through Twilio (STOP honoured)", twilio::CreateSms},
      {"twilio_voice", "a phone call through Twilio that reads the message (TwiML <Say>)", twilio::CreateVoice},
      {"webhook", "a JSON POST signed with HMAC-SHA256", webhook::CreateWebhook},
      {"slack_webhook", "a Slack-compatible incoming webhook (team chat)", webhook::CreateSlack},
      {"telegram_bot", "Telegram Bot API (chats that wrote first; a channel the bot administers)", telegram::Create},
      {"whatsapp_cloud", "WhatsApp Business Cloud API (24-hour window, templates)", whatsapp::Create},
  };
  return types;
}

absl::StatusOr<std::unique_ptr<Channel>> CreateChannel(const ChannelConfig& config) {
  std::vector<std::string> names;
  for (const ChannelType& type : ChannelTypes()) {
    if (type.type == config.type) return type.create(config);
    names.emplace_back(type.type);
  }
  return config.reader->Error((*config.node)["type"], StrCat(config.path, ".type"),
                              StrCat("unknown channel type \"", config.type, "\"; expected one of: ", Join(names, ", ")));
}

}  // namespace faro::channels
