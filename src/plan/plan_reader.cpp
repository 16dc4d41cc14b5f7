#include "plan/plan_reader.hpp"

#include <algorithm>
#include <charconv>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "plan/plan_file.hpp"

namespace faro::plan {
namespace {

// Digits "123" and an optional fraction ".45" of at most `max_decimals` digits, as an integer
// scaled by 10^max_decimals. False on anything else.
bool ParseScaled(std::string_view text, int max_decimals, int64_t& out) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  if (dot != std::string_view::npos && fraction.empty()) return false;
  if (static_cast<int>(fraction.size()) > max_decimals || whole.size() > 12) return false;
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  for (int i = 0; i < max_decimals; ++i) {
    int digit = 0;
    if (i < static_cast<int>(fraction.size())) {
      const char c = fraction[i];
      if (c < '0' || c > '9') return false;
      digit = c - '0';
    }
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

}  // namespace

absl::StatusOr<int> ParseShare(std::string_view text) {
  text = Trim(text);
  const std::string expected =
      StrCat("expected a percentage such as 20% or a fraction such as 0.2, got \"", text, "\"");
  int64_t value = 0;
  if (!text.empty() && text.back() == '%') {
    if (!ParseScaled(Trim(text.substr(0, text.size() - 1)), 2, value)) return absl::InvalidArgumentError(expected);
  } else if (!ParseScaled(text, 4, value)) {
    return absl::InvalidArgumentError(expected);
  } else if (value > kWholeShare) {
    return absl::InvalidArgumentError(
        StrCat("expected a fraction from 0 to 1 or a percentage such as 20%; \"", text,
               "\" would be more than 100% (write \"", text, "%\" for a percentage)"));
  }
  if (value > kWholeShare) return absl::InvalidArgumentError(StrCat("\"", text, "\" is more than 100%"));
  return static_cast<int>(value);
}

std::string ShareText(int basis_points) {
  std::string out = StrCat(basis_points / 100);
  if (const int rest = basis_points % 100; rest != 0) {
    out += '.';
    out += static_cast<char>('0' + rest / 10);
    if (rest % 10 != 0) out += static_cast<char>('0' + rest % 10);
  }
  return out + "%";
}

absl::Status ParseMoney(std::string_view text, std::string& amount, std::string& currency) {
  const std::string expected = StrCat("expected an amount and a currency such as \"150.00 USD\", got \"", text, "\"");
  const std::vector<std::string_view> parts = Split(text, " ", true);
  if (parts.size() != 2) return absl::InvalidArgumentError(expected);
  int64_t micros = 0;
  if (!ParseScaled(parts[0], 6, micros)) return absl::InvalidArgumentError(expected);
  if (micros <= 0) return absl::InvalidArgumentError(StrCat("the budget cap must be more than zero, got \"", text, "\""));
  const std::string_view code = parts[1];
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return absl::InvalidArgumentError(StrCat("expected a currency code of three capital letters (USD, EUR, ARS), got \"",
                                             code, "\""));
  amount = std::string(parts[0]);
  currency = std::string(code);
  return absl::OkStatus();
}

bool IsPlaceholder(std::string_view name) {
  return name == "business" || name == "subject" || name == "incident" || name == "title" || name == "plan";
}

namespace detail {

std::string Sub(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : StrCat(path, ".", key);
}

std::string Known(const std::set<std::string>& ids) {
  if (ids.empty()) return "none";
  return Join(std::vector<std::string>(ids.begin(), ids.end()), ", ");
}

PlanReader::PlanReader(std::string file, std::string_view source) : yaml_(std::move(file)), source_(source) {
  lines_ = Split(source_, "\n");
}

int PlanReader::Column(const YAML::Mark& mark) const {
  if (mark.line < 0 || mark.line >= static_cast<int>(lines_.size())) return mark.column + 1;
  const std::string_view line = lines_[mark.line];
  return static_cast<int>(CountCodePoints(line.substr(0, std::min<size_t>(mark.column, line.size())))) + 1;
}

void PlanReader::Err(const YAML::Node& node, std::string_view path, std::string_view what) {
  PlanError error;
  const YAML::Mark mark = node ? node.Mark() : YAML::Mark::null_mark();
  if (mark.is_null()) {
    error.message = StrCat(yaml_.file(), ": ", path, ": ", what);
  } else {
    error.line = mark.line + 1;
    error.column = Column(mark);
    error.message = StrCat(yaml_.file(), ":", error.line, ":", error.column, ": ", path, ": ", what);
  }
  errors_.push_back(std::move(error));
}

bool PlanReader::IsMap(const YAML::Node& node, std::string_view path, std::string_view expected) {
  if (node.IsMap()) return true;
  Err(node, path, expected);
  return false;
}

bool PlanReader::Map(const YAML::Node& node, std::string_view path, std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    Err(node, path, "expected a mapping (key: value)");
    return false;
  }
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      Err(kv.first, Sub(path, key), "given twice; keep one");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      Err(kv.first, Sub(path, key),
          StrCat("unknown key; expected one of: ", Join(std::vector<std::string>(allowed.begin(), allowed.end()), ", ")));
  }
  return true;
}

std::optional<std::string> PlanReader::Scalar(const YAML::Node& map, std::string_view key, std::string_view path,
                                              bool required) {
  const YAML::Node node = map[std::string(key)];
  const std::string where = Sub(path, key);
  if (!node || node.IsNull()) {
    if (required) Err(node ? node : map, where, "missing; it is required");
    return std::nullopt;
  }
  if (!node.IsScalar()) {
    Err(node, where, "expected a single value, not a list or a mapping");
    return std::nullopt;
  }
  std::string value = node.as<std::string>();
  if (value.empty()) {
    Err(node, where, "must not be empty");
    return std::nullopt;
  }
  return value;
}

bool PlanReader::CheckId(const YAML::Node& node, std::string_view path, const std::string& id, bool underscore) {
  const bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (underscore && c == '_');
  });
  if (!ok)
    Err(node, path,
        StrCat("\"", id, "\" is not a valid id: use lower-case letters, digits and '-'", underscore ? " or '_'" : ""));
  return ok;
}

std::optional<std::string> PlanReader::Id(const YAML::Node& map, std::string_view key, std::string_view path,
                                          bool required, bool underscore) {
  auto value = Scalar(map, key, path, required);
  if (!value) return std::nullopt;
  if (!CheckId(map[std::string(key)], Sub(path, key), *value, underscore)) return std::nullopt;
  return value;
}

void PlanReader::CheckPlaceholders(const YAML::Node& node, std::string_view path, const Text& text) {
  std::set<std::string> reported;
  for (const std::string* words : {&text.es, &text.en}) {
    size_t at = 0;
    while ((at = words->find('{', at)) != std::string::npos) {
      const size_t end = words->find('}', at);
      if (end == std::string::npos) break;
      const std::string name = words->substr(at + 1, end - at - 1);
      if (!IsPlaceholder(name) && reported.insert(name).second)
        Err(node, path,
            StrCat("unknown placeholder {", name, "}; texts may use {business}, {subject}, {incident}, {title}, {plan}"));
      at = end + 1;
    }
  }
}

std::optional<Text> PlanReader::TextAt(const YAML::Node& map, std::string_view key, std::string_view path,
                                       bool required) {
  const YAML::Node node = map[std::string(key)];
  const std::string where = Sub(path, key);
  if (!node || node.IsNull()) {
    if (required) Err(node ? node : map, where, "missing; it is required (a text, or { es: \"…\", en: \"…\" })");
    return std::nullopt;
  }
  auto text = TextFromYaml(node);
  if (!text.ok()) {
    // Point at the offending language key when there is one.
    Err(node, where, Message(text.status()));
    return std::nullopt;
  }
  CheckPlaceholders(node, where, *text);
  return *text;
}

std::optional<milliseconds> PlanReader::Duration(const YAML::Node& map, std::string_view key, std::string_view path,
                                                 std::optional<milliseconds> fallback) {
  const YAML::Node node = map[std::string(key)];
  const std::string where = Sub(path, key);
  if (!node || node.IsNull()) {
    if (!fallback) Err(node ? node : map, where, "missing; it is required (a duration such as 15m)");
    return fallback;
  }
  if (!node.IsScalar()) {
    Err(node, where, "expected a duration such as 30s, 15m or 2h");
    return std::nullopt;
  }
  auto parsed = ParseDuration(node.as<std::string>());
  if (!parsed.ok()) {
    Err(node, where, Message(parsed.status()));
    return std::nullopt;
  }
  if (parsed->count() <= 0) {
    Err(node, where, "must be longer than zero");
    return std::nullopt;
  }
  return *parsed;
}

std::optional<int> PlanReader::Share(const YAML::Node& map, std::string_view key, std::string_view path, int fallback) {
  const YAML::Node node = map[std::string(key)];
  if (!node || node.IsNull()) return fallback;
  const std::string where = Sub(path, key);
  if (!node.IsScalar()) {
    Err(node, where, "expected a percentage such as 20% or a fraction such as 0.2");
    return std::nullopt;
  }
  auto parsed = ParseShare(node.as<std::string>());
  if (!parsed.ok()) {
    Err(node, where, Message(parsed.status()));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<double> PlanReader::Number(const YAML::Node& map, std::string_view key, std::string_view path,
                                         double fallback) {
  const YAML::Node node = map[std::string(key)];
  if (!node || node.IsNull()) return fallback;
  const std::string where = Sub(path, key);
  const std::string text = node.IsScalar() ? node.as<std::string>() : std::string();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0) {
    Err(node, where, StrCat("expected a number of zero or more, got \"", text, "\""));
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> PlanReader::IdList(const YAML::Node& map, std::string_view key, std::string_view path,
                                            bool required, const std::set<std::string>* known, std::string_view what,
                                            bool underscore) {
  std::vector<std::string> out;
  const YAML::Node node = map[std::string(key)];
  const std::string where = Sub(path, key);
  if (!node || node.IsNull()) {
    if (required) Err(node ? node : map, where, "missing; it is required (a list such as [a, b])");
    return out;
  }
  std::vector<YAML::Node> items;
  if (node.IsScalar()) {
    items.push_back(node);
  } else if (node.IsSequence()) {
    for (const auto& item : node) items.push_back(item);
  } else {
    Err(node, where, "expected a list such as [a, b]");
    return out;
  }
  if (items.empty() && required) Err(node, where, "must not be empty");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string at = node.IsSequence() ? StrCat(where, "[", i, "]") : where;
    if (!items[i].IsScalar()) {
      Err(items[i], at, "expected an id");
      continue;
    }
    const std::string id = items[i].as<std::string>();
    if (!CheckId(items[i], at, id, underscore)) continue;
    if (known && !known->count(id)) {
      Err(items[i], at, StrCat("no ", what, " named \"", id, "\"; defined: ", Known(*known)));
      continue;
    }
    if (std::find(out.begin(), out.end(), id) != out.end()) {
      Err(items[i], at, StrCat("\"", id, "\" is listed twice"));
      continue;
    }
    out.push_back(id);
  }
  return out;
}

std::optional<std::string> PlanReader::Ref(const YAML::Node& map, std::string_view key, std::string_view path,
                                           bool required, const std::set<std::string>& known, std::string_view what,
                                           bool underscore) {
  auto id = Id(map, key, path, required, underscore);
  if (!id) return std::nullopt;
  if (!known.count(*id)) {
    Err(map[std::string(key)], Sub(path, key), StrCat("no ", what, " named \"", *id, "\"; defined: ", Known(known)));
    return std::nullopt;
  }
  return id;
}

std::optional<std::string> PlanReader::OneOf(const YAML::Node& map, std::string_view key, std::string_view path,
                                             std::initializer_list<std::string_view> allowed, std::string fallback) {
  const YAML::Node node = map[std::string(key)];
  if (!node || node.IsNull()) return fallback;
  auto value = Scalar(map, key, path, true);
  if (!value) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    Err(node, Sub(path, key),
        StrCat("expected one of: ", Join(std::vector<std::string>(allowed.begin(), allowed.end()), ", "), "; got \"",
               *value, "\""));
    return std::nullopt;
  }
  return value;
}

}  // namespace detail
}  // namespace faro::plan
