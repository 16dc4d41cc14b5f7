#include "store/sqlite.hpp"

#include "core/strings.hpp"

namespace faro::store {

absl::StatusOr<std::unique_ptr<SQLite::Database>> Open(const std::string& path, Durability durability) {
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                           SQLite::OPEN_FULLMUTEX);
    db->setBusyTimeout(10000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(durability == Durability::kPowerLoss ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    db->exec("PRAGMA temp_store=MEMORY");
    // After a checkpoint the WAL is truncated back to 64 MB: a busy watch otherwise leaves a
    // write-ahead log many times the size of the database itself.
    db->exec("PRAGMA journal_size_limit=67108864");
    db->exec("CREATE TABLE IF NOT EXISTS faro_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
    return db;
  } catch (const SQLite::Exception& e) {
    return absl::FailedPreconditionError(StrCat("cannot open the database ", path, ": ", e.what()));
  }
}

absl::Status EnsureSchema(SQLite::Database& db, std::string_view component, int version, std::string_view schema) {
  try {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement get(db, "SELECT version FROM faro_schema WHERE component = ?");
    get.bind(1, std::string(component));
    int current = 0;
    if (get.executeStep()) current = get.getColumn(0).getInt();
    if (current > version)
      return absl::FailedPreconditionError(
          StrCat("the database's ", component, " tables are version ", current, ", newer than this faro knows (",
                 version, "); use a newer faro"));
    if (current < version) {
      db.exec(std::string(schema));
      SQLite::Statement put(db, "INSERT OR REPLACE INTO faro_schema (component, version) VALUES (?, ?)");
      put.bind(1, std::string(component));
      put.bind(2, version);
      put.exec();
    }
    tx.commit();
    return absl::OkStatus();
  } catch (const SQLite::Exception& e) {
    return absl::InternalError(StrCat("cannot prepare the ", component, " tables: ", e.what()));
  }
}

}  // namespace faro::store
