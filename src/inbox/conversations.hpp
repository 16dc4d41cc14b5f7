#pragma once
// The inbox: one conversation per contact across all channels, the messages in it, and the
// delivery state of what we sent. It answers "who is still waiting for an answer?" after an
// outage, with Chatwoot's `unattended` rule, and "may we still reply free-form on WhatsApp?".
//
// Webhooks deliver at least once and in any order, so recording is idempotent: an inbound
// event is stored once per (channel, provider event id), and a delivery status only moves up
// (see Rank in inbound_event.hpp). Times always come from the caller; nothing here reads a clock.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"
#include "inbox/inbound_event.hpp"

namespace faro::inbox {

enum class ConversationStatus { kOpen, kResolved };
std::string_view ConversationStatusName(ConversationStatus status);

struct Conversation {
  int64_t contact_id = 0;
  ConversationStatus status = ConversationStatus::kOpen;
  std::optional<TimePoint> first_inbound_at;  // the person's first message
  std::optional<TimePoint> first_reply_at;    // our first reply after it
  // The oldest of the person's messages we have not replied to; empty when none is waiting.
  std::optional<TimePoint> waiting_since;
  std::optional<TimePoint> last_inbound_at;
  std::string last_inbound_channel;  // where the person last wrote: the natural place to answer
  std::optional<TimePoint> last_outbound_at;

  // first_reply_at − first_inbound_at, once both exist.
  std::optional<std::chrono::milliseconds> FirstResponseTime() const;
  // Open, the person wrote, and either we never replied or they are waiting since our last
  // reply (Chatwoot's `unattended`: first_reply_created_at IS NULL OR waiting_since IS NOT NULL).
  bool Unanswered() const;
};

enum class ConversationFilter {
  kAll,
  kWaiting,     // open with waiting_since set, oldest wait first
  kUnanswered,  // Conversation::Unanswered(), oldest wait first
};

enum class Direction { kIn, kOut };

struct StoredMessage {
  int64_t id = 0;
  int64_t contact_id = 0;
  std::string channel_id;
  Direction direction = Direction::kIn;
  std::string provider_id;  // inbound: the event id; outbound: the provider's message id
  std::string text;
  std::string message_type;
  TimePoint at;
  bool is_reply = false;  // outbound only
  // Outbound only: the highest status reported so far (kQueued before any report).
  DeliveryStatus status = DeliveryStatus::kQueued;
  std::string error_code;
};

struct RecordResult {
  bool duplicate = false;  // already recorded: nothing changed
  int64_t message_id = 0;  // the stored message (the earlier one for a duplicate)
};

struct StatusChange {
  bool changed = false;        // false: a repeat, or older than what we know
  DeliveryStatus current = DeliveryStatus::kQueued;  // the status after this report
  std::string error_code;      // of the current status
  bool known_message = false;  // an outbound message with this id is recorded
};

class Inbox {
 public:
  // Creates or upgrades the inbox tables (component "inbox"). `db` must outlive the Inbox.
  // Calls are serialised by a mutex; other components writing to the same connection at the
  // same time should use their own connection to the file.
  static absl::StatusOr<std::unique_ptr<Inbox>> Open(SQLite::Database& db);

  // A person wrote (event.kind must be kMessage, with an event id). The contact id comes from
  // the contact book. Opens the conversation (again), sets first_inbound_at and waiting_since.
  absl::StatusOr<RecordResult> RecordInbound(int64_t contact_id, std::string_view channel_id, const InboundEvent& event);

  // We sent a message. A reply (is_reply) answers everything the person wrote before `at`:
  // waiting_since moves to their first later message or clears, and the first reply after
  // their first message sets first_reply_at. Broadcasts (is_reply false — holding statements,
  // updates) answer nobody. Recording the same provider message id twice is a duplicate.
  absl::StatusOr<RecordResult> RecordOutbound(int64_t contact_id, std::string_view channel_id,
                                              std::string_view provider_message_id, std::string_view text, TimePoint at,
                                              bool is_reply);

  // A provider reported the state of a message we sent. Kept even when the send is not recorded
  // yet (a webhook can beat the outbox's own record). The state only moves up.
  absl::StatusOr<StatusChange> RecordStatus(std::string_view channel_id, std::string_view provider_message_id,
                                            DeliveryStatus status, std::string_view error_code, TimePoint at);
  absl::StatusOr<StatusChange> RecordStatus(std::string_view channel_id, const InboundEvent& status_event);

  // When the person last wrote on this channel; nullopt if never.
  absl::StatusOr<std::optional<TimePoint>> LastInbound(int64_t contact_id, std::string_view channel_id);
  // WhatsApp allows free-form messages only within 24 hours of the person's last message.
  absl::StatusOr<bool> ReplyWindowOpen(int64_t contact_id, std::string_view channel_id, TimePoint now,
                                       std::chrono::milliseconds window = std::chrono::hours(24));

  absl::StatusOr<std::vector<Conversation>> List(ConversationFilter filter);
  absl::StatusOr<std::optional<Conversation>> Get(int64_t contact_id);
  // The last `limit` messages of the contact's conversation, oldest first.
  absl::StatusOr<std::vector<StoredMessage>> Messages(int64_t contact_id, int limit = 100);

  // Someone decided nothing more needs an answer: the conversation leaves the waiting lists
  // until the person writes again.
  absl::Status Resolve(int64_t contact_id, TimePoint at);

 private:
  explicit Inbox(SQLite::Database& db) : db_(db) {}

  SQLite::Database& db_;
  std::mutex mutex_;  // guards every use of db_ by this Inbox
};

}  // namespace faro::inbox
