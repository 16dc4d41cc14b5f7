#include "plan/plan_check.hpp"

#include "core/strings.hpp"
#include "plan/plan_file.hpp"
#include "plan/words.hpp"

namespace faro::plan {

std::string PlanSummary(const Plan& plan, Lang lang) {
  const bool es = lang == Lang::kEs;
  std::string out = StrCat("ok: ", plan.file, "\n");
  StrAppend(out, es ? "Plan " : "Plan ", plan.id, " — ", plan.name.In(lang), " (", plan.business, ")\n");
  StrAppend(out, es ? "Roles y personas\n" : "Roles and people\n");
  for (const Role& role : plan.roles) {
    std::vector<std::string> people;
    for (const Person& p : role.people) {
      std::vector<std::string> reach;
      for (const Reach& r : p.reach) reach.push_back(r.channel);
      people.push_back(StrCat(p.name, " (", LangCode(p.lang), "; ", Join(reach, ", "), ")"));
    }
    StrAppend(out, "  ", role.title.In(lang), " [", role.id, "]: ", Join(people, ", "), "\n");
  }
  if (!plan.brands.empty()) {
    std::vector<std::string> brands;
    for (const Brand& b : plan.brands) brands.push_back(StrCat(b.name.In(lang), " [", b.id, "]"));
    StrAppend(out, es ? "Marcas: " : "Brands: ", Join(brands, ", "), "\n");
  }
  if (!plan.customer_channels.empty()) {
    std::vector<std::string> channels;
    for (const CustomerChannel& c : plan.customer_channels)
      channels.push_back(c.platform == c.id ? StrCat(c.id, " ", ShareText(c.share))
                                            : StrCat(c.id, " (", PlatformName(c.platform), ") ", ShareText(c.share)));
    StrAppend(out, es ? "Canales de clientes: " : "Customer channels: ", Join(channels, ", "), "\n");
  }
  if (!plan.ad_accounts.empty()) {
    std::vector<std::string> accounts;
    for (const AdAccount& a : plan.ad_accounts) {
      std::vector<std::string> platforms;
      for (const std::string& p : a.platforms) platforms.push_back(PlatformName(p));
      accounts.push_back(StrCat(a.id, " (", a.type, ": ", Join(platforms, ", "), ")"));
    }
    StrAppend(out, es ? "Cuentas de anuncios: " : "Ad accounts: ", Join(accounts, ", "), "\n");
  }
  StrAppend(out, es ? "Disparadores\n" : "Triggers\n");
  for (size_t i = 0; i < plan.triggers.size(); ++i)
    StrAppend(out, "  ", i + 1, ". ", TriggerInWords(plan, plan.triggers[i]).In(lang), "\n");
  for (const Playbook& playbook : plan.playbooks) {
    bool triggered = false;
    for (const Trigger& t : plan.triggers) triggered = triggered || t.run == playbook.id;
    StrAppend(out, es ? "Protocolo " : "Playbook ", playbook.id, " — ", playbook.title.In(lang), " (",
              playbook.kind == PlaybookKind::kCrisis ? (es ? "crisis" : "crisis") : (es ? "caída" : "outage"),
              triggered ? "" : (es ? "; ningún disparador lo inicia" : "; no trigger runs it"), ")\n");
    for (size_t i = 0; i < playbook.steps.size(); ++i) {
      const Step& step = playbook.steps[i];
      StrAppend(out, "  ", i + 1, ". ", StepInWords(plan, step).In(lang),
                IsBackground(step.kind) ? (es ? " [en segundo plano]" : " [in the background]") : "", "\n");
    }
  }
  return out;
}

PlanCheckResult CheckPlanFile(const std::string& path, Lang lang) {
  PlanLoad load = ReadPlanFile(path);
  PlanCheckResult result;
  if (load.ok()) {
    result.out = PlanSummary(*load.plan, lang);
    return result;
  }
  const bool es = lang == Lang::kEs;
  for (const std::string& error : load.errors) StrAppend(result.out, error, "\n");
  const size_t n = load.errors.size();
  StrAppend(result.out, n, es ? (n == 1 ? " error" : " errores") : (n == 1 ? " error" : " errors"),
            es ? " en " : " in ", path, "\n");
  result.exit_code = 1;
  return result;
}

}  // namespace faro::plan
