// `faro drill SCENARIO --plan FILE --report OUT` (docs/drills.md): a plan rehearsed against a
// built-in scenario (fb-2021, whatsapp-2022, reputation-spike) or a recorded event log, on a
// simulated clock with dry-run adapters. Each incident goes into OUT as a crisis-log folder
// (INCIDENT.json and its reports in Markdown and HTML, Spanish and English). Exit 0 when the
// drill ran, 1 when it could not write its reports, 3 for usage, plan and scenario errors.
#include "cli/drill_command.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/yaml_reader.hpp"
#include "core/lang.hpp"
#include "core/strings.hpp"
#include "drill/drill.hpp"
#include "plan/plan_file.hpp"
#include "record/crisis_log.hpp"
#include "record/report.hpp"

namespace faro::cli {
namespace {

struct DrillFlags {
  std::string scenario, plan, report, lang, answers = "approve", answer_after = "4m";
  int customers = 10000, campaigns = 50;
  uint64_t seed = 20211004;
};

int UsageError(const std::string& message) {
  std::cerr << "faro drill: " << message << "\n";
  return kUsageError;
}

absl::StatusOr<drill::Scenario> LoadScenario(const DrillFlags& f) {
  const drill::ScenarioSize size{f.customers, f.campaigns, f.seed};
  for (const std::string& name : drill::BuiltinScenarioNames())
    if (f.scenario == name) return drill::BuiltinScenario(name, size);
  std::ifstream in(f.scenario, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(StrCat("\"", f.scenario, "\" is neither a built-in scenario (",
                                      Join(drill::BuiltinScenarioNames(), ", "), ") nor a readable event log"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return drill::RecordedScenario(text.str(), f.scenario, size);
}

std::string Minutes(std::chrono::milliseconds d) {
  const auto m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  return StrCat(m / 60, " h ", m % 60, " min");
}

int RunDrillCommand(const DrillFlags& f) {
  const Lang lang = f.lang.empty() ? LangFromEnvironment() : f.lang == "es" ? Lang::kEs : Lang::kEn;
  const bool es = lang == Lang::kEs;
  drill::DrillOptions options;
  if (f.answers == "approve") options.answers = drill::Answers::kApprove;
  else if (f.answers == "deny") options.answers = drill::Answers::kDeny;
  else if (f.answers == "none") options.answers = drill::Answers::kNone;
  else return UsageError("--answers: expected approve, deny or none");
  auto after = ParseDuration(f.answer_after);
  if (!after.ok()) return UsageError(StrCat("--answer-after: ", Message(after.status())));
  options.answer_after = *after;

  auto plan = plan::LoadPlanFile(f.plan);
  if (!plan.ok()) return UsageError(Message(plan.status()));
  auto scenario = LoadScenario(f);
  if (!scenario.ok()) return UsageError(Message(scenario.status()));

  const auto started = std::chrono::steady_clock::now();
  auto result = drill::RunDrill(*plan, *scenario, options);
  if (!result.ok()) {
    std::cerr << "faro drill: " << Message(result.status()) << "\n";
    return 1;
  }
  const auto ran = std::chrono::steady_clock::now() - started;

  const std::string& title = es ? scenario->title.es : scenario->title.en;
  std::cout << (es ? "Simulacro: " : "Drill: ") << title << "\n"
            << (es ? "Plan: " : "Plan: ") << f.plan << "\n"
            << StrCat(es ? "Simulados " : "Simulated ", Minutes(result->stats.simulated),
                      es ? " en " : " in ", std::chrono::duration_cast<std::chrono::milliseconds>(ran).count(),
                      " ms; ", scenario->customers.size(), es ? " clientes, " : " customers, ",
                      scenario->campaigns.size(), es ? " campañas; " : " campaigns; ", result->stats.actions,
                      es ? " acciones, " : " actions, ", result->stats.messages,
                      es ? " mensajes (ninguno enviado)." : " messages (none sent).")
            << "\n";
  if (result->incidents.empty()) {
    std::cout << (es ? "Ningún disparador del plan coincidió con el escenario: no se abrió ningún incidente.\n"
                     : "No trigger of the plan matched the scenario: no incident was opened.\n");
    return 0;
  }
  int failures = 0;
  for (const nlohmann::json& incident : result->incidents) {
    const std::string line =
        StrCat("#", incident.value("id", 0), " ", incident["title"].value(es ? "es" : "en", ""), ": ",
               incident.value("state", ""));
    std::cout << line << "\n";
    if (f.report.empty()) continue;
    auto folder = record::AddToLog(f.report, incident.dump());
    if (!folder.ok()) {
      std::cerr << "faro drill: " << Message(folder.status()) << "\n";
      ++failures;
      continue;
    }
    for (record::ReportFormat format : {record::ReportFormat::kMarkdown, record::ReportFormat::kHtml})
      std::cout << "  " << f.report << "/" << *folder << "/" << record::ReportFileName(format, lang) << "\n";
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

Runner AddDrillCommand(CLI::App& app) {
  auto f = std::make_shared<DrillFlags>();
  CLI::App* cmd = app.add_subcommand(
      "drill", "Rehearse a plan against a scenario on a simulated clock; nothing is sent.\n"
               "Ensaya un plan contra un escenario con reloj simulado; no se envía nada.");
  cmd->add_option("scenario", f->scenario, "fb-2021, whatsapp-2022, reputation-spike, or an event log (JSON Lines)")
      ->required();
  cmd->add_option("--plan", f->plan, "the contingency plan (YAML)")->required();
  cmd->add_option("--report", f->report, "folder to write the incidents and their reports into (a crisis log)");
  cmd->add_option("--lang", f->lang, "es or en (default: from the environment)")->check(CLI::IsMember({"es", "en"}));
  cmd->add_option("--answers", f->answers, "how people answer approvals: approve (default), deny or none");
  cmd->add_option("--answer-after", f->answer_after, "how long people take to answer (default 4m)");
  cmd->add_option("--customers", f->customers, "customers in the made-up business (default 10000)");
  cmd->add_option("--campaigns", f->campaigns, "ad campaigns in it (default 50)");
  cmd->add_option("--seed", f->seed, "seed of the made-up business (default 20211004)");
  return [f] { return RunDrillCommand(*f); };
}

}  // namespace faro::cli
