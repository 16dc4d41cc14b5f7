#pragma once
// The Numenta Anomaly Benchmark (NAB) scoring rules, re-implemented so Faro's volume detector is
// judged exactly as the published detectors were (Ahmad, Lavin, Purdy & Agha, Neurocomputing
// 262 (2017); NAB is MIT-licensed, Copyright 2014-2024 Numenta Inc.). Pure: no I/O.
//
// The steps follow NAB's sweeper, optimiser, scorer and runner:
//   A. every row gets a sweep score from where it lies relative to the labelled windows;
//   B. rows sorted by anomaly score (stable, descending) give one record per threshold;
//   C. one threshold per profile is chosen over the rows of all files pooled;
//   D. each file is scored at that threshold, and the corpus raw score is their sum;
//   E. the raw score is normalised so the null detector scores 0 and a perfect one 100.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace faro::nab {

// A cost matrix from NAB's config/profiles.json (its tnWeight is never used).
struct Profile {
  std::string name;
  double tp_weight = 1.0;
  double fp_weight = 0.11;
  double fn_weight = 1.0;
};

// standard, reward_low_FP_rate, reward_low_FN_rate, as in NAB's config/profiles.json.
std::vector<Profile> NabProfiles();

// A labelled anomaly window, as inclusive row indices.
struct Window {
  size_t first = 0;
  size_t last = 0;
};

// One data file's detector output: one anomaly score per row (time order) and its windows
// (time order, not overlapping, as in NAB's combined_windows.json).
struct ScoredFile {
  std::string key;  // "<category>/<file>.csv"
  std::vector<double> scores;
  std::vector<Window> windows;
};

// A row after step A. `window` is an index into the caller's window numbering, or -1 outside
// every window. Probationary rows never become SweepRows.
struct SweepRow {
  double anomaly = 0;
  double sweep = 0;
  int32_t window = -1;
};

// The outcome of detecting every row whose anomaly score is >= threshold (tp..fn count rows).
struct ThresholdRecord {
  double threshold = 0;
  double score = 0;
  int64_t tp = 0, tn = 0, fp = 0, fn = 0;
};

// NAB's scaled sigmoid: 2/(1+exp(5p)) - 1, and -1 beyond p > 3.
double ScaledSigmoid(double position);

// min(floor(0.15 N), 750): the rows at the start of a file that are never scored.
double ProbationaryLength(size_t rows);

// Step A: appends the file's scorable rows. Its windows are numbered first_window_id,
// first_window_id+1, ... in order.
void AppendSweepRows(const ScoredFile& file, const Profile& profile, int32_t first_window_id,
                     std::vector<SweepRow>& out);

// Step B: the records from threshold 1.1 (nothing detected) down to the lowest score.
// `window_count` bounds the window ids in `rows`. Sorts `rows` in place.
std::vector<ThresholdRecord> ScoreByThreshold(std::vector<SweepRow>& rows, int32_t window_count,
                                              const Profile& profile);

// Step C: the threshold with the best pooled score over `files`; among ties the highest.
ThresholdRecord OptimiseThreshold(std::span<const ScoredFile> files, const Profile& profile);
// The same over files held elsewhere (the parameter search scores many subsets).
ThresholdRecord OptimiseThreshold(std::span<const ScoredFile* const> files, const Profile& profile);

// Step D: the file's record at `threshold` (the record with that threshold, else the one just
// above the first record below it; the last record when every score is above the threshold).
ThresholdRecord ScoreAtThreshold(const ScoredFile& file, const Profile& profile, double threshold);

// Steps C-E for a group of files.
struct GroupScore {
  double threshold = 0;        // tuned on the group unless one was given
  double raw = 0;              // sum of the files' scores at the threshold
  double null_raw = 0;         // the null detector's (constant 0.5) raw score, tuned likewise
  double perfect = 0;          // number of windows x tpWeight
  double normalised = 0;       // 100 (raw - null) / (perfect - null)
  std::vector<ThresholdRecord> per_file;  // in the order of `files`
};
GroupScore ScoreGroup(std::span<const ScoredFile> files, const Profile& profile,
                      std::optional<double> threshold = std::nullopt);

}  // namespace faro::nab
