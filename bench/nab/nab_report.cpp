#include "nab_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/strings.hpp"
#include "nab_files.hpp"

namespace faro::nab {

std::vector<std::pair<std::string, std::vector<ScoredFile>>> GroupByFolder(
    std::span<const ScoredFile> files) {
  std::map<std::string, std::vector<ScoredFile>> by_folder;
  for (const ScoredFile& f : files) by_folder[CategoryOf(f.key)].push_back(f);
  std::vector<std::pair<std::string, std::vector<ScoredFile>>> out;
  if (auto it = by_folder.find("realTweets"); it != by_folder.end()) {
    out.emplace_back(it->first, it->second);
    by_folder.erase(it);
  }
  // Then the other real-world folders, then the artificial ones.
  for (auto& [folder, list] : by_folder) {
    if (folder.rfind("real", 0) == 0) out.emplace_back(folder, list);
  }
  for (auto& [folder, list] : by_folder) {
    if (folder.rfind("real", 0) != 0) out.emplace_back(folder, list);
  }
  if (out.size() > 1) out.emplace_back("all", std::vector<ScoredFile>(files.begin(), files.end()));
  return out;
}

namespace {

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string ScoreReport(std::span<const ScoredFile> files, std::span<const Profile> profiles,
                        const ReportOptions& options) {
  std::string out;
  StrAppend(out, "# NAB scores", options.detector.empty() ? "" : ": ", options.detector, "\n\n");
  size_t rows = 0;
  for (const ScoredFile& f : files) rows += f.scores.size();
  StrAppend(out, files.size(), " files, ", rows, " rows. ",
            options.threshold ? StrCat("Threshold fixed at ", Fixed(*options.threshold, 6), ".")
                              : std::string("Threshold tuned per profile on each group's files "
                                            "pooled (NAB's optimiser); the last column uses the "
                                            "threshold tuned on all scored files."),
            " Only the folders present are scored: perfect and null come from their windows.\n\n");
  const auto groups = GroupByFolder(files);
  // The all-files thresholds, for the last column.
  std::vector<double> all_thresholds;
  for (const Profile& p : profiles) {
    all_thresholds.push_back(options.threshold ? *options.threshold
                                               : OptimiseThreshold(files, p).threshold);
  }
  StrAppend(out, "| files | profile | score | raw | null | perfect | threshold | score at all-files threshold |\n");
  StrAppend(out, "|---|---|---|---|---|---|---|---|\n");
  std::vector<std::vector<GroupScore>> scored(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t p = 0; p < profiles.size(); ++p) {
      GroupScore s = ScoreGroup(groups[g].second, profiles[p], options.threshold);
      GroupScore at_all = ScoreGroup(groups[g].second, profiles[p], all_thresholds[p]);
      StrAppend(out, "| ", groups[g].first, " (", groups[g].second.size(), ") | ",
                profiles[p].name, " | **", Fixed(s.normalised, 1), "** | ", Fixed(s.raw, 3), " | ",
                Fixed(s.null_raw, 1), " | ", Fixed(s.perfect, 1), " | ", Fixed(s.threshold, 6),
                " | ", Fixed(at_all.normalised, 1), " |\n");
      scored[g].push_back(std::move(s));
    }
  }
  if (!options.per_file) return out;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].first == "all") continue;
    StrAppend(out, "\n## ", groups[g].first, " per file (raw scores at the folder's thresholds; "
              "row counts for standard)\n\n| file |");
    for (const Profile& p : profiles) StrAppend(out, " ", p.name, " |");
    StrAppend(out, " TP | TN | FP | FN |\n|---|");
    for (size_t p = 0; p < profiles.size(); ++p) StrAppend(out, "---|");
    StrAppend(out, "---|---|---|---|\n");
    for (size_t f = 0; f < groups[g].second.size(); ++f) {
      StrAppend(out, "| ", groups[g].second[f].key, " |");
      for (size_t p = 0; p < profiles.size(); ++p) {
        StrAppend(out, " ", Fixed(scored[g][p].per_file[f].score, 6), " |");
      }
      const ThresholdRecord& r = scored[g][0].per_file[f];
      StrAppend(out, " ", r.tp, " | ", r.tn, " | ", r.fp, " | ", r.fn, " |\n");
    }
  }
  return out;
}

}  // namespace faro::nab
