#include "probe/tls_sessions.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>
#include <mutex>

namespace faro {

// What one connection's SSL_CTX knows: whose it is and what happened on it. Freed with the
// context (OpenSSL calls FreeBinding).
struct TlsSessions::Binding {
  TlsSessions* owner;
  std::string key;
  bool offered = false;
  bool counted = false;
  int uses = 0;  // of the session offered, resumptions included
};

int TlsSessions::BindingIndex() {
  static int index = -1;
  static std::once_flag once;
  std::call_once(once, [] {
    index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, &TlsSessions::FreeBinding);
  });
  return index;
}

void TlsSessions::FreeBinding(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<Binding*>(ptr);
}

TlsSessions::TlsSessions(Options options) : options_(options) {
  if (options_.full_every < 1) options_.full_every = 1;
}

TlsSessions::~TlsSessions() = default;

void TlsSessions::Attach(SSL_CTX* ctx, std::string host_key) {
  const int index = BindingIndex();
  delete static_cast<Binding*>(SSL_CTX_get_ex_data(ctx, index));
  SSL_CTX_set_ex_data(ctx, index, new Binding{this, std::move(host_key)});
  SSL_CTX_set_info_callback(ctx, &TlsSessions::OnInfo);
  if (options_.resume) {
    // Sessions are handed to us, never stored inside this short-lived context.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(ctx, &TlsSessions::OnNewSession);
  }
}

// OpenSSL passes a const SSL to info callbacks; at the start of the handshake the connection is
// ours to prepare (its ClientHello is not built yet), which is the one moment a session can be
// offered after libcurl made the SSL object.
void TlsSessions::OnInfo(const SSL* ssl, int where, int) {
  auto* b = static_cast<Binding*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), BindingIndex()));
  if (b == nullptr) return;
  if ((where & SSL_CB_HANDSHAKE_START) && !b->offered) {
    b->offered = true;
    if (b->owner->options_.resume) b->owner->Offer(const_cast<SSL*>(ssl), b->key);
  }
  if ((where & SSL_CB_HANDSHAKE_DONE) && !b->counted) {
    b->counted = true;
    if (SSL_session_reused(const_cast<SSL*>(ssl))) ++b->owner->handshakes_.resumed;
    else ++b->owner->handshakes_.full;
  }
}

int TlsSessions::OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* b = static_cast<Binding*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), BindingIndex()));
  if (b == nullptr) return 0;
  if (!SSL_SESSION_is_resumable(session) || SSL_get_verify_result(ssl) != X509_V_OK) return 0;
  b->owner->Keep(ssl, b->key, session);
  return 0;  // kept as bytes: OpenSSL keeps its reference
}

void TlsSessions::Offer(SSL* ssl, const std::string& key) {
  auto it = kept_.find(key);
  if (it == kept_.end()) return;
  Binding* b = static_cast<Binding*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), BindingIndex()));
  const Kept& kept = it->second;
  if (static_cast<int64_t>(std::time(nullptr)) >= kept.expires || kept.uses + 1 >= options_.full_every) {
    kept_.erase(it);  // this connection verifies the certificate again
    return;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(kept.der.data());
  SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &bytes, static_cast<long>(kept.der.size()));
  if (session == nullptr) {
    kept_.erase(it);
    return;
  }
  if (SSL_set_session(ssl, session) == 1) b->uses = kept.uses + 1;
  SSL_SESSION_free(session);  // the connection holds its own reference
}

void TlsSessions::Keep(SSL* ssl, const std::string& key, SSL_SESSION* session) {
  const Binding* b = static_cast<Binding*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), BindingIndex()));
  const int length = i2d_SSL_SESSION(session, nullptr);
  if (length <= 0) return;
  Kept kept;
  kept.der.resize(static_cast<std::size_t>(length));
  auto* out = reinterpret_cast<unsigned char*>(kept.der.data());
  if (i2d_SSL_SESSION(session, &out) != length) return;
  kept.expires = static_cast<int64_t>(SSL_SESSION_get_time(session)) + SSL_SESSION_get_timeout(session);
  // A ticket from a resumed connection continues its chain; one from a full handshake starts anew.
  kept.uses = SSL_session_reused(ssl) ? b->uses : 0;
  auto it = kept_.find(key);
  if (it == kept_.end() && kept_.size() >= options_.capacity && !kept_.empty()) kept_.erase(kept_.begin());
  kept_.insert_or_assign(key, std::move(kept));
}

void TlsSessions::Forget(const std::string& host_key) { kept_.erase(host_key); }

}  // namespace faro
