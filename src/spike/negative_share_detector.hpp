#pragma once
// Negative-share detector for one brand or topic: fed per bucket the mentions and how many of
// them are negative, it flags when the negative share rises well above its usual level with
// enough mentions to be sure. Pure and deterministic, constant memory.
//
// The usual share p0 is learned from past buckets (an exponential memory of negatives and
// totals). Two one-sided binomial tests against p0 (z is the signed root of the likelihood
// ratio statistic, accurate in the tail even for a few mentions) look at the bucket alone (a sudden wave is seen at once) and at the recent buckets pooled
// over a short memory (a slow brand's few complaints add up). Either reports when its k is
// at least `min_negative`, its share exceeds p0 by `min_lift`, and z >= z_min. Buckets under
// suspicion do not teach the usual share.
#include <chrono>
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::spike {

struct NegativeShareParams {
  std::chrono::seconds bucket_width{60};
  // Memory of the usual share.
  std::chrono::seconds baseline_memory = std::chrono::hours(24 * 3);
  // Memory of the recent window that is tested against it.
  std::chrono::seconds recent_memory = std::chrono::minutes(15);
  // The usual share is taken as at least this (a brand never criticised is not news at its
  // first complaint) and at most 1 - this.
  double min_share = 0.05;
  // The usual share starts as prior_mentions mentions at prior_share, so the first buckets are
  // judged against a sensible level; real mentions soon outweigh them.
  double prior_share = 0.15;
  double prior_mentions = 50;
  // Recent negatives needed before anything is reported.
  double min_negative = 5;
  // The recent share must exceed the usual one by this much (absolute).
  double min_lift = 0.10;
  // z at which the score is 0.5; score = z / (z + z_half) above z_min, else 0.
  double z_min = 4.5;
  double z_half = 6.0;
  // After a report, stay quiet this long unless the share's lift over p0 doubles.
  std::chrono::seconds hold_off = std::chrono::hours(1);
};

absl::Status ValidateNegativeShareParams(const NegativeShareParams& params);

class NegativeShareDetector {
 public:
  explicit NegativeShareDetector(NegativeShareParams params = {});

  // One bucket: its start, its mentions and how many of them are negative (0 <= negative <=
  // total). Buckets must come in time order. Returns the score in [0, 1].
  absl::StatusOr<double> Observe(TimePoint bucket_start, int64_t total, int64_t negative);

  double usual_share() const;
  double recent_share() const { return recent_total_ > 0 ? recent_negative_ / recent_total_ : 0.0; }
  double z() const { return z_; }

 private:
  NegativeShareParams params_;
  absl::Status params_status_;
  double baseline_rate_ = 0, recent_rate_ = 0;
  int64_t hold_buckets_ = 0;
  std::optional<int64_t> last_bucket_ms_;
  double base_negative_ = 0, base_total_ = 0;
  double recent_negative_ = 0, recent_total_ = 0;
  double z_ = 0;
  int64_t since_report_ = -1;
  double reported_lift_ = 0;
};

}  // namespace faro::spike
