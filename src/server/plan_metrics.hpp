#pragma once
// The contingency plans' part of GET /metrics (Prometheus text 0.0.4):
//
//   faro_incidents{state}                   gauge    incidents stored, by state (active, stable, closed)
//   faro_plan_actions_total{kind,result}    counter  actions carried out since start, by kind and
//                                                    result (ok, failed)
//   faro_approvals_pending                  gauge    approval requests waiting for an answer
//   faro_plan_store_errors_total            counter  times an incident could not be stored (retried)
//   faro_crisis_log_errors_total            counter  times a closed incident could not be written to
//                                                    the crisis log (tried again at the next close/start)
//   faro_crisis_log_unwritten               gauge    closed incidents not in the crisis log now
#include <string>

namespace faro::service {
class PlanService;
}

namespace faro::server {

std::string PlanMetrics(service::PlanService& plans);

}  // namespace faro::server
