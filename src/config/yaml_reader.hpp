#pragma once
// Reads a YAML configuration tree keeping the path ("channels[2].token_file") and the
// position, so every error says file:line:column, the key, and what was expected.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro {

// A rate such as "30/s", "20/min", "1/6s": `tokens` per `per`.
struct Rate {
  double tokens = 0;
  std::chrono::milliseconds per{1000};
  double PerSecond() const { return tokens * 1000.0 / static_cast<double>(per.count()); }
};

class YamlReader {
 public:
  // `file` names the configuration in messages; secret files are read relative to `base_dir`.
  explicit YamlReader(std::string file, std::filesystem::path base_dir = {})
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  const std::string& file() const { return file_; }

  absl::Status Error(const YAML::Node& node, std::string_view path, std::string_view what) const;

  // The node must be a mapping whose keys are all in `allowed`.
  absl::Status OnlyKeys(const YAML::Node& map, std::string_view path,
                        std::initializer_list<std::string_view> allowed) const;

  // Scalars. A missing optional key yields `fallback`.
  absl::StatusOr<std::string> String(const YAML::Node& map, std::string_view key, std::string_view path,
                                     bool required, std::string fallback = {}) const;
  absl::StatusOr<bool> Bool(const YAML::Node& map, std::string_view key, std::string_view path,
                            bool fallback = false) const;
  absl::StatusOr<int64_t> Int(const YAML::Node& map, std::string_view key, std::string_view path,
                              int64_t fallback, int64_t min, int64_t max) const;
  // "250ms", "30s", "5m", "2h", "1d".
  absl::StatusOr<std::chrono::milliseconds> Duration(const YAML::Node& map, std::string_view key,
                                                     std::string_view path,
                                                     std::chrono::milliseconds fallback) const;
  // "30/s", "20/min", "1/6s", "1000/h".
  absl::StatusOr<Rate> RateValue(const YAML::Node& map, std::string_view key, std::string_view path,
                                 Rate fallback) const;
  // Reads the secret named by `key` (a path, relative to the config's folder): its content with
  // trailing whitespace removed. Secrets never appear in the configuration or in messages.
  absl::StatusOr<std::string> SecretFile(const YAML::Node& map, std::string_view key, std::string_view path,
                                         bool required) const;

 private:
  std::string file_;
  std::filesystem::path base_dir_;
};

// Parsers shared with the CLI, each with a message saying what was expected.
absl::StatusOr<std::chrono::milliseconds> ParseDuration(std::string_view text);
absl::StatusOr<Rate> ParseRate(std::string_view text);

}  // namespace faro
