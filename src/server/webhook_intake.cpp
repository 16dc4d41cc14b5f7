#include "server/webhook_intake.hpp"

#include <cctype>

#include "core/strings.hpp"
#include "inbox/keywords.hpp"

namespace faro::server {
namespace {

using inbox::InboundEvent;

// Providers give E.164 numbers ("+16505551234"); anything else (a short code, a channel
// address such as "whatsapp:+1…") is not a person's phone the contact book can hold.
bool IsE164(std::string_view s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// A Telegram chat id: digits, negative for groups and channels.
bool IsChatId(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 20) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string_view ProviderWord(std::string_view type) {
  if (type == inbox::kWhatsAppCloud) return "WhatsApp";
  if (type == inbox::kTwilioSms) return "SMS";
  if (type == inbox::kTelegramBot) return "Telegram";
  return type;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string WebhookIntake::ChannelFor(std::string_view channel_type) const {
  for (const setup::ConfiguredChannel& c : app_.config().channels)
    if (c.info.type == channel_type) return c.info.id;
  return {};
}

absl::StatusOr<int64_t> WebhookIntake::ContactFor(const InboundEvent& event, bool& created) {
  created = false;
  contacts::Contact contact;
  channels::AddressKind kind;
  if (event.channel_type == inbox::kTelegramBot) {
    if (!IsChatId(event.from)) return absl::InvalidArgumentError("the sender is not a Telegram chat id");
    kind = channels::AddressKind::kTelegram;
    contact.telegram = event.from;
  } else {
    if (!IsE164(event.from)) return absl::InvalidArgumentError("the sender is not an E.164 phone number");
    kind = channels::AddressKind::kPhone;
    contact.phone = event.from;
  }
  FARO_ASSIGN_OR_RETURN(const std::optional<int64_t> found, app_.contacts().FindByAddress(kind, event.from));
  if (found) return *found;
  contact.name = event.display_name;
  contact.lang = app_.config().business.lang;
  FARO_ASSIGN_OR_RETURN(const contacts::UpsertOutcome outcome,
                        app_.contacts().Upsert(contact, StrCat("wrote by ", ProviderWord(event.channel_type))));
  if (outcome.id == 0) return absl::InternalError("the contact book did not store the sender");
  created = outcome.kind == contacts::UpsertKind::kCreated;
  return outcome.id;
}

bool WebhookIntake::ApplyKeyword(int64_t contact_id, const std::string& channel_id, const InboundEvent& event,
                                 IntakeSummary& summary) {
  if (event.channel_type != inbox::kTwilioSms && event.channel_type != inbox::kWhatsAppCloud) return false;
  const inbox::ConsentKeyword keyword = inbox::ClassifyKeyword(event.text);
  if (keyword != inbox::ConsentKeyword::kOptOut && keyword != inbox::ConsentKeyword::kOptIn) return false;
  auto contact = app_.contacts().Get(contact_id);
  if (!contact.ok()) return false;
  const auto stored = contact->consent.find(channel_id);
  // Webhooks arrive out of order: a later decision already recorded stands.
  if (stored != contact->consent.end() && stored->second.at > event.time) {
    log_.Write("consent_kept", {{"contact", std::to_string(contact_id)}, {"channel", channel_id},
                                {"reason", "a later consent is recorded"}});
    return false;
  }
  // START and its kin only undo an opt-out; from anyone else they are just a message.
  if (keyword == inbox::ConsentKeyword::kOptIn &&
      (stored == contact->consent.end() || stored->second.state != contacts::ConsentState::kOptedOut))
    return false;
  const bool out = keyword == inbox::ConsentKeyword::kOptOut;
  contacts::Consent consent;
  consent.state = out ? contacts::ConsentState::kOptedOut : contacts::ConsentState::kOptedIn;
  consent.at = event.time;
  consent.source = StrCat(Upper(inbox::NormalizeKeywordText(event.text)), " by ", ProviderWord(event.channel_type));
  if (absl::Status st = app_.contacts().SetConsent(contact_id, channel_id, consent, "webhook"); !st.ok()) {
    log_.Write("consent_error", {{"contact", std::to_string(contact_id)}, {"channel", channel_id}, {"error", Message(st)}});
    return false;
  }
  ++(out ? summary.opt_outs : summary.opt_ins);
  log_.Write(out ? "opt_out" : "opt_in",
             {{"contact", std::to_string(contact_id)}, {"channel", channel_id}, {"source", consent.source}});
  return true;
}

IntakeSummary WebhookIntake::Record(const std::vector<InboundEvent>& events) {
  IntakeSummary summary;
  bool contacts_changed = false;
  for (const InboundEvent& event : events) {
    std::string channel_id = ChannelFor(event.channel_type);
    const bool configured = !channel_id.empty();
    // The conversation is still worth keeping without a channel of this type (someone wrote).
    if (!configured) channel_id = event.channel_type;
    if (event.kind == InboundEvent::Kind::kStatus) {
      auto change = app_.inbox().RecordStatus(channel_id, event);
      if (!change.ok()) {
        ++summary.errors;
        log_.Write("status_error", {{"channel", channel_id}, {"event_id", event.event_id}, {"error", Message(change.status())}});
        continue;
      }
      ++summary.statuses;
      continue;
    }
    bool created = false;
    auto contact_id = ContactFor(event, created);
    if (!contact_id.ok()) {
      ++(absl::IsInvalidArgument(contact_id.status()) ? summary.skipped : summary.errors);
      log_.Write("inbound_skipped", {{"channel", channel_id}, {"event_id", event.event_id}, {"reason", Message(contact_id.status())}});
      continue;
    }
    contacts_changed |= created;
    auto recorded = app_.inbox().RecordInbound(*contact_id, channel_id, event);
    if (!recorded.ok()) {
      ++summary.errors;
      log_.Write("inbound_error", {{"channel", channel_id}, {"event_id", event.event_id}, {"error", Message(recorded.status())}});
      continue;
    }
    if (recorded->duplicate) {
      ++summary.duplicates;
      webhooks_.CountDuplicate(event.channel_type);
      continue;  // its keyword, if any, was honoured the first time
    }
    ++summary.messages;
    log_.Write("inbound", {{"channel", channel_id},
                           {"contact", std::to_string(*contact_id)},
                           {"event_id", event.event_id},
                           {"new_contact", created ? "true" : "false"}});
    if (on_message_) on_message_(*contact_id, channel_id, event.text);
    if (!configured) {
      log_.Write("inbound_unrouted", {{"type", event.channel_type},
                                      {"reason", "no channel of this type is configured; consent keywords are not applied"}});
      continue;
    }
    contacts_changed |= ApplyKeyword(*contact_id, channel_id, event, summary);
  }
  // The outbox's routing reads a cached copy of the book.
  if (contacts_changed) app_.directory().Invalidate();
  return summary;
}

}  // namespace faro::server
