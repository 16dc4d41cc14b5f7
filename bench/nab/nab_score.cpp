// nab_score: scores a detector's results directory the way NAB does.
//
//   nab_score --results RESULTS/<detector> --windows labels/combined_windows.json
//             [--profiles config/profiles.json] [--threshold T] [--detector NAME] [--out FILE]
//
// RESULTS/<detector>/<category>/<detector>_<file>.csv hold `timestamp,value,anomaly_score`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "nab_files.hpp"
#include "nab_report.hpp"

int main(int argc, char** argv) {
  using namespace faro::nab;
  CLI::App app{"Scores anomaly-detector results with the NAB rules."};
  std::string results, windows_path, profiles_path, detector, out_path;
  std::optional<double> threshold;
  bool no_per_file = false;
  int bench = 0;
  app.add_option("--results", results, "results/<detector> folder in NAB's layout")->required();
  app.add_option("--windows", windows_path, "labels/combined_windows.json")->required();
  app.add_option("--profiles", profiles_path, "config/profiles.json (default: NAB's three)");
  app.add_option("--detector", detector, "detector name in file names (default: folder name)");
  app.add_option("--threshold", threshold, "score every profile at this threshold instead of tuning");
  app.add_option("--out", out_path, "also write the Markdown report here");
  app.add_flag("--no-per-file", no_per_file, "only the totals");
  app.add_option("--bench", bench, "also time N runs of the pooled threshold optimisation (standard)");
  CLI11_PARSE(app, argc, argv);
  while (results.size() > 1 && results.back() == '/') results.pop_back();

  auto labels = LoadWindowLabels(windows_path);
  if (!labels.ok()) {
    std::cerr << "nab_score: " << labels.status().message() << "\n";
    return 1;
  }
  std::vector<Profile> profiles = NabProfiles();
  if (!profiles_path.empty()) {
    auto loaded = LoadProfiles(profiles_path);
    if (!loaded.ok()) {
      std::cerr << "nab_score: " << loaded.status().message() << "\n";
      return 1;
    }
    profiles = *loaded;
  }
  auto files = LoadResults(results, detector, *labels);
  if (!files.ok()) {
    std::cerr << "nab_score: " << files.status().message() << "\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  ReportOptions options{detector, threshold, !no_per_file};
  if (options.detector.empty()) {
    options.detector = std::filesystem::absolute(results).lexically_normal().filename().string();
  }
  const std::string report = ScoreReport(*files, profiles, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << report;
  std::fprintf(stderr, "nab_score: scored in %.3f s\n", seconds);
  if (bench > 0) {
    // The parameter search runs the pooled optimisation many times: its speed matters.
    std::vector<double> ms;
    size_t rows = 0;
    for (const ScoredFile& f : *files) rows += f.scores.size();
    for (int i = 0; i < bench; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      const ThresholdRecord best = OptimiseThreshold(*files, profiles[0]);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (best.threshold > 1.1) return 3;  // keeps the call from being optimised away
    }
    std::sort(ms.begin(), ms.end());
    std::fprintf(stderr, "nab_score: pooled optimisation over %zu rows: median %.1f ms (min %.1f, max %.1f) of %d runs\n",
                 rows, ms[ms.size() / 2], ms.front(), ms.back(), bench);
  }
  if (!out_path.empty()) {
    std::ofstream out(out_path);
    out << report;
    if (!out) {
      std::cerr << "nab_score: cannot write " << out_path << "\n";
      return 1;
    }
  }
  return 0;
}
