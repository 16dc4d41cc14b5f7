#pragma once
// The contact book: customers, their identities, preferred channels and consent, in Faro's
// SQLite store. Every identity (phone, email, Telegram chat, Instagram and Messenger ids, X
// handle) belongs to at most one contact, so a provider's STOP or an inbound message finds
// exactly one person. Consent changes are kept in a history table (who, when, how): consent
// records matter legally and are never rewritten.
//
// Thread-safe: one mutex serialises the book's statements and transactions, on top of the
// connection's own serialisation (the store opens it FULLMUTEX).
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "contacts/contact.hpp"
#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::contacts {

struct ListQuery {
  int limit = 50;
  int offset = 0;
  // Case-insensitive (ASCII) piece of the name, phone, email, or any handle; empty: everyone.
  std::string text;
};

// One identity of an incoming contact that is already someone's.
struct IdentityMatch {
  channels::AddressKind kind = channels::AddressKind::kNone;
  std::string address;
  int64_t contact_id = 0;
};

enum class UpsertKind { kCreated, kMerged, kUnchanged, kConflict };

// A stored opt-out that an incoming undated opt-in did not replace.
struct KeptOptOut {
  std::string channel;
  Consent stored;
};

struct UpsertOutcome {
  UpsertKind kind = UpsertKind::kUnchanged;
  int64_t id = 0;  // the contact created, merged into or found unchanged (0 on conflict)
  // kConflict: the identities that belong to different existing contacts. Faro never merges
  // two people on its own: a person must decide.
  std::vector<IdentityMatch> matches;
  // Opt-outs kept on purpose, for the report.
  std::vector<KeptOptOut> kept_opt_outs;
};

// One person to create, or to merge into the contact that has one of its identities.
//
// Merge rules (the incoming data is the newer): a non-empty name, identity, timezone or
// channel order replaces the stored one; the language replaces it when `lang_given`. Consent
// per channel replaces the stored record only when it is newer (later `at`) and says something
// different (state or source); an opt-in whose channel is in `undated_consent` (the source gave
// no date, so `at` is just the time of the import) never replaces an opt-out.
struct ContactChange {
  Contact contact;  // id 0: found by its identities; otherwise that contact (must exist)
  bool lang_given = true;
  std::set<std::string> undated_consent;
  std::string actor;  // who made the change, kept in the consent history ("import clients.csv")
};

// Whether `incoming` replaces `stored` (null: nothing stored) under the rules above. The same
// rule picks between two rows of one import file for the same person.
bool ConsentSupersedes(const Consent& incoming, bool incoming_undated, const Consent* stored);

// One line of a contact's consent history.
struct ConsentRecord {
  std::string channel;
  Consent consent;
  TimePoint recorded_at;  // when Faro recorded it (consent.at is when the person gave or withdrew it)
  std::string actor;
};

class ContactBook {
 public:
  // Creates the tables on first use (component "contacts"). `clock` stamps the history; null:
  // the system clock. The database must outlive the book.
  static absl::StatusOr<std::unique_ptr<ContactBook>> Open(SQLite::Database& db, const Clock* clock = nullptr);

  // NotFound when there is no contact `id`.
  absl::StatusOr<Contact> Get(int64_t id) const;

  // The contact with this identity. `address` as stored: E.164 phones, emails (case ignored),
  // chat and scoped ids, X handles (with or without '@', case ignored).
  absl::StatusOr<std::optional<int64_t>> FindByAddress(channels::AddressKind kind, std::string_view address) const;

  // Contacts ordered by id.
  absl::StatusOr<std::vector<Contact>> List(const ListQuery& query) const;
  absl::StatusOr<int64_t> Count(std::string_view text = {}) const;

  // Creates or merges one contact (rules at ContactChange, language always given). A contact
  // whose identities belong to two different people is refused (FailedPrecondition naming both
  // ids) and nothing is written.
  absl::StatusOr<UpsertOutcome> Upsert(const Contact& contact, std::string_view actor = "");

  // Creates or merges many contacts in one transaction: all or nothing. Each change gets an
  // outcome in order; when any is kConflict, or `commit` is false (a dry run), nothing is
  // written, and the outcomes say what would have happened. Changes are applied in order, so
  // two changes for the same person merge into one contact.
  absl::StatusOr<std::vector<UpsertOutcome>> UpsertAll(const std::vector<ContactChange>& changes, bool commit);

  // Records `consent` for `channel_id` as given, whatever was stored (an operator's decision or
  // a person's explicit request), with a line in the history.
  absl::Status SetConsent(int64_t id, const std::string& channel_id, const Consent& consent,
                          std::string_view actor = "");

  // A provider says the person at `address` opted out of `channel_id` (STOP, 21610,
  // unsubscribe). Suppresses that channel for them and returns their id. An address no contact
  // has gets a contact of its own, so a later import of it keeps the opt-out. A stored consent
  // later than `at` (the person opted in again after this STOP) is kept.
  absl::StatusOr<int64_t> RecordOptOut(channels::AddressKind kind, std::string_view address,
                                       const std::string& channel_id, std::string_view source, TimePoint at);

  // The consent history of a contact, oldest first.
  absl::StatusOr<std::vector<ConsentRecord>> ConsentHistory(int64_t id) const;

  ContactBook(const ContactBook&) = delete;
  ContactBook& operator=(const ContactBook&) = delete;

 private:
  ContactBook(SQLite::Database& db, const Clock* clock) : db_(db), clock_(clock) {}

  // All below run with mu_ held and throw SQLite::Exception.
  SQLite::Statement& Prepared(const char* sql) const;
  std::optional<int64_t> FindLocked(channels::AddressKind kind, const std::string& address) const;
  std::optional<Contact> LoadLocked(int64_t id) const;
  absl::StatusOr<UpsertOutcome> UpsertLocked(const ContactChange& change);
  int64_t InsertLocked(const Contact& contact);
  void UpdateLocked(const Contact& contact, bool channels_changed);
  void WriteChannelOrderLocked(int64_t id, const std::vector<std::string>& order);
  void WriteConsentLocked(int64_t id, const std::string& channel, const Consent& consent, std::string_view actor);

  SQLite::Database& db_;
  const Clock* clock_;
  mutable std::mutex mu_;
  // Prepared statements by SQL text, reused: an import of 100,000 rows runs each many times.
  mutable std::map<std::string_view, std::unique_ptr<SQLite::Statement>> statements_;
};

// The words reports use: "created", "merged", "unchanged", "conflict".
std::string_view UpsertKindName(UpsertKind kind);

// A conflict outcome in words: "the phone +54… is contact 12's and the email ana@… is contact
// 40's: Faro does not merge two people; …".
std::string DescribeConflict(const UpsertOutcome& outcome, Lang lang);

// A time as people read it in reports: "2026-03-01" at midnight UTC, else "2026-03-01T14:05:00Z".
std::string FormatConsentTime(TimePoint at);

}  // namespace faro::contacts
