#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/strings.hpp"

namespace faro {

absl::Status YamlReader::Error(const YAML::Node& node, std::string_view path, std::string_view what) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return absl::InvalidArgumentError(StrCat(file_, ": ", path, ": ", what));
  return absl::InvalidArgumentError(
      StrCat(file_, ":", mark.line + 1, ":", mark.column + 1, ": ", path, ": ", what));
}

absl::Status YamlReader::OnlyKeys(const YAML::Node& map, std::string_view path,
                                  std::initializer_list<std::string_view> allowed) const {
  if (!map.IsMap()) return Error(map, path, "expected a mapping (key: value)");
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return Error(kv.first, StrCat(path, ".", key),
                   StrCat("unknown key; expected one of: ",
                          Join(std::vector<std::string>(allowed.begin(), allowed.end()), ", ")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> YamlReader::String(const YAML::Node& map, std::string_view key,
                                               std::string_view path, bool required,
                                               std::string fallback) const {
  const YAML::Node node = map[std::string(key)];
  const std::string where = StrCat(path, ".", key);
  if (!node) {
    if (required) return Error(map, where, "missing; it is required");
    return fallback;
  }
  if (!node.IsScalar()) return Error(node, where, "expected a text value");
  std::string value = node.as<std::string>();
  if (required && value.empty()) return Error(node, where, "must not be empty");
  return value;
}

absl::StatusOr<bool> YamlReader::Bool(const YAML::Node& map, std::string_view key, std::string_view path,
                                      bool fallback) const {
  const YAML::Node node = map[std::string(key)];
  if (!node) return fallback;
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))
    return Error(node, StrCat(path, ".", key), "expected true or false");
  return value;
}

absl::StatusOr<int64_t> YamlReader::Int(const YAML::Node& map, std::string_view key, std::string_view path,
                                        int64_t fallback, int64_t min, int64_t max) const {
  const YAML::Node node = map[std::string(key)];
  if (!node) return fallback;
  const std::string where = StrCat(path, ".", key);
  if (!node.IsScalar()) return Error(node, where, "expected a whole number");
  const std::string text = node.as<std::string>();
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return Error(node, where, StrCat("expected a whole number, got \"", text, "\""));
  if (value < min || value > max)
    return Error(node, where, StrCat("expected a number from ", min, " to ", max, ", got ", value));
  return value;
}

absl::StatusOr<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  text = Trim(text);
  size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
    ++digits;
  const std::string_view unit = text.substr(digits);
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
  if (digits == 0 || ec != std::errc() || end != text.data() + digits)
    return absl::InvalidArgumentError(StrCat("expected a duration such as 500ms, 30s, 5m, 2h or 1d, got \"", text, "\""));
  double ms = 0;
  if (unit == "ms") ms = number;
  else if (unit == "s") ms = number * 1e3;
  else if (unit == "m" || unit == "min") ms = number * 60e3;
  else if (unit == "h") ms = number * 3600e3;
  else if (unit == "d") ms = number * 86400e3;
  else
    return absl::InvalidArgumentError(StrCat("expected a duration such as 500ms, 30s, 5m, 2h or 1d, got \"", text, "\""));
  return std::chrono::milliseconds(static_cast<int64_t>(ms + 0.5));
}

absl::StatusOr<Rate> ParseRate(std::string_view text) {
  const std::string bad = StrCat("expected a rate such as 30/s, 20/min or 1/6s, got \"", text, "\"");
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return absl::InvalidArgumentError(bad);
  const std::string_view count = Trim(text.substr(0, slash));
  std::string_view per = Trim(text.substr(slash + 1));
  Rate rate;
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), rate.tokens);
  if (count.empty() || ec != std::errc() || end != count.data() + count.size() || rate.tokens <= 0)
    return absl::InvalidArgumentError(bad);
  if (per == "s" || per == "sec") per = "1s";
  else if (per == "min" || per == "m") per = "1m";
  else if (per == "h") per = "1h";
  const auto duration = ParseDuration(per);
  if (!duration.ok() || duration->count() <= 0) return absl::InvalidArgumentError(bad);
  rate.per = *duration;
  return rate;
}

absl::StatusOr<std::chrono::milliseconds> YamlReader::Duration(const YAML::Node& map, std::string_view key,
                                                               std::string_view path,
                                                               std::chrono::milliseconds fallback) const {
  const YAML::Node node = map[std::string(key)];
  if (!node) return fallback;
  const std::string where = StrCat(path, ".", key);
  if (!node.IsScalar()) return Error(node, where, "expected a duration such as 30s");
  const auto parsed = ParseDuration(node.as<std::string>());
  if (!parsed.ok()) return Error(node, where, Message(parsed.status()));
  return *parsed;
}

absl::StatusOr<Rate> YamlReader::RateValue(const YAML::Node& map, std::string_view key, std::string_view path,
                                           Rate fallback) const {
  const YAML::Node node = map[std::string(key)];
  if (!node) return fallback;
  const std::string where = StrCat(path, ".", key);
  if (!node.IsScalar()) return Error(node, where, "expected a rate such as 30/s");
  const auto parsed = ParseRate(node.as<std::string>());
  if (!parsed.ok()) return Error(node, where, Message(parsed.status()));
  return *parsed;
}

absl::StatusOr<std::string> YamlReader::SecretFile(const YAML::Node& map, std::string_view key,
                                                   std::string_view path, bool required) const {
  FARO_ASSIGN_OR_RETURN(const std::string name, String(map, key, path, required));
  if (name.empty()) return std::string();
  std::filesystem::path file(name);
  if (file.is_relative() && !base_dir_.empty()) file = base_dir_ / file;
  std::ifstream in(file, std::ios::binary);
  const YAML::Node node = map[std::string(key)];
  if (!in) return Error(node, StrCat(path, ".", key), StrCat("cannot read the secret file ", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret(Trim(text.str()));
  if (secret.empty()) return Error(node, StrCat(path, ".", key), StrCat("the secret file ", file.string(), " is empty"));
  return secret;
}

}  // namespace faro
