#include "core/probe_url.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <memory>

#include "core/strings.hpp"

namespace faro {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
};

}  // namespace

bool IsIpLiteral(std::string_view text) {
  std::string s(text);
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

absl::StatusOr<ProbeUrl> ParseProbeUrl(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty URL");
  ProbeUrl out;
  std::string_view rest;
  auto starts = [&](std::string_view prefix) {
    if (text.substr(0, prefix.size()) != prefix) return false;
    rest = text.substr(prefix.size());
    return true;
  };
  if (starts("https://")) out.scheme = Scheme::kHttps;
  else if (starts("http://")) out.scheme = Scheme::kHttp;
  else if (starts("tls://")) out.scheme = Scheme::kTls;
  else if (starts("tcp://")) out.scheme = Scheme::kTcp;
  else
    return absl::InvalidArgumentError(StrCat(
        "\"", text, "\" is not a URL Faro can check: use https://, http://, tls://HOST:PORT or tcp://HOST:PORT"));

  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  // curl parses every scheme alike; tcp/tls are rewritten to http for the parse only.
  const std::string parse_text =
      out.SpeaksHttp() ? std::string(text) : StrCat("http://", rest);
  if (CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, parse_text.c_str(), 0); rc != CURLUE_OK)
    return absl::InvalidArgumentError(
        StrCat("malformed URL \"", text, "\": ", curl_url_strerror(rc)));

  CurlString host;
  if (curl_url_get(url.get(), CURLUPART_HOST, &host.p, 0) != CURLUE_OK || host.p == nullptr ||
      *host.p == '\0')
    return absl::InvalidArgumentError(StrCat("malformed URL \"", text, "\": no host"));
  out.host = host.p;
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  out.host_is_ip = IsIpLiteral(out.host);

  CurlString port;
  const bool has_port = curl_url_get(url.get(), CURLUPART_PORT, &port.p, 0) == CURLUE_OK;
  if (!out.SpeaksHttp()) {
    if (!has_port)
      return absl::InvalidArgumentError(StrCat(
          "malformed URL \"", text, "\": ", out.scheme == Scheme::kTcp ? "tcp" : "tls",
          ":// needs a port, e.g. tcp://host:443"));
    CurlString path;
    curl_url_get(url.get(), CURLUPART_PATH, &path.p, 0);
    if (path.p != nullptr && std::string_view(path.p) != "/")
      return absl::InvalidArgumentError(
          StrCat("malformed URL \"", text, "\": tcp:// and tls:// take no path"));
  }
  if (has_port) {
    const long p = std::strtol(port.p, nullptr, 10);
    if (p <= 0 || p > 65535)
      return absl::InvalidArgumentError(StrCat("malformed URL \"", text, "\": bad port"));
    out.port = static_cast<std::uint16_t>(p);
  } else {
    out.port = out.scheme == Scheme::kHttp ? 80 : 443;
  }

  if (out.SpeaksHttp()) {
    CurlString full;
    curl_url_get(url.get(), CURLUPART_URL, &full.p, 0);
    out.text = full.p;
    CurlString path, query;
    curl_url_get(url.get(), CURLUPART_PATH, &path.p, 0);
    out.target = path.p != nullptr && *path.p != '\0' ? path.p : "/";
    if (curl_url_get(url.get(), CURLUPART_QUERY, &query.p, 0) == CURLUE_OK && query.p != nullptr)
      out.target += StrCat("?", query.p);
  } else {
    out.text = std::string(text);
  }
  return out;
}

}  // namespace faro
