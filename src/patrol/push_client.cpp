#include "patrol/push_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "core/strings.hpp"

namespace faro::patrol {
namespace {

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body->size() + n > 8 * 1024 * 1024) return 0;  // a server's answer is small; stop a runaway one
  body->append(data, n);
  return n;
}

int OnProgress(void* cancel, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* flag = static_cast<const std::atomic<bool>*>(cancel);
  return flag != nullptr && flag->load() ? 1 : 0;  // non-zero aborts the transfer
}

struct Reply {
  long status = 0;
  std::string body;
};

std::string Endpoint(const PushServer& server, std::string_view path) {
  std::string base = server.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return StrCat(base, path);
}

// One request. The token goes in a header built here and never into an error message.
absl::StatusOr<Reply> Call(const PushServer& server, const char* method, std::string_view path, const std::string* body) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::string url = Endpoint(server, path);
  const std::string where = StrCat(method, " ", url);
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return absl::ResourceExhaustedError(StrCat(where, ": cannot create an HTTP client"));
  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
  add_header(StrCat("Authorization: Bearer ", server.token));
  add_header("Accept: application/json");
  Reply reply;
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(server.timeout.count()));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(server.timeout.count(), 10000)));
  curl_easy_setopt(e, CURLOPT_USERAGENT, "faro-agent/" FARO_VERSION);
  if (!server.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, server.ca_file.c_str());
  if (body != nullptr) {
    add_header("Content-Type: application/json");
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &reply.body);
  if (server.cancel != nullptr) {
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(server.cancel));
  }
  const CURLcode code = curl_easy_perform(e);
  if (code == CURLE_ABORTED_BY_CALLBACK) return absl::CancelledError(StrCat(where, ": stopped"));
  if (code != CURLE_OK) return absl::UnavailableError(StrCat(where, ": ", curl_easy_strerror(code)));
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

// The first 200 bytes of an error answer, on one line: enough to say why, never a flood.
std::string Excerpt(const std::string& body) {
  std::string out = body.substr(0, 200);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

absl::Status StatusOfAnswer(const std::string& where, const Reply& reply) {
  const long s = reply.status;
  if (s >= 200 && s < 300) return absl::OkStatus();
  const std::string said = reply.body.empty() ? "" : StrCat(": ", Excerpt(reply.body));
  if (s == 401 || s == 403)
    return absl::UnauthenticatedError(StrCat(where, ": the server refused this vantage's token (HTTP ", s, ")", said));
  if (s == 409)
    return absl::FailedPreconditionError(StrCat(where, ": the server's assignment changed (HTTP 409)", said));
  if (s >= 500 || s == 429) return absl::UnavailableError(StrCat(where, ": the server answered HTTP ", s, said));
  return absl::InvalidArgumentError(StrCat(where, ": the server answered HTTP ", s, said));
}

absl::StatusOr<nlohmann::json> ParseAnswer(const std::string& where, const Reply& reply) {
  auto json = nlohmann::json::parse(reply.body, nullptr, false);
  if (json.is_discarded())
    return absl::InvalidArgumentError(StrCat(where, ": the answer is not JSON: ", Excerpt(reply.body)));
  return json;
}

}  // namespace

absl::StatusOr<Assignment> FetchAssignment(const PushServer& server) {
  const std::string where = StrCat("GET ", Endpoint(server, kAssignmentPath));
  FARO_ASSIGN_OR_RETURN(Reply reply, Call(server, "GET", kAssignmentPath, nullptr));
  FARO_RETURN_IF_ERROR(StatusOfAnswer(where, reply));
  FARO_ASSIGN_OR_RETURN(nlohmann::json json, ParseAnswer(where, reply));
  auto assignment = AssignmentFromJson(json);
  if (!assignment.ok())
    return absl::InvalidArgumentError(StrCat(where, ": the assignment cannot be used: ", Message(assignment.status())));
  return assignment;
}

absl::StatusOr<ReadingsAnswer> PostReadings(const PushServer& server, const nlohmann::json& body) {
  const std::string where = StrCat("POST ", Endpoint(server, kReadingsPath));
  const std::string text = body.dump();
  FARO_ASSIGN_OR_RETURN(Reply reply, Call(server, "POST", kReadingsPath, &text));
  FARO_RETURN_IF_ERROR(StatusOfAnswer(where, reply));
  FARO_ASSIGN_OR_RETURN(nlohmann::json json, ParseAnswer(where, reply));
  auto answer = ReadingsAnswerFromJson(json);
  if (!answer.ok())
    return absl::InvalidArgumentError(StrCat(where, ": cannot read the answer: ", Message(answer.status())));
  return answer;
}

}  // namespace faro::patrol
