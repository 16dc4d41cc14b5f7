#pragma once
// Internal to the plan loader: a YAML reader that keeps going after an error, so a plan check
// lists every problem at once. Each helper reports what was wrong where and returns nothing
// (std::nullopt) for a bad value; the caller carries on with the next key.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_reader.hpp"
#include "plan/plan.hpp"

namespace faro::plan::detail {

struct PlanError {
  int line = 0, column = 0;  // 0 when the node has no position
  std::string message;
};

// What the steps may refer to: the ids each section defines.
struct PlanIndex {
  std::set<std::string> roles, channels, accounts, brands, playbooks;
  bool has_brands = false;
};

class PlanReader {
 public:
  // `source` is the YAML text, so columns count characters (yaml-cpp counts bytes; Spanish
  // texts have many two-byte letters before the place an error points at).
  PlanReader(std::string file, std::string_view source);

  const std::string& file() const { return yaml_.file(); }
  std::vector<PlanError>& errors() { return errors_; }

  void Err(const YAML::Node& node, std::string_view path, std::string_view what);
  // 1-based column of a mark, in characters.
  int Column(const YAML::Mark& mark) const;

  // A mapping whose keys are all in `allowed` (each unknown or repeated key is reported).
  // False when the node is not a mapping.
  bool Map(const YAML::Node& node, std::string_view path, std::initializer_list<std::string_view> allowed);
  bool IsMap(const YAML::Node& node, std::string_view path, std::string_view expected);

  // Scalar values of `map[key]`; absent → nullopt (an error when `required`).
  std::optional<std::string> Scalar(const YAML::Node& map, std::string_view key, std::string_view path, bool required);
  // An id: [a-z0-9-]+, or with `underscore` also '_' (channel and account ids as in faro.yaml).
  std::optional<std::string> Id(const YAML::Node& map, std::string_view key, std::string_view path, bool required,
                                bool underscore = false);
  bool CheckId(const YAML::Node& node, std::string_view path, const std::string& id, bool underscore = false);
  std::optional<Text> TextAt(const YAML::Node& map, std::string_view key, std::string_view path, bool required);
  // A duration; `fallback` when absent. Zero and negative durations are refused.
  std::optional<milliseconds> Duration(const YAML::Node& map, std::string_view key, std::string_view path,
                                       std::optional<milliseconds> fallback);
  std::optional<int> Share(const YAML::Node& map, std::string_view key, std::string_view path, int fallback);
  std::optional<double> Number(const YAML::Node& map, std::string_view key, std::string_view path, double fallback);
  // A list of ids (a single id is taken as a one-item list). `known` checks references:
  // each id must be in it, else "no <what> named X; defined: a, b".
  std::vector<std::string> IdList(const YAML::Node& map, std::string_view key, std::string_view path, bool required,
                                  const std::set<std::string>* known = nullptr, std::string_view what = {},
                                  bool underscore = false);
  // One reference (role, channel, account, ...): present in `known`.
  std::optional<std::string> Ref(const YAML::Node& map, std::string_view key, std::string_view path, bool required,
                                 const std::set<std::string>& known, std::string_view what, bool underscore = false);
  // One of the words of `allowed`; `fallback` when absent.
  std::optional<std::string> OneOf(const YAML::Node& map, std::string_view key, std::string_view path,
                                   std::initializer_list<std::string_view> allowed, std::string fallback);

 private:
  void CheckPlaceholders(const YAML::Node& node, std::string_view path, const Text& text);

  YamlReader yaml_;
  std::string source_;
  std::vector<std::string_view> lines_;
  std::vector<PlanError> errors_;
};

// Steps (plan_steps.cpp). `families` are the trigger kinds that run this playbook;
// `failing_platforms` the platforms whose failure runs it (a holding statement there would
// not arrive).
std::optional<Step> ReadStep(PlanReader& r, const YAML::Node& node, const std::string& path, const PlanIndex& index,
                             const Plan& plan, const std::set<TriggerKind>& families,
                             const std::set<std::string>& failing_platforms);
std::optional<Approval> ReadApproval(PlanReader& r, const YAML::Node& node, const std::string& path,
                                     const PlanIndex& index);

std::string Known(const std::set<std::string>& ids);
// "path.key", or "key" at the top of the file (empty path).
std::string Sub(std::string_view path, std::string_view key);  // "a, b, c" or "none"

}  // namespace faro::plan::detail
