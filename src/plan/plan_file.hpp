#pragma once
// Reads a contingency plan from YAML (docs/plans.md) and checks it whole: every error found is
// reported, not just the first, each as "FILE:LINE:COLUMN: key.path: what was expected", in
// the order they appear in the file.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "plan/plan.hpp"

namespace faro::plan {

struct PlanLoad {
  std::shared_ptr<const Plan> plan;  // set only when there is no error
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

// `file` names the plan in messages.
PlanLoad ReadPlanYaml(std::string_view yaml, const std::string& file);
PlanLoad ReadPlanFile(const std::string& path);
// The same, with every error in one status (one per line).
absl::StatusOr<std::shared_ptr<const Plan>> LoadPlanFile(const std::string& path);

// "20%", "12.5%" or a fraction such as 0.2 → basis points (2000). At most 100 %, at most two
// decimals of a percent.
absl::StatusOr<int> ParseShare(std::string_view text);
// Basis points as people read them: 2000 → "20%", 1250 → "12.5%".
std::string ShareText(int basis_points);
// "150.00 USD" → amount "150.00" and currency "USD" (a positive decimal, a 3-letter code).
absl::Status ParseMoney(std::string_view text, std::string& amount, std::string& currency);
// The placeholders texts may contain, replaced when an action is made: {business},
// {subject}, {incident}, {title}, {plan}.
bool IsPlaceholder(std::string_view name);

}  // namespace faro::plan
