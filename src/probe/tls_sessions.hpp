#pragma once
// TLS sessions kept per host, so a patrol that checks thousands of hosts every interval can
// resume instead of doing a full handshake every time. It holds a session per "host:port" and
// hands it to the next connection to that host (libcurl's cache holds eight when shared).
//
// The probe engine makes every check's connection from one SSL_CTX (see check_connection.hpp);
// what belongs to one connection (its host, the session offered) hangs on its SSL object.
//
// Honesty: a resumed handshake proves the server still holds the ticket key, not that its
// certificate is still valid, so a host gets a full handshake (its certificate verified afresh)
// at least every `full_every` checks, whenever the server's ticket has expired, and after any
// failed check of it. A session is only kept from a connection whose certificate verified for
// that host name, and only offered to that host name and port again.
//
// Sessions are kept as live OpenSSL objects, with the server's certificate already parsed:
// kept serialised instead (a third of the memory), every resumption decoded the certificate
// again, and with OpenSSL 3's decoders that cost more CPU than the full handshake it saved
// (measured: 38 % of a core instead of 32 % at 10,000 hosts). Ten thousand hosts cost ~50 MB.
//
// TLS 1.3 servers send tickets after the handshake; a tls:// check closes before reading one, so
// such checks keep making full handshakes.
//
// Counting works with or without resumption: every handshake is counted as full or resumed.
// Not thread-safe: one per ProbeEngine, used on its thread (OpenSSL calls back inside SSL_read).
#include <openssl/ssl.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace faro {

struct TlsHandshakes {
  uint64_t full = 0;     // handshakes that verified the server's certificate
  uint64_t resumed = 0;  // handshakes that resumed a kept session
};

class TlsSessions {
 public:
  struct Options {
    bool resume = false;           // keep and offer sessions; off: count handshakes only
    int full_every = 10;           // at most full_every - 1 resumptions between full handshakes
    std::size_t capacity = 50000;  // hosts kept; past it an arbitrary host's session is dropped
  };
  explicit TlsSessions(Options options);
  ~TlsSessions();
  TlsSessions(const TlsSessions&) = delete;
  TlsSessions& operator=(const TlsSessions&) = delete;

  // Sets up the context the checks' connections are made from: with resume on, new sessions
  // are handed to this object, never kept inside the context. Once per context; the context
  // must not make connections after this object is gone.
  void Configure(SSL_CTX* ctx);
  // Prepares one connection to `host_key`, before its handshake: counts the handshake and,
  // with resume on, offers the host's session and keeps the new one.
  void Attach(SSL* ssl, std::string host_key);
  // Drops the host's session: its check failed, so the next one starts from scratch.
  void Forget(const std::string& host_key);

  TlsHandshakes handshakes() const { return handshakes_; }
  std::size_t size() const { return kept_.size(); }

 private:
  struct Kept {
    SSL_SESSION* session = nullptr;  // one reference, ours
    int uses = 0;                    // resumptions since the last full handshake
  };
  struct Binding;
  static void OnInfo(const SSL* ssl, int where, int ret);
  static int OnNewSession(SSL* ssl, SSL_SESSION* session);
  static void FreeBinding(void* parent, void* ptr, CRYPTO_EX_DATA* ad, int idx, long argl, void* argp);
  static int BindingIndex();
  void Offer(SSL* ssl, Binding& binding);
  void Keep(SSL* ssl, const std::string& key, SSL_SESSION* session);
  void Drop(std::unordered_map<std::string, Kept>::iterator it);

  Options options_;
  std::unordered_map<std::string, Kept> kept_;
  TlsHandshakes handshakes_;
};

}  // namespace faro
