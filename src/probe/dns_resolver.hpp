#pragma once
// Non-blocking DNS over c-ares on an EventLoop, with the answer's class kept (SERVFAIL,
// NXDOMAIN and timeout are different stories: see DESIGN.md's causes). One resolver asks one
// server, once per query: retries belong to the caller, which spaces them.
#include <ares.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/resolver_address.hpp"
#include "core/status.hpp"
#include "probe/event_loop.hpp"

namespace faro {

enum class DnsStatus { kOk, kServfail, kNxdomain, kNoAddress, kTimeout, kRefused, kUnreachable, kError };

struct DnsAnswer {
  DnsStatus status = DnsStatus::kError;
  std::vector<std::string> addresses;  // IPv4 first, then IPv6
  std::string detail;                  // c-ares' words when it failed
  double ms = 0;
};

class DnsResolver {
 public:
  using Callback = std::function<void(const DnsAnswer&)>;

  // `server` unset: the system's first nameserver (/etc/resolv.conf). `timeout` bounds each
  // query. The loop must outlive the resolver.
  static absl::StatusOr<std::unique_ptr<DnsResolver>> Create(EventLoop& loop,
                                                             std::optional<ResolverAddress> server,
                                                             Millis timeout);
  ~DnsResolver();

  // Looks up A, then AAAA when the name has no A record. `callback` runs on the loop, once.
  void Resolve(const std::string& host, Callback callback);
  // "IP:PORT" of the server asked.
  const std::string& server() const { return server_; }

 private:
  void ProcessTimeouts();
  DnsResolver(EventLoop& loop) : loop_(loop) {}
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  void ScheduleTimer();

  EventLoop& loop_;
  ares_channel channel_ = nullptr;
  std::string server_;
  EventLoop::TimerId timer_ = 0;
};

}  // namespace faro
