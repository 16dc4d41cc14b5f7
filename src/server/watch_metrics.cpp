#include "server/watch_metrics.hpp"

#include "core/strings.hpp"
#include "server/metrics.hpp"
#include "service/watch_service.hpp"

namespace faro::server {

std::string WatchMetrics(service::WatchService& watch) {
  const service::WatchService::HealthBoard board = watch.Board();
  std::string out = "# TYPE faro_platform_health gauge\n";
  static const watch::Health kHealth[] = {watch::Health::kUp,   watch::Health::kDegraded, watch::Health::kPartial,
                                          watch::Health::kDown, watch::Health::kLocal,    watch::Health::kUnknown};
  for (const auto& p : board.platforms) {
    const std::string id = LabelValue(p.platform);
    for (watch::Health h : kHealth)
      StrAppend(out, "faro_platform_health{platform=\"", id, "\",health=\"", watch::HealthName(h), "\"} ",
                p.health == h ? "1" : "0", "\n");
  }
  out += "# TYPE faro_platform_flapping gauge\n";
  for (const auto& p : board.platforms)
    StrAppend(out, "faro_platform_flapping{platform=\"", LabelValue(p.platform), "\"} ", p.flapping ? "1" : "0", "\n");
  StrAppend(out, "# TYPE faro_link_up gauge\nfaro_link_up ", board.link_down ? "0" : "1", "\n");
  out += "# TYPE faro_vantage_silent gauge\n";
  for (const auto& v : board.vantages)
    StrAppend(out, "faro_vantage_silent{vantage=\"", LabelValue(v.name), "\"} ", v.silent ? "1" : "0", "\n");
  const service::ServiceStats s = watch.Stats();
  const std::pair<const char*, uint64_t> counters[] = {
      {"faro_watch_readings_total", s.readings},           {"faro_watch_agent_readings_total", s.agent_readings},
      {"faro_watch_link_readings_total", s.link_readings}, {"faro_watch_events_total", s.events},
      {"faro_watch_alerts_total", s.alerts},               {"faro_watch_notices_total", s.notices},
      {"faro_watch_failovers_total", s.failovers},         {"faro_watch_crowd_reports_total", s.crowd_reports},
      {"faro_watch_crowd_duplicates_total", s.crowd_duplicates},
      {"faro_watch_results_stored_total", s.results_stored}, {"faro_watch_store_errors_total", s.store_errors},
      {"faro_patrol_rounds_total", s.patrol.rounds},       {"faro_patrol_checks_total", s.patrol.checks},
      {"faro_patrol_late_rounds_total", s.patrol.late_rounds}, {"faro_patrol_busy_rounds_total", s.patrol.busy_rounds}};
  for (const auto& [name, value] : counters) StrAppend(out, "# TYPE ", name, " counter\n", name, " ", value, "\n");
  StrAppend(out, "# TYPE faro_patrol_tls_handshakes_total counter\n",
            "faro_patrol_tls_handshakes_total{kind=\"full\"} ", s.patrol.tls_full, "\n",
            "faro_patrol_tls_handshakes_total{kind=\"resumed\"} ", s.patrol.tls_resumed, "\n");
  StrAppend(out, "# TYPE faro_database_bytes gauge\nfaro_database_bytes ", s.database_bytes, "\n");
  StrAppend(out, "# TYPE faro_patrol_loop_lag_seconds gauge\nfaro_patrol_loop_lag_seconds ", s.patrol.loop_lag_ms / 1000.0, "\n");
  StrAppend(out, "# TYPE faro_patrol_in_flight gauge\nfaro_patrol_in_flight ", s.patrol.in_flight, "\n");
  return out;
}

}  // namespace faro::server
