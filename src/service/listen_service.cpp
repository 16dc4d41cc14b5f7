#include "service/listen_service.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "crisis/crisis_card.hpp"
#include "listen/rules_file.hpp"
#include "service/watch_service.hpp"
#include "store/sqlite.hpp"

namespace faro::service {
namespace {

constexpr std::size_t kKeptMinutes = 24 * 60;  // per rule, for the dashboard's charts
constexpr std::size_t kListedRejections = 100;

TimePoint MinuteStart(int64_t minute) { return FromUnixMillis(minute * 60000); }

}  // namespace

absl::StatusOr<std::unique_ptr<ListenService>> ListenService::Open(setup::App& app, WatchService* watch) {
  const setup::FaroConfig& c = app.config();
  if (!c.listen.enabled) return absl::FailedPreconditionError("the configuration has no listen: section");
  std::unique_ptr<ListenService> s(new ListenService(app, watch));
  auto rules = LoadRulesFile(c.listen.rules_file);
  if (!rules.ok()) return absl::InvalidArgumentError(StrCat("listen.rules: ", Message(rules.status())));
  s->rules_ = *rules;
  FARO_ASSIGN_OR_RETURN(s->db_, store::Open(c.database, c.durability));
  FARO_ASSIGN_OR_RETURN(s->events_, history::EventStore::Open(*s->db_));
  PipelineOptions po;
  po.score_unmatched = false;  // only mentions of a rule are counted, charted and judged
  s->pipeline_ = std::make_unique<ListenPipeline>(s->rules_, po);
  crisis::CrisisOptions co;
  co.lateness = po.lateness;  // a minute without mentions is a zero only once the pipeline closed it
  s->crises_ = std::make_unique<crisis::CrisisWatch>(s->rules_, co);
  s->chatter_ = std::make_unique<crisis::OutageChatter>(*s->rules_);
  s->series_.resize(s->rules_->rules().size());
  ListenService* self = s.get();
  s->pipeline_->OnMinute([self](const RuleMinute& m) { self->OnMinute(m); });
  s->crises_->OnEvent([self](const Event& e) { self->pending_.push_back(e); });
  // Outage chatter about a platform the watch follows is one of its signals.
  s->chatter_->OnSignal([self](const crisis::ChatterSignal& c) {
    if (c.surge) ++self->stats_.chatter_surges;
    if (self->watch_ != nullptr)
      self->watch_->Chatter(watch::ChatterReading{c.platform, c.at, c.mentions, c.usual, c.surge});
  });
  return s;
}

ListenService::~ListenService() = default;

void ListenService::OnMinute(const RuleMinute& minute) {
  if (minute.rule >= 0 && static_cast<std::size_t>(minute.rule) < series_.size()) {
    auto& kept = series_[minute.rule];
    kept.push_back(minute);
    while (kept.size() > kKeptMinutes) kept.pop_front();
  }
  crises_->OnMinute(minute);
  if (on_minute_ && minute.rule >= 0 && static_cast<std::size_t>(minute.rule) < rules_->rules().size()) {
    const RuleInfo& info = rules_->rules()[minute.rule];
    if (info.kind == RuleDef::Kind::kBrand)
      on_minute_(StrCat("brand:", info.brand.empty() ? info.id : info.brand), minute);
    else
      on_minute_(StrCat("topic:", info.id), minute);
  }
}

nlohmann::json ListenService::AcceptBatch(std::string_view json_lines, Lang lang) {
  nlohmann::json rejected = nlohmann::json::array();
  std::vector<Event> events;
  int64_t accepted = 0, rejected_total = 0;
  {
    std::lock_guard lock(mutex_);
    MemoryByteSource source(json_lines);
    MentionReader reader(source);
    reader.OnReject([&](const Rejection& r) {
      ++rejected_total;
      ++stats_.rejected[static_cast<std::size_t>(r.reason)];
      if (rejected.size() < kListedRejections)
        rejected.push_back({{"line", r.line},
                            {"reason", RejectReasonCode(r.reason)},
                            {"detail", StrCat(RejectReasonText(r.reason, lang),
                                              r.detail.empty() ? "" : StrCat(": ", std::string(r.detail)))}});
    });
    MentionBatch batch;
    while (reader.NextBatch(batch, kBatchMentions)) {
      pipeline_->ProcessBatch(batch.mentions(), [&](const Mention& m, const Annotation& a) {
        crises_->OnMention(m, a);
        chatter_->Observe(m, a);
        ++accepted;
      });
    }
    stats_.mentions += accepted;
    ++stats_.batches;
    events.swap(pending_);
  }
  // Stored before anyone acts on them, in the same log as the watch's events.
  if (!events.empty()) {
    if (absl::Status st = events_->AppendAll(events); !st.ok()) {
      std::lock_guard lock(mutex_);
      pending_.insert(pending_.begin(), events.begin(), events.end());  // tried again next batch
      events.clear();
    }
  }
  {
    std::lock_guard lock(mutex_);
    stats_.events += static_cast<int64_t>(events.size());
  }
  if (on_event_)
    for (const Event& e : events) on_event_(e);
  nlohmann::json stored = nlohmann::json::array();
  for (const Event& e : events) stored.push_back(EventToJson(e));
  return {{"accepted", accepted}, {"rejected_total", rejected_total}, {"rejected", rejected}, {"events", stored}};
}

absl::StatusOr<nlohmann::json> ListenService::ListeningJson(const std::map<std::string, std::string>& query, Lang lang) {
  int window = 360;
  if (auto it = query.find("minutes"); it != query.end() && !it->second.empty()) {
    char* end = nullptr;
    const long v = std::strtol(it->second.c_str(), &end, 10);
    if (*end != '\0' || v < 1 || v > static_cast<long>(kKeptMinutes))
      return absl::InvalidArgumentError(StrCat("minutes: expected a whole number from 1 to ", kKeptMinutes));
    window = static_cast<int>(v);
  }
  std::lock_guard lock(mutex_);
  nlohmann::json out = {{"generated_at", Rfc3339(app_.clock().Now())}, {"mentions", stats_.mentions}};
  int64_t newest = INT64_MIN;
  for (const auto& kept : series_)
    if (!kept.empty()) newest = std::max(newest, kept.back().minute);
  nlohmann::json rules = nlohmann::json::array();
  const auto& infos = rules_->rules();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const RuleInfo& info = infos[i];
    const RuleSummary& total = pipeline_->summaries()[i];
    nlohmann::json minutes = nlohmann::json::array();
    for (const RuleMinute& m : series_[i]) {
      if (newest != INT64_MIN && m.minute <= newest - window) continue;
      minutes.push_back({{"at", Rfc3339(MinuteStart(m.minute))}, {"mentions", m.mentions}, {"negative", m.negative},
                         {"neutral", m.neutral}, {"positive", m.positive}, {"unknown", m.unknown},
                         {"reach", m.reach}});
    }
    rules.push_back({{"id", info.id},
                     {"name", info.name},
                     {"kind", info.kind == RuleDef::Kind::kBrand ? "brand" : "topic"},
                     {"brand", info.brand},
                     {"platform", info.platform},
                     {"totals",
                      {{"mentions", total.mentions}, {"negative", total.negative}, {"neutral", total.neutral},
                       {"positive", total.positive}, {"unknown", total.unknown}, {"reach", total.reach}}},
                     {"minutes", minutes}});
  }
  out["rules"] = rules;
  nlohmann::json crises = nlohmann::json::array();
  for (const crisis::Crisis& c : crises_->Crises()) {
    nlohmann::json card = crisis::CrisisCardJson(c);
    card["text"] = crisis::CrisisCardText(c, lang);
    crises.push_back(std::move(card));
  }
  out["crises"] = crises;
  return out;
}

ListenStats ListenService::Stats() {
  std::lock_guard lock(mutex_);
  ListenStats s = stats_;
  s.crises_open = 0;
  for (const crisis::Crisis& c : crises_->Crises())
    if (c.open) ++s.crises_open;
  return s;
}

}  // namespace faro::service
