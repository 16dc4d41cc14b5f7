#include "spike/negative_share_detector.hpp"

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::spike {

namespace {

double Keep(std::chrono::seconds memory, std::chrono::seconds step) {
  // The share of the past kept after one step of an exponential memory.
  return std::exp(-static_cast<double>(step.count()) / static_cast<double>(memory.count()));
}

// The signed root of the binomial likelihood-ratio statistic for k of n against share p0:
// close to a standard normal even in the far tail with few mentions, where the plain
// (k - n p0) / sqrt(n p0 (1 - p0)) overstates the evidence several times over.
double SignedRoot(double k, double n, double p0) {
  auto term = [](double observed, double expected) {
    return observed > 0 ? observed * std::log(observed / expected) : 0.0;
  };
  const double deviance = 2.0 * (term(k, n * p0) + term(n - k, n * (1.0 - p0)));
  const double root = std::sqrt(std::max(0.0, deviance));
  return k >= n * p0 ? root : -root;
}

}  // namespace

absl::Status ValidateNegativeShareParams(const NegativeShareParams& p) {
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(StrCat("negative share detector: ", what));
  };
  if (p.bucket_width.count() <= 0) return bad("bucket_width must be positive");
  if (p.baseline_memory.count() <= 0 || p.recent_memory.count() <= 0) {
    return bad("baseline_memory and recent_memory must be positive");
  }
  if (!(p.min_share > 0 && p.min_share < 0.5)) return bad("min_share must be in (0, 0.5)");
  if (!(p.prior_share > 0 && p.prior_share < 1)) return bad("prior_share must be in (0, 1)");
  if (!(p.prior_mentions >= 0)) return bad("prior_mentions must not be negative");
  if (!(p.min_negative >= 1)) return bad("min_negative must be at least 1");
  if (!(p.min_lift >= 0 && p.min_lift < 1)) return bad("min_lift must be in [0, 1)");
  if (!(p.z_min >= 0) || !(p.z_half > 0)) return bad("z_min must not be negative, z_half must be positive");
  if (p.hold_off.count() < 0) return bad("hold_off must not be negative");
  return absl::OkStatus();
}

NegativeShareDetector::NegativeShareDetector(NegativeShareParams params)
    : params_(params), params_status_(ValidateNegativeShareParams(params)) {
  if (!params_status_.ok()) return;
  baseline_rate_ = Keep(params_.baseline_memory, params_.bucket_width);
  recent_rate_ = Keep(params_.recent_memory, params_.bucket_width);
  hold_buckets_ = (params_.hold_off.count() + params_.bucket_width.count() - 1) /
                  params_.bucket_width.count();
}

double NegativeShareDetector::usual_share() const {
  const double share = (base_negative_ + params_.prior_share * params_.prior_mentions) /
                       (base_total_ + params_.prior_mentions);
  return std::clamp(share, params_.min_share, 1.0 - params_.min_share);
}

absl::StatusOr<double> NegativeShareDetector::Observe(TimePoint bucket_start, int64_t total,
                                                      int64_t negative) {
  if (!params_status_.ok()) return params_status_;
  if (total < 0 || negative < 0 || negative > total) {
    return absl::InvalidArgumentError(
        StrCat("negative share detector: the bucket at ", Rfc3339(bucket_start), " has ",
               negative, " negative of ", total, " mentions; need 0 <= negative <= total"));
  }
  const int64_t t = ToUnixMillis(bucket_start);
  if (last_bucket_ms_ && t <= *last_bucket_ms_) {
    return absl::InvalidArgumentError(
        StrCat("negative share detector: the bucket at ", Rfc3339(bucket_start),
               " is not after the previous one"));
  }
  last_bucket_ms_ = t;

  recent_negative_ = recent_negative_ * recent_rate_ + static_cast<double>(negative);
  recent_total_ = recent_total_ * recent_rate_ + static_cast<double>(total);
  const double p0 = usual_share();
  // Two looks: this bucket alone (a sudden wave is seen at once) and the recent buckets
  // pooled (a slow brand's complaints add up). Each needs its own evidence.
  auto test = [&](double k, double n, double& z, double& lift) {
    if (n <= 0) return false;
    z = SignedRoot(k, n, p0);
    lift = k / n - p0;
    return k >= params_.min_negative && lift >= params_.min_lift && z >= params_.z_min;
  };
  double z_now = 0, lift_now = 0, z_pooled = 0, lift_pooled = 0;
  const bool now = test(static_cast<double>(negative), static_cast<double>(total), z_now, lift_now);
  const bool pooled = test(recent_negative_, recent_total_, z_pooled, lift_pooled);
  const bool suspicious = now || pooled;
  z_ = std::max(now ? z_now : 0.0, pooled ? z_pooled : 0.0);
  const double lift = std::max(now ? lift_now : 0.0, pooled ? lift_pooled : 0.0);

  // The usual share learns only from buckets that are not under suspicion.
  if (!suspicious) {
    base_negative_ = base_negative_ * baseline_rate_ + static_cast<double>(negative);
    base_total_ = base_total_ * baseline_rate_ + static_cast<double>(total);
  }

  if (since_report_ >= 0) ++since_report_;
  if (!suspicious) return 0.0;
  // Within the hold-off only a share rise twice as large is news (more mentions of the same
  // wave raise z, not the share).
  const bool quiet = since_report_ >= 0 && since_report_ < hold_buckets_;
  if (quiet && lift < 2.0 * reported_lift_) return 0.0;
  since_report_ = 0;
  reported_lift_ = lift;
  return z_ / (z_ + params_.z_half);
}

}  // namespace faro::spike
