#include "check/check_run.hpp"

#include <algorithm>
#include <map>

#include "agent/protocol.hpp"
#include "core/strings.hpp"
#include "probe/classify.hpp"
#include "probe/probe_engine.hpp"

namespace faro {
namespace {

using SystemClock = std::chrono::system_clock;

// The state of one run. Everything happens on the engine's thread, inside ProbeEngine::Run.
class Runner {
 public:
  Runner(const CheckOptions& options, const std::vector<CheckTarget>& targets, const CheckCallbacks& callbacks)
      : o_(options), targets_(targets), cb_(callbacks), state_(targets.size()) {}

  absl::StatusOr<CheckReport> Run() {
    report_.started_at = SystemClock::now();
    const SteadyTime start = EventLoop::Now();
    // A little time is kept back for printing the report.
    deadline_ = start + o_.timeout - std::min(Millis(300), o_.timeout / 10);
    EngineOptions engine_options;
    engine_options.resolver = o_.resolver;
    engine_options.ca_file = o_.ca_file;
    engine_options.tls_resume = o_.tls_resume;
    engine_options.max_in_flight = o_.concurrency;
    engine_options.dns_timeout = std::clamp<Millis>(o_.timeout / 4, Millis(500), Millis(4000));
    FARO_ASSIGN_OR_RETURN(engine_, ProbeEngine::Create(engine_options));
    for (const ResolverAddress& alt : o_.alt_resolvers) {
      FARO_ASSIGN_OR_RETURN(ResolverId id, engine_->AddResolver(alt));
      alt_ids_.push_back(id);
    }
    report_.targets.resize(targets_.size());
    for (std::size_t t = 0; t < targets_.size(); ++t) PrepareTarget(t);

    StartLocal();
    for (std::size_t t = 0; t < targets_.size(); ++t) StartEndpoints(t);
    StartVantages();
    StartFeeds();
    engine_->Run(deadline_);
    // Lookups started while the engine wound down answer (as timeouts) when it is destroyed:
    // from here on they must not touch the report.
    closing_ = true;
    engine_.reset();
    closing_ = false;

    if (!local_done_) FinishLocal();
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      state_[t].pending = 0;
      TryEmit(t);
    }
    report_.duration_ms = std::chrono::duration<double, std::milli>(EventLoop::Now() - start).count();
    return std::move(report_);
  }

 private:
  struct TargetState {
    int pending = 0;
    bool emitted = false;
  };
  struct AltLookup {
    int pending = 0;
    bool resolved = false;
    Cause cause = Cause::kNone;
    std::vector<std::pair<std::size_t, std::size_t>> waiters;  // (target, endpoint)
  };

  ProbeRequest Request(const EndpointSpec& spec) const {
    return EndpointRequest(spec, o_.attempts, o_.slow_ms, deadline_);
  }

  void PrepareTarget(std::size_t t) {
    const CheckTarget& target = targets_[t];
    TargetEvidence& ev = report_.targets[t].evidence;
    ev.target = target.target;
    ev.name = target.name;
    ev.kind = target.is_platform ? TargetKind::kPlatform : TargetKind::kUrl;
    for (const EndpointSpec& spec : target.endpoints) {
      EndpointEvidence e;
      e.url = spec.url.text;
      e.layer = spec.layer;
      e.group = spec.group;
      ev.endpoints.push_back(std::move(e));
    }
    state_[t].pending = static_cast<int>(target.endpoints.size());
  }

  // --- your side ---

  void StartLocal() {
    LocalEvidence& local = report_.local;
    if (o_.skip_local) {
      local.skipped = true;
      FinishLocal();
      return;
    }
    const LinkState link = o_.read_link();
    local.link = link.link;
    local.default_route = link.default_route;
    local.references.resize(o_.references.size());
    for (std::size_t i = 0; i < o_.references.size(); ++i) {
      const EndpointSpec& spec = o_.references[i];
      local.references[i].url = spec.url.text;
      local.references[i].layer = Layer::kReference;
      ++local_pending_;
      engine_->Submit(Request(spec), [this, i](ProbeResult r) {
        report_.local.references[i].result = std::move(r);
        LocalStepDone();
      });
    }
    // Chromium's DNS probe: one known-good name, through your resolver and the alternatives.
    auto named = std::find_if(o_.references.begin(), o_.references.end(),
                              [](const EndpointSpec& s) { return !s.url.host_is_ip; });
    if (named != o_.references.end()) {
      const std::string name = named->url.host;
      local.system = ResolverEvidence{engine_->ResolverName(0), name};
      ++local_pending_;
      LookupWithRetry(0, name, o_.attempts, [this](const DnsAnswer& a) {
        Record(*report_.local.system, a);
        LocalStepDone();
      });
      local.alternatives.resize(alt_ids_.size());
      for (std::size_t i = 0; i < alt_ids_.size(); ++i) {
        local.alternatives[i] = ResolverEvidence{engine_->ResolverName(alt_ids_[i]), name};
        ++local_pending_;
        LookupWithRetry(alt_ids_[i], name, o_.attempts, [this, i](const DnsAnswer& a) {
          Record(report_.local.alternatives[i], a);
          LocalStepDone();
        });
      }
    }
    if (local_pending_ == 0) FinishLocal();
  }

  static void Record(ResolverEvidence& out, const DnsAnswer& a) {
    out.ok = a.status == DnsStatus::kOk;
    out.cause = DnsCause(a.status);
    out.ms = std::max(0.0, a.ms);
  }

  void LookupWithRetry(ResolverId id, const std::string& name, int attempts,
                       std::function<void(const DnsAnswer&)> done) {
    engine_->Lookup(id, name, [this, id, name, attempts, done = std::move(done)](const DnsAnswer& a) mutable {
      if (closing_) return;
      if (a.status != DnsStatus::kOk && attempts > 1 && EventLoop::Now() + Millis(200) < deadline_) {
        LookupWithRetry(id, name, attempts - 1, std::move(done));
        return;
      }
      done(a);
    });
  }

  void LocalStepDone() {
    if (--local_pending_ == 0) FinishLocal();
  }

  void FinishLocal() {
    if (local_done_) return;
    local_done_ = true;
    report_.assessment = AssessLocal(report_.local);
    if (cb_.on_local) cb_.on_local(report_.local, report_.assessment);
    for (std::size_t t = 0; t < targets_.size(); ++t) TryEmit(t);
  }

  // --- the targets from here ---

  void StartEndpoints(std::size_t t) {
    const CheckTarget& target = targets_[t];
    for (std::size_t e = 0; e < target.endpoints.size(); ++e) {
      engine_->Submit(Request(target.endpoints[e]), [this, t, e](ProbeResult r) {
        const bool ask_elsewhere = r.outcome == Outcome::kFail && IsDnsCause(r.cause) && !alt_ids_.empty();
        report_.targets[t].evidence.endpoints[e].result = std::move(r);
        if (ask_elsewhere) AskAlternatives(t, e);
        StepDone(t);
      });
    }
  }

  // The name failed on your resolver: do the alternatives know it? (Once per name per run.)
  void AskAlternatives(std::size_t t, std::size_t e) {
    const std::string host = targets_[t].endpoints[e].url.host;
    ++state_[t].pending;
    auto [it, fresh] = alt_lookups_.try_emplace(host);
    it->second.waiters.emplace_back(t, e);
    if (!fresh) {
      if (it->second.pending == 0) DeliverAlt(host);
      return;
    }
    it->second.pending = static_cast<int>(alt_ids_.size());
    for (ResolverId id : alt_ids_) {
      LookupWithRetry(id, host, o_.attempts, [this, host](const DnsAnswer& a) {
        AltLookup& alt = alt_lookups_[host];
        if (a.status == DnsStatus::kOk) alt.resolved = true;
        else if (alt.cause == Cause::kNone) alt.cause = DnsCause(a.status);
        if (--alt.pending == 0) DeliverAlt(host);
      });
    }
  }

  void DeliverAlt(const std::string& host) {
    AltLookup& alt = alt_lookups_[host];
    auto waiters = std::move(alt.waiters);
    alt.waiters.clear();
    for (auto [t, e] : waiters) {
      EndpointEvidence& ev = report_.targets[t].evidence.endpoints[e];
      ev.alt_dns = alt.resolved ? AltDns::kResolved : AltDns::kFailed;
      ev.alt_dns_cause = alt.resolved ? Cause::kNone : alt.cause;
      StepDone(t);
    }
  }

  // --- the targets from elsewhere ---

  void StartVantages() {
    if (o_.vantages.empty()) return;
    // Every endpoint of every target, flattened, in batches the agent accepts.
    std::vector<std::pair<std::size_t, std::size_t>> flat;
    for (std::size_t t = 0; t < targets_.size(); ++t)
      for (std::size_t e = 0; e < targets_[t].endpoints.size(); ++e) flat.emplace_back(t, e);
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      for (const VantageSpec& v : o_.vantages)
        report_.targets[t].evidence.vantages.push_back(VantageEvidence{v.name, v.url, true, "", {}});
      for (auto& vantage : report_.targets[t].evidence.vantages) vantage.endpoints = report_.targets[t].evidence.endpoints;
    }
    for (std::size_t v = 0; v < o_.vantages.size(); ++v) {
      for (std::size_t begin = 0; begin < flat.size(); begin += kMaxEndpointsPerBatch) {
        const std::size_t end = std::min(flat.size(), begin + kMaxEndpointsPerBatch);
        std::vector<std::pair<std::size_t, std::size_t>> slice(flat.begin() + begin, flat.begin() + end);
        std::vector<std::size_t> touched;
        for (auto [t, e] : slice)
          if (touched.empty() || touched.back() != t) touched.push_back(t);
        for (std::size_t t : touched) ++state_[t].pending;
        AskVantage(v, std::move(slice), std::move(touched));
      }
    }
  }

  void AskVantage(std::size_t v, std::vector<std::pair<std::size_t, std::size_t>> slice, std::vector<std::size_t> touched) {
    const VantageSpec& vantage = o_.vantages[v];
    ProbeBatch batch;
    batch.attempts = o_.attempts;
    batch.slow_ms = o_.slow_ms;
    const auto left = std::chrono::duration_cast<Millis>(deadline_ - EventLoop::Now()).count();
    batch.timeout_ms = static_cast<int>(std::clamp<long>(left - 1000, 500, 60000));
    for (auto [t, e] : slice) batch.endpoints.push_back(targets_[t].endpoints[e]);
    std::string base = vantage.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto url = ParseProbeUrl(base + "/v1/probe");
    if (!url.ok() || !url->SpeaksHttp()) {
      VantageFailed(v, touched, StrCat("vantage ", vantage.name, ": \"", vantage.url, "\" is not an http(s) URL"));
      return;
    }
    ProbeRequest request = ApiRequest(*url, 2, 256 * 1024 * 1024, deadline_);
    request.post_body = ProbeBatchToJson(batch).dump();
    request.headers = {"Content-Type: application/json", "Authorization: Bearer " + o_.agent_token};
    engine_->Submit(std::move(request), [this, v, slice = std::move(slice), touched = std::move(touched)](ProbeResult r) {
      const VantageSpec& vs = o_.vantages[v];
      if (r.outcome == Outcome::kFail) {
        std::string why;
        if (r.http_status == 401) why = "refused our token (401): set FARO_AGENT_TOKEN to the agent's token";
        else if (r.http_status > 0) why = StrCat("answered HTTP ", r.http_status, ": ", r.body.substr(0, 200));
        else why = StrCat("unreachable: ", r.detail);
        VantageFailed(v, touched, StrCat("vantage ", vs.name, " (", vs.url, ") ", why));
        return;
      }
      const auto json = nlohmann::json::parse(r.body, nullptr, false);
      auto answer = json.is_discarded() ? absl::StatusOr<ProbeAnswer>(absl::InvalidArgumentError("not JSON"))
                                        : ProbeAnswerFromJson(json, slice.size());
      if (!answer.ok()) {
        VantageFailed(v, touched, StrCat("vantage ", vs.name, " (", vs.url, ") answered something Faro cannot read: ",
                                         Message(answer.status())));
        return;
      }
      for (std::size_t i = 0; i < slice.size(); ++i) {
        auto [t, e] = slice[i];
        EndpointEvidence& out = report_.targets[t].evidence.vantages[v].endpoints[e];
        out.result = std::move(answer->endpoints[i].result);
      }
      for (std::size_t t : touched) StepDone(t);
    });
  }

  void VantageFailed(std::size_t v, const std::vector<std::size_t>& touched, std::string error) {
    report_.vantage_failed = true;
    if (std::find(report_.errors.begin(), report_.errors.end(), error) == report_.errors.end())
      report_.errors.push_back(error);
    for (std::size_t t : touched) {
      VantageEvidence& ev = report_.targets[t].evidence.vantages[v];
      ev.reachable = false;
      ev.error = error;
      ev.endpoints.clear();
      StepDone(t);
    }
  }

  // --- official status feeds (one fetch per URL, read by every target that lists it) ---

  void StartFeeds() {
    std::map<std::string, std::vector<std::size_t>> by_url;
    for (std::size_t t = 0; t < targets_.size(); ++t)
      if (targets_[t].feed) by_url[targets_[t].feed->url].push_back(t);
    for (auto& [url_text, users] : by_url) {
      auto url = ParseProbeUrl(url_text);
      if (!url.ok()) continue;  // the catalog loader validated it
      for (std::size_t t : users) ++state_[t].pending;
      engine_->Submit(ApiRequest(*url, 1, 8 * 1024 * 1024, deadline_), [this, users, url_text](ProbeResult r) {
        for (std::size_t t : users) {
          FeedEvidence feed;
          feed.url = url_text;
          feed.reachable = r.outcome != Outcome::kFail;
          if (feed.reachable) feed.reading = ParseStatusFeed(*targets_[t].feed, r.body, SystemClock::now());
          else feed.reading.description = r.detail;
          report_.targets[t].evidence.feed = std::move(feed);
          StepDone(t);
        }
      });
    }
  }

  // --- verdicts ---

  void StepDone(std::size_t t) {
    --state_[t].pending;
    TryEmit(t);
  }

  void TryEmit(std::size_t t) {
    TargetState& s = state_[t];
    if (!local_done_ || s.pending > 0 || s.emitted) return;
    s.emitted = true;
    TargetReport& r = report_.targets[t];
    r.verdict = Decide(report_.assessment, r.evidence, o_.lang);
    if (cb_.on_target) cb_.on_target(r);
  }

  const CheckOptions& o_;
  const std::vector<CheckTarget>& targets_;
  const CheckCallbacks& cb_;
  std::vector<TargetState> state_;
  std::unique_ptr<ProbeEngine> engine_;
  std::vector<ResolverId> alt_ids_;
  SteadyTime deadline_;
  CheckReport report_;
  int local_pending_ = 0;
  bool local_done_ = false;
  bool closing_ = false;
  std::map<std::string, AltLookup> alt_lookups_;
};

}  // namespace

absl::StatusOr<CheckReport> RunCheck(const CheckOptions& options, const std::vector<CheckTarget>& targets,
                                     const CheckCallbacks& callbacks) {
  return Runner(options, targets, callbacks).Run();
}

}  // namespace faro
