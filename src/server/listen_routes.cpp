// `faro serve`'s listening API (docs/api.md, "Listening"): mentions in as JSON Lines, the
// listening board out. Registered only when faro.yaml has a listen: section.
#include <httplib.h>

#include "core/strings.hpp"
#include "server/messaging_server.hpp"
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

}  // namespace

void MessagingServer::ListenRoutes() {
  service::ListenService* l = options_.listening;
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
