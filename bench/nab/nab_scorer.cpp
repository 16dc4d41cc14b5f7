#include "nab_scorer.hpp"

#include <algorithm>
#include <cmath>

namespace faro::nab {

std::vector<Profile> NabProfiles() {
  return {{"standard", 1.0, 0.11, 1.0},
          {"reward_low_FP_rate", 1.0, 0.22, 1.0},
          {"reward_low_FN_rate", 1.0, 0.11, 2.0}};
}

double ScaledSigmoid(double position) {
  if (position > 3.0) return -1.0;
  return 2.0 * (1.0 / (1.0 + std::exp(5.0 * position))) - 1.0;
}

double ProbationaryLength(size_t rows) {
  return std::min(std::floor(0.15 * static_cast<double>(rows)), 0.15 * 5000);
}

void AppendSweepRows(const ScoredFile& file, const Profile& profile, int32_t first_window_id,
                     std::vector<SweepRow>& out) {
  const double max_tp = ScaledSigmoid(-1.0);
  const double probation = ProbationaryLength(file.scores.size());
  size_t next = 0;              // the next window to enter
  bool inside = false;
  double width = 0;             // of the current window
  size_t right = 0;             // its last row
  bool after_window = false;    // a window has been left
  double prev_width = 0;
  size_t prev_right = 0;
  const size_t n = file.scores.size();
  out.reserve(out.size() + n);
  for (size_t i = 0; i < n; ++i) {
    if (!inside && next < file.windows.size() && i == file.windows[next].first) {
      inside = true;
      right = file.windows[next].last;
      width = static_cast<double>(right - file.windows[next].first + 1);
      ++next;
    }
    double sweep;
    if (inside) {
      const double position = -(static_cast<double>(right) - static_cast<double>(i) + 1.0) / width;
      sweep = ScaledSigmoid(position) * profile.tp_weight / max_tp;
    } else if (!after_window) {
      sweep = -1.0 * profile.fp_weight;
    } else {
      const double past = std::fabs(static_cast<double>(prev_right) - static_cast<double>(i)) /
                          (prev_width - 1.0);
      sweep = ScaledSigmoid(past) * profile.fp_weight;
    }
    if (static_cast<double>(i) >= probation) {
      out.push_back({file.scores[i], sweep,
                     inside ? first_window_id + static_cast<int32_t>(next - 1) : -1});
    }
    if (inside && i == right) {
      inside = false;
      after_window = true;
      prev_right = right;
      prev_width = width;
    }
  }
}

std::vector<ThresholdRecord> ScoreByThreshold(std::vector<SweepRow>& rows, int32_t window_count,
                                              const Profile& profile) {
  // Windows with at least one scorable row start at -fnWeight (a miss); the rest do not count.
  std::vector<double> parts(static_cast<size_t>(window_count), 0.0);
  std::vector<char> present(static_cast<size_t>(window_count), 0);
  ThresholdRecord counts;
  for (const SweepRow& row : rows) {
    if (row.window >= 0) {
      present[static_cast<size_t>(row.window)] = 1;
      ++counts.fn;
    } else {
      ++counts.tn;
    }
  }
  for (size_t w = 0; w < parts.size(); ++w) {
    if (present[w]) parts[w] = -profile.fn_weight;
  }
  // The score is sum(window parts) + fp part, summed in that order as NAB does. The window sum
  // changes only when a window's best detection improves, so it is re-summed only then.
  double fp_part = 0;
  auto window_sum = [&] {
    double sum = 0;
    for (size_t w = 0; w < parts.size(); ++w) {
      if (present[w]) sum += parts[w];
    }
    return sum;
  };
  // Ties keep their time order, as Python's sorted(reverse=True) does; the records do not
  // depend on it, since a record is written only once every row of a score is counted.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const SweepRow& a, const SweepRow& b) { return a.anomaly > b.anomaly; });
  std::vector<ThresholdRecord> records;
  double threshold = 1.1;
  double windows_total = window_sum();
  for (const SweepRow& row : rows) {
    if (row.anomaly != threshold) {
      counts.threshold = threshold;
      counts.score = windows_total + fp_part;
      records.push_back(counts);
      threshold = row.anomaly;
    }
    if (row.window >= 0) {
      ++counts.tp;
      --counts.fn;
      double& part = parts[static_cast<size_t>(row.window)];
      if (row.sweep > part) {
        part = row.sweep;
        windows_total = window_sum();
      }
    } else {
      ++counts.fp;
      --counts.tn;
      fp_part += row.sweep;
    }
  }
  counts.threshold = threshold;
  counts.score = windows_total + fp_part;
  records.push_back(counts);
  return records;
}

namespace {

ThresholdRecord Best(const std::vector<ThresholdRecord>& records) {
  // The first of the highest scores: records run from high to low thresholds, so among equal
  // scores the highest threshold wins, as NAB's stable sort by score does.
  ThresholdRecord best = records.front();
  for (const ThresholdRecord& r : records) {
    if (r.score > best.score) best = r;
  }
  return best;
}

}  // namespace

ThresholdRecord OptimiseThreshold(std::span<const ScoredFile* const> files, const Profile& profile) {
  std::vector<SweepRow> rows;
  size_t total = 0;
  for (const ScoredFile* file : files) total += file->scores.size();
  rows.reserve(total);
  int32_t windows = 0;
  for (const ScoredFile* file : files) {
    AppendSweepRows(*file, profile, windows, rows);
    windows += static_cast<int32_t>(file->windows.size());
  }
  return Best(ScoreByThreshold(rows, windows, profile));
}

ThresholdRecord OptimiseThreshold(std::span<const ScoredFile> files, const Profile& profile) {
  std::vector<const ScoredFile*> pointers;
  for (const ScoredFile& file : files) pointers.push_back(&file);
  return OptimiseThreshold(std::span<const ScoredFile* const>(pointers), profile);
}

ThresholdRecord ScoreAtThreshold(const ScoredFile& file, const Profile& profile, double threshold) {
  std::vector<SweepRow> rows;
  AppendSweepRows(file, profile, 0, rows);
  const std::vector<ThresholdRecord> records =
      ScoreByThreshold(rows, static_cast<int32_t>(file.windows.size()), profile);
  const ThresholdRecord* previous = nullptr;
  for (const ThresholdRecord& r : records) {
    if (r.threshold == threshold) return r;
    if (r.threshold < threshold) return previous ? *previous : r;
    previous = &r;
  }
  return records.back();
}

GroupScore ScoreGroup(std::span<const ScoredFile> files, const Profile& profile,
                      std::optional<double> threshold) {
  GroupScore out;
  out.threshold = threshold ? *threshold : OptimiseThreshold(files, profile).threshold;
  size_t windows = 0;
  std::vector<ScoredFile> null_files;
  null_files.reserve(files.size());
  for (const ScoredFile& file : files) {
    ThresholdRecord r = ScoreAtThreshold(file, profile, out.threshold);
    out.raw += r.score;
    out.per_file.push_back(r);
    windows += file.windows.size();
    null_files.push_back({file.key, std::vector<double>(file.scores.size(), 0.5), file.windows});
  }
  // NAB normalises with its null detector (every row 0.5) scored the same way.
  // Its threshold is always its own best (1.1: it detects nothing), whatever ours is.
  const double null_threshold = OptimiseThreshold(null_files, profile).threshold;
  for (const ScoredFile& file : null_files) {
    out.null_raw += ScoreAtThreshold(file, profile, null_threshold).score;
  }
  out.perfect = static_cast<double>(windows) * profile.tp_weight;
  out.normalised = out.perfect == out.null_raw
                       ? 0.0
                       : 100.0 * (out.raw - out.null_raw) / (out.perfect - out.null_raw);
  return out;
}

}  // namespace faro::nab
