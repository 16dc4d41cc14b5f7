#include "setup/app.hpp"

#include <set>

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "core/strings.hpp"

namespace faro::setup {
namespace {

templates::Format FormatFor(std::string_view type) {
  if (type == "smtp") return templates::Format::kEmail;
  if (type == "twilio_sms") return templates::Format::kSms;
  if (type == "twilio_voice") return templates::Format::kVoice;
  if (type == "telegram_bot") return templates::Format::kTelegram;
  if (type == "whatsapp_cloud") return templates::Format::kWhatsApp;
  return templates::Format::kChat;
}

// What customers call a channel.
std::string ChannelWord(std::string_view type, Lang lang) {
  if (type == "whatsapp_cloud") return "WhatsApp";
  if (type == "telegram_bot") return "Telegram";
  if (type == "smtp") return lang == Lang::kEs ? "correo" : "email";
  if (type == "twilio_sms") return "SMS";
  if (type == "twilio_voice") return lang == Lang::kEs ? "teléfono" : "phone";
  return std::string(type);
}

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  static const char* hex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < 16; ++i) {  // 128 bits are plenty for a link
    text.push_back(hex[out[i] >> 4]);
    text.push_back(hex[out[i] & 15]);
  }
  return text;
}

}  // namespace

App::~App() {
  outbox_.reset();
  directory_.reset();
  inbox_.reset();
  contacts_.reset();
}

absl::StatusOr<std::unique_ptr<App>> App::Open(FaroConfig config, const Clock* clock) {
  std::unique_ptr<App> app(new App());
  app->config_ = std::move(config);
  app->clock_ = clock != nullptr ? clock : &app->system_clock_;
  // Each part gets its own connection: a transaction belongs to a connection, and the parts
  // run their transactions independently.
  FARO_ASSIGN_OR_RETURN(app->contacts_db_, store::Open(app->config_.database, app->config_.durability));
  FARO_ASSIGN_OR_RETURN(app->inbox_db_, store::Open(app->config_.database, app->config_.durability));
  FARO_ASSIGN_OR_RETURN(app->contacts_, contacts::ContactBook::Open(*app->contacts_db_, app->clock_));
  FARO_ASSIGN_OR_RETURN(app->inbox_, inbox::Inbox::Open(*app->inbox_db_));
  app->directory_ = std::make_unique<BookDirectory>(*app->contacts_, *app->clock_);
  FARO_ASSIGN_OR_RETURN(app->outbox_, outbox::Outbox::Open(app->config_.database, app->config_.Routing(),
                                                           app->directory_.get(), app->clock_,
                                                           {app->config_.durability}));
  if (app->config_.templates_file.empty()) {
    app->templates_ = std::make_unique<templates::TemplateSet>(templates::BuiltinTemplates());
  } else {
    FARO_ASSIGN_OR_RETURN(templates::TemplateSet user, templates::LoadTemplatesFromFile(app->config_.templates_file));
    app->templates_ = std::make_unique<templates::TemplateSet>(templates::WithBuiltins(user));
  }
  FARO_RETURN_IF_ERROR(app->LoadTeam());
  return app;
}

absl::Status App::ReloadTeam(std::vector<TeamMemberConfig> team) {
  std::vector<TeamMemberConfig> old = std::move(config_.team);
  config_.team = std::move(team);
  if (absl::Status st = LoadTeam(); !st.ok()) {
    config_.team = std::move(old);
    (void)LoadTeam();
    return st;
  }
  return absl::OkStatus();
}

absl::Status App::LoadTeam() {
  std::vector<respond::TeamMember> loaded;
  // Team members are contacts too: alerts go through the outbox, with its failover and record.
  for (const TeamMemberConfig& m : config_.team) {
    contacts::Contact c = m.identities;
    c.channel_order = m.channels;
    for (const std::string& channel : m.channels)
      c.consent[channel] = {contacts::ConsentState::kOptedIn, clock_->Now(), "faro.yaml team"};
    FARO_ASSIGN_OR_RETURN(contacts::UpsertOutcome outcome, contacts_->Upsert(c, "faro.yaml team"));
    if (outcome.id == 0)
      return absl::FailedPreconditionError(StrCat("team: the addresses of ", m.name,
                                                  " belong to two different contacts; fix faro.yaml or the contact book"));
    loaded.push_back({m.name, m.role, m.lang, outcome.id});
  }
  team_ = std::move(loaded);
  return absl::OkStatus();
}

std::string App::Alternatives(const contacts::Contact& contact, const std::set<std::string>& avoid, Lang lang) {
  const std::set<std::string> down = outbox_->DownSet();
  std::vector<std::string> words;
  for (const outbox::RouteStep& step : outbox_->routing().Route(contact, down)) {
    if (step.skip != outbox::Skip::kNone || avoid.contains(step.channel_id)) continue;
    const outbox::ChannelInfo* info = outbox_->routing().Find(step.channel_id);
    std::string word = ChannelWord(info->type, lang);
    if (!info->public_address.empty()) StrAppend(word, " (", info->public_address, ")");
    words.push_back(std::move(word));
  }
  if (words.empty()) return lang == Lang::kEs ? "nuestros otros canales" : "our other channels";
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? (lang == Lang::kEs ? " o " : " or ") : ", ";
    out += words[i];
  }
  return out;
}

absl::StatusOr<channels::Content> App::Render(const outbox::Message& message, const contacts::Contact& contact,
                                              const outbox::ChannelInfo& channel) {
  channels::Content content;
  if (message.template_id.empty()) {
    content.subject = message.subject.empty() ? config_.business.name : message.subject;
    content.text = message.text;
  } else {
    const templates::Template* t = templates_->Find(message.template_id);
    if (t == nullptr) return absl::NotFoundError(StrCat("no template \"", message.template_id, "\""));
    templates::Variables vars = message.vars;
    vars.try_emplace("name", contact.name);
    vars.try_emplace("business", config_.business.name);
    if (!vars.contains("platform")) {
      const outbox::ChannelInfo* failed = nullptr;
      for (const std::string& id : message.refused)
        if ((failed = outbox_->routing().Find(id)) != nullptr) break;
      vars["platform"] = ChannelWord(failed ? failed->type : channel.type, contact.lang);
    }
    if (!vars.contains("alternatives")) vars["alternatives"] = Alternatives(contact, message.refused, contact.lang);
    FARO_ASSIGN_OR_RETURN(content, templates::Render(*t, contact.lang, vars, FormatFor(channel.type)));
  }
  if (channel.type == "smtp") content.unsubscribe_url = UnsubscribeUrl(contact.id);
  return content;
}

std::unique_ptr<outbox::Dispatcher> App::MakeDispatcher() {
  std::map<std::string, channels::Channel*> channels;
  for (const ConfiguredChannel& c : config_.channels) channels[c.info.id] = c.channel.get();
  outbox::DispatcherOptions options;
  options.backoff = config_.backoff;
  options.breaker = config_.breaker;
  auto dispatcher = std::make_unique<outbox::Dispatcher>(
      *outbox_, std::move(channels),
      [this](const outbox::Message& m, const contacts::Contact& c, const outbox::ChannelInfo& ch) {
        return Render(m, c, ch);
      },
      [this](int64_t contact_id, const std::string& channel_id) -> std::optional<TimePoint> {
        auto last = inbox_->LastInbound(contact_id, channel_id);
        return last.ok() ? *last : std::nullopt;
      },
      options);
  dispatcher->on_result = [this](const outbox::Message& m, const channels::SendResult& r) {
    if (r.kind != channels::ResultKind::kAccepted) return;
    (void)inbox_->RecordOutbound(m.contact_id, m.channel, r.provider_id,
                                 m.template_id.empty() ? m.text : StrCat("[", m.template_id, "]"), clock_->Now(),
                                 /*is_reply=*/m.broadcast_id == 0);
  };
  return dispatcher;
}

std::string App::UnsubscribeUrl(int64_t contact_id) const {
  if (config_.secrets.unsubscribe_key.empty()) return {};
  const std::string id = std::to_string(contact_id);
  return StrCat(config_.server.public_url, "/unsubscribe/", id, ".", Hmac(config_.secrets.unsubscribe_key, id));
}

std::optional<int64_t> App::CheckUnsubscribeToken(std::string_view token) const {
  if (config_.secrets.unsubscribe_key.empty()) return std::nullopt;
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string id(token.substr(0, dot));
  const std::string expected = Hmac(config_.secrets.unsubscribe_key, id);
  const std::string_view given = token.substr(dot + 1);
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0)
    return std::nullopt;
  for (char ch : id)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  return std::stoll(id);
}

}  // namespace faro::setup
