#pragma once
// GET /metrics: Prometheus text exposition format 0.0.4. Only counts and states, never
// contacts or message content, so it can be scraped without a token.
//
//   faro_outbox_messages{channel,state}            gauge    messages in the outbox now
//   faro_channel_down{channel}                     gauge    1 while any source says the channel is down
//   faro_dispatcher_{sent,retried,rate_limited,hopped,failed,held}_total   counters since start
//   faro_webhook_requests_total{provider,result}   counter  accepted, refused_unsigned,
//                                                           refused_bad_signature, malformed
//   faro_webhook_duplicate_events_total{provider}  counter  messages delivered again
#include <map>
#include <set>
#include <string>
#include <vector>

#include "inbox/webhooks.hpp"
#include "outbox/dispatcher.hpp"
#include "outbox/outbox.hpp"

namespace faro::server {

struct MetricsSnapshot {
  std::vector<std::string> channels;                  // every configured channel id
  std::map<std::string, outbox::Counts> outbox;       // by channel
  std::set<std::string> down;
  outbox::DispatchStats dispatcher;
  std::map<std::string, inbox::WebhookCounters> webhooks;  // by provider ("whatsapp", "telegram", "twilio")
};

std::string RenderMetrics(const MetricsSnapshot& snapshot);

// A Prometheus label value: backslash, double quote and line feed escaped.
std::string LabelValue(std::string_view value);

}  // namespace faro::server
