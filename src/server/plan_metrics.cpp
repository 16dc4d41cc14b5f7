#include "server/plan_metrics.hpp"

#include "core/strings.hpp"
#include "service/plan_service.hpp"

namespace faro::server {

std::string PlanMetrics(service::PlanService& plans) {
  const service::PlanStats s = plans.Stats();
  std::string out = "# TYPE faro_incidents gauge\n";
  for (const auto& [state, n] : s.incidents) StrAppend(out, "faro_incidents{state=\"", state, "\"} ", n, "\n");
  out += "# TYPE faro_plan_actions_total counter\n";
  for (const auto& [key, n] : s.actions)
    StrAppend(out, "faro_plan_actions_total{kind=\"", key.first, "\",result=\"", key.second, "\"} ", n, "\n");
  StrAppend(out, "# TYPE faro_approvals_pending gauge\nfaro_approvals_pending ", s.approvals_pending, "\n");
  StrAppend(out, "# TYPE faro_plan_store_errors_total counter\nfaro_plan_store_errors_total ", s.store_errors, "\n");
  StrAppend(out, "# TYPE faro_crisis_log_errors_total counter\nfaro_crisis_log_errors_total ", s.crisis_log_errors, "\n");
  StrAppend(out, "# TYPE faro_crisis_log_unwritten gauge\nfaro_crisis_log_unwritten ", s.crisis_log_unwritten, "\n");
  return out;
}

}  // namespace faro::server
