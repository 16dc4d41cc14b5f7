#include "probe/classify.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <cerrno>

namespace faro {
namespace {

struct Row {
  const char* name;
  AttemptFacts facts;
  Outcome outcome;
  Cause cause;
};

AttemptFacts Dns(DnsStatus status) {
  AttemptFacts f;
  f.dns_asked = true;
  f.dns = status;
  return f;
}

AttemptFacts Curl(int code, int err = 0, bool connected = false, bool tls = false, bool tls_done = false) {
  AttemptFacts f;
  f.curl_code = code;
  f.os_errno = err;
  f.connected = connected;
  f.uses_tls = tls;
  f.tls_done = tls_done;
  f.speaks_http = true;
  return f;
}

AttemptFacts Http(int status, bool expected, bool body = true, double ms = 50) {
  AttemptFacts f = Curl(CURLE_OK, 0, true, true, true);
  f.http_status = status;
  f.status_expected = expected;
  f.body_expected = body;
  f.total_ms = ms;
  return f;
}

TEST(Classify, EveryBranchGivesItsCause) {
  const Row rows[] = {
      {"servfail", Dns(DnsStatus::kServfail), Outcome::kFail, Cause::kDnsServfail},
      {"refused rcode", Dns(DnsStatus::kRefused), Outcome::kFail, Cause::kDnsServfail},
      {"nxdomain", Dns(DnsStatus::kNxdomain), Outcome::kFail, Cause::kDnsNxdomain},
      {"no address", Dns(DnsStatus::kNoAddress), Outcome::kFail, Cause::kDnsNxdomain},
      {"dns timeout", Dns(DnsStatus::kTimeout), Outcome::kFail, Cause::kDnsTimeout},
      {"resolver down", Dns(DnsStatus::kUnreachable), Outcome::kFail, Cause::kDnsTimeout},
      {"refused", Curl(CURLE_COULDNT_CONNECT, ECONNREFUSED), Outcome::kFail, Cause::kTcpRefused},
      {"unreachable", Curl(CURLE_COULDNT_CONNECT, ENETUNREACH), Outcome::kFail, Cause::kTcpTimeout},
      {"connect timeout", Curl(CURLE_OPERATION_TIMEDOUT), Outcome::kFail, Cause::kTcpTimeout},
      {"handshake timeout", Curl(CURLE_OPERATION_TIMEDOUT, 0, true, true), Outcome::kFail, Cause::kTls},
      {"no answer in time", Curl(CURLE_OPERATION_TIMEDOUT, 0, true, true, true), Outcome::kFail, Cause::kSlow},
      {"bad certificate", Curl(CURLE_PEER_FAILED_VERIFICATION, 0, true, true), Outcome::kFail, Cause::kTls},
      {"handshake failed", Curl(CURLE_SSL_CONNECT_ERROR, 0, true, true), Outcome::kFail, Cause::kTls},
      {"reset after connect", Curl(CURLE_RECV_ERROR, ECONNRESET, true), Outcome::kFail, Cause::kTcpRefused},
      {"reset in handshake", Curl(CURLE_RECV_ERROR, ECONNRESET, true, true), Outcome::kFail, Cause::kTls},
      {"empty reply", Curl(CURLE_GOT_NOTHING, 0, true), Outcome::kFail, Cause::kApp},
      {"503", Http(503, false), Outcome::kFail, Cause::kHttp5xx},
      {"429", Http(429, false), Outcome::kFail, Cause::kHttp429},
      {"404", Http(404, false), Outcome::kFail, Cause::kHttp4xx},
      {"unexpected 200", Http(200, false), Outcome::kFail, Cause::kApp},
      {"portal body", Http(200, true, false), Outcome::kFail, Cause::kApp},
      {"404 accepted", Http(404, true), Outcome::kOk, Cause::kNone},
      {"fine", Http(200, true), Outcome::kOk, Cause::kNone},
      {"slow", Http(200, true, true, 8000), Outcome::kSlow, Cause::kSlow},
  };
  for (const Row& row : rows) {
    const Classification c = Classify(row.facts);
    EXPECT_EQ(c.outcome, row.outcome) << row.name;
    EXPECT_EQ(c.cause, row.cause) << row.name << ": got " << CauseName(c.cause);
    if (row.outcome != Outcome::kOk) {
      EXPECT_FALSE(c.detail.empty()) << row.name;
    }
  }
}

TEST(Classify, TcpConnectOnlyNeedsNoHttpStatus) {
  AttemptFacts f = Curl(CURLE_OK, 0, true);
  f.speaks_http = false;
  f.status_expected = false;  // ignored: no HTTP spoken
  EXPECT_EQ(Classify(f).outcome, Outcome::kOk);
}

}  // namespace
}  // namespace faro
