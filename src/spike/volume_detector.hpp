#pragma once
// Mention-volume spike detector for one brand or topic: fed one count per time bucket, it
// answers how surprising that bucket is, as a score in [0, 1]. Pure and deterministic: time
// comes in with each bucket, nothing is read from a clock, memory is constant per series.
//
// How it works, in order, for each bucket:
//   1. the count is moved to log space, y = log(1 + count/offset) (counts are heavy-tailed:
//      one ticker's mean is 86 mentions per 5 min and its maximum 13,479);
//   2. the expected y is level + daily[time of day] + weekday[day of week], all learned online
//      from what the detector has seen (no calendar is given to it): the level within hours,
//      each time-of-day slot over days, each weekday from whole days' means over weeks (the
//      weekly rhythm is known after two weeks; time of day and weekday are taken in UTC);
//   3. the surprise z = (y - expected) / scale, where scale tracks the mean absolute residual
//      (never below min_scale, so a silent brand's first mention is not a crisis);
//   4. one-sided CUSUMs add up z - slack (rises) and -z - slack (falls, when watched), so a
//      burst that grows over several buckets is caught before any single bucket looks
//      extreme, and a single huge bucket at once;
//   5. habituation: a brand whose bursts recur (bots, daily promotions) gets used to them; the
//      evidence is reduced by a share of the peaks of the episodes of the last days;
//   6. records: a bucket with more mentions than any of the last `record_memory` (24 days)
//      is news of its own, however habituated the detector is to bursts of its shape, and is
//      reported too, if it is also surprising on its own; a burst that only matches the
//      busiest moments of those weeks needs the evidence of step 4;
//   7. the detector debounces itself: after a report it stays quiet for a hold-off unless the
//      evidence grows by the escalation factor, so one episode is one alert. Between reports
//      the score is 0; a report's score is evidence / (evidence + score_half), a record's at
//      least record_score.
// Baselines learn from residuals clipped to a few scales, so a spike does not teach the
// detector that spikes are normal; when a rise (or fall) persists past `adapt_after`, it is
// accepted as the new normal and learning runs unclipped until it is.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::spike {

enum class CountTransform {
  kLog,       // y = log(1 + count / count_offset): relative changes, whatever the volume
  kAnscombe,  // y = 2 sqrt(count + 3/8): Poisson noise has unit variance at every volume
};

// Time constants are in time, not buckets, so they mean the same for the benchmark's 5-minute
// buckets and listening's 1-minute ones. habituation, hold_off, max_evidence, watch_drops,
// min_evidence and record_memory are the choice of a small parameter grid on all the NAB
// benchmark files present (never on labels inside the detector; bench/nab/README.md reports the
// leave-one-file-out score of that choice); the others are design constants (see the README
// for how they were set).
struct VolumeParams {
  std::chrono::seconds bucket_width{60};
  CountTransform transform = CountTransform::kLog;
  // For kLog: smaller offsets make single mentions on a quiet brand count for more.
  double count_offset = 1.0;
  // Memory of the level (the recent volume).
  std::chrono::seconds level_memory = std::chrono::hours(12);
  // Memory of each time-of-day slot (in days) and of each weekday (in weeks).
  double season_memory_days = 5.0;
  std::chrono::seconds slot_width = std::chrono::minutes(30);
  bool weekly = true;
  // Memory of the residual scale.
  std::chrono::seconds scale_memory = std::chrono::hours(24);
  // Lowest scale in log units, so a silent series does not alarm on its first mention.
  double min_scale = 0.25;
  // Judge a bucket also by the noise of counting (Poisson) at the expected volume and keep
  // the milder surprise, so a quiet brand's one or two mentions, or a quiet night's 0-or-5 a
  // minute, are not news, while busy hours are judged by the learned scale.
  bool counting_noise = true;
  // CUSUM slack, in scales: drift below this does not accumulate.
  double slack = 1.0;
  // Residuals teach the baselines clipped to +-clip scales.
  double clip = 2.5;
  // The evidence (CUSUM) that maps to score 0.5; score = e / (e + score_half).
  double score_half = 8.0;
  // Below this evidence the score is 0 (nothing worth a look): the CUSUM's decision interval.
  double min_evidence = 5.0;
  // Evidence saturates here: one enormous burst is as sure as a large one, and it must not
  // take days to drain or make the detector deaf to the next one through habituation.
  double max_evidence = 100.0;
  // After a report, stay quiet this long, unless a storm comes (evidence at escalate_at): it is
  // told, once, if the report was a small stir (evidence below escalate_at / 4) growing into
  // it, or if it is a new episode four times the peak of the one told.
  std::chrono::seconds hold_off = std::chrono::hours(24);
  double escalate_at = 40.0;
  // Habituation: a burst no larger than the swings of the last days is less news. The
  // evidence is reduced by `habituation` x the largest evidence of the episodes (rises or
  // falls) that ended within about `habituation_memory` (an exponentially fading maximum).
  double habituation = 0.6;
  std::chrono::seconds habituation_memory = std::chrono::hours(24 * 3);
  // Records: a bucket with more mentions than any bucket of the last `record_memory` (kept
  // as the maxima of kRecordSlots equal slots, so the look-back is record_memory less at most
  // one slot) is reported after the warm-up, outside the hold-off, with score
  // max(record_score, the evidence's), when it is also a surprise of at least record_min_z
  // scales on its own and has at least min_record_count mentions: so a quiet brand's first
  // mention in weeks, or the noise at the top of a steady daily rhythm, is no record. Zero
  // record_memory turns records off. record_memory is the grid's choice (see above);
  // record_score, record_min_z and min_record_count are design constants.
  std::chrono::seconds record_memory = std::chrono::hours(24 * 24);
  double record_score = 0.5;
  double min_record_count = 5.0;
  double record_min_z = 3.0;
  // Also report falls (a brand's mentions collapsing, e.g. when its platform is down). A
  // bucket adds at most max_fall_z scales of fall evidence, so only a fall that lasts is told,
  // and only where at least min_fall_count mentions per bucket are expected (a quiet hour's
  // silence is not an outage).
  bool watch_drops = true;
  double max_fall_z = 3.0;
  double min_fall_count = 5.0;
  // A rise that lasts this long is the new normal: baselines then learn unclipped.
  std::chrono::seconds adapt_after = std::chrono::hours(3);
  // No scores until this much has been seen (the level and scale need history).
  std::chrono::seconds warm_up = std::chrono::hours(24);
  // A gap longer than this forgets the ongoing evidence.
  std::chrono::seconds max_gap = std::chrono::hours(6);
};

// Checks the parameters; the message names the first bad one.
absl::Status ValidateVolumeParams(const VolumeParams& params);

class VolumeDetector {
 public:
  // `params` must pass ValidateVolumeParams (checked again here; a bad set fails every Observe).
  explicit VolumeDetector(VolumeParams params = {});

  // One bucket: its start time and its count (mentions; any finite number is taken, negative
  // values mirror the log). Buckets must come in time order; a missing bucket is a gap, not a
  // zero. Returns the anomaly score in [0, 1].
  absl::StatusOr<double> Observe(TimePoint bucket_start, double count);

  // The last bucket's internals, for explanations and tests.
  double expected_log() const { return last_expected_; }
  double scale() const { return scale_; }
  double evidence() const { return std::max(up_.cusum, down_.cusum); }
  double habituated_to() const { return std::max(up_.past_peak, down_.past_peak); }
  int64_t buckets_seen() const { return seen_; }

 private:
  static constexpr int kMaxSlots = 24 * 60;  // one-minute slots at the finest
  static constexpr int kRecordSlots = 168;    // the record look-back's slots
  double Transform(double count) const;

  VolumeParams params_;
  absl::Status params_status_;
  // Per-bucket learning rates derived from the time constants.
  double level_rate_ = 0, season_rate_ = 0, scale_rate_ = 0;
  double visits_per_day_ = 1;  // buckets per slot per day
  int slots_ = 48;
  std::optional<int64_t> last_bucket_s_;
  int64_t seen_ = 0;
  int64_t warm_up_buckets_ = 0;
  double level_ = 0;
  std::array<double, kMaxSlots> daily_{};
  std::array<double, 7> weekday_{};
  // Buckets seen per slot and weeks seen per weekday (capped): their first visits learn as
  // running means.
  std::array<int32_t, kMaxSlots> daily_visits_{};
  std::array<int32_t, 7> weekday_visits_{};
  // The day being summed for the weekday offsets, and the last seven days' means.
  int64_t current_day_ = 0;
  int current_weekday_ = 0;
  double day_sum_ = 0;
  int64_t day_count_ = 0;
  int32_t days_seen_ = 0;
  std::array<double, 7> last_days_{};
  void LearnWeekday(int64_t day_number, int day, double deseasonalised);
  double scale_ = 0;
  // Evidence on one side (rises, or falls), with what habituation remembers of it.
  struct Side {
    double cusum = 0;
    int64_t run = 0;          // consecutive buckets beyond the slack
    double episode_peak = 0;  // largest evidence of the ongoing episode
    double past_peak = 0;     // fading maximum of the ended episodes' peaks
  };
  void Step(Side& side, double z);
  double ExpectedCount(double expected) const;  // mentions per bucket behind a transformed level
  double Surprise(double z_log, double count, double expected) const;
  double Habituated(Side& side);  // the side's evidence less habituation (ages its memory)
  Side up_, down_;
  bool season_centred_ = false;
  int64_t adapt_buckets_ = 0, hold_buckets_ = 0, max_gap_s_ = 0;
  int64_t since_report_ = -1;   // buckets since the last reported rise (-1: none)
  double reported_ = 0;         // evidence (before habituation) at the last report
  double told_peak_ = 0;        // and the largest of its episode
  double peak_keep_ = 1;        // per-bucket fading of the past peaks
  bool armed_ = true;           // evidence has been low since the last report
  // Records: the largest count of each record slot, with the slot's number (none yet: the
  // lowest int64_t).
  std::array<double, kRecordSlots> record_max_{};
  std::array<int64_t, kRecordSlots> record_slot_{};
  int64_t record_slot_s_ = 0;  // a record slot's width in seconds (0: records off)
  bool Record(int64_t t, double count);  // above every count of the look-back (then remembered)
  double last_expected_ = 0;
};

}  // namespace faro::spike
