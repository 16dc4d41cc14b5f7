#pragma once
// Outage chatter: people saying a platform is down ("whatsapp caído", "instagram down"),
// counted per platform and minute from the rules of kind topic that name a `platform`, and
// turned into a chatter signal per platform per minute, which the watch takes like its
// customers' crowd reports. Pure and deterministic: time comes from the mentions.
//
// Why not the volume detector: it is built to be sure (a CUSUM over log counts with a day of
// warm-up, habituation and a long hold-off), so on a near-silent series it waits for several
// minutes of evidence, and it says nothing during its first day. Outage chatter is the
// opposite case: usually near zero, and when a platform falls people write within a minute or
// two; the watch confirms with its own probes, so a quick hint is worth more than certainty.
// ChatterDetector therefore compares the last two minutes with the usual count for this
// time of day (a Poisson margin, a ratio and a minimum), starts at once (a quiet platform's
// usual is near zero from the first minute), and ends a surge after `calm_for` calm minutes.
// Reaction time on a synthetic series: see outage_chatter_test.cpp (SurgeWithinThreeMinutesAndNoLaterThanTheVolumeDetector)
// and docs/listening.md, "Outage chatter".
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "listen/pipeline.hpp"
#include "listen/rules.hpp"

namespace faro::crisis {

// One platform, one minute.
struct ChatterSignal {
  std::string platform;  // "whatsapp", as the rule's `platform`
  TimePoint at;          // start of the minute
  int64_t mentions = 0;  // mentions of the platform's outage topics in that minute
  double usual = 0;      // what is usual for this time of day, per minute
  bool surge = false;    // people are saying it is down, far more than usual
};

struct ChatterOptions {
  // A surge starts when the last two minutes hold at least min_mentions and at least
  // surge_ratio x usual + surge_sigmas x sqrt(usual) (usual and its Poisson deviation for two
  // minutes); it ends after calm_for minutes at most 2 x usual + 2 sqrt(usual) + 1 each.
  int64_t min_mentions = 5;
  double surge_ratio = 4.0;
  double surge_sigmas = 3.0;
  std::chrono::minutes calm_for{10};
  // Time-of-day baseline: one mean per slot, learned as a running mean over the first days
  // and then with a memory of memory_days; before a slot is known, the overall mean.
  std::chrono::minutes slot{30};
  double memory_days = 7.0;
  double min_usual = 0.05;
  // A minute closes (and its signal goes out) once a mention this long after its end has been
  // read; mentions of a closed minute that arrive later are counted as late, not in a minute.
  std::chrono::seconds lateness{20};
  // No mention at all for longer than this is a gap in the input, not silence.
  std::chrono::seconds max_gap = std::chrono::hours(6);
};

// The rule for one platform, fed one count per minute in time order.
class ChatterDetector {
 public:
  explicit ChatterDetector(ChatterOptions options = {});
  // `minute_start` on a minute boundary, after the previous one. A jump longer than max_gap
  // ends any surge and forgets the previous minute.
  ChatterSignal Observe(TimePoint minute_start, int64_t mentions);
  bool surging() const { return surge_; }

 private:
  double Usual(int slot) const;
  ChatterOptions options_;
  int slots_ = 48;
  std::vector<double> slot_mean_;
  std::vector<int32_t> slot_visits_;
  double level_ = 0;
  int64_t level_visits_ = 0;
  int64_t last_minute_ = INT64_MIN;
  int64_t previous_ = 0;
  bool surge_ = false;
  int64_t calm_ = 0;
};

// Outage chatter per platform from the listening pipeline's output.
class OutageChatter {
 public:
  explicit OutageChatter(const RuleSet& rules, ChatterOptions options = {});

  void OnSignal(std::function<void(const ChatterSignal&)> sink) { sink_ = std::move(sink); }
  // A processed mention (after ListenPipeline::Process). Signals of the minutes this closes
  // go to the sink, every platform for each minute, in time order.
  void Observe(const Mention& mention, const Annotation& annotation);
  // After the input: closes every open minute.
  void Finish();

  const std::vector<std::string>& platforms() const { return platforms_; }
  int64_t late_mentions() const { return late_; }

 private:
  void CloseBefore(int64_t minute);
  ChatterOptions options_;
  std::vector<int> platform_of_rule_;  // rule index → platform index, or -1
  std::vector<std::string> platforms_;
  std::vector<ChatterDetector> detectors_;
  std::vector<std::deque<int64_t>> open_;  // per platform, counts of minutes next_.. newest_
  std::vector<int> seen_;                  // scratch: platforms counted for this mention
  int64_t next_ = INT64_MIN;               // first minute not yet closed
  int64_t newest_ = INT64_MIN;
  int64_t late_ = 0;
  std::function<void(const ChatterSignal&)> sink_;
};

}  // namespace faro::crisis
