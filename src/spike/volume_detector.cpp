#include "spike/volume_detector.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::spike {

namespace {

constexpr int64_t kDay = 86400;
// Escalation within the hold-off: a small stir is a report below escalate_at / kEscalation,
// and a new episode must reach kEscalation times the peak of the episode told.
constexpr double kEscalation = 4.0;

// The per-step rate of an exponential memory of `memory_steps` steps.
double RateFor(double memory_steps) { return 1.0 - std::exp(-1.0 / std::max(memory_steps, 1e-9)); }

int64_t StepsIn(std::chrono::seconds span, std::chrono::seconds step) {
  return (span.count() + step.count() - 1) / step.count();
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

absl::Status ValidateVolumeParams(const VolumeParams& p) {
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(StrCat("volume detector: ", what));
  };
  if (p.bucket_width.count() <= 0) return bad("bucket_width must be positive");
  if (p.slot_width.count() < 60 || kDay % p.slot_width.count() != 0) {
    return bad("slot_width must be at least a minute and divide a day");
  }
  if (!(p.count_offset > 0)) return bad("count_offset must be positive");
  if (p.level_memory.count() <= 0 || p.scale_memory.count() <= 0) {
    return bad("level_memory and scale_memory must be positive");
  }
  if (!(p.season_memory_days > 0)) return bad("season_memory_days must be positive");
  if (!(p.min_scale > 0)) return bad("min_scale must be positive");
  if (!(p.slack >= 0)) return bad("slack must not be negative");
  if (!(p.max_fall_z > p.slack)) return bad("max_fall_z must exceed slack");
  if (!(p.min_fall_count >= 0)) return bad("min_fall_count must not be negative");
  if (!(p.clip > 0)) return bad("clip must be positive");
  if (!(p.score_half > 0)) return bad("score_half must be positive");
  if (!(p.min_evidence >= 0)) return bad("min_evidence must not be negative");
  if (!(p.max_evidence > p.min_evidence)) return bad("max_evidence must exceed min_evidence");
  if (!(p.escalate_at > p.min_evidence && p.escalate_at <= p.max_evidence)) {
    // Evidence never exceeds max_evidence: a storm line above it would never be reached.
    return bad("escalate_at must exceed min_evidence and not exceed max_evidence");
  }
  if (!(p.habituation >= 0 && p.habituation <= 1)) return bad("habituation must be in [0, 1]");
  if (p.habituation_memory.count() <= 0) return bad("habituation_memory must be positive");
  if (p.record_memory.count() < 0) return bad("record_memory must not be negative (0 turns records off)");
  if (!(p.record_score > 0 && p.record_score <= 1)) return bad("record_score must be in (0, 1]");
  if (!(p.min_record_count >= 0)) return bad("min_record_count must not be negative");
  if (!std::isfinite(p.record_min_z)) return bad("record_min_z must be a finite number");
  if (p.hold_off.count() < 0 || p.adapt_after.count() <= 0 || p.warm_up.count() < 0 ||
      p.max_gap.count() <= 0) {
    return bad("hold_off and warm_up must not be negative; adapt_after and max_gap must be positive");
  }
  return absl::OkStatus();
}

VolumeDetector::VolumeDetector(VolumeParams params)
    : params_(params), params_status_(ValidateVolumeParams(params)) {
  if (!params_status_.ok()) return;
  const double bucket = static_cast<double>(params_.bucket_width.count());
  level_rate_ = RateFor(static_cast<double>(params_.level_memory.count()) / bucket);
  scale_rate_ = RateFor(static_cast<double>(params_.scale_memory.count()) / bucket);
  slots_ = static_cast<int>(kDay / params_.slot_width.count());
  // Each slot is visited slot_width/bucket_width times a day (at least once).
  visits_per_day_ = std::max(1.0, static_cast<double>(params_.slot_width.count()) / bucket);
  season_rate_ = RateFor(params_.season_memory_days * visits_per_day_);
  warm_up_buckets_ = StepsIn(params_.warm_up, params_.bucket_width);
  adapt_buckets_ = StepsIn(params_.adapt_after, params_.bucket_width);
  hold_buckets_ = StepsIn(params_.hold_off, params_.bucket_width);
  max_gap_s_ = params_.max_gap.count();
  peak_keep_ = std::exp(-bucket / static_cast<double>(params_.habituation_memory.count()));
  const std::chrono::seconds record_slots(kRecordSlots);
  record_slot_s_ = params_.record_memory.count() == 0 ? 0 : StepsIn(params_.record_memory, record_slots);
  record_slot_.fill(std::numeric_limits<int64_t>::min());
}

bool VolumeDetector::Record(int64_t t, double count) {
  if (record_slot_s_ == 0) return false;
  const int64_t slot = FloorDiv(t, record_slot_s_);
  // Above every remembered count of the look-back (the current slot and the kRecordSlots - 1
  // before it), and something to be above: the first bucket is no record.
  bool seen = false, above = true;
  for (std::size_t i = 0; i < record_slot_.size() && above; ++i) {
    if (record_slot_[i] <= slot - kRecordSlots) continue;  // older than the look-back
    seen = true;
    above = count > record_max_[i];
  }
  const auto k = static_cast<std::size_t>(((slot % kRecordSlots) + kRecordSlots) % kRecordSlots);
  if (record_slot_[k] != slot) {
    record_slot_[k] = slot;
    record_max_[k] = count;
  } else {
    record_max_[k] = std::max(record_max_[k], count);
  }
  return seen && above;
}

double VolumeDetector::Transform(double count) const {
  if (params_.transform == CountTransform::kAnscombe) {
    const double root = 2.0 * std::sqrt(std::fabs(count) + 0.375);
    return count < 0 ? -root : root;
  }
  const double magnitude = std::log1p(std::fabs(count) / params_.count_offset);
  return count < 0 ? -magnitude : magnitude;
}

double VolumeDetector::ExpectedCount(double expected) const {
  const double magnitude = std::fabs(expected);
  if (params_.transform == CountTransform::kAnscombe) {
    return std::max(0.0, magnitude * magnitude / 4.0 - 0.375);
  }
  return std::expm1(magnitude) * params_.count_offset;
}

double VolumeDetector::Surprise(double z_log, double count, double expected) const {
  if (!params_.counting_noise || params_.transform != CountTransform::kLog || count < 0) {
    return z_log;
  }
  // Mentions arrive one by one, so a count is at least Poisson-noisy around its expectation
  // mu. On the Anscombe scale that noise is ~1: z = 2 (sqrt(count + 3/8) - sqrt(mu + 1/8)).
  // The surprise is the milder of the two readings: busy hours are judged by the learned
  // (overdispersed) log scale, a quiet brand's 1 or 2 mentions by counting.
  const double mu = ExpectedCount(expected);
  const double z_count = 2.0 * (std::sqrt(count + 0.375) - std::sqrt(mu + 0.125));
  return z_log >= 0 ? std::min(z_log, std::max(z_count, 0.0)) : std::max(z_log, std::min(z_count, 0.0));
}

void VolumeDetector::LearnWeekday(int64_t day_number, int day, double deseasonalised) {
  // The level follows the volume within hours, so a weekday's difference cannot be learned
  // bucket by bucket (the level would take it). Instead each finished day's mean of y less its
  // time-of-day profile is compared with the mean of the last seven days, and that difference
  // is the weekday's offset: a running mean over its first weeks, then a memory of
  // season_memory_days weeks.
  if (day_number != current_day_ && day_count_ > 0) {
    const double day_mean = day_sum_ / static_cast<double>(day_count_);
    last_days_[static_cast<size_t>(days_seen_ % 7)] = day_mean;
    days_seen_ = std::min(days_seen_ + 1, 1 << 20);
    if (days_seen_ >= 7) {
      double week_mean = 0;
      for (double d : last_days_) week_mean += d / 7.0;
      int32_t& weeks = weekday_visits_[static_cast<size_t>(current_weekday_)];
      weeks = std::min(weeks + 1, 1 << 20);
      double& offset = weekday_[static_cast<size_t>(current_weekday_)];
      offset += std::max(RateFor(params_.season_memory_days), 1.0 / weeks) *
                (day_mean - week_mean - offset);
    }
    day_sum_ = 0;
    day_count_ = 0;
  }
  current_day_ = day_number;
  current_weekday_ = day;
  day_sum_ += deseasonalised;
  ++day_count_;
}

void VolumeDetector::Step(Side& side, double z) {
  side.cusum = std::clamp(side.cusum + z - params_.slack, 0.0, params_.max_evidence);
  side.run = z > params_.slack ? side.run + 1 : 0;
}

double VolumeDetector::Habituated(Side& side) {
  // Episodes end when their evidence is gone; their peaks fade over days.
  side.past_peak *= peak_keep_;
  if (side.cusum > 0) {
    side.episode_peak = std::max(side.episode_peak, side.cusum);
  } else if (side.episode_peak > 0) {
    side.past_peak = std::max(side.past_peak, side.episode_peak);
    side.episode_peak = 0;
  }
  return side.cusum - params_.habituation * std::max(up_.past_peak, down_.past_peak);
}

absl::StatusOr<double> VolumeDetector::Observe(TimePoint bucket_start, double count) {
  if (!params_status_.ok()) return params_status_;
  if (!std::isfinite(count)) {
    return absl::InvalidArgumentError(
        StrCat("volume detector: the count for the bucket at ", Rfc3339(bucket_start),
               " is not a finite number"));
  }
  const int64_t t = FloorDiv(ToUnixMillis(bucket_start), 1000);
  if (last_bucket_s_ && t <= *last_bucket_s_) {
    return absl::InvalidArgumentError(
        StrCat("volume detector: the bucket at ", Rfc3339(bucket_start),
               " is not after the previous one at ", Rfc3339(FromUnixMillis(*last_bucket_s_ * 1000))));
  }
  if (last_bucket_s_ && t - *last_bucket_s_ > max_gap_s_) {
    // After a long silence of the source, old evidence says nothing about now.
    up_.cusum = down_.cusum = 0;
    up_.run = down_.run = 0;
  }
  last_bucket_s_ = t;

  const double y = Transform(count);
  const int slot = static_cast<int>((t - FloorDiv(t, kDay) * kDay) / params_.slot_width.count());
  const int day = static_cast<int>(((FloorDiv(t, kDay) + 3) % 7 + 7) % 7);  // 0 = Monday
  double& daily = daily_[static_cast<size_t>(slot)];
  double& weekday = weekday_[static_cast<size_t>(day)];

  int32_t& daily_visits = daily_visits_[static_cast<size_t>(slot)];
  ++seen_;
  if (seen_ == 1) level_ = y;
  if (seen_ <= warm_up_buckets_) {
    // Warming up: the level is the running mean of y and each slot keeps the running mean of
    // its own y, so the first day's rhythm is known as it was, not relative to a level that
    // was still moving. The scale learns from the spread within slots. No evidence yet, and
    // no records: the look-back only remembers.
    Record(t, count);
    if (daily_visits > 0) {
      const double spread = std::fabs(y - daily);
      scale_ += std::max(scale_rate_, 1.0 / static_cast<double>(seen_)) * (spread - scale_);
    }
    ++daily_visits;
    daily += (y - daily) / daily_visits;
    level_ += (y - level_) / static_cast<double>(seen_);
    last_expected_ = level_;
    return 0.0;
  }
  if (!season_centred_) {
    // From here on a slot holds its difference from the level.
    for (int i = 0; i < slots_; ++i) {
      if (daily_visits_[static_cast<size_t>(i)] > 0) daily_[static_cast<size_t>(i)] -= level_;
    }
    season_centred_ = true;
  }

  const double expected = level_ + daily + (params_.weekly ? weekday : 0.0);
  last_expected_ = expected;
  const double residual = y - expected;
  const double scale = std::max(params_.min_scale, 1.2533 * scale_);
  const double z = Surprise(residual / scale, count, expected);

  // Evidence of a rise (and of a fall, when watched).
  Step(up_, z);
  // A fall counts at most `max_fall_z` per bucket: in log space one empty bucket looks
  // extreme (log 1 against log 9), but a collapse worth telling lasts several buckets.
  // And a quiet hour's silence is not an outage: falls count only where at least
  // `min_fall_count` mentions per bucket are expected.
  if (params_.watch_drops) {
    const bool enough = ExpectedCount(expected) >= params_.min_fall_count;
    Step(down_, enough ? std::min(-z, params_.max_fall_z) : 0.0);
  }
  const bool new_normal = up_.run >= adapt_buckets_ || down_.run >= adapt_buckets_;

  // Learning, from residuals clipped to `clip` scales unless a new normal is being accepted.
  const double limit = params_.clip * scale;
  const double taught = new_normal ? residual : std::clamp(residual, -limit, limit);
  level_ += level_rate_ * taught;
  // Slots and weekdays still new learn as running means over their days (day d's visits
  // share 1/d), then settle to the slow rate.
  daily_visits = std::min(daily_visits + 1, 1 << 20);
  const double slot_days = std::ceil(daily_visits / visits_per_day_);
  daily += std::max(season_rate_, 1.0 / (slot_days * visits_per_day_)) * taught;
  if (params_.weekly) LearnWeekday(FloorDiv(t, kDay), day, level_ + weekday + taught);
  scale_ += scale_rate_ * (std::min(std::fabs(residual), limit) - scale_);
  if (new_normal) {
    up_.cusum = std::min(up_.cusum, params_.min_evidence);
    down_.cusum = std::min(down_.cusum, params_.min_evidence);
  }
  const double evidence = std::max(Habituated(up_), Habituated(down_));
  const double raw_evidence = std::max(up_.cusum, down_.cusum);
  const bool record =
      Record(t, count) && count >= params_.min_record_count && z >= params_.record_min_z;

  // Debounced report.
  if (since_report_ >= 0) ++since_report_;
  if (!armed_) told_peak_ = std::max(told_peak_, raw_evidence);  // the told episode goes on
  double score = 0.0;
  // Telling starts the hold-off and remembers how strong the told episode was.
  const auto tell = [&](double told) {
    score = told;
    reported_ = told_peak_ = raw_evidence;
    since_report_ = 0;
    armed_ = false;
  };
  const double evidence_score = evidence > 0 ? evidence / (evidence + params_.score_half) : 0.0;
  const bool quiet = since_report_ >= 0 && since_report_ < hold_buckets_;
  if (evidence >= params_.min_evidence && evidence > 0) {
    const bool fresh = armed_ && !quiet;
    // A storm (evidence at escalate_at) is told within the hold-off when the last report was a
    // small stir (told below escalate_at / kEscalation) growing into it, or when it is a new
    // episode (the evidence fell back since the report) kEscalation times the peak of the told
    // one: so a stir, however it was first told, does not silence a storm for a day, while a
    // storm like the one told is the same story. The storm is judged on the evidence before
    // habituation: being used to stirs does not make a storm routine.
    const bool storm = since_report_ >= 0 && raw_evidence >= params_.escalate_at;
    const bool escalated =
        storm && (reported_ < params_.escalate_at / kEscalation ||
                  (armed_ && raw_evidence >= kEscalation * told_peak_));
    if (fresh || escalated) tell(evidence_score);
  } else {
    armed_ = true;
  }
  if (score == 0.0 && record && !quiet) {
    // A record is told even when habituation or a wide learned scale keeps its evidence low:
    // the busiest bucket in weeks is what a person looking at those weeks' chart sees first.
    // It shares the hold-off, so an episode is still one alert.
    tell(std::max(params_.record_score, evidence_score));
  }
  return score;
}

}  // namespace faro::spike
