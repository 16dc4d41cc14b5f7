#include "probe/dns_resolver.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <sys/epoll.h>

#include <mutex>

#include "core/strings.hpp"

namespace faro {
namespace {

DnsStatus FromAres(int status) {
  switch (status) {
    case ARES_SUCCESS: return DnsStatus::kOk;
    case ARES_ESERVFAIL: return DnsStatus::kServfail;
    case ARES_ENOTFOUND: return DnsStatus::kNxdomain;
    case ARES_ENODATA: return DnsStatus::kNoAddress;
    case ARES_ETIMEOUT: return DnsStatus::kTimeout;
    case ARES_EREFUSED: return DnsStatus::kRefused;
    case ARES_ECONNREFUSED: return DnsStatus::kUnreachable;
    default: return DnsStatus::kError;
  }
}

struct Query {
  DnsResolver::Callback callback;
  SteadyTime started;
  std::string host;
  bool asked_aaaa = false;
  ares_channel channel;
};

void ParseAddresses(int type, unsigned char* abuf, int alen, std::vector<std::string>& out) {
  char text[INET6_ADDRSTRLEN];
  if (type == ns_t_a) {
    ares_addrttl ttls[32];
    int n = 32;
    if (ares_parse_a_reply(abuf, alen, nullptr, ttls, &n) != ARES_SUCCESS) return;
    for (int i = 0; i < n; ++i)
      if (inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text)) out.emplace_back(text);
  } else {
    ares_addr6ttl ttls[32];
    int n = 32;
    if (ares_parse_aaaa_reply(abuf, alen, nullptr, ttls, &n) != ARES_SUCCESS) return;
    for (int i = 0; i < n; ++i)
      if (inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text)) out.emplace_back(text);
  }
}

void OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* query = static_cast<Query*>(arg);
  DnsAnswer answer;
  if (status == ARES_SUCCESS) {
    ParseAddresses(query->asked_aaaa ? ns_t_aaaa : ns_t_a, abuf, alen, answer.addresses);
    if (answer.addresses.empty()) status = ARES_ENODATA;  // e.g. only a CNAME chain
  }
  if ((status == ARES_ENODATA) && !query->asked_aaaa) {
    query->asked_aaaa = true;
    ares_query(query->channel, query->host.c_str(), ns_c_in, ns_t_aaaa, OnAnswer, query);
    return;
  }
  if (status == ARES_EDESTRUCTION) {  // the resolver is going away; the run is over
    delete query;
    return;
  }
  answer.status = FromAres(status);
  if (status != ARES_SUCCESS) answer.detail = ares_strerror(status);
  answer.ms = std::chrono::duration<double, std::milli>(EventLoop::Now() - query->started).count();
  Query owned = std::move(*query);
  delete query;
  owned.callback(answer);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DnsResolver>> DnsResolver::Create(EventLoop& loop,
                                                                std::optional<ResolverAddress> server,
                                                                Millis timeout) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
  std::unique_ptr<DnsResolver> resolver(new DnsResolver(loop));
  ares_options options{};
  options.timeout = static_cast<int>(timeout.count());
  options.tries = 1;
  // Keep SERVFAIL and REFUSED answers: without this c-ares drops them, moves on to the next
  // server and, with one server, reports a refused connection (the 4 Oct 2021 case).
  options.flags = ARES_FLAG_NOCHECKRESP;
  options.sock_state_cb = &DnsResolver::OnSocketState;
  options.sock_state_cb_data = resolver.get();
  const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS;
  if (int rc = ares_init_options(&resolver->channel_, &options, mask); rc != ARES_SUCCESS)
    return absl::InternalError(StrCat("cannot start the DNS resolver: ", ares_strerror(rc)));
  if (server) {
    const std::string csv = server->ToString();
    if (int rc = ares_set_servers_ports_csv(resolver->channel_, csv.c_str()); rc != ARES_SUCCESS)
      return absl::InvalidArgumentError(StrCat("resolver ", csv, ": ", ares_strerror(rc)));
    resolver->server_ = csv;
  } else {
    ares_addr_port_node* servers = nullptr;
    if (ares_get_servers_ports(resolver->channel_, &servers) == ARES_SUCCESS && servers != nullptr) {
      char text[INET6_ADDRSTRLEN] = "";
      inet_ntop(servers->family, &servers->addr, text, sizeof text);
      ResolverAddress first{text, static_cast<std::uint16_t>(servers->udp_port ? servers->udp_port : 53),
                            servers->family == AF_INET6};
      resolver->server_ = first.ToString();
      // Only the first: "your resolver" is one server, compared with the alternatives.
      ares_set_servers_ports_csv(resolver->channel_, resolver->server_.c_str());
    }
    ares_free_data(servers);
    if (resolver->server_.empty()) return absl::FailedPreconditionError("no nameserver in /etc/resolv.conf");
  }
  return resolver;
}

DnsResolver::~DnsResolver() {
  if (timer_) loop_.CancelTimer(timer_);
  ares_destroy(channel_);
}

void DnsResolver::OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<DnsResolver*>(data);
  if (!readable && !writable) {
    self->loop_.Unwatch(fd);
    return;
  }
  const std::uint32_t events = (readable ? EPOLLIN : 0u) | (writable ? EPOLLOUT : 0u);
  self->loop_.Watch(fd, events, [self, fd](std::uint32_t ev) {
    const bool err = ev & (EPOLLERR | EPOLLHUP);
    ares_process_fd(self->channel_, (ev & EPOLLIN) || err ? fd : ARES_SOCKET_BAD,
                    (ev & EPOLLOUT) ? fd : ARES_SOCKET_BAD);
    self->ScheduleTimer();
  });
}

void DnsResolver::ScheduleTimer() {
  if (timer_) loop_.CancelTimer(timer_);
  timer_ = 0;
  timeval max{3600, 0}, tv{};
  if (ares_timeout(channel_, &max, &tv) == &max) return;  // nothing pending
  const auto when = EventLoop::Now() + std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  timer_ = loop_.AddTimer(when, [this] {
    timer_ = 0;
    ProcessTimeouts();
  });
}

void DnsResolver::ProcessTimeouts() {
  ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  ScheduleTimer();
}

void DnsResolver::Resolve(const std::string& host, Callback callback) {
  auto* query = new Query{std::move(callback), EventLoop::Now(), host, false, channel_};
  ares_query(channel_, host.c_str(), ns_c_in, ns_t_a, OnAnswer, query);
  ScheduleTimer();
}

}  // namespace faro
