#include "server/api_json.hpp"

#include <absl/time/time.h>

#include "core/lang.hpp"

namespace faro::server {
namespace {

nlohmann::json ProblemJson(const contacts::ImportProblem& p) {
  return {{"row", p.row}, {"column", p.column}, {"value", p.value}, {"what", p.what}};
}

}  // namespace

nlohmann::json TimeJson(TimePoint at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromChrono(at), absl::UTCTimeZone());
}

nlohmann::json TimeJson(const std::optional<TimePoint>& at) { return at ? TimeJson(*at) : nlohmann::json(nullptr); }

nlohmann::json ContactJson(const contacts::Contact& c) {
  nlohmann::json consent = nlohmann::json::object();
  for (const auto& [channel, record] : c.consent)
    consent[channel] = {{"state", contacts::ConsentStateName(record.state)},
                        {"at", TimeJson(record.at)},
                        {"source", record.source}};
  return {{"id", c.id},
          {"name", c.name},
          {"lang", LangCode(c.lang)},
          {"phone", c.phone},
          {"email", c.email},
          {"telegram", c.telegram},
          {"instagram", c.instagram},
          {"messenger", c.messenger},
          {"x_handle", c.x_handle},
          {"timezone", c.timezone},
          {"channel_order", c.channel_order},
          {"consent", consent}};
}

nlohmann::json ImportReportJson(const contacts::ImportReport& r) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems) problems.push_back(ProblemJson(p));
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& n : r.notes) notes.push_back(ProblemJson(n));
  return {{"ok", r.ok()},         {"rows_read", r.rows_read}, {"created", r.created},
          {"merged", r.merged},   {"unchanged", r.unchanged}, {"dry_run", r.dry_run},
          {"imported", r.imported}, {"problems", problems},   {"notes", notes}};
}

nlohmann::json AcceptedJson(const outbox::Accepted& a) {
  nlohmann::json out = {{"id", a.id},
                        {"state", outbox::StateName(a.state)},
                        {"channel", a.channel},
                        {"duplicate", a.duplicate}};
  if (!a.reason.empty()) out["reason"] = a.reason;
  return out;
}

nlohmann::json ProgressJson(const outbox::BroadcastProgress& p) {
  return {{"id", p.id},
          {"key", p.key},
          {"channel", p.failed_channel},
          {"template", p.template_id},
          {"created", TimeJson(p.created)},
          {"total", p.total},
          {"sent", p.sent},
          {"pending", p.pending},
          {"failed", p.failed},
          {"skipped_no_consent", p.skipped_no_consent},
          {"skipped_no_address", p.skipped_no_address},
          {"by_channel", p.by_channel}};
}

nlohmann::json MessageJson(const outbox::Message& m, const std::vector<outbox::Hop>& hops) {
  nlohmann::json hop_list = nlohmann::json::array();
  for (const outbox::Hop& h : hops)
    hop_list.push_back({{"at", TimeJson(h.at)}, {"from", h.from}, {"to", h.to}, {"reason", h.reason}});
  return {{"id", m.id},
          {"key", m.idempotency_key},
          {"contact_id", m.contact_id},
          {"template", m.template_id},
          {"subject", m.subject},
          {"text", m.text},
          {"vars", m.vars},
          {"channel", m.channel},
          {"preferred", m.preferred},
          {"pinned", m.pinned},
          {"refused", m.refused},
          {"broadcast_id", m.broadcast_id},
          {"state", outbox::StateName(m.state)},
          {"attempts", m.attempts},
          {"due", TimeJson(m.due)},
          {"created", TimeJson(m.created)},
          {"provider_id", m.provider_id},
          {"last_code", m.last_code},
          {"last_detail", m.last_detail},
          {"hops", hop_list}};
}

nlohmann::json CountsJson(const outbox::Counts& c) {
  return {{"queued", c.queued}, {"held", c.held}, {"sent", c.sent}, {"failed", c.failed}, {"skipped", c.skipped}};
}

nlohmann::json ChannelDownJson(const outbox::ChannelDown& d) {
  return {{"channel", d.channel}, {"source", d.source}, {"reason", d.reason}, {"since", TimeJson(d.since)}};
}

nlohmann::json StatsJson(const outbox::DispatchStats& s) {
  return {{"sent", s.sent},   {"retried", s.retried}, {"rate_limited", s.rate_limited},
          {"hopped", s.hopped}, {"failed", s.failed}, {"held", s.held}};
}

nlohmann::json ConversationJson(const inbox::Conversation& c, const std::string& name) {
  const auto first_response = c.FirstResponseTime();
  return {{"contact_id", c.contact_id},
          {"name", name},
          {"status", inbox::ConversationStatusName(c.status)},
          {"unanswered", c.Unanswered()},
          {"first_inbound_at", TimeJson(c.first_inbound_at)},
          {"first_reply_at", TimeJson(c.first_reply_at)},
          {"first_response_seconds",
           first_response ? nlohmann::json(static_cast<double>(first_response->count()) / 1000.0) : nlohmann::json(nullptr)},
          {"waiting_since", TimeJson(c.waiting_since)},
          {"last_inbound_at", TimeJson(c.last_inbound_at)},
          {"last_inbound_channel", c.last_inbound_channel},
          {"last_outbound_at", TimeJson(c.last_outbound_at)}};
}

}  // namespace faro::server
