#pragma once
// Listening's part of GET /metrics (Prometheus text 0.0.4):
//
//   faro_listen_mentions_total                  counter  mentions accepted and processed
//   faro_listen_rejected_total{reason}          counter  records refused, by reason code
//   faro_listen_batches_total                   counter  POST /api/v1/mentions batches
//   faro_listen_events_total                    counter  crisis events stored
//   faro_listen_chatter_surges_total            counter  platform-minutes of outage chatter surging
//   faro_listen_crises_open                     gauge    suspected crises not over yet
//
// and, while `faro serve` pulls mentions itself (listen.sources; SetListenSources):
//
//   faro_listen_source_mentions_total{source}   counter  mentions pulled, source "x" or "feed"
//   faro_listen_source_rejected_total{source}   counter  stream lines or feed items that were not mentions
//   faro_listen_source_errors_total{source}     counter  failed X connection attempts; failed feed reads
//   faro_listen_feed_reads_total                counter  feed reads that ended (304s included)
//   faro_listen_feed_not_modified_total         counter  of those, 304 Not Modified
//   faro_listen_x_stream_connected              gauge    1 while the X stream delivers, else 0
#include <string>

namespace faro::service {
class ListenService;
class ListenSources;
}

namespace faro::server {

std::string ListenMetrics(service::ListenService& listen);

// The pulling sources whose counters join ListenMetrics; nullptr for none. Set after they
// start and cleared before they stop (a scrape in progress finishes first).
void SetListenSources(const service::ListenSources* sources);

}  // namespace faro::server
