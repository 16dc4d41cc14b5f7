#include "service/listen_sources.hpp"

#include <curl/curl.h>

#include <algorithm>

#include "core/strings.hpp"
#include "service/listen_sources_feeds.hpp"
#include "sources/x_stream.hpp"

namespace faro::service {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kKeptWaits = 32;
constexpr std::size_t kLoggedRejections = 5;  // per read or per stream line burst

std::string Seconds(milliseconds d) {
  const int64_t ms = d.count();
  if (ms % 1000 == 0) return StrCat(ms / 1000, " s");
  return StrCat(ms / 1000, ".", (ms % 1000) / 100, " s");
}

// Failed connection attempts, as XStreamClient names them in its report (a connection X
// closed after it was established is not a failure: X says to reconnect at once).
bool IsXFailure(const std::string& event) {
  return event.rfind("HTTP ", 0) == 0 || event.rfind("network: ", 0) == 0 ||
         event.rfind("closed before any line", 0) == 0;
}

}  // namespace

ListenSources::ListenSources(setup::ListenSourcesConfig config, ListenSourcesOptions options, Deliver deliver)
    : config_(std::move(config)), options_(std::move(options)), deliver_(std::move(deliver)) {
  bearer_token_ = config_.x_stream.bearer_token;
  stats_.x_configured = config_.x_stream.enabled;
  stats_.feeds = static_cast<int64_t>(config_.feeds.size());
}

absl::StatusOr<std::unique_ptr<ListenSources>> ListenSources::Open(const setup::ListenSourcesConfig& config,
                                                                   ListenSourcesOptions options, Deliver deliver) {
  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!deliver) return absl::InvalidArgumentError("listen.sources: nowhere to hand the mentions on");
  std::unique_ptr<ListenSources> s(new ListenSources(config, std::move(options), std::move(deliver)));
  if (!s->config_.feeds.empty()) {
    FARO_ASSIGN_OR_RETURN(s->db_, store::Open(s->options_.database, s->options_.durability));
    FeedPollerOptions fo;
    fo.timeout = s->options_.feed_timeout;
    ListenSources* self = s.get();
    fo.stop_requested = [self] { return self->stop_flag_.load(); };
    FARO_ASSIGN_OR_RETURN(s->poller_, FeedPoller::Open(*s->db_, std::move(fo)));
  }
  return s;
}

ListenSources::~ListenSources() { Stop(); }

void ListenSources::Start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  if (config_.x_stream.enabled) {
    x_thread_ = std::thread([this] { RunXStream(); });
    flusher_thread_ = std::thread([this] { RunFlusher(); });
  }
  if (poller_) feeds_thread_ = std::thread([this] { RunFeeds(); });
}

void ListenSources::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_flag_ = true;
  }
  wake_.notify_all();
  if (x_thread_.joinable()) x_thread_.join();
  if (feeds_thread_.joinable()) feeds_thread_.join();
  if (flusher_thread_.joinable()) flusher_thread_.join();
  std::unique_lock lock(mutex_);
  if (x_batch_mentions_ > 0) FlushX(lock);  // what the stream gave last is handed on too
}

void ListenSources::SetBearerToken(std::string token) {
  {
    std::lock_guard lock(mutex_);
    if (token.empty() || token == bearer_token_) return;
    bearer_token_ = std::move(token);
    token_changed_ = true;
    token_flag_ = true;
  }
  wake_.notify_all();
  if (config_.x_stream.enabled) Log("X stream: the bearer token changed; reconnecting with it");
}

ListenSourcesStats ListenSources::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void ListenSources::Log(const std::string& line) {
  if (options_.log == nullptr) return;
  std::lock_guard lock(log_mutex_);
  *options_.log << "faro serve: listen: " << line << std::endl;
}

bool ListenSources::XShouldPause() const { return stop_flag_.load() || token_flag_.load(); }

bool ListenSources::WaitFor(milliseconds wait, const std::function<bool()>& done) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, wait, [&] { return stopping_ || done(); });
  return !stopping_;
}

// ---- batches --------------------------------------------------------------------------------

void ListenSources::AddXLine(std::string line) {
  std::unique_lock lock(mutex_);
  if (x_batch_mentions_ == 0) x_batch_since_ = SteadyClock::now();
  x_batch_ += line;
  ++x_batch_mentions_;
  ++stats_.x_mentions;
  if (x_batch_mentions_ >= options_.batch_mentions) {
    FlushX(lock);
  } else if (x_batch_mentions_ == 1) {
    wake_.notify_all();  // the flusher starts counting batch_wait
  }
}

void ListenSources::FlushX(std::unique_lock<std::mutex>& lock) {
  // deliver_mutex_ before mutex_: batches are handed on in the order they were closed.
  lock.unlock();
  std::lock_guard deliver(deliver_mutex_);
  lock.lock();
  if (x_batch_mentions_ == 0) return;  // another thread handed it on meanwhile
  std::string batch;
  batch.swap(x_batch_);
  x_batch_mentions_ = 0;
  ++stats_.batches;
  lock.unlock();
  deliver_(batch);
  lock.lock();
}

void ListenSources::RunFlusher() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (x_batch_mentions_ == 0) {
      wake_.wait(lock);
      continue;
    }
    const auto deadline = x_batch_since_ + options_.batch_wait;
    if (SteadyClock::now() >= deadline) {
      FlushX(lock);
      continue;
    }
    wake_.wait_until(lock, deadline);
  }
}

// ---- the X stream ---------------------------------------------------------------------------

void ListenSources::RunXStream() {
  const Clock& clock = options_.clock != nullptr ? *options_.clock : system_clock_;
  Log(StrCat("X stream: connecting to ", config_.x_stream.url));
  while (true) {
    std::string token;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      token = bearer_token_;
      token_changed_ = false;
      token_flag_ = false;
    }
    sources::XStreamOptions xo;
    xo.base_url = config_.x_stream.base_url;
    xo.bearer_token = token;
    xo.stall_timeout = options_.x_stall_timeout;
    xo.stop_requested = [this] { return XShouldPause(); };

    // What the client's report says that was not logged and counted yet.
    const sources::XStreamClient* current = nullptr;
    std::size_t seen_events = 0, seen_waits = 0;
    int64_t seen_connections = 0;
    auto catch_up = [&] {
      const sources::XStreamReport& report = current->report();
      std::vector<std::string> lines;
      {
        std::lock_guard lock(mutex_);
        stats_.x_connections += report.connections - seen_connections;
        seen_connections = report.connections;
        for (; seen_events < report.events.size(); ++seen_events) {
          const std::string& event = report.events[seen_events];
          if (IsXFailure(event)) ++stats_.x_errors;
          lines.push_back(StrCat("X stream: ", event));
        }
        for (; seen_waits < report.waits.size(); ++seen_waits) {
          stats_.x_waits_ms.push_back(report.waits[seen_waits].count());
          if (stats_.x_waits_ms.size() > kKeptWaits) stats_.x_waits_ms.erase(stats_.x_waits_ms.begin());
        }
      }
      for (const std::string& line : lines) Log(line);
    };

    sources::XStreamClient client(xo, clock, [&](milliseconds wait) {
      catch_up();
      {
        std::lock_guard lock(mutex_);
        stats_.x_connected = false;
      }
      Log(StrCat("X stream: reconnecting in ", Seconds(wait)));
      WaitFor(wait, [this] { return token_changed_; });
    });
    current = &client;
    std::size_t rejections_logged = 0;
    const absl::Status status = client.Run([&](const sources::XStreamMessage& m) {
      if (current->report().connections != seen_connections) catch_up();  // a new connection's first line
      {
        std::lock_guard lock(mutex_);
        if (!stats_.x_connected) rejections_logged = 0;
        stats_.x_connected = true;
        stats_.x_rejected += static_cast<int64_t>(m.result.rejections.size());
      }
      for (const sources::MentionRecord& mention : m.result.mentions) AddXLine(sources::ToJsonLine(mention));
      for (const sources::ItemRejection& r : m.result.rejections)
        if (rejections_logged++ < kLoggedRejections) Log(StrCat("X stream: ", sources::Describe(r)));
      for (const sources::XStreamError& e : m.errors)
        Log(StrCat("X stream: X says: ", e.title, e.detail.empty() ? "" : StrCat(" (", e.detail, ")")));
      return !XShouldPause();
    });
    catch_up();
    {
      std::lock_guard lock(mutex_);
      stats_.x_connected = false;
    }
    if (!status.ok()) {
      // A wrong URL or query (400, 404): retrying cannot help until the token or the
      // configuration changes. Wait for a new token (SIGHUP) or the stop.
      Log(StrCat("X stream: stopped: ", Message(status), "; fix listen.sources.x_stream and restart, "
                 "or send SIGHUP after changing the token"));
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || token_changed_; });
    }
  }
}

// ---- the feeds ------------------------------------------------------------------------------

void ListenSources::RunFeeds() {
  std::vector<SteadyClock::time_point> due(config_.feeds.size(), SteadyClock::now());
  const FeedPoller::Deliver deliver = [this](std::string_view lines) {
    std::lock_guard d(deliver_mutex_);
    {
      std::lock_guard lock(mutex_);
      ++stats_.batches;
    }
    deliver_(lines);
  };
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = *std::min_element(due.begin(), due.end());
    if (SteadyClock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    for (std::size_t i = 0; i < config_.feeds.size() && !stopping_; ++i) {
      if (due[i] > SteadyClock::now()) continue;
      const setup::FeedSourceConfig& feed = config_.feeds[i];
      lock.unlock();
      const FeedPoll poll = poller_->Poll(feed, deliver);
      std::vector<std::string> lines;
      for (std::size_t r = 0; r < poll.rejections.size() && r < kLoggedRejections; ++r)
        lines.push_back(StrCat("feed ", feed.url, ": ", sources::Describe(poll.rejections[r])));
      if (poll.rejections.size() > kLoggedRejections)
        lines.push_back(StrCat("feed ", feed.url, ": and ", poll.rejections.size() - kLoggedRejections,
                               " more item(s) that could not be mentions"));
      lock.lock();
      if (poll.outcome == FeedPoll::Outcome::kStopped) break;
      ++stats_.feed_reads;
      stats_.feed_rejected += static_cast<int64_t>(poll.rejections.size());
      stats_.feed_mentions += poll.fresh;
      if (poll.outcome == FeedPoll::Outcome::kNotModified) ++stats_.feed_not_modified;
      if (poll.outcome == FeedPoll::Outcome::kError) {
        ++stats_.feed_errors;
        lines.push_back(StrCat("feed ", feed.url, ": ", poll.error, "; next read in ", Seconds(feed.every)));
      } else if (poll.fresh > 0) {
        lines.push_back(StrCat("feed ", feed.url, ": ", poll.fresh, " new mention(s)"));
      }
      due[i] = SteadyClock::now() + feed.every;
      lock.unlock();
      for (const std::string& line : lines) Log(line);
      lock.lock();
    }
  }
}

}  // namespace faro::service
