#pragma once
// Crisis detection for every brand and topic of a rules file: per rule, a mention-volume
// detector and a negative-share detector (src/spike) on one-minute buckets; a suspected crisis
// opens when either reports and the last 3 minutes confirm it, is updated while it lasts, and is over
// once volume and negative share have been near their usual levels for `calm_for`. Each
// change is an Event (docs/events.md: crisis-suspected, crisis-updated, crisis-over) whose
// evidence is the crisis card (docs/listening.md, "Crisis cards").
//
// Pure and deterministic: time comes from the mentions; nothing is read or written here.
// Memory is constant per rule (bounded mention memory, term sketch, crisis tallies).
//
// Feeding it, for each mention in input order:
//   pipeline.OnMinute([&](const RuleMinute& m) { watch.OnMinute(m); });   // once
//   const Annotation& a = pipeline.Process(mention);
//   watch.OnMention(mention, a);
// and after the input: pipeline.Finish(); watch.Finish();
//
// Minutes without mentions. The pipeline hands over only minutes that had mentions. While
// the input is alive (mentions of any rule keep coming), a minute in which a rule had none is
// a 0 for that rule: the watch fills those zeros itself, up to the minutes the pipeline has
// closed (the newest mention's minute less `lateness`, which must equal the pipeline's). A
// stretch longer than the volume detector's `max_gap` with no mention at all, for any rule,
// is a gap in the input (a collector that stopped), not silence: it is not filled, and the
// detectors see the jump and forget their ongoing evidence.
//
// Rules of kind topic with a `platform` (outage chatter) are not watched here: OutageChatter
// reads them.
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/status.hpp"
#include "crisis/crisis.hpp"
#include "crisis/distinguishing_terms.hpp"
#include "crisis/mention_memory.hpp"
#include "crisis/sketch.hpp"
#include "listen/pipeline.hpp"
#include "listen/rules.hpp"
#include "listen/top_counts.hpp"
#include "spike/negative_share_detector.hpp"
#include "spike/volume_detector.hpp"

namespace faro::crisis {

struct CrisisOptions {
  CrisisOptions();
  // One-minute buckets; falls in volume are not a crisis (watch_drops off); hold_off one hour
  // (the watch keeps its own crisis state, so the detector need only stay quiet within one
  // episode, and a second wave the same day is still seen); no records (a crisis needs
  // evidence, see the constructor).
  spike::VolumeParams volume;
  spike::NegativeShareParams negative;
  // A suspected crisis opens when either detector's score reaches its threshold. The volume
  // detector reports once per episode, when its CUSUM evidence e first reaches its
  // min_evidence (4), with score e / (e + 8) >= 1/3: any such report opens a crisis. The
  // negative-share score is z / (z + 6); 0.4 means z >= 4 (its own minimum is 4.5, so any
  // report does too, unless its parameters are changed).
  double volume_open_score = 0.3;
  double negative_open_score = 0.4;
  // A report opens a crisis only if the last 3 minutes confirm it (see calm_* below: they are
  // not calm), within pending_for of the report while the detector's evidence lasts; a volume
  // spike also needs at least min_per_minute mentions a minute (3-minute mean).
  std::chrono::minutes pending_for{15};
  double min_per_minute = 3.0;
  std::chrono::minutes lateness{5};  // the pipeline's PipelineOptions::lateness
  // Over when, for this long, every minute is calm: the 3-minute mean volume is at most
  // usual x calm_volume_ratio + calm_volume_slack, and the 3-minute negative share at most
  // usual + calm_negative_lift (with two standard deviations of binomial noise of slack).
  std::chrono::minutes calm_for{30};
  double calm_volume_ratio = 1.5;
  double calm_volume_slack = 2.0;
  double calm_negative_lift = 0.10;
  // "crisis-updated" only on a material change: the kind grows to both, mentions per minute
  // reach update_factor x the last announced figure, or the negative share rises by
  // update_negative_lift over the last announced one.
  double update_factor = 2.0;
  double update_negative_lift = 0.20;
  // How far back the start of a spike is looked for.
  std::chrono::minutes onset_lookback{30};
  // Mention memory per rule (origin analysis).
  std::size_t memory_mentions = 2048;
  std::chrono::minutes memory_age{120};
  // Usual vocabulary per rule.
  std::size_t usual_terms = 512;
  std::chrono::hours usual_terms_half_life{72};
  std::size_t earliest_posts = 5, amplified_posts = 5;
  DistinguishingOptions terms;
  // Crises over and kept for reports (the oldest are forgotten).
  std::size_t history = 32;
  // Each brand's own handles, by brand rule id, without '@' (for "a reply to your account").
  // Handles written as @keywords of the brand rule are added on their own.
  std::vector<std::pair<std::string, std::string>> brand_handles;
};

class CrisisWatch {
 public:
  // Without rules (null) nothing is watched.
  CrisisWatch(std::shared_ptr<const RuleSet> rules, CrisisOptions options = {});
  ~CrisisWatch();
  CrisisWatch(const CrisisWatch&) = delete;
  CrisisWatch& operator=(const CrisisWatch&) = delete;

  // Events as they happen (crisis-suspected, crisis-updated, crisis-over), in time order.
  void OnEvent(std::function<void(const Event&)> sink) { sink_ = std::move(sink); }

  // A closed minute of one rule (ListenPipeline::OnMinute).
  void OnMinute(const RuleMinute& minute);
  // A processed mention and what the pipeline learnt about it, after Process().
  void OnMention(const Mention& mention, const Annotation& annotation);
  // After the input and the pipeline's Finish(): brings every rule to the last minute.
  void Finish();

  // Open crises first (by number), then the last crises over (by number).
  std::vector<Crisis> Crises() const;
  int64_t events() const { return events_; }
  // Minutes that came after the rule had been filled past them (a late mention after an
  // input gap); they are left out of the detectors.
  int64_t late_minutes() const { return late_minutes_; }
  // The first error from a detector (bad parameters); ok otherwise.
  const absl::Status& status() const { return status_; }

  // What one rule holds in memory (for tests and metrics): remembered mentions, usual terms.
  struct MemoryUse {
    std::size_t mentions = 0, usual_terms = 0;
  };
  MemoryUse memory_use(int rule) const;

 private:
  struct RuleState;
  struct Tally;
  struct BrandReply {
    std::string author, replied;  // lower case, without '@'
    TimePoint at;
  };
  static constexpr std::size_t kBrandReplies = 256;
  void Observe(RuleState& rule, int64_t minute, const RuleMinute& figures);
  void FillTo(RuleState& rule, int64_t before_minute);  // zeros for minutes < before_minute
  struct Busy {
    bool volume = false, negative = false;  // the last 3 minutes are not calm
    double per_minute = 0;
  };
  Busy BusyNow(const RuleState& rule, int64_t minute) const;
  void Open(RuleState& rule, int64_t minute, CrisisKind kind, double volume_score, double negative_score);
  void Refresh(RuleState& rule, int64_t minute);  // magnitude and origin from the tally
  void Emit(const RuleState& rule, const Crisis& crisis, std::string kind, TimePoint at);
  void AddToTally(RuleState& rule, const RecentMention& m);

  std::shared_ptr<const RuleSet> rules_;
  CrisisOptions options_;
  std::vector<std::unique_ptr<RuleState>> states_;  // per rule index; null when not watched
  std::function<void(const Event&)> sink_;
  std::deque<Crisis> history_;
  std::vector<std::string> all_handles_;  // every brand's handles
  std::deque<BrandReply> brand_replies_;  // recent replies by brands (bounded)
  int64_t newest_minute_ = INT64_MIN;
  int64_t frontier_ = INT64_MIN;  // every rule is filled up to (not including) this minute
  int64_t crises_ = 0, events_ = 0, late_minutes_ = 0, seq_ = 0;
  std::string terms_scratch_;
  std::vector<TermKey> term_keys_;  // where each of terms_scratch_'s terms is, and its hash
  absl::Status status_;
};

}  // namespace faro::crisis
