#include "probe/classify.hpp"

#include <curl/curl.h>

#include <cerrno>

#include "core/strings.hpp"

namespace faro {
namespace {

Classification Fail(Cause cause, std::string detail) {
  return {Outcome::kFail, cause, std::move(detail)};
}

Classification FromDns(const AttemptFacts& f) {
  switch (f.dns) {
    case DnsStatus::kServfail: return Fail(Cause::kDnsServfail, "resolver answered SERVFAIL");
    case DnsStatus::kNxdomain: return Fail(Cause::kDnsNxdomain, "name does not exist (NXDOMAIN)");
    case DnsStatus::kNoAddress: return Fail(Cause::kDnsNxdomain, "name has no address records");
    case DnsStatus::kTimeout: return Fail(Cause::kDnsTimeout, "no DNS answer in time");
    case DnsStatus::kRefused: return Fail(Cause::kDnsServfail, "resolver answered REFUSED");
    case DnsStatus::kUnreachable: return Fail(Cause::kDnsTimeout, "resolver unreachable (connection refused)");
    case DnsStatus::kError:
    case DnsStatus::kOk: break;
  }
  return Fail(Cause::kDnsTimeout, StrCat("DNS failed: ", f.dns_detail));
}

Classification FromHttpStatus(const AttemptFacts& f) {
  const int s = f.http_status;
  const std::string detail = StrCat("HTTP ", s);
  if (s >= 500 && s <= 599) return Fail(Cause::kHttp5xx, detail);
  if (s == 429) return Fail(Cause::kHttp429, StrCat(detail, " (rate limited)"));
  if (s >= 400 && s <= 499) return Fail(Cause::kHttp4xx, detail);
  return Fail(Cause::kApp, StrCat(detail, " is not the expected answer"));
}

}  // namespace

Classification Classify(const AttemptFacts& f) {
  if (f.dns_asked && f.dns != DnsStatus::kOk) return FromDns(f);

  const std::string why = f.curl_error.empty() ? curl_easy_strerror(static_cast<CURLcode>(f.curl_code))
                                               : f.curl_error;
  switch (static_cast<CURLcode>(f.curl_code)) {
    case CURLE_OK:
      break;
    case CURLE_COULDNT_CONNECT:
      if (f.os_errno == ECONNREFUSED) return Fail(Cause::kTcpRefused, why);
      return Fail(Cause::kTcpTimeout, why);  // unreachable network or host: no way there
    case CURLE_OPERATION_TIMEDOUT:
      if (!f.connected) return Fail(Cause::kTcpTimeout, "TCP connect timed out");
      if (f.uses_tls && !f.tls_done) return Fail(Cause::kTls, "TLS handshake timed out");
      // Connected and asked, but no (complete) answer in time.
      return Fail(Cause::kSlow, "no answer in time");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return Fail(Cause::kTls, why);
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      if (f.os_errno == ECONNRESET) {
        if (f.uses_tls && !f.tls_done) return Fail(Cause::kTls, "connection reset during TLS handshake");
        return Fail(Cause::kTcpRefused, "connection reset by peer");
      }
      return Fail(f.uses_tls && !f.tls_done ? Cause::kTls : Cause::kApp, why);
    case CURLE_GOT_NOTHING:
      return Fail(Cause::kApp, "empty reply from server");
    default:
      if (f.uses_tls && f.connected && !f.tls_done) return Fail(Cause::kTls, why);
      return Fail(f.connected ? Cause::kApp : Cause::kTcpTimeout, why);
  }

  if (f.speaks_http) {
    if (!f.status_expected) return FromHttpStatus(f);
    if (!f.body_expected) return Fail(Cause::kApp, "answer lacks the expected text (captive portal?)");
  }
  if (f.total_ms > f.slow_ms)
    return {Outcome::kSlow, Cause::kSlow, StrCat("answered in ", static_cast<long>(f.total_ms), " ms")};
  return {};
}

}  // namespace faro

namespace faro {
Cause DnsCause(DnsStatus status) {
  if (status == DnsStatus::kOk) return Cause::kNone;
  AttemptFacts f;
  f.dns_asked = true;
  f.dns = status;
  return Classify(f).cause;
}
}  // namespace faro
