#pragma once
// Faro's embedded store: one SQLite file in WAL mode, shared by contacts, outbox and inbox.
#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro::store {

enum class Durability {
  // A committed transaction survives a crash of the process (kill -9), not a power loss.
  kProcessCrash,
  // A committed transaction survives a power loss too: every commit waits for fsync.
  kPowerLoss,
};

// Opens (creating if needed) the database at `path` in WAL mode with a busy timeout, so
// several faro processes can share it. Errors name the file and what SQLite said.
absl::StatusOr<std::unique_ptr<SQLite::Database>> Open(const std::string& path,
                                                       Durability durability = Durability::kPowerLoss);

// Runs `schema` (idempotent CREATE ... IF NOT EXISTS statements) once per `component` and
// `version`, recording it in faro_schema. A newer version on disk than this binary knows is
// an error: an older faro must not write to a newer database.
absl::Status EnsureSchema(SQLite::Database& db, std::string_view component, int version,
                          std::string_view schema);

// Runs `body` and converts SQLite exceptions into a Status that says what failed.
template <typename F>
absl::Status Guard(std::string_view what, F&& body) {
  try {
    body();
    return absl::OkStatus();
  } catch (const SQLite::Exception& e) {
    return absl::InternalError(std::string(what) + ": " + e.what());
  }
}

}  // namespace faro::store
