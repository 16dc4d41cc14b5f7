// `faro plan check FILE [--lang es|en]`: reads a contingency plan without running it and prints
// "ok" with a one-screen summary, or every error found. Exit 0 when the plan is fine, 1 when it
// has errors. The logic is faro::plan::CheckPlanFile; this only parses and prints.
#include "cli/plan_command.hpp"

#include <iostream>
#include <memory>
#include <string>

#include "core/lang.hpp"
#include "plan/plan_check.hpp"

namespace faro::cli {
namespace {

struct PlanFlags {
  std::string file, lang;
};

}  // namespace

Runner AddPlanCommand(CLI::App& app) {
  auto flags = std::make_shared<PlanFlags>();
  CLI::App* plan = app.add_subcommand("plan", "Contingency plans / Planes de contingencia");
  plan->require_subcommand(1);
  CLI::App* check = plan->add_subcommand(
      "check", "Check a plan file without running it / Revisar un plan sin ejecutarlo");
  check->add_option("file", flags->file, "the plan (YAML)")->required();
  check->add_option("--lang", flags->lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
  return [flags] {
    const Lang lang = flags->lang.empty() ? LangFromEnvironment() : flags->lang == "es" ? Lang::kEs : Lang::kEn;
    const plan::PlanCheckResult result = plan::CheckPlanFile(flags->file, lang);
    std::cout << result.out << std::flush;
    return result.exit_code;
  };
}

}  // namespace faro::cli
