#include "crisis/outage_chatter.hpp"

#include <algorithm>
#include <cmath>

namespace faro::crisis {
namespace {

int64_t MinuteOf(TimePoint at) {
  const int64_t ms = ToUnixMillis(at);
  return ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);
}

}  // namespace

ChatterDetector::ChatterDetector(ChatterOptions options) : options_(options) {
  const int64_t slot = std::clamp<int64_t>(options_.slot.count(), 1, 1440);
  slots_ = static_cast<int>((1440 + slot - 1) / slot);
  slot_mean_.assign(static_cast<std::size_t>(slots_), 0.0);
  slot_visits_.assign(static_cast<std::size_t>(slots_), 0);
}

double ChatterDetector::Usual(int slot) const {
  const double mean = slot_visits_[static_cast<std::size_t>(slot)] > 0 ? slot_mean_[static_cast<std::size_t>(slot)] : level_;
  return std::max(mean, options_.min_usual);
}

ChatterSignal ChatterDetector::Observe(TimePoint minute_start, int64_t mentions) {
  const int64_t minute = MinuteOf(minute_start);
  if (last_minute_ != INT64_MIN && minute - last_minute_ > 1) {
    if ((minute - last_minute_) * 60 > options_.max_gap.count()) {
      surge_ = false;
      calm_ = 0;
    }
    previous_ = 0;  // the minute before this one had no mentions (or is unknown)
  }
  last_minute_ = minute;
  const int slot = static_cast<int>((((minute % 1440) + 1440) % 1440) / std::max<int64_t>(options_.slot.count(), 1));
  const double usual = Usual(slot);
  const double two = static_cast<double>(mentions + previous_);
  const double usual_two = 2.0 * usual;
  const double count = static_cast<double>(mentions);
  if (!surge_) {
    if (two >= static_cast<double>(options_.min_mentions) &&
        two >= options_.surge_ratio * usual_two + options_.surge_sigmas * std::sqrt(usual_two)) {
      surge_ = true;
      calm_ = 0;
    }
  } else {
    const bool calm = count <= 2.0 * usual + 2.0 * std::sqrt(usual) + 1.0;
    calm_ = calm ? calm_ + 1 : 0;
    if (calm_ >= options_.calm_for.count()) surge_ = false;
  }
  // The baseline learns from minutes outside surges only.
  if (!surge_) {
    const auto s = static_cast<std::size_t>(slot);
    slot_visits_[s] = std::min(slot_visits_[s] + 1, 1 << 20);
    const double slow = 1.0 / (options_.memory_days * static_cast<double>(options_.slot.count()));
    slot_mean_[s] += std::max(slow, 1.0 / slot_visits_[s]) * (count - slot_mean_[s]);
    ++level_visits_;
    level_ += std::max(1.0 / 1440.0, 1.0 / static_cast<double>(level_visits_)) * (count - level_);
  }
  previous_ = mentions;
  return ChatterSignal{std::string(), minute_start, mentions, usual, surge_};
}

OutageChatter::OutageChatter(const RuleSet& rules, ChatterOptions options) : options_(options) {
  const auto& infos = rules.rules();
  platform_of_rule_.assign(infos.size(), -1);
  for (std::size_t r = 0; r < infos.size(); ++r) {
    const RuleInfo& info = infos[r];
    if (info.kind != RuleDef::Kind::kTopic || info.platform.empty()) continue;
    auto it = std::find(platforms_.begin(), platforms_.end(), info.platform);
    if (it == platforms_.end()) {
      platforms_.push_back(info.platform);
      it = platforms_.end() - 1;
    }
    platform_of_rule_[r] = static_cast<int>(it - platforms_.begin());
  }
  detectors_.assign(platforms_.size(), ChatterDetector(options_));
  open_.resize(platforms_.size());
}

void OutageChatter::CloseBefore(int64_t minute) {
  while (next_ < minute) {
    for (std::size_t p = 0; p < platforms_.size(); ++p) {
      int64_t count = 0;
      if (!open_[p].empty()) {
        count = open_[p].front();
        open_[p].pop_front();
      }
      ChatterSignal signal = detectors_[p].Observe(FromUnixMillis(next_ * 60000), count);
      signal.platform = platforms_[p];
      if (sink_) sink_(signal);
    }
    ++next_;
  }
}

void OutageChatter::Observe(const Mention& mention, const Annotation& annotation) {
  if (platforms_.empty()) return;
  const int64_t minute = MinuteOf(mention.at);
  const int64_t ms = ToUnixMillis(mention.at);
  // Minutes whose end is at least `lateness` before this mention can close.
  const int64_t lateness_ms = options_.lateness.count() * 1000;
  const int64_t ms_floor = ms - lateness_ms;
  const int64_t closable = (ms_floor >= 0 ? ms_floor / 60000 : -((-ms_floor + 59999) / 60000));
  if (newest_ == INT64_MIN) {
    next_ = std::min(minute, closable);
    newest_ = minute;
  } else if (minute > newest_ || closable > next_) {
    if (minute > newest_ && (minute - newest_) * 60 > options_.max_gap.count()) {
      // A gap in the input: close what was open, then jump (the detectors see the jump).
      CloseBefore(newest_ + 1);
      next_ = std::min(minute, closable);
      for (auto& q : open_) q.clear();
    }
    newest_ = std::max(newest_, minute);
    CloseBefore(closable);
  }
  seen_.clear();
  for (const int r : annotation.matched_rules) {
    if (r < 0 || static_cast<std::size_t>(r) >= platform_of_rule_.size()) continue;
    const int p = platform_of_rule_[static_cast<std::size_t>(r)];
    if (p < 0 || std::find(seen_.begin(), seen_.end(), p) != seen_.end()) continue;
    seen_.push_back(p);  // a mention counts once per platform
    if (minute < next_) {
      ++late_;
      continue;
    }
    auto& q = open_[static_cast<std::size_t>(p)];
    const auto index = static_cast<std::size_t>(minute - next_);
    if (q.size() <= index) q.resize(index + 1, 0);
    ++q[index];
  }
}

void OutageChatter::Finish() {
  if (newest_ != INT64_MIN) CloseBefore(newest_ + 1);
}

}  // namespace faro::crisis
