#include "outbox/outbox.hpp"

#include <nlohmann/json.hpp>

#include "core/strings.hpp"

namespace faro::outbox {
namespace {

constexpr int kSchemaVersion = 1;
constexpr std::string_view kMessageTableSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox_message (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  contact_id INTEGER NOT NULL,
  template TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, vars TEXT NOT NULL,
  broadcast_id INTEGER NOT NULL DEFAULT 0,
  channel TEXT NOT NULL, preferred TEXT NOT NULL, pinned INTEGER NOT NULL,
  refused TEXT NOT NULL DEFAULT '',
  state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  due_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL, done_ms INTEGER,
  provider_id TEXT NOT NULL DEFAULT '', last_code TEXT NOT NULL DEFAULT '', last_detail TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS outbox_due ON outbox_message(channel, due_ms) WHERE state = 0;
CREATE INDEX IF NOT EXISTS outbox_by_broadcast ON outbox_message(broadcast_id, state) WHERE broadcast_id <> 0;
)sql";
// The other tables, created after the message table (kSchemaVersion covers both).
constexpr std::string_view kOtherTablesSchema = R"sql(CREATE TABLE IF NOT EXISTS outbox_hop (
  message_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,
  from_channel TEXT NOT NULL, to_channel TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_hop_message ON outbox_hop(message_id);
CREATE TABLE IF NOT EXISTS outbox_channel_down (
  channel TEXT NOT NULL, source TEXT NOT NULL, reason TEXT NOT NULL, since_ms INTEGER NOT NULL,
  PRIMARY KEY (channel, source));
CREATE TABLE IF NOT EXISTS outbox_broadcast (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, template TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_health_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT OR IGNORE INTO outbox_health_version VALUES (1, 0);
)sql";

std::string JoinSet(const std::set<std::string>& items) {
  return Join(std::vector<std::string>(items.begin(), items.end()), ",");
}

std::set<std::string> SplitSet(const std::string& text) {
  std::set<std::string> out;
  for (std::string_view part : Split(text, ",", true)) out.emplace(part);
  return out;
}

std::string VarsToJson(const std::map<std::string, std::string>& vars) {
  if (vars.empty()) return "{}";
  return nlohmann::json(vars).dump();
}

std::map<std::string, std::string> VarsFromJson(const std::string& text) {
  std::map<std::string, std::string> vars;
  if (text.size() <= 2) return vars;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_object())
    for (const auto& [key, value] : json.items())
      if (value.is_string()) vars[key] = value.get<std::string>();
  return vars;
}

constexpr const char* kMessageColumns =
    "id, idempotency_key, contact_id, template, subject, body, vars, broadcast_id, channel, preferred, pinned, "
    "refused, state, attempts, due_ms, created_ms, provider_id, last_code, last_detail";

constexpr const char* kInsertHop =
    "INSERT INTO outbox_hop (message_id, at_ms, from_channel, to_channel, reason) VALUES (?,?,?,?,?)";

void InsertHop(SQLite::Statement& insert, int64_t id, int64_t at_ms, const std::string& from, const std::string& to,
               const std::string& reason) {
  insert.bind(1, id);
  insert.bind(2, at_ms);
  insert.bind(3, from);
  insert.bind(4, to);
  insert.bind(5, reason);
  insert.exec();
  insert.reset();
}

Message ReadMessage(SQLite::Statement& q) {
  Message m;
  m.id = q.getColumn(0).getInt64();
  m.idempotency_key = q.getColumn(1).getString();
  m.contact_id = q.getColumn(2).getInt64();
  m.template_id = q.getColumn(3).getString();
  m.subject = q.getColumn(4).getString();
  m.text = q.getColumn(5).getString();
  m.vars = VarsFromJson(q.getColumn(6).getString());
  m.broadcast_id = q.getColumn(7).getInt64();
  m.channel = q.getColumn(8).getString();
  m.preferred = q.getColumn(9).getString();
  m.pinned = q.getColumn(10).getInt() != 0;
  m.refused = SplitSet(q.getColumn(11).getString());
  m.state = static_cast<State>(q.getColumn(12).getInt());
  m.attempts = q.getColumn(13).getInt();
  m.due = FromUnixMillis(q.getColumn(14).getInt64());
  m.created = FromUnixMillis(q.getColumn(15).getInt64());
  m.provider_id = q.getColumn(16).getString();
  m.last_code = q.getColumn(17).getString();
  m.last_detail = q.getColumn(18).getString();
  return m;
}

}  // namespace

std::string_view MessageTableSchema() { return kMessageTableSchema; }

std::string_view StateName(State state) {
  switch (state) {
    case State::kQueued: return "queued";
    case State::kHeld: return "held";
    case State::kSent: return "sent";
    case State::kFailed: return "failed";
    case State::kSkipped: return "skipped";
  }
  return "queued";
}

Outbox::Outbox(std::unique_ptr<SQLite::Database> db, RoutingTable routing, ContactDirectory* directory,
               const Clock* clock)
    : db_(std::move(db)), routing_(std::move(routing)), directory_(directory), clock_(clock) {}

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(const std::string& db_path, RoutingTable routing,
                                                     ContactDirectory* directory, const Clock* clock,
                                                     OutboxOptions options) {
  FARO_ASSIGN_OR_RETURN(auto db, store::Open(db_path, options.durability));
  FARO_RETURN_IF_ERROR(store::EnsureSchema(*db, "outbox", kSchemaVersion,
                                           StrCat(MessageTableSchema(), kOtherTablesSchema)));
  std::unique_ptr<Outbox> outbox(new Outbox(std::move(db), std::move(routing), directory, clock));
  outbox->durability_ = options.durability;
  FARO_RETURN_IF_ERROR(outbox->LoadHealth());
  outbox->committer_ = std::thread([o = outbox.get()] { o->CommitLoop(); });
  return outbox;
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
}

absl::StatusOr<std::vector<Accepted>> Outbox::Enqueue(std::vector<NewMessage> messages) {
  Pending pending{std::move(messages), {}};
  auto done = pending.done.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return absl::UnavailableError("the outbox is shutting down");
    queue_.push_back(&pending);
  }
  queue_cv_.notify_one();
  return done.get();
}

// Group commit: everything callers queued while the previous transaction ran goes into the
// next one, so one fsync acknowledges many callers.
void Outbox::CommitLoop() {
  for (;;) {
    std::vector<Pending*> group;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      group.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    std::vector<NewMessage> all;
    std::vector<size_t> sizes;
    for (Pending* p : group) {
      sizes.push_back(p->messages.size());
      for (NewMessage& m : p->messages) all.push_back(std::move(m));
    }
    auto written = Write(all);
    size_t offset = 0;
    for (size_t i = 0; i < group.size(); ++i) {
      if (!written.ok()) {
        group[i]->done.set_value(written.status());
        continue;
      }
      group[i]->done.set_value(std::vector<Accepted>(written->begin() + offset, written->begin() + offset + sizes[i]));
      offset += sizes[i];
    }
  }
}

absl::StatusOr<std::vector<Accepted>> Outbox::Write(std::vector<NewMessage>& messages) {
  const TimePoint now = clock_->Now();
  const int64_t now_ms = ToUnixMillis(now);
  const std::set<std::string> down = DownSet();
  std::vector<Accepted> results(messages.size());
  std::lock_guard db_lock(db_mutex_);
  const absl::Status status = store::Guard("cannot write to the outbox", [&] {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(*db_,
        "INSERT INTO outbox_message (idempotency_key, contact_id, template, subject, body, vars, broadcast_id, "
        "channel, preferred, pinned, state, due_ms, created_ms, last_detail, refused) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(idempotency_key) DO NOTHING");
    SQLite::Statement existing(*db_, "SELECT id, state, channel FROM outbox_message WHERE idempotency_key = ?");
    for (size_t i = 0; i < messages.size(); ++i) {
      const NewMessage& m = messages[i];
      Accepted& a = results[i];
      if (m.idempotency_key.empty()) {
        a.state = State::kSkipped;
        a.reason = "no idempotency key";
        continue;
      }
      const auto contact = directory_->Get(m.contact_id);
      std::string channel, preferred;
      if (!contact) {
        a.state = State::kSkipped;
        a.reason = StrCat("no contact with id ", m.contact_id);
      } else if (!m.channel.empty()) {
        const ChannelInfo* info = routing_.Find(m.channel);
        const Skip skip = info ? routing_.Check(*contact, *info, down) : Skip::kNoAddress;
        preferred = m.channel;
        if (info == nullptr) {
          a.state = State::kSkipped;
          a.reason = StrCat("no customer channel \"", m.channel, "\"");
        } else if (skip == Skip::kNone) {
          a.state = State::kQueued;
          channel = m.channel;
        } else if (skip == Skip::kChannelDown) {
          a.state = State::kHeld;
          channel = m.channel;
          a.reason = "channel-down";
        } else {
          a.state = State::kSkipped;
          a.reason = std::string(SkipName(skip));
        }
      } else {
        channel = routing_.Best(*contact, down, m.avoid);
        preferred = routing_.Best(*contact, {}, m.avoid);
        if (!channel.empty()) {
          a.state = State::kQueued;
        } else if (!preferred.empty()) {
          a.state = State::kHeld;
          a.reason = "every usable channel is down";
        } else {
          a.state = State::kSkipped;
          bool any_address = false;
          for (const RouteStep& step : routing_.Route(*contact, {}))
            any_address |= step.skip != Skip::kNoAddress && !m.avoid.contains(step.channel_id);
          a.reason = any_address ? "no-consent" : "no-address";
          if (m.broadcast_id == 0) {  // a person asked: say why, channel by channel
            std::vector<std::string> why;
            for (const RouteStep& step : routing_.Route(*contact, {}))
              why.push_back(StrCat(step.channel_id, " ",
                                   m.avoid.contains(step.channel_id) ? "avoided" : SkipName(step.skip)));
            a.reason = StrCat("no usable channel for contact ", m.contact_id, " (", Join(why, ", "), ")");
          }
        }
      }
      // A refused direct message is not stored: the caller hears why. A broadcast records
      // its skipped contacts, so its progress adds up.
      if (a.state == State::kSkipped && m.broadcast_id == 0) continue;
      insert.bind(1, m.idempotency_key);
      insert.bind(2, m.contact_id);
      insert.bind(3, m.template_id);
      insert.bind(4, m.subject);
      insert.bind(5, m.text);
      insert.bind(6, VarsToJson(m.vars));
      insert.bind(7, m.broadcast_id);
      insert.bind(8, channel);
      insert.bind(9, preferred);
      insert.bind(10, m.channel.empty() ? 0 : 1);
      insert.bind(11, static_cast<int>(a.state));
      insert.bind(12, std::max(now_ms, ToUnixMillis(m.not_before)));
      insert.bind(13, now_ms);
      insert.bind(14, a.reason);
      insert.bind(15, JoinSet(m.avoid));
      const int changed = insert.exec();
      insert.reset();
      if (changed == 1) {
        a.id = db_->getLastInsertRowid();
        a.channel = channel;
      } else {
        existing.bind(1, m.idempotency_key);
        if (existing.executeStep()) {
          a.id = existing.getColumn(0).getInt64();
          a.state = static_cast<State>(existing.getColumn(1).getInt());
          a.channel = existing.getColumn(2).getString();
          a.duplicate = true;
          a.reason.clear();
        }
        existing.reset();
      }
    }
    tx.commit();
  });
  if (!status.ok()) return status;
  return results;
}

absl::Status Outbox::LoadHealth() {
  std::lock_guard db_lock(db_mutex_);
  return store::Guard("cannot read channel health", [&] {
    SQLite::Statement version(*db_, "SELECT version FROM outbox_health_version WHERE id = 1");
    const int64_t v = version.executeStep() ? version.getColumn(0).getInt64() : 0;
    std::vector<ChannelDown> down;
    SQLite::Statement q(*db_, "SELECT channel, source, reason, since_ms FROM outbox_channel_down ORDER BY channel, source");
    while (q.executeStep())
      down.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                      FromUnixMillis(q.getColumn(3).getInt64())});
    std::lock_guard lock(health_mutex_);
    down_ = std::move(down);
    health_version_ = v;
  });
}

bool Outbox::RefreshHealth() {
  int64_t v = 0;
  {
    std::lock_guard db_lock(db_mutex_);
    const auto status = store::Guard("health version", [&] {
      SQLite::Statement version(*db_, "SELECT version FROM outbox_health_version WHERE id = 1");
      v = version.executeStep() ? version.getColumn(0).getInt64() : 0;
    });
    if (!status.ok()) return false;
  }
  {
    std::lock_guard lock(health_mutex_);
    if (v == health_version_) return false;
  }
  return LoadHealth().ok();
}

std::vector<ChannelDown> Outbox::DownChannels() {
  std::lock_guard lock(health_mutex_);
  return down_;
}

std::set<std::string> Outbox::DownSet() {
  std::lock_guard lock(health_mutex_);
  std::set<std::string> set;
  for (const ChannelDown& d : down_) set.insert(d.channel);
  return set;
}

// One health change: its statements, the health version and the messages it moves, in one
// transaction. On failure nothing changed on disk, and the view in memory is reloaded from it.
absl::StatusOr<int64_t> Outbox::ChangeHealth(const std::string& channel, std::string_view what,
                                             const std::function<int64_t(TimePoint)>& change) {
  if (routing_.Find(channel) == nullptr)
    return absl::NotFoundError(StrCat("no customer channel \"", channel, "\""));
  const TimePoint now = clock_->Now();
  int64_t moved = 0;
  absl::Status status;
  {
    std::lock_guard db_lock(db_mutex_);
    status = store::Guard(what, [&] {
      SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      db_->exec("UPDATE outbox_health_version SET version = version + 1 WHERE id = 1");
      moved = change(now);
      tx.commit();
    });
  }
  if (!status.ok()) {
    (void)LoadHealth();
    return status;
  }
  return moved;
}

absl::StatusOr<int64_t> Outbox::MarkDown(const std::string& channel, const std::string& source, const std::string& reason) {
  return ChangeHealth(channel, "cannot mark the channel down", [&](TimePoint now) {
    SQLite::Statement put(*db_,
        "INSERT INTO outbox_channel_down (channel, source, reason, since_ms) VALUES (?,?,?,?) "
        "ON CONFLICT(channel, source) DO UPDATE SET reason = excluded.reason");
    put.bind(1, channel);
    put.bind(2, source);
    put.bind(3, reason);
    put.bind(4, ToUnixMillis(now));
    put.exec();
    {
      std::lock_guard lock(health_mutex_);
      bool known = false;
      for (ChannelDown& d : down_)
        if (d.channel == channel && d.source == source) known = true, d.reason = reason;
      if (!known) down_.push_back({channel, source, reason, now});
    }
    return Reroute(channel, now);
  });
}

absl::StatusOr<int64_t> Outbox::MarkUp(const std::string& channel, const std::string& source) {
  return ChangeHealth(channel, "cannot mark the channel up", [&](TimePoint now) -> int64_t {
    // The operator's word clears every source; other sources clear only their own mark.
    SQLite::Statement del(*db_, source == "operator"
                                    ? "DELETE FROM outbox_channel_down WHERE channel = ?"
                                    : "DELETE FROM outbox_channel_down WHERE channel = ? AND source = ?");
    del.bind(1, channel);
    if (source != "operator") del.bind(2, source);
    del.exec();
    bool still_down = false;
    {
      std::lock_guard lock(health_mutex_);
      std::erase_if(down_, [&](const ChannelDown& d) {
        return d.channel == channel && (source == "operator" || d.source == source);
      });
      for (const ChannelDown& d : down_) still_down |= d.channel == channel;
    }
    return still_down ? 0 : Return(channel, now);
  });
}

// Inside MarkDown's transaction: queued messages on `channel` move to the next channel of
// their contact's route, or wait (held) when no channel is usable.
int64_t Outbox::Reroute(const std::string& channel, TimePoint now) {
  const std::set<std::string> down = DownSet();
  const int64_t now_ms = ToUnixMillis(now);
  SQLite::Statement q(*db_, "SELECT id, contact_id, pinned, refused FROM outbox_message WHERE state = 0 AND channel = ?");
  q.bind(1, channel);
  SQLite::Statement move(*db_, "UPDATE outbox_message SET channel = ?, state = ?, attempts = 0, due_ms = ? WHERE id = ?");
  SQLite::Statement hop(*db_, kInsertHop);
  const std::string reason = StrCat(channel, " is down");
  int64_t moved = 0;
  while (q.executeStep()) {
    const int64_t id = q.getColumn(0).getInt64();
    const bool pinned = q.getColumn(2).getInt() != 0;
    std::string to;
    if (!pinned) {
      if (const auto contact = directory_->Get(q.getColumn(1).getInt64()))
        to = routing_.Best(*contact, down, SplitSet(q.getColumn(3).getString()));
    }
    move.bind(1, pinned ? channel : to);
    move.bind(2, static_cast<int>(to.empty() ? State::kHeld : State::kQueued));
    move.bind(3, now_ms);
    move.bind(4, id);
    move.exec();
    move.reset();
    InsertHop(hop, id, now_ms, channel, to, to.empty() ? StrCat(reason, "; no other usable channel, held") : reason);
    ++moved;
  }
  return moved;
}

// Inside MarkUp's transaction: messages that would rather go by `channel`, and held ones,
// are routed again.
int64_t Outbox::Return(const std::string& channel, TimePoint now) {
  const std::set<std::string> down = DownSet();
  const int64_t now_ms = ToUnixMillis(now);
  SQLite::Statement q(*db_,
      "SELECT id, contact_id, pinned, refused, channel, state FROM outbox_message "
      "WHERE (state = 0 AND preferred = ? AND channel <> ?) OR state = 1");
  q.bind(1, channel);
  q.bind(2, channel);
  SQLite::Statement move(*db_, "UPDATE outbox_message SET channel = ?, state = 0, attempts = 0, due_ms = ? WHERE id = ?");
  SQLite::Statement hop(*db_, kInsertHop);
  int64_t moved = 0;
  while (q.executeStep()) {
    const int64_t id = q.getColumn(0).getInt64();
    const bool pinned = q.getColumn(2).getInt() != 0;
    const std::string from = q.getColumn(4).getString();
    std::string to;
    if (pinned) {
      if (from == channel) to = channel;
    } else if (const auto contact = directory_->Get(q.getColumn(1).getInt64())) {
      to = routing_.Best(*contact, down, SplitSet(q.getColumn(3).getString()));
    }
    if (to.empty() || (to == from && q.getColumn(5).getInt() == 0)) continue;
    move.bind(1, to);
    move.bind(2, now_ms);
    move.bind(3, id);
    move.exec();
    move.reset();
    InsertHop(hop, id, now_ms, from, to, StrCat(channel, " is back"));
    ++moved;
  }
  return moved;
}

absl::StatusOr<std::optional<Message>> Outbox::Get(int64_t id) {
  std::optional<Message> out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot read the outbox", [&] {
    SQLite::Statement q(*db_, StrCat("SELECT ", kMessageColumns, " FROM outbox_message WHERE id = ?"));
    q.bind(1, id);
    if (q.executeStep()) out = ReadMessage(q);
  }));
  return out;
}

absl::StatusOr<std::vector<Message>> Outbox::Due(const std::string& channel, TimePoint now, int limit) {
  std::vector<Message> out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot read the outbox", [&] {
    SQLite::Statement q(*db_, StrCat("SELECT ", kMessageColumns,
                                     " FROM outbox_message WHERE state = 0 AND channel = ? AND due_ms <= ? "
                                     "ORDER BY due_ms LIMIT ?"));
    q.bind(1, channel);
    q.bind(2, ToUnixMillis(now));
    q.bind(3, limit);
    while (q.executeStep()) out.push_back(ReadMessage(q));
  }));
  return out;
}

absl::StatusOr<std::vector<Hop>> Outbox::Hops(int64_t message_id) {
  std::vector<Hop> out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot read the hops", [&] {
    SQLite::Statement q(*db_, "SELECT at_ms, from_channel, to_channel, reason FROM outbox_hop WHERE message_id = ? ORDER BY rowid");
    q.bind(1, message_id);
    while (q.executeStep())
      out.push_back({message_id, FromUnixMillis(q.getColumn(0).getInt64()), q.getColumn(1).getString(),
                     q.getColumn(2).getString(), q.getColumn(3).getString()});
  }));
  return out;
}

namespace {
void AddCount(Counts& c, State state, int64_t n) {
  switch (state) {
    case State::kQueued: c.queued += n; break;
    case State::kHeld: c.held += n; break;
    case State::kSent: c.sent += n; break;
    case State::kFailed: c.failed += n; break;
    case State::kSkipped: c.skipped += n; break;
  }
}
}  // namespace

absl::StatusOr<std::map<std::string, Counts>> Outbox::CountsByChannel() {
  std::map<std::string, Counts> out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot count the outbox", [&] {
    SQLite::Statement q(*db_, "SELECT channel, state, COUNT(*) FROM outbox_message GROUP BY channel, state");
    while (q.executeStep())
      AddCount(out[q.getColumn(0).getString()], static_cast<State>(q.getColumn(1).getInt()), q.getColumn(2).getInt64());
  }));
  return out;
}

absl::StatusOr<Counts> Outbox::CountsForBroadcast(int64_t broadcast_id) {
  Counts out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot count the broadcast", [&] {
    SQLite::Statement q(*db_, "SELECT state, COUNT(*) FROM outbox_message WHERE broadcast_id = ? GROUP BY state");
    q.bind(1, broadcast_id);
    while (q.executeStep()) AddCount(out, static_cast<State>(q.getColumn(0).getInt()), q.getColumn(1).getInt64());
  }));
  return out;
}

absl::StatusOr<Counts> Outbox::CountsSince(TimePoint since) {
  Counts out;
  std::lock_guard db_lock(db_mutex_);
  FARO_RETURN_IF_ERROR(store::Guard("cannot count the outbox", [&] {
    SQLite::Statement q(*db_, "SELECT state, COUNT(*) FROM outbox_message WHERE created_ms >= ? GROUP BY state");
    q.bind(1, static_cast<int64_t>(ToUnixMillis(since)));
    while (q.executeStep()) AddCount(out, static_cast<State>(q.getColumn(0).getInt()), q.getColumn(1).getInt64());
  }));
  return out;
}

absl::Status Outbox::Apply(const std::vector<Update>& updates) {
  if (updates.empty()) return absl::OkStatus();
  const int64_t now_ms = ToUnixMillis(clock_->Now());
  std::lock_guard db_lock(db_mutex_);
  // Results need not wait for the disk: a result lost to a power cut means the message is sent
  // again with the same idempotency key, which the guarantee already allows for a crash.
  const bool relax = durability_ == store::Durability::kPowerLoss;
  if (relax) (void)store::Guard("", [&] { db_->exec("PRAGMA synchronous=NORMAL"); });
  const absl::Status status = store::Guard("cannot record send results", [&] {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement up(*db_,
        "UPDATE outbox_message SET state = ?, channel = ?, attempts = ?, due_ms = ?, provider_id = ?, "
        "last_code = ?, last_detail = ?, refused = ?, done_ms = ? WHERE id = ?");
    SQLite::Statement up_if_still_there(*db_,
        "UPDATE outbox_message SET state = ?, channel = ?, attempts = ?, due_ms = ?, provider_id = ?, "
        "last_code = ?, last_detail = ?, refused = ?, done_ms = ? WHERE id = ? AND state = 0 AND channel = ?");
    SQLite::Statement hop(*db_, kInsertHop);
    for (const Update& u : updates) {
      const bool conditional = u.state != State::kSent && !u.sent_on.empty();
      SQLite::Statement& q = conditional ? up_if_still_there : up;
      q.bind(1, static_cast<int>(u.state));
      q.bind(2, u.channel);
      q.bind(3, u.attempts);
      q.bind(4, ToUnixMillis(u.due));
      q.bind(5, u.provider_id);
      q.bind(6, u.code);
      q.bind(7, u.detail);
      q.bind(8, JoinSet(u.refused));
      if (u.state == State::kSent || u.state == State::kFailed) q.bind(9, now_ms);
      else q.bind(9);
      q.bind(10, u.id);
      if (conditional) q.bind(11, u.sent_on);
      const int changed = q.exec();
      q.reset();
      if (u.hop && changed == 1) {
        InsertHop(hop, u.id, ToUnixMillis(u.hop->at), u.hop->from, u.hop->to, u.hop->reason);
      }
    }
    tx.commit();
  });
  if (relax) (void)store::Guard("", [&] { db_->exec("PRAGMA synchronous=FULL"); });
  return status;
}

}  // namespace faro::outbox
