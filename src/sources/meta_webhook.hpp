#pragma once
// Meta webhooks for listening: Instagram `comments` (and `live_comments`) and `mentions`, and
// Facebook Page `feed` (posts and comments on the Page).
//
// Shapes (developers.facebook.com: "Webhooks" getting started — verification requests and
// X-Hub-Signature-256; Graph API "Webhooks Reference: Instagram" and "Webhooks Reference: Page"
// — feed; Instagram Platform "Webhook notification examples"; "Mentions"):
//   {"object": "instagram" | "page",
//    "entry": [{"id": <account or Page id>, "time": <Unix seconds the notification was sent>,
//               "changes": [{"field": "comments" | "live_comments" | "mentions" | "feed",
//                            "value": {…}}]}]}
//   comments value: {"id", "text", "from": {"id", "username"}, "media": {"id", "media_product_type"},
//                    "parent_id"}  — no time of its own: entry.time is used.
//   mentions value: {"media_id", "comment_id"} — no text: the comment must be fetched
//                    (GET /{ig-user-id}?fields=mentioned_comment…), so it is listed for lookup.
//   feed value: {"item": "post"|"status"|"photo"|"video"|"share"|"comment"|"reaction"|"like"…,
//                "verb": "add"|"edited"|"remove"|"hide"…, "post_id", "comment_id", "parent_id",
//                "from": {"id", "name"}, "message", "created_time", "post": {"permalink_url"}, "link"}
#include <string>
#include <string_view>
#include <vector>

#include "sources/connector.hpp"

namespace faro::sources {

// An Instagram @mention whose text Meta does not send: what a caller needs to fetch it.
struct MentionLookup {
  std::string account_id;  // entry.id: the Instagram professional account mentioned
  std::string media_id;
  std::string comment_id;  // empty when the mention is in a media caption
  TimePoint at;            // entry.time
};

struct HandshakeAnswer {
  int status = 403;
  std::string body;  // the hub.challenge on success, a reason otherwise
};

// The GET verification request: hub.mode=subscribe, hub.verify_token equal (in constant time)
// to ours, answered with hub.challenge. An empty configured token never verifies.
HandshakeAnswer MetaHandshake(std::string_view configured_verify_token, std::string_view hub_mode,
                              std::string_view hub_verify_token, std::string_view hub_challenge);

class MetaWebhookConnector final : public Connector {
 public:
  // `app_secret` keys X-Hub-Signature-256 (only Receive checks it).
  explicit MetaWebhookConnector(std::string app_secret = "") : app_secret_(std::move(app_secret)) {}

  std::string_view name() const override { return "meta-webhook"; }
  // A notification body, signature not checked (files, replays, tests).
  ConvertResult Convert(std::string_view body) override;
  // A POST as it arrived: the raw body is converted only when X-Hub-Signature-256
  // ("sha256=<hex HMAC-SHA256(app secret, raw body)>") matches; otherwise one rejection
  // ("unsigned" or "bad-signature") and nothing is read.
  ConvertResult Receive(std::string_view raw_body, std::string_view signature_header);

  // Instagram mentions seen by Convert since the last call, to fetch (and feed back as mentions).
  std::vector<MentionLookup> TakeLookups() { return std::move(lookups_); }

 private:
  std::string app_secret_;
  std::vector<MentionLookup> lookups_;
};

}  // namespace faro::sources
