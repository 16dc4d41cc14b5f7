#include "service/channel_failover.hpp"

#include "core/strings.hpp"
#include "outbox/broadcast.hpp"

namespace faro::service {

absl::StatusOr<FailoverDone> ChannelFailover::Fail(const FailoverRequest& request) {
  std::lock_guard lock(mutex_);
  FARO_ASSIGN_OR_RETURN(const std::vector<Failover> active, log_.Active());
  FailoverDone done;
  for (const Failover& f : active) {
    if (f.channel != request.channel) continue;
    done.already = true;
    done.failover_id = f.id;
    done.broadcast_id = f.broadcast_id;
    if (f.broadcast_id != 0)
      if (auto progress = outbox::Progress(app_.outbox(), f.broadcast_id); progress.ok()) done.told = progress->total;
    return done;
  }
  FARO_ASSIGN_OR_RETURN(done.moved, app_.outbox().MarkDown(request.channel, "watch", request.reason));
  Failover f{.channel = request.channel, .platform = request.platform, .started_at = request.at,
             .event_id = request.event_id, .broadcast_template = request.broadcast_template, .reason = request.reason};
  FARO_ASSIGN_OR_RETURN(done.failover_id, log_.Start(f));
  if (request.broadcast_template.empty()) return done;
  outbox::BroadcastRequest req;
  req.key = StrCat("failover-", done.failover_id);
  req.failed_channel = request.channel;
  req.template_id = request.broadcast_template;
  req.quiet = app_.config().quiet_hours;
  req.business_timezone = app_.config().business.timezone;
  auto progress = outbox::StartBroadcast(app_.outbox(), req);
  if (!progress.ok()) {
    done.broadcast_error = Message(progress.status());
    return done;
  }
  done.broadcast_id = progress->id;
  done.told = progress->total;
  (void)log_.SetBroadcast(done.failover_id, progress->id);
  return done;
}

absl::StatusOr<RestoreDone> ChannelFailover::Restore(const std::string& channel, int64_t event_id, TimePoint at) {
  std::lock_guard lock(mutex_);
  FARO_ASSIGN_OR_RETURN(const std::vector<Failover> active, log_.Active());
  RestoreDone done;
  done.already = true;
  for (const Failover& f : active) done.already &= f.channel != channel;
  if (done.already) return done;
  // The record closes first, and even when the outbox refuses (as before this was shared): once
  // the channel is back in use the record already says so, and an error says the channel may
  // still be marked down, for a person to clear (faro channels up).
  FARO_RETURN_IF_ERROR(log_.Undo(channel, at, event_id));
  auto back = app_.outbox().MarkUp(channel, "watch");
  if (!back.ok()) return back.status();
  done.moved_back = *back;
  return done;
}

absl::StatusOr<std::set<std::string>> ChannelFailover::Active() {
  std::lock_guard lock(mutex_);
  FARO_ASSIGN_OR_RETURN(const std::vector<Failover> active, log_.Active());
  std::set<std::string> out;
  for (const Failover& f : active) out.insert(f.channel);
  return out;
}

}  // namespace faro::service
