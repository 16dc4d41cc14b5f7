#pragma once
// The scores summary printed by nab_score and the runner: realTweets first, then each other
// folder, then all scored files together, for every profile.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nab_scorer.hpp"

namespace faro::nab {

struct ReportOptions {
  std::string detector;                  // named in the title
  std::optional<double> threshold;       // fixed threshold instead of tuning
  bool per_file = true;                  // per-file tables under each folder
};

// Groups in report order: ("realTweets", files), the other real* folders, the rest (by name),
// then ("all", every file) when there is more than one folder.
std::vector<std::pair<std::string, std::vector<ScoredFile>>> GroupByFolder(
    std::span<const ScoredFile> files);

// A Markdown report.
std::string ScoreReport(std::span<const ScoredFile> files, std::span<const Profile> profiles,
                        const ReportOptions& options);

}  // namespace faro::nab
