#include "probe/tls_sessions.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>
#include <mutex>

namespace faro {

// What one connection knows: which host it is for and what happened on it. Freed with the SSL
// (OpenSSL calls FreeBinding).
struct TlsSessions::Binding {
  TlsSessions* owner;
  std::string key;
  bool counted = false;
  int uses = 0;  // of the session offered, resumptions included
};

int TlsSessions::BindingIndex() {
  static int index = -1;
  static std::once_flag once;
  std::call_once(once, [] {
    index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &TlsSessions::FreeBinding);
  });
  return index;
}

void TlsSessions::FreeBinding(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<Binding*>(ptr);
}

TlsSessions::TlsSessions(Options options) : options_(options) {
  if (options_.full_every < 1) options_.full_every = 1;
}

TlsSessions::~TlsSessions() {
  for (auto& [key, kept] : kept_) SSL_SESSION_free(kept.session);
}

void TlsSessions::Configure(SSL_CTX* ctx) {
  if (!options_.resume) return;
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
  SSL_CTX_sess_set_new_cb(ctx, &TlsSessions::OnNewSession);
}

void TlsSessions::Attach(SSL* ssl, std::string host_key) {
  auto* binding = new Binding{this, std::move(host_key)};
  SSL_set_ex_data(ssl, BindingIndex(), binding);
  SSL_set_info_callback(ssl, &TlsSessions::OnInfo);
  if (options_.resume) Offer(ssl, *binding);
}

// TLS 1.3 tickets arrive after the handshake; OpenSSL may report more than one "done" for a
// connection, so each is counted once.
void TlsSessions::OnInfo(const SSL* ssl, int where, int) {
  auto* b = static_cast<Binding*>(SSL_get_ex_data(ssl, BindingIndex()));
  if (b == nullptr || !(where & SSL_CB_HANDSHAKE_DONE) || b->counted) return;
  b->counted = true;
  if (SSL_session_reused(const_cast<SSL*>(ssl))) ++b->owner->handshakes_.resumed;
  else ++b->owner->handshakes_.full;
}

int TlsSessions::OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* b = static_cast<Binding*>(SSL_get_ex_data(ssl, BindingIndex()));
  if (b == nullptr) return 0;
  if (!SSL_SESSION_is_resumable(session) || SSL_get_verify_result(ssl) != X509_V_OK) return 0;
  b->owner->Keep(ssl, b->key, session);
  return 1;  // the reference is ours now
}

void TlsSessions::Offer(SSL* ssl, Binding& b) {
  auto it = kept_.find(b.key);
  if (it == kept_.end()) return;
  SSL_SESSION* s = it->second.session;
  const bool expired = static_cast<long>(std::time(nullptr)) >= SSL_SESSION_get_time(s) + SSL_SESSION_get_timeout(s);
  if (expired || it->second.uses + 1 >= options_.full_every) {
    Drop(it);  // this connection verifies the certificate again
    return;
  }
  if (SSL_set_session(ssl, s) == 1) b.uses = it->second.uses + 1;
}

void TlsSessions::Keep(SSL* ssl, const std::string& key, SSL_SESSION* session) {
  const auto* b = static_cast<const Binding*>(SSL_get_ex_data(ssl, BindingIndex()));
  // A ticket from a resumed connection continues its chain; one from a full handshake starts anew.
  const int uses = SSL_session_reused(ssl) ? b->uses : 0;
  auto it = kept_.find(key);
  if (it != kept_.end()) {
    SSL_SESSION_free(it->second.session);
    it->second = Kept{session, uses};
    return;
  }
  if (kept_.size() >= options_.capacity && !kept_.empty()) Drop(kept_.begin());
  kept_.emplace(key, Kept{session, uses});
}

void TlsSessions::Forget(const std::string& host_key) {
  auto it = kept_.find(host_key);
  if (it != kept_.end()) Drop(it);
}

void TlsSessions::Drop(std::unordered_map<std::string, Kept>::iterator it) {
  SSL_SESSION_free(it->second.session);
  kept_.erase(it);
}

}  // namespace faro
