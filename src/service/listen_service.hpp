#pragma once
// `faro serve`'s listening: mentions arrive in batches of JSON Lines (POST /api/v1/mentions,
// from the connectors or the business's own collectors), run through the listening pipeline
// (normalise, rules, sentiment), and feed per-minute series, the crisis watch and the outage
// chatter the watch uses. Crisis events go to the same event log as outages.
//
// Thread-safe: batches are processed one at a time, in arrival order (one pipeline).
#include <SQLiteCpp/SQLiteCpp.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "core/status.hpp"
#include "crisis/crisis_watch.hpp"
#include "crisis/outage_chatter.hpp"
#include "history/event_store.hpp"
#include "listen/mention_reader.hpp"
#include "listen/pipeline.hpp"
#include "setup/app.hpp"

namespace faro::service {

class WatchService;

struct ListenStats {
  int64_t mentions = 0;                            // accepted and processed
  std::array<int64_t, kRejectReasonCount> rejected{};  // by reason
  int64_t batches = 0;
  int64_t crises_open = 0;
  int64_t events = 0;
  int64_t chatter_surges = 0;  // platform-minutes of outage chatter surging
};

class ListenService {
 public:
  // Needs app.config().listen enabled; loads its rules file (errors name the file and line).
  // `watch` (may be null) receives the outage chatter of the platforms it watches.
  static absl::StatusOr<std::unique_ptr<ListenService>> Open(setup::App& app, WatchService* watch);
  ~ListenService();

  // One batch of JSON Lines. Each bad line is rejected with its number and reason; the others
  // are processed. The answer: {"accepted", "rejected": [{"line", "reason", "detail"}] (at most
  // 100 listed), "rejected_total", "events"}.
  nlohmann::json AcceptBatch(std::string_view json_lines, Lang lang);
  // GET /api/v1/listening: every rule with its per-minute volume and sentiment over the last
  // `minutes` (query "minutes", 1 to 1440, default 360), the open and recent crisis cards.
  absl::StatusOr<nlohmann::json> ListeningJson(const std::map<std::string, std::string>& query, Lang lang);
  ListenStats Stats();

  // Crisis events once stored, in order, and each closed minute of a brand or topic (subject
  // "brand:ID" / "topic:ID", as crisis events name it): the contingency plans take them here.
  // Set before the first batch; called while a batch is processed, so they must not block.
  void OnEvent(std::function<void(const Event&)> sink) { on_event_ = std::move(sink); }
  void OnSubjectMinute(std::function<void(const std::string& subject, const RuleMinute& minute)> sink) {
    on_minute_ = std::move(sink);
  }

 private:
  ListenService(setup::App& app, WatchService* watch) : app_(app), watch_(watch) {}
  void OnMinute(const RuleMinute& minute);

  setup::App& app_;
  WatchService* watch_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<history::EventStore> events_;
  std::mutex mutex_;
  std::shared_ptr<const RuleSet> rules_;
  std::unique_ptr<ListenPipeline> pipeline_;
  std::unique_ptr<crisis::CrisisWatch> crises_;
  std::unique_ptr<crisis::OutageChatter> chatter_;
  std::vector<std::deque<RuleMinute>> series_;  // per rule, the last kKeptMinutes closed minutes
  std::vector<Event> pending_;                  // from the detectors, stored after each batch
  ListenStats stats_;
  std::function<void(const Event&)> on_event_;
  std::function<void(const std::string&, const RuleMinute&)> on_minute_;
};

}  // namespace faro::service
