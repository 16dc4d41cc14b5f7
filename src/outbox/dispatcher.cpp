#include "outbox/dispatcher.hpp"

#include "core/strings.hpp"
#include "outbox/decide.hpp"

namespace faro::outbox {

Dispatcher::Dispatcher(Outbox& outbox, std::map<std::string, channels::Channel*> channels, Renderer render,
                       LastInbound last_inbound, DispatcherOptions options)
    : outbox_(outbox), render_(std::move(render)), last_inbound_(std::move(last_inbound)), options_(options),
      random_(options.seed != 0 ? options.seed : static_cast<uint64_t>(ToUnixMillis(outbox.clock().Now()))) {
  for (const ChannelInfo& info : outbox_.routing().channels()) {
    const auto it = channels.find(info.id);
    if (it == channels.end() || it->second == nullptr) continue;
    auto lane = std::make_unique<Lane>();
    lane->info = info;
    lane->channel = it->second;
    lane->limits = lane->channel->limits();
    lane->bucket = std::make_unique<TokenBucket>(lane->limits.overall, lane->limits.burst);
    if (lane->limits.per_recipient)
      lane->per_recipient = std::make_unique<KeyedBuckets>(*lane->limits.per_recipient, 1);
    lane->breaker = CircuitBreaker(options_.breaker);
    lanes_[info.id] = std::move(lane);
  }
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  if (running_.exchange(true)) return;
  stopping_ = false;
  // A channel an earlier sender's breaker marked down is tried again after a cool-down, as if
  // this process's breaker had opened it.
  const TimePoint now = outbox_.clock().Now();
  for (const ChannelDown& d : outbox_.DownChannels())
    if (auto it = lanes_.find(d.channel); it != lanes_.end() && d.source == "outbox") it->second->breaker.Trip(now);
  for (auto& [id, lane] : lanes_)
    for (int i = 0; i < std::max(1, lane->limits.concurrency); ++i)
      lane->workers.emplace_back([this, l = lane.get()] { Work(l); });
  loop_ = std::thread([this] { Loop(); });
}

void Dispatcher::Stop() {
  if (!running_.exchange(false)) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  loop_cv_.notify_all();
  if (loop_.joinable()) loop_.join();
  for (auto& [id, lane] : lanes_) {
    for (std::thread& t : lane->workers) t.join();
    lane->workers.clear();
  }
  std::vector<Done> done;
  {
    std::lock_guard lock(mutex_);
    done.swap(done_);
  }
  Record(done);
}

void Dispatcher::Work(Lane* lane) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      work_cv_.wait(lock, [&] { return !lane->jobs.empty() || stopping_; });
      if (lane->jobs.empty()) return;
      job = std::move(lane->jobs.front());
      lane->jobs.pop_front();
    }
    channels::SendResult result = lane->channel->Send(job.delivery);
    {
      std::lock_guard lock(mutex_);
      done_.push_back({std::move(job.message), std::move(job.contact), std::move(result)});
    }
    loop_cv_.notify_one();
  }
}

void Dispatcher::DropPending() {
  for (auto& [id, lane] : lanes_) {
    for (const Message& m : lane->pending) known_.erase(m.id);
    lane->pending.clear();
  }
}

void Dispatcher::Fill(Lane& lane, TimePoint now) {
  const size_t low_water = 256;
  if (lane.pending.size() >= low_water) return;
  auto due = outbox_.Due(lane.info.id, now, 1024);
  if (!due.ok()) return;
  for (Message& m : *due)
    if (known_.insert(m.id).second) lane.pending.push_back(std::move(m));
}

void Dispatcher::Launch(Lane& lane, TimePoint now) {
  std::vector<Message> later;
  std::vector<Done> local;
  while (!lane.pending.empty()) {
    {
      std::lock_guard lock(mutex_);
      if (lane.in_flight >= std::max(1, lane.limits.concurrency)) break;
    }
    if (lane.bucket->WaitFor(now).count() > 0) break;
    Message m = std::move(lane.pending.front());
    lane.pending.pop_front();
    auto contact = outbox_.directory().Get(m.contact_id);
    if (!contact) {
      channels::SendResult gone;
      gone.kind = channels::ResultKind::kPermanent;
      gone.code = "no-contact";
      gone.detail = StrCat("contact ", m.contact_id, " no longer exists");
      local.push_back({std::move(m), contacts::Contact{}, std::move(gone), true});
      continue;
    }
    const std::string& address = contact->Address(lane.info.address_kind);
    if (lane.per_recipient && lane.per_recipient->WaitFor(address, now).count() > 0) {
      later.push_back(std::move(m));
      continue;
    }
    auto content = render_(m, *contact, lane.info);
    if (!content.ok()) {
      channels::SendResult bad;
      bad.kind = channels::ResultKind::kPermanent;
      bad.code = "render";
      bad.detail = faro::Message(content.status());
      local.push_back({std::move(m), std::move(*contact), std::move(bad), true});
      continue;
    }
    if (!lane.breaker.Allow(now)) {
      later.push_back(std::move(m));
      break;
    }
    lane.bucket->Take(now);
    if (lane.per_recipient) lane.per_recipient->Take(address, now);
    Job job;
    job.delivery.message_id = std::to_string(m.id);
    job.delivery.idempotency_key = StrCat(m.idempotency_key, "@", lane.info.id);
    job.delivery.address = address;
    job.delivery.display_name = contact->name;
    job.delivery.lang = contact->lang;
    job.delivery.content = std::move(*content);
    if (last_inbound_) job.delivery.last_inbound = last_inbound_(m.contact_id, lane.info.id);
    job.delivery.now = now;
    job.message = std::move(m);
    job.contact = std::move(*contact);
    {
      std::lock_guard lock(mutex_);
      lane.jobs.push_back(std::move(job));
      ++lane.in_flight;
    }
    work_cv_.notify_all();
  }
  for (auto it = later.rbegin(); it != later.rend(); ++it) lane.pending.push_front(std::move(*it));
  if (!local.empty()) {
    std::lock_guard lock(mutex_);
    for (Done& d : local) done_.push_back(std::move(d));
  }
}

void Dispatcher::Record(std::vector<Done>& done) {
  if (done.empty()) return;
  const TimePoint now = outbox_.clock().Now();
  const std::set<std::string> down = outbox_.DownSet();
  std::vector<Outbox::Update> updates;
  std::vector<std::pair<std::string, std::string>> mark_down;  // channel, reason
  std::vector<std::string> mark_up;
  updates.reserve(done.size());
  DispatchStats counted;
  for (Done& d : done) {
    auto it = lanes_.find(d.message.channel);
    Lane* lane = it == lanes_.end() ? nullptr : it->second.get();
    const auto& r = d.result;
    using channels::ResultKind;
    if (lane != nullptr && !d.local) {
      if (r.kind == ResultKind::kAccepted || (!r.provider_fault && r.kind != ResultKind::kAuth)) {
        if (lane->breaker.OnSuccess(now)) mark_up.push_back(lane->info.id);
      } else if (r.provider_fault && lane->breaker.OnFailure(now) &&
                 lane->breaker.state() == CircuitBreaker::State::kOpen) {
        mark_down.emplace_back(lane->info.id, StrCat(lane->breaker.consecutive_failures(),
                                                     " failed sends in a row (last: ", r.code, " ", r.detail, ")"));
      }
      if (r.kind == ResultKind::kAuth)
        mark_down.emplace_back(lane->info.id, StrCat("credentials refused (", r.code, "): ", r.detail));
      if (r.kind == ResultKind::kRateLimited) {
        const TimePoint until = now + r.wait;
        if (r.recipient_only && lane->per_recipient)
          lane->per_recipient->PauseUntil(d.contact.Address(lane->info.address_kind), until);
        else
          lane->bucket->PauseUntil(until);
      }
    }
    if (r.kind == ResultKind::kConsent && d.contact.id != 0)
      outbox_.directory().RecordOptOut(d.contact.id, d.message.channel, StrCat(d.message.channel, " ", r.code), now);
    if (!r.new_address.empty() && lane != nullptr)
      outbox_.directory().UpdateAddress(d.contact.id, lane->info.address_kind, r.new_address);
    Outbox::Update u = Decide(d.message, r, d.contact, outbox_.routing(), down, now, options_.backoff, random_);
    switch (u.state) {
      case State::kSent: ++counted.sent; break;
      case State::kFailed: ++counted.failed; break;
      case State::kHeld: ++counted.held; break;
      default:
        if (u.hop) ++counted.hopped;
        else if (r.kind == ResultKind::kRateLimited) ++counted.rate_limited;
        else ++counted.retried;
    }
    updates.push_back(std::move(u));
  }
  // If recording fails (disk full), the results are lost but the messages are not: they stay
  // queued and are sent again with the same idempotency keys.
  (void)outbox_.Apply(updates);
  {
    std::lock_guard lock(mutex_);
    stats_.sent += counted.sent;
    stats_.failed += counted.failed;
    stats_.held += counted.held;
    stats_.hopped += counted.hopped;
    stats_.rate_limited += counted.rate_limited;
    stats_.retried += counted.retried;
  }
  for (Done& d : done) {
    known_.erase(d.message.id);
    if (on_result) on_result(d.message, d.result);
  }
  for (const auto& [channel, reason] : mark_down) (void)outbox_.MarkDown(channel, "outbox", reason);
  for (const std::string& channel : mark_up) (void)outbox_.MarkUp(channel, "outbox");
  if (!mark_down.empty() || !mark_up.empty()) DropPending();
}

void Dispatcher::Loop() {
  auto last_health = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<Done> done;
    {
      std::unique_lock lock(mutex_);
      loop_cv_.wait_for(lock, next_wait_, [&] { return stopping_ || !done_.empty(); });
      if (stopping_) return;
      done.swap(done_);
      for (const Done& d : done) {
        auto it = lanes_.find(d.message.channel);
        if (it != lanes_.end() && !d.local) --it->second->in_flight;
      }
    }
    Record(done);
    const TimePoint now = outbox_.clock().Now();
    if (std::chrono::steady_clock::now() - last_health > std::chrono::milliseconds(500)) {
      last_health = std::chrono::steady_clock::now();
      if (outbox_.RefreshHealth()) DropPending();
    }
    // A breaker whose cool-down is over lets routing return, so one trial send can go.
    for (auto& [id, lane] : lanes_)
      if (lane->breaker.state() == CircuitBreaker::State::kOpen && now >= lane->breaker.reopen_at()) {
        bool marked = false;
        for (const ChannelDown& d : outbox_.DownChannels()) marked |= d.channel == id && d.source == "outbox";
        if (marked) {
          (void)outbox_.MarkUp(id, "outbox");
          DropPending();
        }
      }
    const std::set<std::string> down = outbox_.DownSet();
    bool busy = false;
    // Sleep until the next token is due on a lane with work waiting (not a fixed poll, which
    // would leave a bucket of one token idle between wake-ups), or a result arrives.
    auto wait = options_.poll;
    for (auto& [id, lane] : lanes_) {
      if (!down.contains(id)) {
        Fill(*lane, now);
        Launch(*lane, now);
        if (!lane->pending.empty()) {
          const auto token = lane->bucket->WaitFor(now);
          if (token.count() > 0) wait = std::min(wait, token);
        }
      }
      std::lock_guard lock(mutex_);
      busy |= !lane->pending.empty() || lane->in_flight > 0 || !lane->jobs.empty();
    }
    next_wait_ = std::max(wait, std::chrono::milliseconds(1));
    {
      std::lock_guard lock(mutex_);
      busy |= !done_.empty();
      idle_ = !busy;
      // The breakers belong to this thread; others read this copy.
      for (const auto& [id, lane] : lanes_) breaker_states_[id] = BreakerStateName(lane->breaker.state());
    }
  }
}

DispatchStats Dispatcher::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::string Dispatcher::BreakerState(const std::string& channel) {
  std::lock_guard lock(mutex_);
  const auto it = breaker_states_.find(channel);
  return it == breaker_states_.end() ? "none" : it->second;
}

bool Dispatcher::Idle() {
  std::lock_guard lock(mutex_);
  return idle_;
}

}  // namespace faro::outbox
