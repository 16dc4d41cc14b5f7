// `faro serve`'s listening API (docs/api.md, "Listening"): mentions in as JSON Lines, the
// listening board out. Registered only when faro.yaml has a listen: section.
#include <httplib.h>

#include <optional>

#include "core/strings.hpp"
#include "sources/feeds.hpp"
#include "sources/meta_webhook.hpp"
#include "sources/telegram_updates.hpp"
#include "sources/x_stream.hpp"
#include "server/messaging_server.hpp"
#include "server/watch_pages.hpp"
#include "service/listen_service.hpp"

namespace faro::server {
namespace {

// Reasons and crisis cards in the caller's language: Spanish when Accept-Language starts so.
Lang CallerLang(const httplib::Request& req) {
  const std::string accept = ToLower(req.get_header_value("Accept-Language"));
  return accept.rfind("es", 0) == 0 ? Lang::kEs : Lang::kEn;
}

void Send(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// A provider's own payload, through its connector: one X stream line per line of the body, a
// Telegram getUpdates answer or Update, an RSS/Atom document, or a Meta notification.
std::optional<sources::ConvertResult> Convert(const std::string& connector, const std::string& body) {
  if (connector == "x-filtered-stream") {
    sources::XStreamConnector x;
    sources::ConvertResult all;
    int64_t number = 0;
    std::size_t start = 0;
    while (start < body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      const sources::XStreamMessage m = x.Read(std::string_view(body).substr(start, end - start), ++number);
      for (auto& mention : m.result.mentions) all.mentions.push_back(std::move(mention));
      for (auto& r : m.result.rejections) all.rejections.push_back(std::move(r));
      for (const auto& [kind, n] : m.result.skipped) all.skipped[kind] += n;
      start = end + 1;
    }
    return all;
  }
  if (connector == "telegram-updates") return sources::TelegramUpdatesConnector().Convert(body);
  if (connector == "feed") return sources::FeedConnector().Convert(body);
  if (connector == "meta-webhook") return sources::MetaWebhookConnector().Convert(body);
  return std::nullopt;
}

// The batch's answer, with what the connector refused or skipped before the mentions were read.
nlohmann::json WithConnector(nlohmann::json answer, const sources::ConvertResult& converted) {
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& r : converted.rejections)
    refused.push_back({{"where", r.where}, {"field", r.field}, {"reason", r.reason}, {"detail", r.detail}});
  answer["connector"] = {{"mentions", converted.mentions.size()}, {"rejected", refused}, {"skipped", converted.skipped}};
  return answer;
}

}  // namespace

void MessagingServer::ListenRoutes() {
  service::ListenService* l = options_.listening;
  AddPage(*http_, "/dashboard/listening", "listening.html");  // web/src/listening.*
  // Listening without a watch: the pages' scripts, styles and the dashboard still come from here.
  if (options_.watch == nullptr) AddPageRoutes(*http_);
  // Collectors and connectors push batches; a viewer token only reads.
  http_->Post("/api/v1/mentions", [this, l](const httplib::Request& req, httplib::Response& res) {
    if (!Authorize(req, res, Role::kManager)) return;
    if (req.body.size() > options_.max_mentions_body) {
      Send(res, 413, {{"error", StrCat("the batch has ", req.body.size(), " bytes; at most ", options_.max_mentions_body,
                                        " per request: send several")}});
      return;
    }
    Send(res, 200, l->AcceptBatch(req.body, CallerLang(req)));
  });
  http_->Post(R"(/api/v1/mentions/([a-z-]+))", [this, l](const httplib::Request& req, httplib::Response& res) {
    if (!Authorize(req, res, Role::kManager)) return;
    if (req.body.size() > options_.max_mentions_body) {
      Send(res, 413, {{"error", StrCat("the payload has ", req.body.size(), " bytes; at most ", options_.max_mentions_body)}});
      return;
    }
    auto converted = Convert(req.matches[1].str(), req.body);
    if (!converted) {
      Send(res, 404, {{"error", StrCat("no connector \"", req.matches[1].str(),
                                       "\": x-filtered-stream, meta-webhook, telegram-updates or feed")}});
      return;
    }
    Send(res, 200, WithConnector(l->AcceptBatch(sources::ToJsonLines(*converted), CallerLang(req)), *converted));
  });
  // Meta calls this directly (Instagram comments and mentions, Facebook Page posts and
  // comments): no API token, but its signature with the app secret.
  const setup::ListenConfig& lc = app_.config().listen;
  http_->Get("/listen/meta-webhook", [lc](const httplib::Request& req, httplib::Response& res) {
    const sources::HandshakeAnswer a = sources::MetaHandshake(lc.meta_verify_token, req.get_param_value("hub.mode"),
                                                              req.get_param_value("hub.verify_token"),
                                                              req.get_param_value("hub.challenge"));
    res.status = a.status;
    res.set_content(a.body, "text/plain");
  });
  http_->Post("/listen/meta-webhook", [this, l, lc](const httplib::Request& req, httplib::Response& res) {
    if (lc.meta_app_secret.empty()) {
      Send(res, 404, {{"error", "listen.meta_app_secret_file is not set: Meta webhooks are off"}});
      return;
    }
    sources::MetaWebhookConnector meta(lc.meta_app_secret);
    const sources::ConvertResult converted = meta.Receive(req.body, req.get_header_value("X-Hub-Signature-256"));
    if (converted.mentions.empty() && !converted.rejections.empty() &&
        (converted.rejections[0].reason == "unsigned" || converted.rejections[0].reason == "bad-signature")) {
      Send(res, 401, {{"error", converted.rejections[0].detail}});
      return;
    }
    Send(res, 200, WithConnector(l->AcceptBatch(sources::ToJsonLines(converted), Lang::kEn), converted));
  });
  http_->Get("/api/v1/listening", [this, l](const httplib::Request& req, httplib::Response& res) {
    if (!Authorize(req, res, Role::kViewer)) return;
    std::map<std::string, std::string> query;
    for (const auto& [key, value] : req.params) query.emplace(key, value);
    auto answer = l->ListeningJson(query, CallerLang(req));
    if (!answer.ok()) {
      const ApiReply e = ErrorReply(answer.status());
      Send(res, e.status, e.body);
      return;
    }
    Send(res, 200, *answer);
  });
}

}  // namespace faro::server
