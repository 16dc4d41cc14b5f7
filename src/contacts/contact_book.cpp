#include "contacts/contact_book.hpp"

#include <absl/time/time.h>

#include "core/strings.hpp"
#include "store/sqlite.hpp"

namespace faro::contacts {
namespace {

using channels::AddressKind;

constexpr int kSchemaVersion = 1;

// Identities are NULL when absent, so UNIQUE holds only between real values. Emails and X
// handles compare without case. consent_history is append-only: it is the record of who agreed
// to what, when, and how.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS contacts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT 'es',
  phone TEXT UNIQUE,
  email TEXT UNIQUE COLLATE NOCASE,
  telegram TEXT UNIQUE,
  instagram TEXT UNIQUE,
  messenger TEXT UNIQUE,
  x_handle TEXT UNIQUE COLLATE NOCASE,
  timezone TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS contact_channels (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  channel_id TEXT NOT NULL,
  PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS contact_consent (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('unknown', 'opt-in', 'opt-out')),
  at_ms INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (contact_id, channel_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS consent_history (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL,
  channel_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL DEFAULT '',
  recorded_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_history_by_contact ON consent_history (contact_id, id);
CREATE TRIGGER IF NOT EXISTS consent_history_append_only BEFORE UPDATE ON consent_history
BEGIN
  SELECT RAISE(ABORT, 'the consent history is append-only');
END;
)sql";

constexpr const char* kContactColumns =
    "id, name, lang, phone, email, telegram, instagram, messenger, x_handle, timezone";

const char* FindSql(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPhone: return "SELECT id FROM contacts WHERE phone = ?";
    case AddressKind::kEmail: return "SELECT id FROM contacts WHERE email = ?";
    case AddressKind::kTelegram: return "SELECT id FROM contacts WHERE telegram = ?";
    case AddressKind::kInstagram: return "SELECT id FROM contacts WHERE instagram = ?";
    case AddressKind::kMessenger: return "SELECT id FROM contacts WHERE messenger = ?";
    case AddressKind::kX: return "SELECT id FROM contacts WHERE x_handle = ?";
    case AddressKind::kNone: break;
  }
  return nullptr;
}

// The identity field of `kind`; null for kNone.
std::string* MutableAddress(Contact& contact, AddressKind kind) {
  switch (kind) {
    case AddressKind::kPhone: return &contact.phone;
    case AddressKind::kEmail: return &contact.email;
    case AddressKind::kTelegram: return &contact.telegram;
    case AddressKind::kInstagram: return &contact.instagram;
    case AddressKind::kMessenger: return &contact.messenger;
    case AddressKind::kX: return &contact.x_handle;
    case AddressKind::kNone: break;
  }
  return nullptr;
}

std::string_view KindWords(AddressKind kind, bool es) {
  switch (kind) {
    case AddressKind::kPhone: return es ? "el teléfono" : "the phone";
    case AddressKind::kEmail: return es ? "el email" : "the email";
    case AddressKind::kTelegram: return es ? "el chat de Telegram" : "the Telegram chat";
    case AddressKind::kInstagram: return es ? "el id de Instagram" : "the Instagram id";
    case AddressKind::kMessenger: return es ? "el id de Messenger" : "the Messenger id";
    case AddressKind::kX: return es ? "el usuario de X" : "the X handle";
    case AddressKind::kNone: break;
  }
  return "";
}

// Resets and clears a cached statement on entry, and resets it on exit so no read stays open.
class Use {
 public:
  explicit Use(SQLite::Statement& statement) : s_(statement) {
    s_.tryReset();
    s_.clearBindings();
  }
  ~Use() { s_.tryReset(); }
  SQLite::Statement* operator->() { return &s_; }
  SQLite::Statement& operator*() { return s_; }

 private:
  SQLite::Statement& s_;
};

void BindText(SQLite::Statement& s, int index, const std::string& value) {
  if (value.empty()) s.bind(index);  // NULL
  else s.bind(index, value);
}

// Binds parameters 1 to 9 of an INSERT or UPDATE of contacts, in the order both list the columns:
// name, lang, phone, email, telegram, instagram, messenger, x_handle, timezone.
void BindContactColumns(SQLite::Statement& s, const Contact& contact) {
  s.bind(1, contact.name);
  s.bind(2, std::string(LangCode(contact.lang)));
  BindText(s, 3, contact.phone);
  BindText(s, 4, contact.email);
  BindText(s, 5, contact.telegram);
  BindText(s, 6, contact.instagram);
  BindText(s, 7, contact.messenger);
  BindText(s, 8, contact.x_handle);
  s.bind(9, contact.timezone);
}

// Binds parameters 1 to 5 of a write to contact_consent or consent_history: contact_id,
// channel_id, state, at_ms, source.
void BindConsentColumns(SQLite::Statement& s, int64_t id, const std::string& channel, const Consent& consent) {
  s.bind(1, id);
  s.bind(2, channel);
  s.bind(3, std::string(ConsentStateName(consent.state)));
  s.bind(4, ToUnixMillis(consent.at));
  s.bind(5, consent.source);
}

std::string ColumnText(SQLite::Statement& s, int index) {
  return s.isColumnNull(index) ? std::string() : s.getColumn(index).getString();
}

Contact ReadContactRow(SQLite::Statement& s) {
  Contact c;
  c.id = s.getColumn(0).getInt64();
  c.name = ColumnText(s, 1);
  c.lang = ColumnText(s, 2) == "en" ? Lang::kEn : Lang::kEs;
  c.phone = ColumnText(s, 3);
  c.email = ColumnText(s, 4);
  c.telegram = ColumnText(s, 5);
  c.instagram = ColumnText(s, 6);
  c.messenger = ColumnText(s, 7);
  c.x_handle = ColumnText(s, 8);
  c.timezone = ColumnText(s, 9);
  return c;
}

bool SameFields(const Contact& a, const Contact& b) {
  return a.name == b.name && a.lang == b.lang && a.phone == b.phone && a.email == b.email &&
         a.telegram == b.telegram && a.instagram == b.instagram && a.messenger == b.messenger &&
         a.x_handle == b.x_handle && a.timezone == b.timezone;
}

std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

constexpr const char* kTextFilter =
    "(?1 = '' OR name LIKE ?2 ESCAPE '\\' OR phone LIKE ?2 ESCAPE '\\' OR email LIKE ?2 ESCAPE '\\' "
    "OR telegram LIKE ?2 ESCAPE '\\' OR instagram LIKE ?2 ESCAPE '\\' OR messenger LIKE ?2 ESCAPE '\\' "
    "OR x_handle LIKE ?2 ESCAPE '\\')";

}  // namespace

std::string_view UpsertKindName(UpsertKind kind) {
  switch (kind) {
    case UpsertKind::kCreated: return "created";
    case UpsertKind::kMerged: return "merged";
    case UpsertKind::kUnchanged: return "unchanged";
    case UpsertKind::kConflict: return "conflict";
  }
  return "unchanged";
}

std::string FormatConsentTime(TimePoint at) {
  const absl::Time t = absl::FromChrono(at);
  const absl::TimeZone utc = absl::UTCTimeZone();
  const std::string day = absl::FormatTime("%Y-%m-%d", t, utc);
  if (absl::FormatTime("%H:%M:%S", t, utc) == "00:00:00") return day;
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, utc);
}

std::string DescribeConflict(const UpsertOutcome& outcome, Lang lang) {
  const bool es = lang == Lang::kEs;
  std::vector<std::string> parts;
  for (const IdentityMatch& m : outcome.matches)
    parts.push_back(es ? StrCat(KindWords(m.kind, es), " ", m.address, " es del contacto ", m.contact_id)
                       : StrCat(KindWords(m.kind, es), " ", m.address, " is contact ", m.contact_id, "'s"));
  return es ? StrCat(Join(parts, " y "),
                     ": Faro no une a dos personas por su cuenta; corrige la fila o une esos contactos primero")
            : StrCat(Join(parts, " and "),
                     ": Faro does not merge two people on its own; fix the row or merge those contacts first");
}

bool ConsentSupersedes(const Consent& incoming, bool incoming_undated, const Consent* stored) {
  if (incoming.state == ConsentState::kUnknown) return false;
  if (stored == nullptr || stored->state == ConsentState::kUnknown) return true;
  // A source without a date brings no new evidence for what is already recorded, and cannot
  // undo an opt-out: only a dated opt-in, later than the opt-out, can.
  if (incoming_undated && (incoming.state == stored->state || stored->state == ConsentState::kOptedOut))
    return false;
  if (incoming.at < stored->at) return false;
  if (incoming.state == stored->state && incoming.source == stored->source) return false;
  // At the same moment, an opt-out stands.
  if (incoming.at == stored->at && stored->state == ConsentState::kOptedOut) return false;
  return true;
}

absl::StatusOr<std::unique_ptr<ContactBook>> ContactBook::Open(SQLite::Database& db, const Clock* clock) {
  FARO_RETURN_IF_ERROR(store::EnsureSchema(db, "contacts", kSchemaVersion, kSchema));
  static const SystemClock system_clock;
  return std::unique_ptr<ContactBook>(new ContactBook(db, clock != nullptr ? clock : &system_clock));
}

SQLite::Statement& ContactBook::Prepared(const char* sql) const {
  auto& slot = statements_[std::string_view(sql)];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, sql);
  return *slot;
}

std::optional<int64_t> ContactBook::FindLocked(AddressKind kind, const std::string& address) const {
  const char* sql = FindSql(kind);
  if (sql == nullptr || address.empty()) return std::nullopt;
  Use q(Prepared(sql));
  q->bind(1, address);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getInt64();
}

std::optional<Contact> ContactBook::LoadLocked(int64_t id) const {
  static const std::string kSelect = StrCat("SELECT ", kContactColumns, " FROM contacts WHERE id = ?");
  Contact contact;
  {
    Use q(Prepared(kSelect.c_str()));
    q->bind(1, id);
    if (!q->executeStep()) return std::nullopt;
    contact = ReadContactRow(*q);
  }
  {
    Use q(Prepared("SELECT channel_id FROM contact_channels WHERE contact_id = ? ORDER BY position"));
    q->bind(1, id);
    while (q->executeStep()) contact.channel_order.push_back(q->getColumn(0).getString());
  }
  {
    Use q(Prepared("SELECT channel_id, state, at_ms, source FROM contact_consent WHERE contact_id = ?"));
    q->bind(1, id);
    while (q->executeStep()) {
      Consent consent;
      consent.state = ConsentStateFromName(q->getColumn(1).getString()).value_or(ConsentState::kUnknown);
      consent.at = FromUnixMillis(q->getColumn(2).getInt64());
      consent.source = q->getColumn(3).getString();
      contact.consent[q->getColumn(0).getString()] = std::move(consent);
    }
  }
  return contact;
}

void ContactBook::WriteChannelOrderLocked(int64_t id, const std::vector<std::string>& order) {
  {
    Use q(Prepared("DELETE FROM contact_channels WHERE contact_id = ?"));
    q->bind(1, id);
    q->exec();
  }
  for (size_t i = 0; i < order.size(); ++i) {
    Use q(Prepared("INSERT INTO contact_channels (contact_id, position, channel_id) VALUES (?, ?, ?)"));
    q->bind(1, id);
    q->bind(2, static_cast<int64_t>(i));
    q->bind(3, order[i]);
    q->exec();
  }
}

void ContactBook::WriteConsentLocked(int64_t id, const std::string& channel, const Consent& consent,
                                     std::string_view actor) {
  {
    Use q(Prepared(
        "INSERT OR REPLACE INTO contact_consent (contact_id, channel_id, state, at_ms, source) VALUES (?, ?, ?, ?, ?)"));
    BindConsentColumns(*q, id, channel, consent);
    q->exec();
  }
  Use q(Prepared(
      "INSERT INTO consent_history (contact_id, channel_id, state, at_ms, source, actor, recorded_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  BindConsentColumns(*q, id, channel, consent);
  q->bind(6, std::string(actor));
  q->bind(7, ToUnixMillis(clock_->Now()));
  q->exec();
}

int64_t ContactBook::InsertLocked(const Contact& contact) {
  const int64_t now = ToUnixMillis(clock_->Now());
  Use q(Prepared(
      "INSERT INTO contacts (name, lang, phone, email, telegram, instagram, messenger, x_handle, timezone, "
      "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindContactColumns(*q, contact);
  q->bind(10, now);
  q->bind(11, now);
  q->exec();
  return db_.getLastInsertRowid();
}

void ContactBook::UpdateLocked(const Contact& contact, bool channels_changed) {
  {
    Use q(Prepared(
        "UPDATE contacts SET name = ?, lang = ?, phone = ?, email = ?, telegram = ?, instagram = ?, messenger = ?, "
        "x_handle = ?, timezone = ?, updated_at_ms = ? WHERE id = ?"));
    BindContactColumns(*q, contact);
    q->bind(10, ToUnixMillis(clock_->Now()));
    q->bind(11, contact.id);
    q->exec();
  }
  if (channels_changed) WriteChannelOrderLocked(contact.id, contact.channel_order);
}

absl::StatusOr<UpsertOutcome> ContactBook::UpsertLocked(const ContactChange& change) {
  const Contact& in = change.contact;
  UpsertOutcome outcome;
  std::set<int64_t> ids;
  if (in.id != 0) ids.insert(in.id);
  for (AddressKind kind : kIdentityKinds) {
    const std::string& address = in.Address(kind);
    if (address.empty()) continue;
    if (const auto id = FindLocked(kind, address)) {
      outcome.matches.push_back({kind, address, *id});
      ids.insert(*id);
    }
  }
  if (ids.size() > 1) {
    outcome.kind = UpsertKind::kConflict;
    return outcome;
  }
  outcome.matches.clear();

  if (ids.empty()) {
    Contact created = in;
    outcome.id = InsertLocked(created);
    if (!created.channel_order.empty()) WriteChannelOrderLocked(outcome.id, created.channel_order);
    for (const auto& [channel, consent] : created.consent)
      if (consent.state != ConsentState::kUnknown) WriteConsentLocked(outcome.id, channel, consent, change.actor);
    outcome.kind = UpsertKind::kCreated;
    return outcome;
  }

  const int64_t id = *ids.begin();
  std::optional<Contact> stored = LoadLocked(id);
  if (!stored) return absl::NotFoundError(StrCat("there is no contact ", id));
  Contact merged = *stored;
  if (!in.name.empty()) merged.name = in.name;
  if (change.lang_given) merged.lang = in.lang;
  for (AddressKind kind : kIdentityKinds)
    if (!in.Address(kind).empty()) *MutableAddress(merged, kind) = in.Address(kind);
  if (!in.timezone.empty()) merged.timezone = in.timezone;
  const bool channels_changed = !in.channel_order.empty() && in.channel_order != stored->channel_order;
  if (channels_changed) merged.channel_order = in.channel_order;

  std::vector<std::pair<std::string, Consent>> consent_changes;
  for (const auto& [channel, consent] : in.consent) {
    const auto it = stored->consent.find(channel);
    const Consent* before = it == stored->consent.end() ? nullptr : &it->second;
    const bool undated = change.undated_consent.count(channel) > 0;
    if (ConsentSupersedes(consent, undated, before)) {
      consent_changes.emplace_back(channel, consent);
    } else if (before != nullptr && undated && consent.state == ConsentState::kOptedIn &&
               before->state == ConsentState::kOptedOut) {
      outcome.kept_opt_outs.push_back({channel, *before});
    }
  }

  outcome.id = id;
  if (SameFields(merged, *stored) && !channels_changed && consent_changes.empty()) {
    outcome.kind = UpsertKind::kUnchanged;
    return outcome;
  }
  UpdateLocked(merged, channels_changed);
  for (const auto& [channel, consent] : consent_changes) WriteConsentLocked(id, channel, consent, change.actor);
  outcome.kind = UpsertKind::kMerged;
  return outcome;
}

absl::StatusOr<Contact> ContactBook::Get(int64_t id) const {
  std::lock_guard lock(mu_);
  std::optional<Contact> contact;
  FARO_RETURN_IF_ERROR(store::Guard("cannot read a contact", [&] { contact = LoadLocked(id); }));
  if (!contact) return absl::NotFoundError(StrCat("there is no contact ", id));
  return *std::move(contact);
}

absl::StatusOr<std::optional<int64_t>> ContactBook::FindByAddress(AddressKind kind, std::string_view address) const {
  std::string key(Trim(address));
  if (kind == AddressKind::kX && !key.empty() && key.front() == '@') key.erase(0, 1);
  if (kind == AddressKind::kEmail) {
    const size_t at = key.rfind('@');
    if (at != std::string::npos) key = StrCat(key.substr(0, at), ToLower(key.substr(at)));
  }
  std::lock_guard lock(mu_);
  std::optional<int64_t> id;
  FARO_RETURN_IF_ERROR(store::Guard("cannot look up a contact", [&] { id = FindLocked(kind, key); }));
  return id;
}

absl::StatusOr<std::vector<Contact>> ContactBook::List(const ListQuery& query) const {
  static const std::string kSql =
      StrCat("SELECT ", kContactColumns, " FROM contacts WHERE ", kTextFilter, " ORDER BY id LIMIT ?3 OFFSET ?4");
  std::lock_guard lock(mu_);
  std::vector<Contact> contacts;
  FARO_RETURN_IF_ERROR(store::Guard("cannot list contacts", [&] {
    std::vector<int64_t> ids;
    {
      Use q(Prepared(kSql.c_str()));
      const std::string text(Trim(query.text));
      q->bind(1, text);
      q->bind(2, LikePattern(text));
      q->bind(3, std::max(query.limit, 0));
      q->bind(4, std::max(query.offset, 0));
      while (q->executeStep()) ids.push_back(q->getColumn(0).getInt64());
    }
    for (int64_t id : ids)
      if (auto contact = LoadLocked(id)) contacts.push_back(*std::move(contact));
  }));
  return contacts;
}

absl::StatusOr<int64_t> ContactBook::Count(std::string_view text) const {
  static const std::string kSql = StrCat("SELECT COUNT(*) FROM contacts WHERE ", kTextFilter);
  std::lock_guard lock(mu_);
  int64_t count = 0;
  FARO_RETURN_IF_ERROR(store::Guard("cannot count contacts", [&] {
    Use q(Prepared(kSql.c_str()));
    const std::string trimmed(Trim(text));
    q->bind(1, trimmed);
    q->bind(2, LikePattern(trimmed));
    if (q->executeStep()) count = q->getColumn(0).getInt64();
  }));
  return count;
}

absl::StatusOr<std::vector<UpsertOutcome>> ContactBook::UpsertAll(const std::vector<ContactChange>& changes,
                                                                  bool commit) {
  std::lock_guard lock(mu_);
  std::vector<UpsertOutcome> outcomes;
  outcomes.reserve(changes.size());
  absl::Status failed;
  FARO_RETURN_IF_ERROR(store::Guard("cannot save contacts", [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    bool conflict = false;
    for (const ContactChange& change : changes) {
      absl::StatusOr<UpsertOutcome> outcome = UpsertLocked(change);
      if (!outcome.ok()) {
        failed = outcome.status();
        return;  // rolled back
      }
      conflict = conflict || outcome->kind == UpsertKind::kConflict;
      outcomes.push_back(*std::move(outcome));
    }
    if (commit && !conflict) tx.commit();
  }));
  FARO_RETURN_IF_ERROR(failed);
  return outcomes;
}

absl::StatusOr<UpsertOutcome> ContactBook::Upsert(const Contact& contact, std::string_view actor) {
  ContactChange change;
  change.contact = contact;
  change.actor = std::string(actor);
  FARO_ASSIGN_OR_RETURN(std::vector<UpsertOutcome> outcomes, UpsertAll({change}, true));
  if (outcomes.front().kind == UpsertKind::kConflict)
    return absl::FailedPreconditionError(DescribeConflict(outcomes.front(), Lang::kEn));
  return std::move(outcomes.front());
}

absl::Status ContactBook::SetConsent(int64_t id, const std::string& channel_id, const Consent& consent,
                                     std::string_view actor) {
  if (Trim(channel_id).empty()) return absl::InvalidArgumentError("consent needs a channel id");
  std::lock_guard lock(mu_);
  bool found = false;
  FARO_RETURN_IF_ERROR(store::Guard("cannot record consent", [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    {
      Use q(Prepared("SELECT 1 FROM contacts WHERE id = ?"));
      q->bind(1, id);
      found = q->executeStep();
    }
    if (!found) return;
    WriteConsentLocked(id, channel_id, consent, actor);
    tx.commit();
  }));
  if (!found) return absl::NotFoundError(StrCat("there is no contact ", id));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ContactBook::RecordOptOut(AddressKind kind, std::string_view address,
                                                  const std::string& channel_id, std::string_view source,
                                                  TimePoint at) {
  std::string key(Trim(address));
  if (kind == AddressKind::kX && !key.empty() && key.front() == '@') key.erase(0, 1);
  if (FindSql(kind) == nullptr || key.empty())
    return absl::InvalidArgumentError(
        StrCat("an opt-out needs an address (", AddressKindName(kind), " \"", key, "\")"));
  if (Trim(channel_id).empty()) return absl::InvalidArgumentError("an opt-out needs a channel id");
  std::lock_guard lock(mu_);
  int64_t id = 0;
  FARO_RETURN_IF_ERROR(store::Guard("cannot record an opt-out", [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    std::optional<Contact> contact;
    if (const auto found = FindLocked(kind, key)) {
      id = *found;
      contact = LoadLocked(id);
    } else {
      Contact fresh;
      *MutableAddress(fresh, kind) = key;
      id = InsertLocked(fresh);
      fresh.id = id;
      contact = fresh;
    }
    Consent opt_out{ConsentState::kOptedOut, at, std::string(source)};
    const auto it = contact->consent.find(channel_id);
    const bool keep = it != contact->consent.end() &&
                      (it->second.state == ConsentState::kOptedOut || it->second.at > at);
    if (!keep) WriteConsentLocked(id, channel_id, opt_out, "provider");
    tx.commit();
  }));
  return id;
}

absl::StatusOr<std::vector<ConsentRecord>> ContactBook::ConsentHistory(int64_t id) const {
  std::lock_guard lock(mu_);
  std::vector<ConsentRecord> records;
  FARO_RETURN_IF_ERROR(store::Guard("cannot read the consent history", [&] {
    Use q(Prepared(
        "SELECT channel_id, state, at_ms, source, actor, recorded_at_ms FROM consent_history "
        "WHERE contact_id = ? ORDER BY id"));
    q->bind(1, id);
    while (q->executeStep()) {
      ConsentRecord r;
      r.channel = q->getColumn(0).getString();
      r.consent.state = ConsentStateFromName(q->getColumn(1).getString()).value_or(ConsentState::kUnknown);
      r.consent.at = FromUnixMillis(q->getColumn(2).getInt64());
      r.consent.source = q->getColumn(3).getString();
      r.actor = q->getColumn(4).getString();
      r.recorded_at = FromUnixMillis(q->getColumn(5).getInt64());
      records.push_back(std::move(r));
    }
  }));
  return records;
}

}  // namespace faro::contacts
