#pragma once
// Listening's part of GET /metrics (Prometheus text 0.0.4):
//
//   faro_listen_mentions_total                  counter  mentions accepted and processed
//   faro_listen_rejected_total{reason}          counter  records refused, by reason code
//   faro_listen_batches_total                   counter  POST /api/v1/mentions batches
//   faro_listen_events_total                    counter  crisis events stored
//   faro_listen_chatter_surges_total            counter  platform-minutes of outage chatter surging
//   faro_listen_crises_open                     gauge    suspected crises not over yet
#include <string>

namespace faro::service {
class ListenService;
}

namespace faro::server {

std::string ListenMetrics(service::ListenService& listen);

}  // namespace faro::server
