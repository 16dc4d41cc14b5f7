#include "server/listen_metrics.hpp"

#include "core/strings.hpp"
#include "service/listen_service.hpp"

namespace faro::server {

std::string ListenMetrics(service::ListenService& listen) {
  const service::ListenStats s = listen.Stats();
  std::string out;
  StrAppend(out, "# TYPE faro_listen_mentions_total counter\nfaro_listen_mentions_total ", s.mentions, "\n");
  out += "# TYPE faro_listen_rejected_total counter\n";
  for (std::size_t i = 0; i < kRejectReasonCount; ++i)
    StrAppend(out, "faro_listen_rejected_total{reason=\"", RejectReasonCode(static_cast<RejectReason>(i)), "\"} ",
              s.rejected[i], "\n");
  StrAppend(out, "# TYPE faro_listen_batches_total counter\nfaro_listen_batches_total ", s.batches, "\n");
  StrAppend(out, "# TYPE faro_listen_events_total counter\nfaro_listen_events_total ", s.events, "\n");
  StrAppend(out, "# TYPE faro_listen_chatter_surges_total counter\nfaro_listen_chatter_surges_total ", s.chatter_surges, "\n");
  StrAppend(out, "# TYPE faro_listen_crises_open gauge\nfaro_listen_crises_open ", s.crises_open, "\n");
  return out;
}

}  // namespace faro::server
