#include "outbox/broadcast.hpp"

#include "absl/time/time.h"
#include "core/strings.hpp"

namespace faro::outbox {
namespace {

absl::StatusOr<int> ParseClock(std::string_view text) {
  text = Trim(text);
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4])))
    return absl::InvalidArgumentError("");
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return absl::InvalidArgumentError("");
  return h * 60 + m;
}

// The broadcast row of `key`, written when there is none yet. `existed` says which.
absl::StatusOr<int64_t> FindOrAddBroadcast(Outbox& outbox, const std::string& key, const std::string& channel,
                                           const std::string& template_id, bool& existed) {
  const TimePoint now = outbox.clock().Now();
  int64_t id = 0;
  existed = false;
  FARO_RETURN_IF_ERROR(outbox.WithDb("cannot start the broadcast", [&](SQLite::Database& db) {
    SQLite::Statement find(db, "SELECT id FROM outbox_broadcast WHERE key = ?");
    find.bind(1, key);
    if (find.executeStep()) {
      id = find.getColumn(0).getInt64();
      existed = true;
      return;
    }
    SQLite::Statement put(db,
        "INSERT INTO outbox_broadcast (key, channel, template, created_ms) VALUES (?,?,?,?)");
    put.bind(1, key);
    put.bind(2, channel);
    put.bind(3, template_id);
    put.bind(4, ToUnixMillis(now));
    put.exec();
    id = db.getLastInsertRowid();
  }));
  return id;
}

}  // namespace

absl::StatusOr<QuietHours> ParseQuietHours(std::string_view text) {
  const auto parts = Split(text, "-");
  const std::string bad = StrCat("expected quiet hours as HH:MM-HH:MM (e.g. 21:00-08:00), got \"", text, "\"");
  if (parts.size() != 2) return absl::InvalidArgumentError(bad);
  const auto start = ParseClock(parts[0]);
  const auto end = ParseClock(parts[1]);
  if (!start.ok() || !end.ok()) return absl::InvalidArgumentError(bad);
  return QuietHours{*start, *end};
}

TimePoint OutsideQuietHours(const QuietHours& quiet, const std::string& timezone, TimePoint now) {
  if (!quiet.enabled()) return now;
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!timezone.empty()) (void)absl::LoadTimeZone(timezone, &zone);
  const absl::Time t = absl::FromChrono(now);
  const absl::CivilMinute local = absl::ToCivilMinute(t, zone);
  const int minute = local.hour() * 60 + local.minute();
  const bool wraps = quiet.start_minute > quiet.end_minute;  // 21:00-08:00
  const bool inside = wraps ? (minute >= quiet.start_minute || minute < quiet.end_minute)
                            : (minute >= quiet.start_minute && minute < quiet.end_minute);
  if (!inside) return now;
  absl::CivilDay day = absl::CivilDay(local);
  if (wraps && minute >= quiet.start_minute) day += 1;
  const absl::CivilMinute end(day.year(), day.month(), day.day(), quiet.end_minute / 60, quiet.end_minute % 60);
  return absl::ToChronoTime(absl::FromCivil(end, zone));
}

absl::StatusOr<BroadcastProgress> StartBroadcast(Outbox& outbox, const BroadcastRequest& request) {
  const ChannelInfo* failed = outbox.routing().Find(request.failed_channel);
  if (failed == nullptr) return absl::NotFoundError(StrCat("no customer channel \"", request.failed_channel, "\""));
  if (request.key.empty()) return absl::InvalidArgumentError("a broadcast needs a key");
  const TimePoint now = outbox.clock().Now();
  bool existed = false;
  FARO_ASSIGN_OR_RETURN(const int64_t id,
                        FindOrAddBroadcast(outbox, request.key, request.failed_channel, request.template_id, existed));
  if (existed) return Progress(outbox, id);
  // The audience: everyone the failed channel would normally reach.
  std::vector<NewMessage> notices;
  for (const contacts::Contact& contact : outbox.directory().All()) {
    if (outbox.routing().Check(contact, *failed, {}) != Skip::kNone) continue;
    NewMessage m;
    m.idempotency_key = StrCat("broadcast:", request.key, ":", contact.id);
    m.contact_id = contact.id;
    m.template_id = request.template_id;
    m.vars = request.vars;
    m.broadcast_id = id;
    m.avoid = {request.failed_channel};
    m.not_before = OutsideQuietHours(
        request.quiet, contact.timezone.empty() ? request.business_timezone : contact.timezone, now);
    notices.push_back(std::move(m));
  }
  FARO_RETURN_IF_ERROR(outbox.Enqueue(std::move(notices)).status());
  return Progress(outbox, id);
}

absl::StatusOr<BroadcastProgress> StartTextBroadcast(Outbox& outbox, TextBroadcastRequest request) {
  if (request.key.empty()) return absl::InvalidArgumentError("a broadcast needs a key");
  if (outbox.routing().Find(request.channel) == nullptr)
    return absl::NotFoundError(StrCat("broadcast \"", request.key, "\": no customer channel \"", request.channel, "\""));
  if (request.messages.empty())
    return absl::InvalidArgumentError(StrCat("broadcast \"", request.key, "\" has no messages"));
  for (size_t i = 0; i < request.messages.size(); ++i) {
    const NewMessage& m = request.messages[i];
    const auto bad = [&](std::string_view what) {
      return absl::InvalidArgumentError(StrCat("broadcast \"", request.key, "\", message ", i + 1, " (contact ",
                                               m.contact_id, "): ", what));
    };
    if (m.idempotency_key.empty()) return bad("it needs an idempotency key");
    if (m.text.empty()) return bad("it has no text");
    if (!m.template_id.empty())
      return bad(StrCat("it names the template \"", m.template_id,
                        "\"; a text broadcast carries written texts (StartBroadcast sends templates)"));
  }
  bool existed = false;
  FARO_ASSIGN_OR_RETURN(const int64_t id, FindOrAddBroadcast(outbox, request.key, request.channel, "", existed));
  // Enqueued even when the broadcast existed: the messages' keys make a repeat a no-op, and a
  // broadcast whose messages were not written yet (a crash in between) gets them now.
  for (NewMessage& m : request.messages) m.broadcast_id = id;
  FARO_RETURN_IF_ERROR(outbox.Enqueue(std::move(request.messages)).status());
  return Progress(outbox, id);
}

absl::StatusOr<BroadcastProgress> Progress(Outbox& outbox, int64_t broadcast_id) {
  BroadcastProgress p;
  FARO_RETURN_IF_ERROR(outbox.WithDb("cannot read the broadcast", [&](SQLite::Database& db) {
    SQLite::Statement b(db, "SELECT id, key, channel, template, created_ms FROM outbox_broadcast WHERE id = ?");
    b.bind(1, broadcast_id);
    if (!b.executeStep()) return;
    p.id = b.getColumn(0).getInt64();
    p.key = b.getColumn(1).getString();
    p.failed_channel = b.getColumn(2).getString();
    p.template_id = b.getColumn(3).getString();
    p.created = FromUnixMillis(b.getColumn(4).getInt64());
    SQLite::Statement q(db,
        "SELECT state, channel, last_detail, COUNT(*) FROM outbox_message WHERE broadcast_id = ? "
        "GROUP BY state, channel, last_detail");
    q.bind(1, broadcast_id);
    while (q.executeStep()) {
      const auto state = static_cast<State>(q.getColumn(0).getInt());
      const std::string channel = q.getColumn(1).getString();
      const std::string detail = q.getColumn(2).getString();
      const int64_t n = q.getColumn(3).getInt64();
      p.total += n;
      switch (state) {
        case State::kSent: p.sent += n; break;
        case State::kQueued:
        case State::kHeld: p.pending += n; break;
        case State::kFailed: p.failed += n; break;
        case State::kSkipped: (detail == "no-address" ? p.skipped_no_address : p.skipped_no_consent) += n; break;
      }
      if (state != State::kSkipped && !channel.empty()) p.by_channel[channel] += n;
    }
  }));
  if (p.id == 0) return absl::NotFoundError(StrCat("no broadcast with id ", broadcast_id));
  return p;
}

absl::StatusOr<std::vector<BroadcastProgress>> ListBroadcasts(Outbox& outbox) {
  std::vector<int64_t> ids;
  FARO_RETURN_IF_ERROR(outbox.WithDb("cannot list broadcasts", [&](SQLite::Database& db) {
    SQLite::Statement q(db, "SELECT id FROM outbox_broadcast ORDER BY id DESC LIMIT 50");
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  }));
  std::vector<BroadcastProgress> out;
  for (int64_t id : ids) {
    FARO_ASSIGN_OR_RETURN(BroadcastProgress p, Progress(outbox, id));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace faro::outbox
