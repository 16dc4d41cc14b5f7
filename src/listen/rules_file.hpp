#pragma once
// Reads relevance rules from YAML (docs/listening.md, "Rules"; example:
// examples/listen/brand.yaml). Errors say file:line:column, the key, and what was expected;
// a bad query also says at which character of the query the problem is.
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "listen/rules.hpp"

namespace faro {

// `file` names the rules in messages.
absl::StatusOr<std::shared_ptr<const RuleSet>> ParseRulesYaml(std::string_view yaml, const std::string& file);
absl::StatusOr<std::shared_ptr<const RuleSet>> LoadRulesFile(const std::string& path);

}  // namespace faro
