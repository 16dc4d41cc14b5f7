// nab_faro: runs Faro's VolumeDetector over NAB data files and scores it.
//
//   nab_faro detect --data DATA_DIR --out OUT_DIR [--windows FILE] [--set name=value]...
//       writes OUT_DIR/faroVolume/<category>/faroVolume_<file>.csv (NAB's results layout) for
//       every CSV under DATA_DIR, then, when a windows file is given, OUT_DIR/scores.md.
//   nab_faro lofo --data DATA_DIR --windows FILE [--folders a,b] [--out FILE]
//       leave-one-file-out choice of parameters from the grid below (see README.md).
//
// The detector sees each file's timestamps and values only; the labels are read by the scorer.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "core/strings.hpp"
#include "nab_files.hpp"
#include "nab_report.hpp"
#include "spike/volume_detector.hpp"

namespace faro::nab {
namespace {

namespace fs = std::filesystem;
using spike::VolumeParams;
constexpr const char* kDetector = "faroVolume";

struct DataFile {
  std::string key;
  Series series;
  std::vector<int64_t> times;  // unix seconds
  std::vector<Window> windows;  // empty unless labels were loaded (never shown to the detector)
  size_t nudged = 0;            // rows whose time did not move forward
};

// ------------------------------------------------------------------ parameters by name

using Setter = std::function<void(VolumeParams&, double)>;
std::chrono::seconds Hours(double h) { return std::chrono::seconds(static_cast<int64_t>(h * 3600)); }

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> setters = {
      {"anscombe", [](VolumeParams& p, double v) {
         p.transform = v != 0 ? spike::CountTransform::kAnscombe : spike::CountTransform::kLog;
       }},
      {"max_evidence", [](VolumeParams& p, double v) { p.max_evidence = v; }},
      {"counting_noise", [](VolumeParams& p, double v) { p.counting_noise = v != 0; }},
      {"max_fall_z", [](VolumeParams& p, double v) { p.max_fall_z = v; }},
      {"min_fall_count", [](VolumeParams& p, double v) { p.min_fall_count = v; }},
      {"watch_drops", [](VolumeParams& p, double v) { p.watch_drops = v != 0; }},
      {"habituation", [](VolumeParams& p, double v) { p.habituation = v; }},
      {"habituation_memory_h", [](VolumeParams& p, double v) { p.habituation_memory = Hours(v); }},
      {"count_offset", [](VolumeParams& p, double v) { p.count_offset = v; }},
      {"level_memory_h", [](VolumeParams& p, double v) { p.level_memory = Hours(v); }},
      {"season_memory_days", [](VolumeParams& p, double v) { p.season_memory_days = v; }},
      {"slot_min", [](VolumeParams& p, double v) { p.slot_width = Hours(v / 60); }},
      {"weekly", [](VolumeParams& p, double v) { p.weekly = v != 0; }},
      {"scale_memory_h", [](VolumeParams& p, double v) { p.scale_memory = Hours(v); }},
      {"min_scale", [](VolumeParams& p, double v) { p.min_scale = v; }},
      {"slack", [](VolumeParams& p, double v) { p.slack = v; }},
      {"clip", [](VolumeParams& p, double v) { p.clip = v; }},
      {"score_half", [](VolumeParams& p, double v) { p.score_half = v; }},
      {"min_evidence", [](VolumeParams& p, double v) { p.min_evidence = v; }},
      {"hold_off_h", [](VolumeParams& p, double v) { p.hold_off = Hours(v); }},
      {"escalate_at", [](VolumeParams& p, double v) { p.escalate_at = v; }},
      {"adapt_after_h", [](VolumeParams& p, double v) { p.adapt_after = Hours(v); }},
      {"warm_up_h", [](VolumeParams& p, double v) { p.warm_up = Hours(v); }},
      {"max_gap_h", [](VolumeParams& p, double v) { p.max_gap = Hours(v); }},
      {"record_memory_h", [](VolumeParams& p, double v) { p.record_memory = Hours(v); }},
      {"record_score", [](VolumeParams& p, double v) { p.record_score = v; }},
      {"min_record_count", [](VolumeParams& p, double v) { p.min_record_count = v; }},
      {"record_min_z", [](VolumeParams& p, double v) { p.record_min_z = v; }},
  };
  return setters;
}

absl::Status Apply(VolumeParams& p, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    return absl::InvalidArgumentError(StrCat("--set ", assignment, ": expected name=value"));
  }
  const std::string name = assignment.substr(0, eq);
  const auto it = Setters().find(name);
  if (it == Setters().end()) {
    std::string known;
    for (const auto& [n, _] : Setters()) StrAppend(known, known.empty() ? "" : ", ", n);
    return absl::InvalidArgumentError(StrCat("--set: unknown parameter ", name, " (known: ", known, ")"));
  }
  double v = 0;
  const char* b = assignment.data() + eq + 1;
  const char* e = assignment.data() + assignment.size();
  auto [end, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || end != e) {
    return absl::InvalidArgumentError(StrCat("--set ", assignment, ": the value is not a number"));
  }
  it->second(p, v);
  return absl::OkStatus();  // the whole set is validated once every assignment is applied
}

// ------------------------------------------------------------------ data and detection

absl::StatusOr<std::vector<DataFile>> LoadData(const fs::path& dir, const WindowLabels* labels,
                                               const std::vector<std::string>& folders) {
  FARO_ASSIGN_OR_RETURN(std::vector<fs::path> files, ListCsvFiles(dir, /*skip_top_level=*/false));
  std::vector<DataFile> out;
  for (const fs::path& rel : files) {
    DataFile f;
    f.key = rel.generic_string();
    if (!folders.empty() &&
        std::find(folders.begin(), folders.end(), CategoryOf(f.key)) == folders.end()) {
      continue;
    }
    FARO_ASSIGN_OR_RETURN(f.series, ReadSeriesCsv(dir / rel, /*want_scores=*/false));
    if (f.series.timestamps.size() < 2) {
      return absl::InvalidArgumentError(StrCat(f.key, ": fewer than two rows"));
    }
    for (size_t i = 0; i < f.series.timestamps.size(); ++i) {
      auto t = ParseNabTime(f.series.timestamps[i]);
      if (!t.ok()) return absl::InvalidArgumentError(StrCat(f.key, ":", i + 2, ": ", faro::Message(t.status())));
      // A few NAB rows repeat or step back in time (clock changes in the source data). The
      // detector needs time to move forward, so such a row is fed one second after the one
      // before it, and counted.
      if (!f.times.empty() && *t <= f.times.back()) {
        ++f.nudged;
        f.times.push_back(f.times.back() + 1);
      } else {
        f.times.push_back(*t);
      }
    }
    if (labels != nullptr) {
      FARO_ASSIGN_OR_RETURN(f.windows, ResolveWindows(f.key, f.series.timestamps, *labels));
    }
    if (f.nudged > 0) {
      std::fprintf(stderr, "nab_faro: %s: %zu rows repeat or step back in time; each is fed one "
                   "second after the row before it\n", f.key.c_str(), f.nudged);
    }
    out.push_back(std::move(f));
  }
  if (out.empty()) return absl::NotFoundError(StrCat(dir.string(), ": no CSV files to score"));
  return out;
}

// The file's usual step (the median gap between rows): NAB files are 5-minute, 30-minute or
// hourly buckets, some with missing rows.
std::chrono::seconds StepOf(const DataFile& f) {
  std::vector<int64_t> gaps;
  for (size_t i = 1; i < f.times.size(); ++i) gaps.push_back(f.times[i] - f.times[i - 1]);
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<long>(gaps.size() / 2), gaps.end());
  return std::chrono::seconds(gaps[gaps.size() / 2]);
}

absl::StatusOr<std::vector<double>> Detect(const DataFile& f, VolumeParams params) {
  params.bucket_width = StepOf(f);
  spike::VolumeDetector detector(params);
  std::vector<double> scores;
  scores.reserve(f.times.size());
  for (size_t i = 0; i < f.times.size(); ++i) {
    auto s = detector.Observe(FromUnixMillis(f.times[i] * 1000), f.series.values[i]);
    if (!s.ok()) return absl::InvalidArgumentError(StrCat(f.key, ":", i + 2, ": ", faro::Message(s.status())));
    scores.push_back(*s);
  }
  return scores;
}

absl::StatusOr<std::vector<ScoredFile>> DetectAll(const std::vector<DataFile>& data,
                                                  const VolumeParams& params) {
  std::vector<ScoredFile> out;
  for (const DataFile& f : data) {
    FARO_ASSIGN_OR_RETURN(std::vector<double> scores, Detect(f, params));
    out.push_back({f.key, std::move(scores), f.windows});
  }
  return out;
}

std::string Shortest(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

absl::Status WriteResults(const fs::path& out_dir, const DataFile& f, const std::vector<double>& scores) {
  const fs::path rel(f.key);
  const fs::path path = out_dir / kDetector / rel.parent_path() /
                        (std::string(kDetector) + "_" + rel.filename().string());
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return absl::InternalError(StrCat("cannot create ", path.parent_path().string(), ": ", ec.message()));
  std::ofstream out(path);
  out << "timestamp,value,anomaly_score\n";
  for (size_t i = 0; i < scores.size(); ++i) {
    out << f.series.timestamps[i] << ',' << Shortest(f.series.values[i]) << ',' << Shortest(scores[i]) << '\n';
  }
  out.close();
  if (!out) return absl::InternalError(StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

// ------------------------------------------------------------------ the grid

struct GridAxis {
  std::string name;
  std::vector<double> values;
};

// Small on purpose: every axis is a design question, not a fit to the labels. max_evidence
// stays at or above escalate_at (40), or a storm could never be told (the detector refuses
// such a set); min_evidence is the CUSUM's decision interval, the line between noise and news.
std::vector<GridAxis> Grid() {
  return {
      {"habituation", {0.4, 0.6}},
      {"hold_off_h", {12, 24}},
      {"max_evidence", {50, 100}},
      {"watch_drops", {0, 1}},
      {"min_evidence", {3, 4, 5, 6}},
      {"record_memory_h", {0, 168, 336, 576}},
  };
}

std::vector<std::vector<double>> Combinations(const std::vector<GridAxis>& grid) {
  std::vector<std::vector<double>> out = {{}};
  for (const GridAxis& axis : grid) {
    std::vector<std::vector<double>> next;
    for (const auto& partial : out) {
      for (double v : axis.values) {
        auto c = partial;
        c.push_back(v);
        next.push_back(std::move(c));
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string Describe(const std::vector<GridAxis>& grid, const std::vector<double>& combo) {
  std::string out;
  for (size_t i = 0; i < grid.size(); ++i) {
    StrAppend(out, i ? " " : "", grid[i].name, "=", Shortest(combo[i]));
  }
  return out;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

int RunLofo(const std::vector<DataFile>& data, const VolumeParams& base, const fs::path& out_path) {
  const auto grid = Grid();
  const auto combos = Combinations(grid);
  const Profile standard = NabProfiles()[0];
  std::fprintf(stderr, "lofo: %zu files, %zu parameter sets\n", data.size(), combos.size());
  std::vector<std::vector<ScoredFile>> runs;
  for (const auto& combo : combos) {
    VolumeParams p = base;
    for (size_t i = 0; i < grid.size(); ++i) {
      if (auto st = Apply(p, StrCat(grid[i].name, "=", Shortest(combo[i]))); !st.ok()) {
        std::cerr << "lofo: " << st.message() << "\n";
        return 1;
      }
    }
    if (auto st = spike::ValidateVolumeParams(p); !st.ok()) {
      std::cerr << "lofo: " << Describe(grid, combo) << ": " << st.message() << "\n";
      return 1;
    }
    auto run = DetectAll(data, p);
    if (!run.ok()) {
      std::cerr << "lofo: " << run.status().message() << "\n";
      return 1;
    }
    runs.push_back(std::move(*run));
  }
  auto defaults = DetectAll(data, base);
  if (!defaults.ok()) {
    std::cerr << "lofo: " << defaults.status().message() << "\n";
    return 1;
  }

  // The choice on all files (what the committed defaults should be).
  size_t best_all = 0;
  double best_all_score = -1e300;
  std::vector<double> all_scores;
  for (size_t c = 0; c < combos.size(); ++c) {
    const double s = OptimiseThreshold(runs[c], standard).score;
    all_scores.push_back(s);
    if (s > best_all_score) {
      best_all_score = s;
      best_all = c;
    }
  }

  // Leave one file out: choose on the others, score the held-out file at the chosen set's
  // threshold (tuned on the others too).
  std::vector<ScoredFile> held_out;  // the held-out files' scores under their chosen sets
  std::vector<double> held_threshold;
  std::vector<size_t> chosen;
  std::vector<const ScoredFile*> others;
  for (size_t f = 0; f < data.size(); ++f) {
    size_t best = 0;
    double best_score = -1e300, best_threshold = 0;
    for (size_t c = 0; c < combos.size(); ++c) {
      others.clear();
      for (size_t g = 0; g < data.size(); ++g) {
        if (g != f) others.push_back(&runs[c][g]);
      }
      const ThresholdRecord r = OptimiseThreshold(std::span<const ScoredFile* const>(others), standard);
      if (r.score > best_score) {
        best_score = r.score;
        best = c;
        best_threshold = r.threshold;
      }
    }
    chosen.push_back(best);
    held_out.push_back(runs[best][f]);
    held_threshold.push_back(best_threshold);
    std::fprintf(stderr, "lofo: %s -> %s\n", data[f].key.c_str(), Describe(grid, combos[best]).c_str());
  }

  std::string report = "# Leave-one-file-out parameter choice for faroVolume\n\n";
  StrAppend(report, "Grid (", combos.size(), " sets; every other parameter at its committed default):\n\n");
  for (const GridAxis& a : grid) {
    StrAppend(report, "- `", a.name, "`:");
    for (double v : a.values) StrAppend(report, " ", Shortest(v));
    StrAppend(report, "\n");
  }
  StrAppend(report, "\nChoice on all ", data.size(), " files (standard profile): `",
            Describe(grid, combos[best_all]), "`\n\n");
  // Groups: the LOFO files each scored at their own chosen set and threshold.
  StrAppend(report,
            "| files | LOFO: set and threshold chosen on the other files | LOFO set, threshold tuned "
            "by NAB on the group | committed defaults, threshold tuned by NAB on the group |\n"
            "|---|---|---|---|\n");
  std::vector<ScoredFile> default_files = *defaults;
  std::map<std::string, size_t> index_of;
  for (size_t f = 0; f < data.size(); ++f) index_of[data[f].key] = f;
  std::vector<std::pair<std::string, std::vector<size_t>>> groups;
  for (const auto& [name, files] : GroupByFolder(default_files)) {
    std::vector<size_t> members;
    for (const ScoredFile& file : files) members.push_back(index_of[file.key]);
    groups.emplace_back(name, std::move(members));
  }
  for (const auto& [name, members] : groups) {
    std::vector<ScoredFile> null_files, def;
    double raw = 0, perfect = 0;
    for (size_t f : members) {
      raw += ScoreAtThreshold(held_out[f], standard, held_threshold[f]).score;
      perfect += static_cast<double>(data[f].windows.size());
      ScoredFile nf = held_out[f];
      std::fill(nf.scores.begin(), nf.scores.end(), 0.5);
      null_files.push_back(std::move(nf));
      def.push_back(default_files[f]);
    }
    const double null_raw = ScoreGroup(null_files, standard).raw;
    const double lofo = 100.0 * (raw - null_raw) / (perfect - null_raw);
    const double with_defaults = ScoreGroup(def, standard).normalised;
    std::vector<ScoredFile> chosen_files;
    for (size_t f : members) chosen_files.push_back(held_out[f]);
    const double lofo_nab_threshold = ScoreGroup(chosen_files, standard).normalised;
    StrAppend(report, "| ", name, " (", members.size(), ") | **", Fixed(lofo, 1), "** | ",
              Fixed(lofo_nab_threshold, 1), " | ", Fixed(with_defaults, 1), " |\n");
  }
  StrAppend(report, "\nSet chosen for each held-out file (on the other files):\n\n| file | chosen set | raw score of the held-out file |\n|---|---|---|\n");
  for (size_t f = 0; f < data.size(); ++f) {
    StrAppend(report, "| ", data[f].key, " | `", Describe(grid, combos[chosen[f]]), "` | ",
              Fixed(ScoreAtThreshold(held_out[f], standard, held_threshold[f]).score, 3), " |\n");
  }
  // The ten best sets on all files, for the record.
  std::vector<size_t> order(combos.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return all_scores[a] > all_scores[b]; });
  StrAppend(report, "\nBest sets on all files (raw standard score at the tuned threshold):\n\n| set | raw |\n|---|---|\n");
  for (size_t i = 0; i < std::min<size_t>(10, order.size()); ++i) {
    StrAppend(report, "| `", Describe(grid, combos[order[i]]), "` | ", Fixed(all_scores[order[i]], 3), " |\n");
  }
  std::cout << report;
  if (!out_path.empty()) {
    std::ofstream out(out_path);
    out << report;
    if (!out) {
      std::cerr << "lofo: cannot write " << out_path << "\n";
      return 1;
    }
  }
  return 0;
}

std::vector<std::string> SplitFolders(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view v : Split(text, ",", true)) out.emplace_back(v);
  return out;
}

}  // namespace
}  // namespace faro::nab

int main(int argc, char** argv) {
  using namespace faro::nab;
  CLI::App app{"Runs Faro's volume detector over NAB data and scores it."};
  app.require_subcommand(1);
  std::string data_dir, out_dir, windows_path, folders, lofo_out;
  std::vector<std::string> sets;
  auto* detect = app.add_subcommand("detect", "write NAB results for every CSV under --data");
  detect->add_option("--data", data_dir, "NAB data folder (<category>/<file>.csv)")->required();
  detect->add_option("--out", out_dir, "output folder")->required();
  detect->add_option("--windows", windows_path, "combined_windows.json: also score into OUT/scores.md");
  detect->add_option("--set", sets, "override a parameter: name=value (repeatable)");
  detect->add_option("--folders", folders, "only these folders (comma-separated)");
  auto* lofo = app.add_subcommand("lofo", "leave-one-file-out choice of parameters");
  lofo->add_option("--data", data_dir, "NAB data folder")->required();
  lofo->add_option("--windows", windows_path, "combined_windows.json")->required();
  lofo->add_option("--set", sets, "override a default parameter: name=value (repeatable)");
  lofo->add_option("--folders", folders, "only these folders (comma-separated)");
  lofo->add_option("--out", lofo_out, "also write the Markdown report here");
  CLI11_PARSE(app, argc, argv);

  faro::spike::VolumeParams params;
  for (const std::string& s : sets) {
    if (auto st = Apply(params, s); !st.ok()) {
      std::cerr << "nab_faro: " << st.message() << "\n";
      return 2;
    }
  }
  if (auto st = faro::spike::ValidateVolumeParams(params); !st.ok()) {
    std::cerr << "nab_faro: --set: " << st.message() << "\n";
    return 2;
  }
  std::optional<WindowLabels> labels;
  if (!windows_path.empty()) {
    auto loaded = LoadWindowLabels(windows_path);
    if (!loaded.ok()) {
      std::cerr << "nab_faro: " << loaded.status().message() << "\n";
      return 1;
    }
    labels = std::move(*loaded);
  }
  auto data = LoadData(data_dir, labels ? &*labels : nullptr, SplitFolders(folders));
  if (!data.ok()) {
    std::cerr << "nab_faro: " << data.status().message() << "\n";
    return 1;
  }
  if (lofo->parsed()) return RunLofo(*data, params, lofo_out);

  const auto start = std::chrono::steady_clock::now();
  std::vector<ScoredFile> scored;
  size_t rows = 0;
  for (const DataFile& f : *data) {
    auto scores = Detect(f, params);
    if (!scores.ok()) {
      std::cerr << "nab_faro: " << scores.status().message() << "\n";
      return 1;
    }
    rows += scores->size();
    scored.push_back({f.key, *scores, f.windows});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t i = 0; i < data->size(); ++i) {
    if (auto st = WriteResults(out_dir, (*data)[i], scored[i].scores); !st.ok()) {
      std::cerr << "nab_faro: " << st.message() << "\n";
      return 1;
    }
  }
  std::fprintf(stderr, "nab_faro: %zu files, %zu rows, detector %.3f s (%.0f rows/s)\n", data->size(),
               rows, seconds, static_cast<double>(rows) / seconds);
  if (!labels) return 0;
  ReportOptions options{kDetector, std::nullopt, true};
  std::string report = ScoreReport(scored, NabProfiles(), options);
  std::cout << report;
  std::ofstream out(fs::path(out_dir) / "scores.md");
  out << report;
  if (!out) {
    std::cerr << "nab_faro: cannot write " << (fs::path(out_dir) / "scores.md").string() << "\n";
    return 1;
  }
  return 0;
}
