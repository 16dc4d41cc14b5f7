#pragma once
// The watch's part of GET /metrics (Prometheus text 0.0.4):
//
//   faro_platform_health{platform,health}   gauge    1 for the platform's current health, 0 for the others
//   faro_platform_flapping{platform}        gauge    1 while flapping
//   faro_link_up                            gauge    1 while our own connection works
//   faro_vantage_silent{vantage}            gauge    1 while an agent is silent
//   faro_watch_{readings,agent_readings,link_readings,events,alerts,notices,failovers,
//               crowd_reports,crowd_duplicates,results_stored,store_errors}_total   counters
//   faro_patrol_{rounds,checks,late_rounds}_total, faro_patrol_in_flight
#include <string>

namespace faro::service {
class WatchService;
}

namespace faro::server {

std::string WatchMetrics(service::WatchService& watch);

}  // namespace faro::server
