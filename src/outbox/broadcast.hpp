#pragma once
// Broadcast: "we are reachable on …" notices to every contact of a failed channel, through
// each person's best working alternative, respecting consent, quiet hours and rate limits.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outbox/outbox.hpp"

namespace faro::outbox {

// Quiet hours in each person's local time (their timezone, else the business's). A notice
// that would arrive inside them waits for their end. start == end: no quiet hours.
struct QuietHours {
  int start_minute = 0;  // minutes after local midnight, e.g. 21:00 → 1260
  int end_minute = 0;    // e.g. 08:00 → 480
  bool enabled() const { return start_minute != end_minute; }
};

// "21:00-08:00" → QuietHours; an error says what was expected.
absl::StatusOr<QuietHours> ParseQuietHours(std::string_view text);

// The earliest time at or after `now` outside quiet hours in `timezone` (IANA name; an
// unknown zone falls back to UTC).
TimePoint OutsideQuietHours(const QuietHours& quiet, const std::string& timezone, TimePoint now);

struct BroadcastRequest {
  std::string key;             // idempotent: starting the same key twice starts it once
  std::string failed_channel;  // whose contacts are told
  std::string template_id;
  std::map<std::string, std::string> vars;
  QuietHours quiet;
  std::string business_timezone;
};

struct BroadcastProgress {
  int64_t id = 0;
  std::string key, failed_channel, template_id;
  TimePoint created{};
  int64_t total = 0;
  int64_t sent = 0, pending = 0, failed = 0, skipped_no_consent = 0, skipped_no_address = 0;
  std::map<std::string, int64_t> by_channel;  // where the notices go
};

// Writes every notice durably (one transaction) and returns the progress so far.
absl::StatusOr<BroadcastProgress> StartBroadcast(Outbox& outbox, const BroadcastRequest& request);

// A broadcast of a text people wrote (a contingency plan's holding statement or notice), whose
// audience and channels the caller chose: one message per customer, each with its own text,
// channel and quiet-hours wait. Grouping them as a broadcast lists and follows them like any
// other (Progress, ListBroadcasts) and tells the inbox they answer nobody personally.
struct TextBroadcastRequest {
  std::string key;      // idempotent: the same key again writes nothing twice
  std::string channel;  // the channel the broadcast is about (usually the failing one)
  // Each needs an idempotency key, a contact and a text (no template); broadcast_id is set here.
  std::vector<NewMessage> messages;
};

// Writes the broadcast and its messages durably. Calling it again with the same key (a restart
// that carries the same action out again) finds the broadcast and enqueues any of its messages
// that are missing — the messages' own keys keep each one single — so a broadcast written just
// before a crash still gets every message. Errors name what was wrong: no key, an unknown
// channel, a message without a key or text, or one with a template.
absl::StatusOr<BroadcastProgress> StartTextBroadcast(Outbox& outbox, TextBroadcastRequest request);
absl::StatusOr<BroadcastProgress> Progress(Outbox& outbox, int64_t broadcast_id);
absl::StatusOr<std::vector<BroadcastProgress>> ListBroadcasts(Outbox& outbox);

}  // namespace faro::outbox
