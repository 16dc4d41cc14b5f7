#pragma once
// The JSON API of `faro serve` (/api/v1, docs/api.md), independent of the HTTP library: the
// server authenticates the caller, checks the role and the body size, and hands over the
// request; each call returns the HTTP status and the JSON body to answer with.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>

#include "outbox/dispatcher.hpp"
#include "server/json_body.hpp"
#include "server/server_log.hpp"
#include "setup/app.hpp"

namespace faro::server {

struct ApiRequest {
  std::map<std::string, std::string> query;  // decoded query parameters
  std::string body;
  std::string idempotency_key;  // the Idempotency-Key header; "" when absent
  std::string caller;           // the token's name, for the log
};

struct ApiReply {
  int status = 200;
  nlohmann::json body;
};

// {"error": message} with the status an absl::Status maps to: InvalidArgument 400,
// NotFound 404, FailedPrecondition and AlreadyExists 422, Unavailable 503, else 500.
ApiReply ErrorReply(const absl::Status& status);
ApiReply ErrorReply(int http_status, const std::string& message);

class Api {
 public:
  // `dispatcher` gives the running dispatcher (null when the server does not send).
  Api(setup::App& app, std::function<outbox::Dispatcher*()> dispatcher, EventLog& log)
      : app_(app), dispatcher_(std::move(dispatcher)), log_(log) {}

  ApiReply ListContacts(const ApiRequest& request);           // GET  /contacts?search=&limit=&offset=
  ApiReply ImportContacts(const ApiRequest& request);         // POST /contacts/import[?dry_run=1]
  ApiReply SendMessage(const ApiRequest& request);            // POST /messages
  ApiReply StartBroadcast(const ApiRequest& request);         // POST /broadcasts
  ApiReply ListBroadcasts(const ApiRequest& request);         // GET  /broadcasts
  ApiReply GetBroadcast(const std::string& id);               // GET  /broadcasts/{id}
  ApiReply OutboxSummary(const ApiRequest& request);          // GET  /outbox
  ApiReply GetMessage(const std::string& id);                 // GET  /outbox/messages/{id}
  ApiReply ChannelDown(const std::string& channel, const ApiRequest& request);  // POST /channels/{id}/down
  ApiReply ChannelUp(const std::string& channel, const ApiRequest& request);    // POST /channels/{id}/up
  ApiReply ListConversations(const ApiRequest& request);     // GET  /inbox?filter=

 private:
  absl::StatusOr<int64_t> FindContact(const JsonBody& body);
  std::string DefaultBroadcastKey(const std::string& channel, const std::string& template_id);

  setup::App& app_;
  std::function<outbox::Dispatcher*()> dispatcher_;
  EventLog& log_;
};

// A fresh random idempotency key ("api-" and 32 hex digits) for callers that sent none.
std::string RandomKey();

}  // namespace faro::server
