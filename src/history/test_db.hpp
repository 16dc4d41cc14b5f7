#pragma once
// A fresh database file in WAL mode for one test, removed afterwards.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite.hpp"

namespace faro::history {

class TestDatabase {
 public:
  explicit TestDatabase(const std::string& name,
                        store::Durability durability = store::Durability::kProcessCrash) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            (name + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".db");
    Remove();
    auto db = store::Open(path_.string(), durability);
    if (db.ok()) db_ = std::move(*db);
  }
  ~TestDatabase() {
    db_.reset();
    Remove();
  }
  SQLite::Database& db() { return *db_; }
  bool ok() const { return db_ != nullptr; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void Remove() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix, ec);
  }
  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace faro::history
