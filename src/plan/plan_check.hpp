#pragma once
// `faro plan check FILE [--lang es|en]`: read a plan without running it. The logic lives here;
// src/cli only parses flags and prints.
#include <string>

#include "core/lang.hpp"
#include "plan/plan.hpp"

namespace faro::plan {

struct PlanCheckResult {
  std::string out;    // what to print on standard output
  int exit_code = 0;  // 0: the plan is fine; 1: it has errors (every one is listed)
};

PlanCheckResult CheckPlanFile(const std::string& path, Lang lang);
// "ok" and one screen about the plan: roles and people, channels, ad accounts, triggers, and
// each playbook's steps in words.
std::string PlanSummary(const Plan& plan, Lang lang);

}  // namespace faro::plan
