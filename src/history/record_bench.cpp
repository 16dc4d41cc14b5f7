// How many results per second History::Record stores, in batches of 1,000, in WAL mode, with
// each durability; and how long Compact takes to fold them. Usage:
//   history_record_bench [batches (default 300)] [directory for the database (default: temp)]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "history/history.hpp"
#include "store/sqlite.hpp"

namespace {

using namespace faro;
using namespace faro::history;

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Run(store::Durability durability, const char* label, int batches, const std::filesystem::path& dir) {
  const auto path = dir / ("faro_history_bench_" + std::to_string(::getpid()) + ".db");
  auto remove = [&] {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ec);
  };
  remove();
  auto db = store::Open(path.string(), durability);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", Message(db.status()).c_str()), 1;
  auto history = History::Open(**db, Retention{});
  if (!history.ok()) return std::fprintf(stderr, "%s\n", Message(history.status()).c_str()), 1;

  // 1,000 endpoints across 6 platforms, each checked every 30 s from one vantage.
  const TimePoint start = FromUnixMillis(1633305600000);
  std::vector<Result> batch(1000);
  std::chrono::steady_clock::duration recording{};
  for (int b = 0; b < batches; ++b) {
    for (int e = 0; e < 1000; ++e) {
      Result& r = batch[e];
      r.at = start + std::chrono::seconds(30 * b) + std::chrono::milliseconds(e * 29);
      r.platform = "platform" + std::to_string(e % 6);
      r.endpoint = "https://endpoint" + std::to_string(e) + ".example/path";
      r.vantage = "local";
      r.outcome = (b + e) % 50 == 0 ? Outcome::kFail : Outcome::kOk;
      r.http_status = 200;
      r.dns_ms = 1.2 + e % 7;
      r.connect_ms = 20.5 + b % 9;
      r.tls_ms = 41.0 + e % 13;
      r.first_byte_ms = 95.3 + (b * e) % 17;
      r.total_ms = 180.0 + (b + e) % 60;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (auto status = (*history)->Record(batch); !status.ok())
      return std::fprintf(stderr, "%s\n", Message(status).c_str()), 1;
    recording += std::chrono::steady_clock::now() - t0;
  }
  const double rows = 1000.0 * batches;
  const auto c0 = std::chrono::steady_clock::now();
  auto done = (*history)->Compact(start + std::chrono::seconds(30 * batches + 60));
  const double compact_s = Seconds(std::chrono::steady_clock::now() - c0);
  if (!done.ok()) return std::fprintf(stderr, "%s\n", Message(done.status()).c_str()), 1;
  std::printf("%-14s %8.0f rows in %.2f s: %8.0f rows/s (%.2f ms per batch of 1,000); Compact folded %lld rows in %.2f s (%.0f rows/s)\n",
              label, rows, Seconds(recording), rows / Seconds(recording), 1000 * Seconds(recording) / batches,
              static_cast<long long>(done->raw_rolled), compact_s, done->raw_rolled / compact_s);
  history->reset();
  db->reset();
  remove();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::atoi(argv[1]) : 300;
  const std::filesystem::path dir = argc > 2 ? argv[2] : std::filesystem::temp_directory_path();
  if (batches <= 0) return std::fprintf(stderr, "batches must be positive\n"), 2;
  if (int rc = Run(store::Durability::kProcessCrash, "process-crash", batches, dir)) return rc;
  return Run(store::Durability::kPowerLoss, "power-loss", batches, dir);
}
