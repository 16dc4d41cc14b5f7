#pragma once
// Reading and writing NAB's files: data CSVs (`timestamp,value`), results CSVs
// (`timestamp,value,anomaly_score[,label,...]`), labels/combined_windows.json and
// config/profiles.json. Errors name the file and line.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "nab_scorer.hpp"

namespace faro::nab {

// "<category>/<file>.csv" -> windows as (first, last) timestamps without NAB's ".000000".
using WindowLabels = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

absl::StatusOr<WindowLabels> LoadWindowLabels(const std::filesystem::path& path);
absl::StatusOr<std::vector<Profile>> LoadProfiles(const std::filesystem::path& path);

// A data or results CSV. `scores` is filled only when the file has an anomaly_score column.
struct Series {
  std::string key;  // "<category>/<file>.csv"
  std::vector<std::string> timestamps;
  std::vector<double> values;
  std::vector<double> scores;
};

absl::StatusOr<Series> ReadSeriesCsv(const std::filesystem::path& path, bool want_scores);

// "YYYY-MM-DD HH:MM:SS" (optionally with a fraction) as seconds since 1970-01-01 UTC.
absl::StatusOr<int64_t> ParseNabTime(std::string_view text);

// The windows of `key` as row indices of `timestamps` (each limit must be a row's timestamp).
absl::StatusOr<std::vector<Window>> ResolveWindows(const std::string& key,
                                                   const std::vector<std::string>& timestamps,
                                                   const WindowLabels& labels);

// Every "*.csv" under `dir` one folder deep or more, as paths relative to `dir`, sorted.
absl::StatusOr<std::vector<std::filesystem::path>> ListCsvFiles(const std::filesystem::path& dir,
                                                                 bool skip_top_level);

// Reads NAB's results layout: DIR/<category>/<detector>_<file>.csv, where <detector> is DIR's
// name unless `detector` is given; the files at DIR's top (NAB's *_scores.csv) are not results.
absl::StatusOr<std::vector<ScoredFile>> LoadResults(const std::filesystem::path& dir,
                                                    std::string detector,
                                                    const WindowLabels& labels);

// The category of "<category>/<file>.csv".
std::string CategoryOf(const std::string& key);

}  // namespace faro::nab
