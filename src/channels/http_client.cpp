#include "channels/http_client.hpp"

#include <curl/curl.h>

#include <charconv>
#include <memory>

#include "core/strings.hpp"

namespace faro::channels {
namespace {

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

CURL* ThreadEasy() {
  thread_local std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  curl_easy_reset(easy.get());
  return easy.get();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) response->headers.clear();  // a new response (after 100-continue)
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos)
    response->headers.emplace_back(ToLower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
  return size * count;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  const std::string lower = ToLower(name);
  for (const auto& [key, value] : headers)
    if (key == lower) return value;
  return {};
}

absl::StatusOr<HttpResponse> PerformHttp(const HttpRequest& request) {
  CURL* easy = ThreadEasy();
  if (easy == nullptr) return absl::ResourceExhaustedError("cannot create an HTTP client");
  HttpResponse response;
  curl_slist* headers = nullptr;
  for (const std::string& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  if (!request.basic_user.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(easy, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, request.basic_password.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode code = curl_easy_perform(easy);
  curl_slist_free_all(headers);
  if (code != CURLE_OK)
    return absl::UnavailableError(StrCat(request.method, " ", request.url, ": ", curl_easy_strerror(code)));
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back('&');
    char* k = curl_easy_escape(nullptr, key.data(), static_cast<int>(key.size()));
    char* v = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
    StrAppend(out, k, "=", v);
    curl_free(k);
    curl_free(v);
  }
  return out;
}

void AddIdempotencyKey(HttpRequest& request, std::string_view key) {
  std::string value;
  for (char c : key)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) value.push_back(c);
  if (!value.empty()) request.headers.push_back(StrCat("Idempotency-Key: ", value));
}

SendResult NotSent(ResultKind kind, std::string code, std::string detail) {
  SendResult r;
  r.kind = kind;
  r.code = std::move(code);
  r.detail = std::move(detail);
  return r;
}

SendResult RateLimited(std::string code, std::string detail, std::chrono::milliseconds wait) {
  SendResult r = NotSent(ResultKind::kRateLimited, std::move(code), std::move(detail));
  r.wait = wait;
  return r;
}

SendResult ProviderFault(std::string code, std::string detail) {
  SendResult r = NotSent(ResultKind::kTransient, std::move(code), std::move(detail));
  r.provider_fault = true;
  return r;
}

SendResult TransportFailure(const absl::Status& status) { return ProviderFault("transport", Message(status)); }

std::chrono::milliseconds RetryAfter(const HttpResponse& response, std::chrono::milliseconds fallback) {
  const std::string value = response.Header("retry-after");
  long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc() || seconds < 0) return fallback;
  return std::chrono::seconds(seconds);
}

}  // namespace faro::channels
