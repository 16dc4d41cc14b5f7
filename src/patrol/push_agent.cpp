#include "patrol/push_agent.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "core/strings.hpp"

namespace faro::patrol {

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot read the token file"));
  std::stringstream text;
  text << in.rdbuf();
  std::string token(Trim(text.str()));
  if (token.empty()) return absl::InvalidArgumentError(StrCat(path, ": the token file is empty"));
  return token;
}

PushAgent::PushAgent(PushAgentOptions options) : o_(std::move(options)) {
  o_.server.cancel = &stopping_;
  if (!o_.log) o_.log = [](const std::string& line) { std::cerr << "faro agent: " << line << std::endl; };
  backoff_ = o_.backoff_min;
}

PushAgent::~PushAgent() {
  Stop();
  if (patrol_) patrol_->Stop();
}

void PushAgent::Stop() {
  stopping_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  cv_.notify_all();
}

PushAgentStats PushAgent::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void PushAgent::Say(const std::string& key, const std::string& line) {
  if (key == said_) return;
  said_ = key;
  o_.log(line);
}

void PushAgent::Enqueue(Round round) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(round));
  while (queue_.size() > o_.max_queued) {
    queue_.pop_front();
    ++stats_.readings_dropped;
  }
}

void PushAgent::WaitUntil(SteadyTime when) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, when, [this] { return stopping_.load(); });
}

absl::Status PushAgent::ApplyAssignment(Assignment assignment) {
  const std::string text = AssignmentToJson(assignment).dump();
  if (patrol_ && text == applied_) return absl::OkStatus();
  PatrolOptions p;
  p.engine = o_.engine;
  p.targets = std::move(assignment.targets);
  p.attempts = assignment.attempts;
  p.timeout = assignment.timeout;
  p.slow_ms = assignment.slow_ms;
  p.vantage = assignment.vantage.empty() ? o_.name : assignment.vantage;
  heartbeat_ = o_.heartbeat_max;
  for (const PatrolTarget& t : p.targets) heartbeat_ = std::min(heartbeat_, t.interval);
  const std::size_t count = p.targets.size();
  const std::string vantage = p.vantage;
  FARO_RETURN_IF_ERROR(ValidatePatrolOptions(p));
  if (!patrol_) {
    Sink sink;
    sink.on_round = [this](Round round) { Enqueue(std::move(round)); };
    auto patrol = Patrol::Start(std::move(p), std::move(sink), o_.clock);
    if (!patrol.ok()) {
      // Valid options, so the engine itself cannot start (a bad --ca-file): waiting will not help.
      fatal_ = patrol.status();
      return patrol.status();
    }
    patrol_ = std::move(*patrol);
  } else {
    FARO_RETURN_IF_ERROR(patrol_->Reconfigure(std::move(p)));
  }
  applied_ = text;
  vantage_ = vantage;
  o_.log(StrCat("watching ", count, count == 1 ? " target" : " targets", " for ", o_.server.url, " as vantage \"",
                vantage_, "\""));
  said_ = "ok";
  return absl::OkStatus();
}

bool PushAgent::FetchOnce() {
  auto assignment = FetchAssignment(o_.server);
  if (assignment.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.assignments;
    }
    absl::Status applied = ApplyAssignment(std::move(*assignment));
    if (applied.ok()) {
      if (said_ != "ok") Say("ok", StrCat("reached ", o_.server.url, " again"));
      need_fetch_ = false;
      backoff_ = o_.backoff_min;
      return true;
    }
    Say(Message(applied), StrCat("cannot follow the assignment: ", Message(applied), "; asking again later"));
    return false;
  }
  if (absl::IsCancelled(assignment.status())) return false;
  const std::string why = Message(assignment.status());
  Say(why, StrCat(why, "; retrying with backoff"));
  if (absl::IsUnauthenticated(assignment.status()) && !o_.token_file.empty()) {
    auto token = ReadTokenFile(o_.token_file);
    if (token.ok()) o_.server.token = *token;
  }
  return false;
}

void PushAgent::PostOnce(bool final) {
  std::vector<Round> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (!queue_.empty() && batch.size() < kMaxReadingsPerPost) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  const SteadyTime now = EventLoop::Now();
  if (batch.empty() && (final || now - last_post_ < heartbeat_)) return;
  PushServer server = o_.server;
  if (final) {  // one short try, not cancelled by the stop that asked for it
    server.cancel = nullptr;
    server.timeout = std::min(server.timeout, std::chrono::milliseconds(2000));
  }
  auto answer = PostReadings(server, ReadingsToJson(vantage_, batch));
  if (answer.ok()) {
    last_post_ = now;
    backoff_ = o_.backoff_min;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.batches_posted;
      stats_.readings_posted += answer->accepted;
      stats_.readings_rejected += answer->rejected.size();
    }
    if (!answer->rejected.empty()) {
      const std::string& first = answer->rejected.front().error;
      Say(StrCat("rejected:", first), StrCat("the server rejected ", answer->rejected.size(), " of ", batch.size(),
                                             " readings, e.g. ", first));
    } else if (said_ != "ok") {
      Say("ok", StrCat("reached ", o_.server.url, " again"));
    }
    return;
  }
  const absl::Status& st = answer.status();
  const std::string why = Message(st);
  const bool keep = absl::IsUnavailable(st) || absl::IsUnauthenticated(st) || absl::IsCancelled(st);
  if (keep) {  // back to the front of the queue, in order, within its bound
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
    while (queue_.size() > o_.max_queued) {
      queue_.pop_front();
      ++stats_.readings_dropped;
    }
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.readings_dropped += batch.size();
  }
  if (absl::IsCancelled(st)) return;
  Say(why, StrCat(why, keep ? "; readings kept, retrying with backoff" : "; this batch is dropped"));
  if (absl::IsUnauthenticated(st) || absl::IsFailedPrecondition(st)) {
    need_fetch_ = true;
    if (absl::IsUnauthenticated(st) && !o_.token_file.empty()) {
      auto token = ReadTokenFile(o_.token_file);
      if (token.ok()) o_.server.token = *token;
    }
  }
  if (absl::IsUnavailable(st)) backoff_ = std::min(o_.backoff_max, backoff_ * 2);
}

absl::Status PushAgent::Run() {
  SteadyTime next_fetch = EventLoop::Now();
  SteadyTime next_post = EventLoop::Now() + o_.post_every;
  last_post_ = EventLoop::Now();
  while (!stopping_) {
    SteadyTime now = EventLoop::Now();
    if (need_fetch_ || now >= next_fetch) {
      const bool fresh = FetchOnce();
      if (stopping_) break;
      now = EventLoop::Now();
      if (fresh) {
        next_fetch = now + o_.refetch_every;
      } else {
        if (!fatal_.ok()) break;
        next_fetch = now + backoff_;
        backoff_ = std::min(o_.backoff_max, backoff_ * 2);
        need_fetch_ = true;
      }
    }
    if (patrol_ && now >= next_post) {
      const bool was_ok = !need_fetch_;
      PostOnce(false);
      now = EventLoop::Now();
      const bool failing = said_ != "ok";
      next_post = now + (failing ? std::max(o_.post_every, backoff_) : o_.post_every);
      if (was_ok && need_fetch_) next_fetch = now;  // a 401/409: ask for the assignment at once
    }
    WaitUntil(std::min(next_post, next_fetch));
  }
  if (patrol_) {
    patrol_->Stop();
    PostOnce(true);
  }
  return fatal_;
}

}  // namespace faro::patrol
