#include "inbox/payloads.hpp"

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "core/strings.hpp"

namespace faro::inbox {
namespace {

using nlohmann::json;

// Field access that never throws: nullptr when `node` is not an object or lacks `key`.
const json* Field(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  const auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

std::string StringField(const json& node, const char* key) {
  const json* f = Field(node, key);
  if (f == nullptr) return {};
  if (f->is_string()) return f->get<std::string>();
  if (f->is_number_integer()) return std::to_string(f->get<int64_t>());
  return {};
}

const json& ArrayField(const json& node, const char* key) {
  static const json kEmpty = json::array();
  const json* f = Field(node, key);
  return f != nullptr && f->is_array() ? *f : kEmpty;
}

// Unix seconds given as a string (WhatsApp) or a number (Telegram).
TimePoint UnixSeconds(const json& node, const char* key, TimePoint fallback) {
  const std::string text = StringField(node, key);
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || seconds <= 0) return fallback;
  return TimePoint(std::chrono::seconds(seconds));
}

absl::StatusOr<json> ParseJson(std::string_view body) {
  try {
    return json::parse(body);
  } catch (const json::parse_error& e) {
    // The parser's own message quotes the body; only the position is reported.
    return absl::InvalidArgumentError(StrCat("the body is not JSON (error at byte ", e.byte, ")"));
  }
}

// "+" and the digits of a WhatsApp id ("16505551234" → "+16505551234"); empty without digits.
std::string WhatsAppAddress(std::string_view wa_id) {
  std::string digits;
  for (char c : wa_id)
    if (c >= '0' && c <= '9') digits.push_back(c);
  return digits.empty() ? std::string() : StrCat("+", digits);
}

// The text a person sees for a WhatsApp message: the body, the tapped button's label, or a
// placeholder naming the type (with its caption when there is one).
std::string WhatsAppText(const json& message, const std::string& type) {
  if (type == "text") {
    const json* text = Field(message, "text");
    return text ? StringField(*text, "body") : std::string();
  }
  if (type == "button") {
    if (const json* button = Field(message, "button")) return StringField(*button, "text");
  }
  if (type == "interactive") {
    if (const json* interactive = Field(message, "interactive")) {
      for (const char* reply : {"button_reply", "list_reply"})
        if (const json* r = Field(*interactive, reply)) return StringField(*r, "title");
    }
  }
  std::string text = StrCat("[", type.empty() ? "unknown" : type, "]");
  if (const json* media = Field(message, type.c_str())) {
    const std::string caption = StringField(*media, "caption");
    if (!caption.empty()) StrAppend(text, " ", caption);
  }
  return text;
}

void ParseWhatsAppValue(const json& value, std::string_view where, TimePoint received_at, ParsedPayload& out) {
  const json* metadata = Field(value, "metadata");
  const std::string our_number = metadata ? StringField(*metadata, "phone_number_id") : std::string();

  std::map<std::string, std::string> names;  // wa_id → profile name
  for (const json& contact : ArrayField(value, "contacts")) {
    const json* profile = Field(contact, "profile");
    if (profile) names[StringField(contact, "wa_id")] = StringField(*profile, "name");
  }

  const json& messages = ArrayField(value, "messages");
  for (size_t i = 0; i < messages.size(); ++i) {
    const json& m = messages[i];
    InboundEvent e;
    e.kind = InboundEvent::Kind::kMessage;
    e.channel_type = std::string(kWhatsAppCloud);
    e.event_id = StringField(m, "id");
    const std::string wa_id = StringField(m, "from");
    e.from = WhatsAppAddress(wa_id);
    if (e.event_id.empty() || e.from.empty()) {
      out.warnings.push_back(StrCat(where, ".messages[", i, "] skipped: no id or no sender"));
      continue;
    }
    e.to = our_number;
    if (const auto it = names.find(wa_id); it != names.end()) e.display_name = it->second;
    e.message_type = StringField(m, "type");
    e.text = WhatsAppText(m, e.message_type);
    e.time = UnixSeconds(m, "timestamp", received_at);
    out.events.push_back(std::move(e));
  }

  const json& statuses = ArrayField(value, "statuses");
  for (size_t i = 0; i < statuses.size(); ++i) {
    const json& s = statuses[i];
    InboundEvent e;
    e.kind = InboundEvent::Kind::kStatus;
    e.channel_type = std::string(kWhatsAppCloud);
    e.provider_message_id = StringField(s, "id");
    e.provider_status = StringField(s, "status");
    const std::optional<DeliveryStatus> status = ParseDeliveryStatus(e.provider_status);
    if (e.provider_message_id.empty() || !status) {
      out.warnings.push_back(StrCat(where, ".statuses[", i, "] skipped: no message id or an unknown status"));
      continue;
    }
    e.status = *status;
    e.event_id = StrCat(e.provider_message_id, ":", e.provider_status);
    e.from = WhatsAppAddress(StringField(s, "recipient_id"));
    e.to = our_number;
    e.time = UnixSeconds(s, "timestamp", received_at);
    const json& errors = ArrayField(s, "errors");
    if (!errors.empty()) e.error_code = StringField(errors[0], "code");
    out.events.push_back(std::move(e));
  }
}

// Telegram sends one of these keys per kind of content; the first present names the message.
constexpr const char* kTelegramMediaKeys[] = {"photo",    "video",   "animation", "document", "audio", "voice",
                                              "video_note", "sticker", "location",  "venue",    "contact", "poll"};

std::string TelegramName(const json& message) {
  if (const json* from = Field(message, "from")) {
    std::string name = StringField(*from, "first_name");
    const std::string last = StringField(*from, "last_name");
    if (!last.empty()) name = name.empty() ? last : StrCat(name, " ", last);
    if (!name.empty()) return name;
    const std::string username = StringField(*from, "username");
    if (!username.empty()) return StrCat("@", username);
  }
  if (const json* chat = Field(message, "chat")) return StringField(*chat, "title");  // channel posts
  return {};
}

}  // namespace

absl::StatusOr<ParsedPayload> ParseWhatsAppNotification(std::string_view body, TimePoint received_at) {
  FARO_ASSIGN_OR_RETURN(const json root, ParseJson(body));
  const json* entries = Field(root, "entry");
  if (entries == nullptr || !entries->is_array())
    return absl::InvalidArgumentError("the body has no \"entry\" list; it is not a WhatsApp notification");
  ParsedPayload out;
  for (size_t i = 0; i < entries->size(); ++i) {
    const json& changes = ArrayField((*entries)[i], "changes");
    for (size_t j = 0; j < changes.size(); ++j) {
      const json& change = changes[j];
      const std::string field = StringField(change, "field");
      if (!field.empty() && field != "messages") continue;
      const json* value = Field(change, "value");
      if (value == nullptr) continue;
      ParseWhatsAppValue(*value, StrCat("entry[", i, "].changes[", j, "].value"), received_at, out);
    }
  }
  return out;
}

absl::StatusOr<ParsedPayload> ParseTelegramUpdate(std::string_view body, TimePoint received_at) {
  FARO_ASSIGN_OR_RETURN(const json root, ParseJson(body));
  const json* update_id = Field(root, "update_id");
  if (update_id == nullptr || !update_id->is_number_integer())
    return absl::InvalidArgumentError("the body has no numeric \"update_id\"; it is not a Telegram update");
  ParsedPayload out;
  for (const char* key : {"message", "edited_message", "channel_post", "edited_channel_post"}) {
    const json* message = Field(root, key);
    if (message == nullptr) continue;
    const json* chat = Field(*message, "chat");
    const json* chat_id = chat ? Field(*chat, "id") : nullptr;
    if (chat_id == nullptr || !chat_id->is_number_integer()) {
      out.warnings.push_back(StrCat(key, " skipped: no numeric chat.id"));
      continue;
    }
    InboundEvent e;
    e.kind = InboundEvent::Kind::kMessage;
    e.channel_type = std::string(kTelegramBot);
    e.event_id = std::to_string(update_id->get<int64_t>());
    e.from = std::to_string(chat_id->get<int64_t>());
    e.display_name = TelegramName(*message);
    e.edited = std::string_view(key).substr(0, 7) == "edited_";
    e.time = UnixSeconds(*message, "date", received_at);
    if (const json* text = Field(*message, "text"); text && text->is_string()) {
      e.message_type = "text";
      e.text = text->get<std::string>();
    } else {
      e.message_type = "unknown";
      for (const char* media : kTelegramMediaKeys)
        if (Field(*message, media)) {
          e.message_type = media;
          break;
        }
      e.text = StrCat("[", e.message_type, "]");
      const std::string caption = StringField(*message, "caption");
      if (!caption.empty()) StrAppend(e.text, " ", caption);
    }
    out.events.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<ParsedPayload> ParseTwilioCallback(const FormParams& params, TimePoint received_at) {
  std::map<std::string, std::string> p;
  for (const auto& [key, value] : params) p.emplace(key, value);  // first value wins
  auto get = [&p](const char* key) {
    const auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
  };
  std::string sid = get("MessageSid");
  if (sid.empty()) sid = get("SmsSid");
  if (sid.empty()) return absl::InvalidArgumentError("the form has no MessageSid; it is not a Twilio message callback");

  ParsedPayload out;
  InboundEvent e;
  e.channel_type = std::string(kTwilioSms);
  e.time = received_at;
  const std::string status_word = get("MessageStatus");
  const std::optional<DeliveryStatus> status = ParseDeliveryStatus(status_word);
  if (status) {
    e.kind = InboundEvent::Kind::kStatus;
    e.provider_message_id = sid;
    e.event_id = StrCat(sid, ":", status_word);
    e.status = *status;
    e.provider_status = status_word;
    e.error_code = get("ErrorCode");
    e.from = get("To");  // the person the message went to
    e.to = get("From");
  } else {
    // No MessageStatus, or "receiving"/"received": a person wrote to us.
    e.kind = InboundEvent::Kind::kMessage;
    e.event_id = sid;
    e.from = std::string(Trim(get("From")));
    e.to = get("To");
    e.message_type = "text";
    e.text = get("Body");
    const std::string media = get("NumMedia");
    if (!media.empty() && media != "0") {
      e.message_type = "media";
      e.text = e.text.empty() ? "[media]" : StrCat("[media] ", e.text);
    }
    if (e.from.empty()) return absl::InvalidArgumentError("the inbound message has no From");
  }
  out.events.push_back(std::move(e));
  return out;
}

FormParams ParseFormUrlEncoded(std::string_view body) {
  auto decode = [](std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '+') {
        out.push_back(' ');
      } else if (c == '%' && i + 2 < s.size()) {
        unsigned value = 0;  // unsigned: from_chars then refuses a '-' sign
        const auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16);
        if (ec == std::errc() && end == s.data() + i + 3) {
          out.push_back(static_cast<char>(value));
          i += 2;
        } else {
          out.push_back(c);
        }
      } else {
        out.push_back(c);
      }
    }
    return out;
  };
  FormParams params;
  for (std::string_view pair : Split(body, "&", true)) {
    const size_t eq = pair.find('=');
    params.emplace_back(decode(pair.substr(0, eq)),
                        eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
  }
  return params;
}

}  // namespace faro::inbox
