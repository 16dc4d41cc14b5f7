#include "nab_files.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/strings.hpp"

namespace faro::nab {
namespace fs = std::filesystem;

namespace {

absl::StatusOr<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot open ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// NAB writes window limits as "2015-02-26 21:42:53.000000"; rows have no fraction.
std::string WithoutZeroFraction(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot != std::string_view::npos &&
      text.find_first_not_of('0', dot + 1) == std::string_view::npos) {
    text = text.substr(0, dot);
  }
  return std::string(text);
}

bool ParseDouble(std::string_view text, double& out) {
  text = Trim(text);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

}  // namespace

absl::StatusOr<WindowLabels> LoadWindowLabels(const fs::path& path) {
  FARO_ASSIGN_OR_RETURN(std::string text, ReadWhole(path));
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError(StrCat(path.string(), ": not a JSON object of windows"));
  }
  WindowLabels labels;
  for (auto& [key, windows] : doc.items()) {
    auto& out = labels[key];
    if (!windows.is_array()) {
      return absl::InvalidArgumentError(StrCat(path.string(), ": ", key, ": windows must be a list"));
    }
    for (const auto& w : windows) {
      if (!w.is_array() || w.size() != 2 || !w[0].is_string() || !w[1].is_string()) {
        return absl::InvalidArgumentError(
            StrCat(path.string(), ": ", key, ": a window must be [start, end] timestamps"));
      }
      out.emplace_back(WithoutZeroFraction(w[0].get<std::string>()),
                       WithoutZeroFraction(w[1].get<std::string>()));
    }
  }
  return labels;
}

absl::StatusOr<std::vector<Profile>> LoadProfiles(const fs::path& path) {
  FARO_ASSIGN_OR_RETURN(std::string text, ReadWhole(path));
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError(StrCat(path.string(), ": not a JSON object of profiles"));
  }
  std::vector<Profile> out;
  // Keep NAB's order: standard, low FP, low FN (the file's own order is not guaranteed).
  for (const Profile& known : NabProfiles()) {
    if (!doc.contains(known.name)) {
      return absl::InvalidArgumentError(StrCat(path.string(), ": no profile ", known.name));
    }
    const auto& m = doc[known.name]["CostMatrix"];
    if (!m.is_object() || !m["tpWeight"].is_number() || !m["fpWeight"].is_number() ||
        !m["fnWeight"].is_number()) {
      return absl::InvalidArgumentError(
          StrCat(path.string(), ": ", known.name, ": CostMatrix needs tpWeight, fpWeight, fnWeight"));
    }
    out.push_back({known.name, m["tpWeight"].get<double>(), m["fpWeight"].get<double>(),
                   m["fnWeight"].get<double>()});
  }
  return out;
}

absl::StatusOr<Series> ReadSeriesCsv(const fs::path& path, bool want_scores) {
  FARO_ASSIGN_OR_RETURN(std::string text, ReadWhole(path));
  Series series;
  std::string_view rest = text;
  size_t line_no = 0;
  int ts_col = -1, value_col = -1, score_col = -1;
  size_t columns = 0;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::vector<std::string_view> cells = Split(line, ",");
    if (ts_col < 0) {
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string_view name = Trim(cells[c]);
        if (name == "timestamp") ts_col = static_cast<int>(c);
        if (name == "value") value_col = static_cast<int>(c);
        if (name == "anomaly_score") score_col = static_cast<int>(c);
      }
      if (ts_col < 0 || value_col < 0 || (want_scores && score_col < 0)) {
        return absl::InvalidArgumentError(
            StrCat(path.string(), ":1: the header needs timestamp,value",
                   want_scores ? ",anomaly_score" : "", " columns"));
      }
      columns = cells.size();
      continue;
    }
    if (cells.size() != columns) {
      return absl::InvalidArgumentError(StrCat(path.string(), ":", line_no, ": ", cells.size(),
                                               " cells where the header has ", columns));
    }
    double value = 0;
    if (!ParseDouble(cells[static_cast<size_t>(value_col)], value)) {
      return absl::InvalidArgumentError(StrCat(path.string(), ":", line_no,
                                               ": value is not a finite number"));
    }
    series.timestamps.emplace_back(Trim(cells[static_cast<size_t>(ts_col)]));
    series.values.push_back(value);
    if (want_scores) {
      double score = 0;
      if (!ParseDouble(cells[static_cast<size_t>(score_col)], score)) {
        return absl::InvalidArgumentError(StrCat(path.string(), ":", line_no,
                                                 ": anomaly_score is not a finite number"));
      }
      series.scores.push_back(score);
    }
  }
  if (ts_col < 0) return absl::InvalidArgumentError(StrCat(path.string(), ": empty file"));
  return series;
}

absl::StatusOr<int64_t> ParseNabTime(std::string_view text) {
  // YYYY-MM-DD HH:MM:SS
  auto num = [&](size_t at, size_t len, int& out) {
    if (at + len > text.size()) return false;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc() && end == text.data() + at + len;
  };
  int y, mo, d, h, mi, s;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') ||
      text[13] != ':' || text[16] != ':' || !num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) ||
      !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, s) || mo < 1 || mo > 12 || d < 1 ||
      d > 31 || h > 23 || mi > 59 || s > 60) {
    return absl::InvalidArgumentError(
        StrCat("\"", text, "\" is not a time like 2015-02-26 21:42:53"));
  }
  // Days from civil date (proleptic Gregorian).
  const int yy = y - (mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(mo + (mo > 2 ? -3 : 9)) + 2) / 5 +
                       static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

absl::StatusOr<std::vector<Window>> ResolveWindows(const std::string& key,
                                                   const std::vector<std::string>& timestamps,
                                                   const WindowLabels& labels) {
  const auto it = labels.find(key);
  if (it == labels.end()) {
    return absl::NotFoundError(StrCat(key, ": not in the windows file"));
  }
  std::vector<Window> out;
  auto index_of = [&](const std::string& t) -> std::optional<size_t> {
    const auto pos = std::find(timestamps.begin(), timestamps.end(), t);
    if (pos == timestamps.end()) return std::nullopt;
    return static_cast<size_t>(pos - timestamps.begin());
  };
  for (const auto& [first, last] : it->second) {
    const auto a = index_of(first), b = index_of(last);
    if (!a || !b || *b < *a) {
      return absl::InvalidArgumentError(
          StrCat(key, ": window [", first, ", ", last, "] does not match the file's rows"));
    }
    if (!out.empty() && *a <= out.back().last) {
      return absl::InvalidArgumentError(StrCat(key, ": window starting ", first,
                                               " overlaps or precedes the one before it"));
    }
    out.push_back({*a, *b});
  }
  return out;
}

absl::StatusOr<std::vector<fs::path>> ListCsvFiles(const fs::path& dir, bool skip_top_level) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(StrCat(dir.string(), " is not a directory"));
  }
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".csv") continue;
    fs::path rel = fs::relative(it->path(), dir);
    if (skip_top_level && !rel.has_parent_path()) continue;
    out.push_back(rel);
  }
  if (ec) return absl::InternalError(StrCat("listing ", dir.string(), ": ", ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<ScoredFile>> LoadResults(const fs::path& dir, std::string detector,
                                                    const WindowLabels& labels) {
  if (detector.empty()) detector = fs::absolute(dir).lexically_normal().filename().string();
  if (detector.empty()) detector = fs::absolute(dir).lexically_normal().parent_path().filename().string();
  FARO_ASSIGN_OR_RETURN(std::vector<fs::path> files, ListCsvFiles(dir, /*skip_top_level=*/true));
  if (files.empty()) {
    return absl::NotFoundError(StrCat(dir.string(), ": no <category>/<detector>_<file>.csv results"));
  }
  std::vector<ScoredFile> out;
  const std::string prefix = detector + "_";
  for (const fs::path& rel : files) {
    std::string name = rel.filename().string();
    if (name.rfind(prefix, 0) != 0) {
      return absl::InvalidArgumentError(StrCat(rel.string(), ": a results file of detector ",
                                               detector, " must be named ", prefix, "<file>.csv"));
    }
    const std::string key = (rel.parent_path() / name.substr(prefix.size())).generic_string();
    FARO_ASSIGN_OR_RETURN(Series series, ReadSeriesCsv(dir / rel, /*want_scores=*/true));
    FARO_ASSIGN_OR_RETURN(std::vector<Window> windows,
                          ResolveWindows(key, series.timestamps, labels));
    out.push_back({key, std::move(series.scores), std::move(windows)});
  }
  return out;
}

std::string CategoryOf(const std::string& key) {
  const size_t slash = key.rfind('/');
  return slash == std::string::npos ? std::string() : key.substr(0, slash);
}

}  // namespace faro::nab
