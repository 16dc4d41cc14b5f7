#include "probe/check_connection.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <http_parser.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/strings.hpp"

namespace faro {
namespace {

double Ms(SteadyTime from, SteadyTime to) { return std::chrono::duration<double, std::milli>(to - from).count(); }

std::string HostHeader(const ProbeUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  const std::string host = v6 ? StrCat("[", url.host, "]") : url.host;
  const std::uint16_t default_port = url.scheme == Scheme::kHttp ? 80 : 443;
  return url.port == default_port ? host : StrCat(host, ":", url.port);
}

std::string OpenSslReason() {
  const unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  return reason != nullptr ? reason : "unknown error";
}

}  // namespace

// The answer's parser (http-parser): status, body bytes up to the window, and the end of the
// message. It pauses itself once the check has what it needs.
struct CheckConnection::Parser {
  http_parser parser;
  int status = 0;
  bool headers_done = false;
  bool complete = false;

  static int OnHeadersComplete(http_parser* p) {
    auto* self = static_cast<CheckConnection*>(p->data);
    Parser& me = *self->parser_;
    if (p->status_code / 100 == 1 && p->status_code != 101) return 0;  // "100 Continue": the answer follows
    me.status = p->status_code;
    me.headers_done = true;
    if (self->plan_.body_limit == 0) http_parser_pause(p, 1);
    return 0;
  }
  static int OnBody(http_parser* p, const char* data, std::size_t length) {
    auto* self = static_cast<CheckConnection*>(p->data);
    std::string& body = self->report_.body;
    const std::size_t room = self->plan_.body_limit - std::min(self->plan_.body_limit, body.size());
    body.append(data, std::min(length, room));
    if (length >= room) http_parser_pause(p, 1);
    return 0;
  }
  static int OnMessageComplete(http_parser* p) {
    auto* self = static_cast<CheckConnection*>(p->data);
    Parser& me = *self->parser_;
    if (!me.headers_done) return 0;  // an informational answer ended; the real one comes next
    me.complete = true;
    http_parser_pause(p, 1);
    return 0;
  }
  static const http_parser_settings& Settings() {
    static const http_parser_settings settings = [] {
      http_parser_settings s;
      http_parser_settings_init(&s);
      s.on_headers_complete = &OnHeadersComplete;
      s.on_body = &OnBody;
      s.on_message_complete = &OnMessageComplete;
      return s;
    }();
    return settings;
  }
  void Init(CheckConnection* owner) {
    // Headers as large as libcurl takes (its limit is 100 KB a header); the default is 80 KB
    // for all of them. The setting is the library's, for the whole process.
    static const bool sized = (http_parser_set_max_header_size(256 * 1024), true);
    (void)sized;
    http_parser_init(&parser, HTTP_RESPONSE);
    // Chunked with a Content-Length too: chunked wins (RFC 9112 §6.3), as libcurl reads it.
    parser.allow_chunked_length = 1;
    parser.data = owner;
  }
  // Feeds bytes (none: the server closed). True once the check has its answer.
  bool Feed(const char* data, std::size_t length) {
    http_parser_execute(&parser, &Settings(), data, length);
    return headers_done && (complete || HTTP_PARSER_ERRNO(&parser) == HPE_PAUSED);
  }
  http_errno Error() const { return HTTP_PARSER_ERRNO(&parser); }
};

std::unique_ptr<CheckConnection> CheckConnection::Start(EventLoop& loop, ConnectionPlan plan, Done done) {
  std::unique_ptr<CheckConnection> c(new CheckConnection(loop, std::move(plan), std::move(done)));
  c->Begin();
  return c;
}

CheckConnection::CheckConnection(EventLoop& loop, ConnectionPlan plan, Done done)
    : loop_(loop), plan_(std::move(plan)), done_(std::move(done)), parser_(std::make_unique<Parser>()) {}

CheckConnection::~CheckConnection() { Close(); }

void CheckConnection::Begin() {
  started_ = EventLoop::Now();
  const ProbeUrl& url = *plan_.url;
  sockaddr_storage to{};
  socklen_t to_len = 0;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&to); inet_pton(AF_INET, plan_.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(url.port);
    to_len = sizeof(sockaddr_in);
  } else if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&to); inet_pton(AF_INET6, plan_.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(url.port);
    to_len = sizeof(sockaddr_in6);
  }
  // Every ending goes through the loop, so `done` never runs inside Start.
  auto fail_soon = [this](int code, int err, std::string detail) {
    report_.facts.curl_code = code;
    report_.facts.os_errno = err;
    report_.facts.curl_error = std::move(detail);
    timer_ = loop_.AddTimer(EventLoop::Now(), [this] {
      timer_ = 0;
      Close();
      Report();
    });
  };
  if (to_len == 0) return fail_soon(CURLE_COULDNT_RESOLVE_HOST, 0, StrCat("\"", plan_.address, "\" is not an IP address"));
  fd_ = socket(to.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    const int err = errno;
    return fail_soon(CURLE_COULDNT_CONNECT, err, StrCat("cannot open a socket: ", std::strerror(err)));
  }
  if (connect(fd_, reinterpret_cast<sockaddr*>(&to), to_len) != 0 && errno != EINPROGRESS) {
    const int err = errno;
    return fail_soon(CURLE_COULDNT_CONNECT, err, ConnectFailed(err));
  }
  ArmTimer(plan_.connect_deadline);
  WatchFor(EPOLLOUT);
}

std::string CheckConnection::ConnectFailed(int err) const {
  return StrCat("connect to ", plan_.address, " port ", plan_.url->port, " failed: ", std::strerror(err));
}

void CheckConnection::WatchFor(std::uint32_t events) {
  if (events == watching_) return;
  watching_ = events;
  loop_.Watch(fd_, events, [this](std::uint32_t ev) { OnReady(ev); });
}

void CheckConnection::ArmTimer(SteadyTime when) {
  if (timer_) loop_.CancelTimer(timer_);
  timer_ = loop_.AddTimer(when, [this] {
    timer_ = 0;
    Fail(CURLE_OPERATION_TIMEDOUT, 0, "timed out");
  });
}

void CheckConnection::OnReady(std::uint32_t events) {
  switch (phase_) {
    case Phase::kConnecting: {
      int err = 0;
      socklen_t len = sizeof(err);
      if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      if (err != 0) return Fail(CURLE_COULDNT_CONNECT, err, ConnectFailed(err));
      if (!(events & EPOLLOUT)) return;
      return OnConnected();
    }
    case Phase::kHandshake: return Handshake();
    case Phase::kSending: return Send();
    case Phase::kReading: return Read();
  }
}

void CheckConnection::OnConnected() {
  connected_at_ = EventLoop::Now();
  report_.facts.connected = true;
  report_.phases.connect = Ms(started_, connected_at_);
  const ProbeUrl& url = *plan_.url;
  if (url.scheme == Scheme::kTcp) return Succeed();
  if (url.UsesTls()) {
    ssl_ = plan_.tls != nullptr ? SSL_new(plan_.tls) : nullptr;
    if (ssl_ == nullptr) return Fail(CURLE_SSL_CONNECT_ERROR, 0, "cannot start TLS: no TLS context");
    SSL_set_fd(ssl_, fd_);
    // The certificate must name what was asked for, as libcurl checks it: the IP address, or
    // the host name (sent as SNI too), with wildcards only as a whole left-most label.
    SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const bool named = url.host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), url.host.c_str()) == 1
                                      : SSL_set_tlsext_host_name(ssl_, url.host.c_str()) == 1 &&
                                            SSL_set1_host(ssl_, url.host.c_str()) == 1;
    if (!named) return Fail(CURLE_SSL_CONNECT_ERROR, 0, StrCat("cannot check a certificate for \"", url.host, "\""));
    if (url.scheme == Scheme::kHttps) {
      static const unsigned char kAlpn[] = "\x08http/1.1";
      SSL_set_alpn_protos(ssl_, kAlpn, sizeof(kAlpn) - 1);
    }
    if (plan_.sessions != nullptr) plan_.sessions->Attach(ssl_, StrCat(url.host, ":", url.port));
    SSL_set_connect_state(ssl_);
    phase_ = Phase::kHandshake;
    return Handshake();
  }
  phase_ = Phase::kSending;
  Send();
}

void CheckConnection::Handshake() {
  ERR_clear_error();
  errno = 0;
  const int rc = SSL_do_handshake(ssl_);
  const int err = errno;
  if (rc != 1) {
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ) return WatchFor(EPOLLIN);
    if (error == SSL_ERROR_WANT_WRITE) return WatchFor(EPOLLOUT);
    return FailTls(error, err);
  }
  tls_at_ = EventLoop::Now();
  report_.facts.tls_done = true;
  report_.phases.tls = Ms(connected_at_, tls_at_);
  if (plan_.url->scheme == Scheme::kTls) return Succeed();
  phase_ = Phase::kSending;
  Send();
}

void CheckConnection::FailTls(int ssl_error, int err) {
  if (ssl_error == SSL_ERROR_SYSCALL && err != 0)  // reset or broken pipe: the errno is the evidence
    return Fail(CURLE_RECV_ERROR, err, StrCat("TLS handshake: ", std::strerror(err)));
  const long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK) {
    ERR_clear_error();
    const std::string why = verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH
                                ? StrCat("the certificate does not name ", plan_.url->host)
                                : X509_verify_cert_error_string(verify);
    return Fail(CURLE_PEER_FAILED_VERIFICATION, 0, StrCat("certificate problem: ", why));
  }
  if (ssl_error == SSL_ERROR_SYSCALL || ssl_error == SSL_ERROR_ZERO_RETURN) {
    ERR_clear_error();
    return Fail(CURLE_SSL_CONNECT_ERROR, 0, "the server closed the connection during the TLS handshake");
  }
  return Fail(CURLE_SSL_CONNECT_ERROR, 0, StrCat("TLS handshake failed: ", OpenSslReason()));
}

void CheckConnection::Send() {
  if (request_.empty()) {
    const ProbeUrl& url = *plan_.url;
    request_ = StrCat("GET ", url.target, " HTTP/1.1\r\nHost: ", HostHeader(url),
                      "\r\nUser-Agent: faro-check/0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    ArmTimer(plan_.deadline);
  }
  while (sent_ < request_.size()) {
    const char* data = request_.data() + sent_;
    const int length = static_cast<int>(request_.size() - sent_);
    if (ssl_ != nullptr) {
      ERR_clear_error();
      errno = 0;
      const int n = SSL_write(ssl_, data, length);
      const int err = errno;
      if (n <= 0) {
        const int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_WANT_WRITE) return WatchFor(EPOLLOUT);
        if (error == SSL_ERROR_WANT_READ) return WatchFor(EPOLLIN);
        if (error == SSL_ERROR_SYSCALL && err != 0)
          return Fail(CURLE_SEND_ERROR, err, StrCat("sending the request: ", std::strerror(err)));
        return Fail(CURLE_SEND_ERROR, 0, StrCat("sending the request failed: ", OpenSslReason()));
      }
      sent_ += static_cast<std::size_t>(n);
    } else {
      const ssize_t n = send(fd_, data, static_cast<std::size_t>(length), MSG_NOSIGNAL);
      const int err = errno;
      if (n < 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) return WatchFor(EPOLLOUT);
        return Fail(CURLE_SEND_ERROR, err, StrCat("sending the request: ", std::strerror(err)));
      }
      sent_ += static_cast<std::size_t>(n);
    }
  }
  sent_at_ = EventLoop::Now();
  parser_->Init(this);
  phase_ = Phase::kReading;
  WatchFor(EPOLLIN);
  Read();  // an answer may already be waiting
}

void CheckConnection::Read() {
  char buffer[8192];
  for (;;) {
    std::size_t got = 0;
    bool eof = false;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      errno = 0;
      const int n = SSL_read(ssl_, buffer, sizeof(buffer));
      const int err = errno;
      if (n > 0) {
        got = static_cast<std::size_t>(n);
      } else {
        const int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_WANT_READ) return WatchFor(EPOLLIN);
        if (error == SSL_ERROR_WANT_WRITE) return WatchFor(EPOLLOUT);
        if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && err == 0)) {
          eof = true;
        } else if (error == SSL_ERROR_SYSCALL) {
          return Fail(CURLE_RECV_ERROR, err, StrCat("reading the answer: ", std::strerror(err)));
        } else {
          return Fail(CURLE_RECV_ERROR, 0, StrCat("reading the answer failed: ", OpenSslReason()));
        }
      }
    } else {
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      const int err = errno;
      if (n < 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) return WatchFor(EPOLLIN);
        return Fail(CURLE_RECV_ERROR, err, StrCat("reading the answer: ", std::strerror(err)));
      }
      got = static_cast<std::size_t>(n);
      eof = n == 0;
    }
    if (got > 0 && !got_bytes_) {
      got_bytes_ = true;
      report_.phases.first_byte = Ms(sent_at_, EventLoop::Now());
    }
    if (parser_->Feed(buffer, got)) return Succeed();
    if (eof) {  // before the parser's own error, which only says the end came too early
      if (!got_bytes_) return Fail(CURLE_GOT_NOTHING, 0, "empty reply from server");
      if (!parser_->headers_done) return Fail(CURLE_WEIRD_SERVER_REPLY, 0, "the answer ended inside its headers");
      return Fail(CURLE_PARTIAL_FILE, 0, "the connection closed before the answer was complete");
    }
    if (parser_->Error() != HPE_OK && parser_->Error() != HPE_PAUSED)
      return Fail(CURLE_WEIRD_SERVER_REPLY, 0,
                  StrCat("malformed HTTP answer: ", http_errno_description(parser_->Error())));
  }
}

void CheckConnection::Abandon() {
  if (report_.facts.curl_code != CURLE_OK) {  // a failure already known, waiting for the loop
    Close();
    return Report();
  }
  Fail(CURLE_OPERATION_TIMEDOUT, 0, "timed out");
}

void CheckConnection::Succeed() {
  // We end the connection, not a fault: without this, OpenSSL would mark the session (and the
  // ticket the host gave) as not resumable when the SSL is freed.
  if (ssl_ != nullptr) SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  report_.facts.curl_code = CURLE_OK;
  report_.facts.http_status = parser_->status;
  Close();
  Report();
}

void CheckConnection::Fail(int curl_code, int os_errno, std::string detail) {
  report_.facts.curl_code = curl_code;
  report_.facts.os_errno = os_errno;
  report_.facts.curl_error = std::move(detail);
  // A status seen before the failure is kept, as libcurl's CURLINFO_RESPONSE_CODE is.
  report_.facts.http_status = parser_->status;
  Close();
  Report();
}

void CheckConnection::Close() {
  if (timer_) {
    loop_.CancelTimer(timer_);
    timer_ = 0;
  }
  if (ssl_ != nullptr) {
    SSL_free(ssl_);  // no close_notify: the check is over, the connection just goes
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    loop_.Unwatch(fd_);
    close(fd_);
    fd_ = -1;
  }
}

// Last thing any path does: `done_` may destroy this object.
void CheckConnection::Report() {
  Done done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(report_));
}

}  // namespace faro
