#pragma once
// Two fixed-URL channels for internal alerts and integrations (address_kind() is kNone: every
// message goes to the one configured URL, whoever it is for).
//
// webhook: POST a JSON document
//   {"id", "idempotency_key", "to", "name", "lang", "subject", "text", "sent_at"}
// with headers Idempotency-Key, X-Faro-Timestamp (unix seconds) and
//   X-Faro-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
// so the receiver can check who sent it and refuse replays of old timestamps.
//
// slack_webhook: POST {"text": "*subject*\ntext"} to a Slack-compatible incoming webhook, whose
// URL is itself the secret (read from url_file, never shown in messages).
#include <memory>
#include <string>
#include <string_view>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels::webhook {

// type: webhook. Keys: url, secret_file, rate (10/s), burst, concurrency, timeout.
absl::StatusOr<std::unique_ptr<Channel>> CreateWebhook(const ChannelConfig& config);

// type: slack_webhook. Keys: url_file, rate (1/s: Slack's incoming-webhook limit), burst,
// concurrency, timeout.
absl::StatusOr<std::unique_ptr<Channel>> CreateSlack(const ChannelConfig& config);

// "sha256=" + lower-case hex HMAC-SHA256(secret, timestamp + "." + body): the X-Faro-Signature value.
std::string FaroSignature(std::string_view secret, std::string_view timestamp, std::string_view body);

// Slack mrkdwn with &, < and > escaped as Slack requires; the subject, when there is one, in bold
// on the first line.
std::string SlackText(std::string_view subject, std::string_view text);

}  // namespace faro::channels::webhook
