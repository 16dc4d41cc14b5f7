#include "server/listen_metrics.hpp"

#include <mutex>

#include "core/strings.hpp"
#include "service/listen_service.hpp"
#include "service/listen_sources.hpp"

namespace faro::server {
namespace {

std::mutex sources_mutex;
const service::ListenSources* current_sources = nullptr;  // guarded by sources_mutex

void SourceMetrics(const service::ListenSources& sources, std::string& out) {
  const service::ListenSourcesStats s = sources.Stats();
  StrAppend(out, "# TYPE faro_listen_source_mentions_total counter\n",
            "faro_listen_source_mentions_total{source=\"x\"} ", s.x_mentions, "\n",
            "faro_listen_source_mentions_total{source=\"feed\"} ", s.feed_mentions, "\n");
  StrAppend(out, "# TYPE faro_listen_source_rejected_total counter\n",
            "faro_listen_source_rejected_total{source=\"x\"} ", s.x_rejected, "\n",
            "faro_listen_source_rejected_total{source=\"feed\"} ", s.feed_rejected, "\n");
  StrAppend(out, "# TYPE faro_listen_source_errors_total counter\n",
            "faro_listen_source_errors_total{source=\"x\"} ", s.x_errors, "\n",
            "faro_listen_source_errors_total{source=\"feed\"} ", s.feed_errors, "\n");
  StrAppend(out, "# TYPE faro_listen_feed_reads_total counter\nfaro_listen_feed_reads_total ", s.feed_reads, "\n");
  StrAppend(out, "# TYPE faro_listen_feed_not_modified_total counter\nfaro_listen_feed_not_modified_total ",
            s.feed_not_modified, "\n");
  StrAppend(out, "# TYPE faro_listen_x_stream_connected gauge\nfaro_listen_x_stream_connected ",
            s.x_connected ? 1 : 0, "\n");
}

}  // namespace

void SetListenSources(const service::ListenSources* sources) {
  std::lock_guard lock(sources_mutex);
  current_sources = sources;
}

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
  std::lock_guard lock(sources_mutex);
  if (current_sources != nullptr) SourceMetrics(*current_sources, out);
  return out;
}

}  // namespace faro::server
