#include "server/metrics.hpp"

#include "core/strings.hpp"

namespace faro::server {
namespace {

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

std::string LabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

std::string RenderMetrics(const MetricsSnapshot& s) {
  std::string out;
  Header(out, "faro_outbox_messages", "gauge", "Messages in the outbox by channel and state.");
  std::set<std::string> channels(s.channels.begin(), s.channels.end());
  for (const auto& [channel, counts] : s.outbox) channels.insert(channel);
  for (const std::string& channel : channels) {
    const auto it = s.outbox.find(channel);
    const outbox::Counts c = it == s.outbox.end() ? outbox::Counts{} : it->second;
    const std::pair<std::string_view, int64_t> states[] = {
        {"queued", c.queued}, {"held", c.held}, {"sent", c.sent}, {"failed", c.failed}, {"skipped", c.skipped}};
    for (const auto& [state, n] : states)
      StrAppend(out, "faro_outbox_messages{channel=\"", LabelValue(channel.empty() ? "none" : channel), "\",state=\"",
                state, "\"} ", n, "\n");
  }
  Header(out, "faro_channel_down", "gauge", "1 while a channel is marked down by any source.");
  std::set<std::string> listed(s.channels.begin(), s.channels.end());
  listed.insert(s.down.begin(), s.down.end());
  for (const std::string& channel : listed)
    StrAppend(out, "faro_channel_down{channel=\"", LabelValue(channel), "\"} ", s.down.contains(channel) ? 1 : 0, "\n");

  const std::pair<std::string_view, int64_t> stats[] = {
      {"sent", s.dispatcher.sent},     {"retried", s.dispatcher.retried}, {"rate_limited", s.dispatcher.rate_limited},
      {"hopped", s.dispatcher.hopped}, {"failed", s.dispatcher.failed},   {"held", s.dispatcher.held}};
  for (const auto& [name, n] : stats) {
    const std::string metric = StrCat("faro_dispatcher_", name, "_total");
    Header(out, metric, "counter", StrCat("Send results of the dispatcher since start: ", name, "."));
    StrAppend(out, metric, " ", n, "\n");
  }

  Header(out, "faro_webhook_requests_total", "counter", "Webhook requests by provider and result since start.");
  for (const auto& [provider, c] : s.webhooks) {
    const std::pair<std::string_view, uint64_t> results[] = {{"accepted", c.accepted},
                                                             {"refused_unsigned", c.refused_unsigned},
                                                             {"refused_bad_signature", c.refused_bad_signature},
                                                             {"malformed", c.malformed}};
    for (const auto& [result, n] : results)
      StrAppend(out, "faro_webhook_requests_total{provider=\"", LabelValue(provider), "\",result=\"", result, "\"} ", n,
                "\n");
  }
  Header(out, "faro_webhook_duplicate_events_total", "counter", "Inbound messages delivered again after being recorded.");
  for (const auto& [provider, c] : s.webhooks)
    StrAppend(out, "faro_webhook_duplicate_events_total{provider=\"", LabelValue(provider), "\"} ", c.duplicates, "\n");
  return out;
}

}  // namespace faro::server
