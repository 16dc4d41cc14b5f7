#include "inbox/conversations.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "store/sqlite.hpp"

namespace faro::inbox {
namespace {

constexpr int kSchemaVersion = 1;

// Times are Unix milliseconds. A conversation is keyed by its contact: one per person.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS inbox_conversations (
  contact_id INTEGER PRIMARY KEY,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  first_inbound_at INTEGER,
  first_reply_at INTEGER,
  waiting_since INTEGER,
  last_inbound_at INTEGER,
  last_inbound_channel TEXT NOT NULL DEFAULT '',
  last_outbound_at INTEGER,
  resolved_at INTEGER
);
CREATE INDEX IF NOT EXISTS inbox_conversations_waiting
  ON inbox_conversations (waiting_since) WHERE waiting_since IS NOT NULL;

CREATE TABLE IF NOT EXISTS inbox_messages (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES inbox_conversations (contact_id),
  channel_id TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  provider_id TEXT NOT NULL,
  text TEXT NOT NULL,
  message_type TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  is_reply INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL
);
-- A webhook delivered twice is stored once.
CREATE UNIQUE INDEX IF NOT EXISTS inbox_messages_inbound_event
  ON inbox_messages (channel_id, provider_id) WHERE direction = 'in';
-- Telegram message ids are per chat, so an outbound id is unique per contact, not per channel.
CREATE UNIQUE INDEX IF NOT EXISTS inbox_messages_outbound_id
  ON inbox_messages (channel_id, contact_id, provider_id) WHERE direction = 'out' AND provider_id != '';
CREATE INDEX IF NOT EXISTS inbox_messages_by_contact
  ON inbox_messages (contact_id, direction, channel_id, at);

-- Delivery state by the provider's message id, independent of inbox_messages: a status
-- webhook may arrive before the send is recorded.
CREATE TABLE IF NOT EXISTS inbox_delivery (
  channel_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  status TEXT NOT NULL,
  rank INTEGER NOT NULL,
  error_code TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL,
  PRIMARY KEY (channel_id, provider_id)
);
)sql";

constexpr std::string_view kConversationColumns =
    "contact_id, status, first_inbound_at, first_reply_at, waiting_since, last_inbound_at, last_inbound_channel, "
    "last_outbound_at";

std::optional<TimePoint> OptionalTime(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return FromUnixMillis(column.getInt64());
}

Conversation ReadConversation(SQLite::Statement& q) {
  Conversation c;
  c.contact_id = q.getColumn(0).getInt64();
  c.status = q.getColumn(1).getString() == "resolved" ? ConversationStatus::kResolved : ConversationStatus::kOpen;
  c.first_inbound_at = OptionalTime(q.getColumn(2));
  c.first_reply_at = OptionalTime(q.getColumn(3));
  c.waiting_since = OptionalTime(q.getColumn(4));
  c.last_inbound_at = OptionalTime(q.getColumn(5));
  c.last_inbound_channel = q.getColumn(6).getString();
  c.last_outbound_at = OptionalTime(q.getColumn(7));
  return c;
}

void EnsureConversation(SQLite::Database& db, int64_t contact_id) {
  SQLite::Statement q(db, "INSERT OR IGNORE INTO inbox_conversations (contact_id) VALUES (?)");
  q.bind(1, contact_id);
  q.exec();
}

// Records one message in its contact's conversation, in one transaction. The statements come
// with their parameters bound: `insert` stores the message (INSERT … ON CONFLICT DO NOTHING);
// when it stores nothing the message was recorded before, and `existing` selects that message's
// id; otherwise `update` brings the conversation up to date.
RecordResult RecordMessage(SQLite::Database& db, int64_t contact_id, SQLite::Statement& insert,
                           SQLite::Statement& existing, SQLite::Statement& update) {
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  EnsureConversation(db, contact_id);
  RecordResult result;
  if (insert.exec() == 0) {
    result.duplicate = true;
    result.message_id = existing.executeStep() ? existing.getColumn(0).getInt64() : 0;
  } else {
    result.message_id = db.getLastInsertRowid();
    update.exec();
  }
  tx.commit();
  return result;
}

absl::Status StoreError(std::string_view what, const std::exception& e) {
  return absl::InternalError(StrCat("inbox: cannot ", what, ": ", e.what()));
}

}  // namespace

std::string_view ConversationStatusName(ConversationStatus status) {
  return status == ConversationStatus::kResolved ? "resolved" : "open";
}

std::optional<std::chrono::milliseconds> Conversation::FirstResponseTime() const {
  if (!first_inbound_at || !first_reply_at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*first_reply_at - *first_inbound_at);
}

bool Conversation::Unanswered() const {
  return status == ConversationStatus::kOpen && first_inbound_at.has_value() &&
         (!first_reply_at.has_value() || waiting_since.has_value());
}

absl::StatusOr<std::unique_ptr<Inbox>> Inbox::Open(SQLite::Database& db) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "inbox", kSchemaVersion, kSchema));
  return std::unique_ptr<Inbox>(new Inbox(db));
}

absl::StatusOr<RecordResult> Inbox::RecordInbound(int64_t contact_id, std::string_view channel_id,
                                                  const InboundEvent& event) {
  if (event.kind != InboundEvent::Kind::kMessage)
    return absl::InvalidArgumentError("inbox: RecordInbound takes messages; record statuses with RecordStatus");
  if (event.event_id.empty())
    return absl::InvalidArgumentError(
        StrCat("inbox: an inbound message on channel ", channel_id, " has no provider event id to deduplicate by"));
  const std::string channel(channel_id);
  const int64_t at = ToUnixMillis(event.time);
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(db_,
                             "INSERT INTO inbox_messages "
                             "(contact_id, channel_id, direction, provider_id, text, message_type, display_name, at) "
                             "VALUES (?, ?, 'in', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, contact_id);
    insert.bind(2, channel);
    insert.bind(3, event.event_id);
    insert.bind(4, event.text);
    insert.bind(5, event.message_type);
    insert.bind(6, event.display_name);
    insert.bind(7, at);
    SQLite::Statement existing(
        db_, "SELECT id FROM inbox_messages WHERE channel_id = ? AND provider_id = ? AND direction = 'in'");
    existing.bind(1, channel);
    existing.bind(2, event.event_id);
    // The earliest unanswered message sets waiting_since: a late-delivered older message moves it back.
    SQLite::Statement update(db_,
                             "UPDATE inbox_conversations SET status = 'open', resolved_at = NULL, "
                             "first_inbound_at = MIN(COALESCE(first_inbound_at, :at), :at), "
                             "waiting_since = MIN(COALESCE(waiting_since, :at), :at), "
                             "last_inbound_channel = CASE WHEN last_inbound_at IS NULL OR :at >= last_inbound_at "
                             "  THEN :channel ELSE last_inbound_channel END, "
                             "last_inbound_at = MAX(COALESCE(last_inbound_at, :at), :at) "
                             "WHERE contact_id = :contact");
    update.bind(":at", at);
    update.bind(":channel", channel);
    update.bind(":contact", contact_id);
    return RecordMessage(db_, contact_id, insert, existing, update);
  } catch (const std::exception& e) {
    return StoreError("record an inbound message", e);
  }
}

absl::StatusOr<RecordResult> Inbox::RecordOutbound(int64_t contact_id, std::string_view channel_id,
                                                   std::string_view provider_message_id, std::string_view text,
                                                   TimePoint at, bool is_reply) {
  const std::string channel(channel_id);
  const std::string provider_id(provider_message_id);
  const int64_t at_ms = ToUnixMillis(at);
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement insert(db_,
                             "INSERT INTO inbox_messages "
                             "(contact_id, channel_id, direction, provider_id, text, message_type, is_reply, at) "
                             "VALUES (?, ?, 'out', ?, ?, 'text', ?, ?) ON CONFLICT DO NOTHING");
    insert.bind(1, contact_id);
    insert.bind(2, channel);
    insert.bind(3, provider_id);
    insert.bind(4, std::string(text));
    insert.bind(5, is_reply ? 1 : 0);
    insert.bind(6, at_ms);
    SQLite::Statement existing(db_,
                               "SELECT id FROM inbox_messages WHERE channel_id = ? AND provider_id = ? "
                               "AND contact_id = ? AND direction = 'out'");
    existing.bind(1, channel);
    existing.bind(2, provider_id);
    existing.bind(3, contact_id);
    SQLite::Statement update(db_,
                             "UPDATE inbox_conversations SET "
                             "last_outbound_at = MAX(COALESCE(last_outbound_at, :at), :at), "
                             "first_reply_at = CASE WHEN :reply AND first_inbound_at IS NOT NULL "
                             "  AND first_inbound_at <= :at THEN MIN(COALESCE(first_reply_at, :at), :at) "
                             "  ELSE first_reply_at END, "
                             // A reply answers what was written before it; the first later message keeps waiting.
                             "waiting_since = CASE WHEN :reply AND waiting_since IS NOT NULL AND waiting_since <= :at "
                             "  THEN (SELECT MIN(m.at) FROM inbox_messages m WHERE m.contact_id = :contact "
                             "        AND m.direction = 'in' AND m.at > :at) "
                             "  ELSE waiting_since END "
                             "WHERE contact_id = :contact");
    update.bind(":at", at_ms);
    update.bind(":reply", is_reply ? 1 : 0);
    update.bind(":contact", contact_id);
    return RecordMessage(db_, contact_id, insert, existing, update);
  } catch (const std::exception& e) {
    return StoreError("record an outbound message", e);
  }
}

absl::StatusOr<StatusChange> Inbox::RecordStatus(std::string_view channel_id, std::string_view provider_message_id,
                                                 DeliveryStatus status, std::string_view error_code, TimePoint at) {
  if (provider_message_id.empty())
    return absl::InvalidArgumentError(StrCat("inbox: a status on channel ", channel_id, " names no message"));
  const std::string channel(channel_id);
  const std::string provider_id(provider_message_id);
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    StatusChange change;
    SQLite::Statement get(db_,
                          "SELECT rank, status, error_code FROM inbox_delivery WHERE channel_id = ? AND provider_id = ?");
    get.bind(1, channel);
    get.bind(2, provider_id);
    const bool known_status = get.executeStep();
    if (known_status && get.getColumn(0).getInt() >= Rank(status)) {
      change.current = ParseDeliveryStatus(get.getColumn(1).getString()).value_or(DeliveryStatus::kQueued);
      change.error_code = get.getColumn(2).getString();
    } else {
      SQLite::Statement put(db_,
                            "INSERT OR REPLACE INTO inbox_delivery (channel_id, provider_id, status, rank, error_code, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
      put.bind(1, channel);
      put.bind(2, provider_id);
      put.bind(3, std::string(DeliveryStatusName(status)));
      put.bind(4, Rank(status));
      put.bind(5, std::string(error_code));
      put.bind(6, ToUnixMillis(at));
      put.exec();
      change.changed = true;
      change.current = status;
      change.error_code = std::string(error_code);
    }
    get.reset();
    SQLite::Statement known(db_,
                            "SELECT 1 FROM inbox_messages WHERE channel_id = ? AND provider_id = ? AND direction = 'out' "
                            "LIMIT 1");
    known.bind(1, channel);
    known.bind(2, provider_id);
    change.known_message = known.executeStep();
    tx.commit();
    return change;
  } catch (const std::exception& e) {
    return StoreError("record a delivery status", e);
  }
}

absl::StatusOr<StatusChange> Inbox::RecordStatus(std::string_view channel_id, const InboundEvent& status_event) {
  if (status_event.kind != InboundEvent::Kind::kStatus)
    return absl::InvalidArgumentError("inbox: RecordStatus takes status events; record messages with RecordInbound");
  return RecordStatus(channel_id, status_event.provider_message_id, status_event.status, status_event.error_code,
                      status_event.time);
}

absl::StatusOr<std::optional<TimePoint>> Inbox::LastInbound(int64_t contact_id, std::string_view channel_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_,
                        "SELECT MAX(at) FROM inbox_messages WHERE contact_id = ? AND direction = 'in' AND channel_id = ?");
    q.bind(1, contact_id);
    q.bind(2, std::string(channel_id));
    q.executeStep();
    return OptionalTime(q.getColumn(0));
  } catch (const std::exception& e) {
    return StoreError("read the last inbound message", e);
  }
}

absl::StatusOr<bool> Inbox::ReplyWindowOpen(int64_t contact_id, std::string_view channel_id, TimePoint now,
                                            std::chrono::milliseconds window) {
  FARO_ASSIGN_OR_RETURN(const std::optional<TimePoint> last, LastInbound(contact_id, channel_id));
  return last.has_value() && now - *last < window;
}

absl::StatusOr<std::vector<Conversation>> Inbox::List(ConversationFilter filter) {
  std::string sql = StrCat("SELECT ", kConversationColumns, " FROM inbox_conversations");
  switch (filter) {
    case ConversationFilter::kAll:
      sql += " ORDER BY COALESCE(last_inbound_at, last_outbound_at) DESC, contact_id";
      break;
    case ConversationFilter::kWaiting:
      sql += " WHERE status = 'open' AND waiting_since IS NOT NULL ORDER BY waiting_since, contact_id";
      break;
    case ConversationFilter::kUnanswered:
      sql +=
          " WHERE status = 'open' AND first_inbound_at IS NOT NULL"
          " AND (first_reply_at IS NULL OR waiting_since IS NOT NULL)"
          " ORDER BY COALESCE(waiting_since, first_inbound_at), contact_id";
      break;
  }
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_, sql);
    std::vector<Conversation> out;
    while (q.executeStep()) out.push_back(ReadConversation(q));
    return out;
  } catch (const std::exception& e) {
    return StoreError("list conversations", e);
  }
}

absl::StatusOr<std::optional<Conversation>> Inbox::Get(int64_t contact_id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_, StrCat("SELECT ", kConversationColumns, " FROM inbox_conversations WHERE contact_id = ?"));
    q.bind(1, contact_id);
    if (!q.executeStep()) return std::optional<Conversation>();
    return std::optional<Conversation>(ReadConversation(q));
  } catch (const std::exception& e) {
    return StoreError("read a conversation", e);
  }
}

absl::StatusOr<std::vector<StoredMessage>> Inbox::Messages(int64_t contact_id, int limit) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_,
                        "SELECT m.id, m.contact_id, m.channel_id, m.direction, m.provider_id, m.text, m.message_type, "
                        "m.at, m.is_reply, d.status, d.error_code FROM inbox_messages m "
                        "LEFT JOIN inbox_delivery d ON m.direction = 'out' AND d.channel_id = m.channel_id "
                        "  AND d.provider_id = m.provider_id "
                        "WHERE m.contact_id = ? ORDER BY m.at DESC, m.id DESC LIMIT ?");
    q.bind(1, contact_id);
    q.bind(2, std::max(limit, 0));
    std::vector<StoredMessage> out;
    while (q.executeStep()) {
      StoredMessage m;
      m.id = q.getColumn(0).getInt64();
      m.contact_id = q.getColumn(1).getInt64();
      m.channel_id = q.getColumn(2).getString();
      m.direction = q.getColumn(3).getString() == "out" ? Direction::kOut : Direction::kIn;
      m.provider_id = q.getColumn(4).getString();
      m.text = q.getColumn(5).getString();
      m.message_type = q.getColumn(6).getString();
      m.at = FromUnixMillis(q.getColumn(7).getInt64());
      m.is_reply = q.getColumn(8).getInt() != 0;
      if (!q.getColumn(9).isNull())
        m.status = ParseDeliveryStatus(q.getColumn(9).getString()).value_or(DeliveryStatus::kQueued);
      m.error_code = q.getColumn(10).isNull() ? std::string() : q.getColumn(10).getString();
      out.push_back(std::move(m));
    }
    std::reverse(out.begin(), out.end());
    return out;
  } catch (const std::exception& e) {
    return StoreError("read messages", e);
  }
}

absl::Status Inbox::Resolve(int64_t contact_id, TimePoint at) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(db_,
                        "UPDATE inbox_conversations SET status = 'resolved', resolved_at = ?, waiting_since = NULL "
                        "WHERE contact_id = ?");
    q.bind(1, ToUnixMillis(at));
    q.bind(2, contact_id);
    if (q.exec() == 0) return absl::NotFoundError(StrCat("inbox: contact ", contact_id, " has no conversation"));
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StoreError("resolve a conversation", e);
  }
}

}  // namespace faro::inbox
