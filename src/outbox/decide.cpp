#include "outbox/decide.hpp"

#include "core/strings.hpp"

namespace faro::outbox {
namespace {

void MoveOn(const Message& message, const contacts::Contact& contact, const RoutingTable& routing,
            const std::set<std::string>& down, TimePoint now, const std::string& why, Outbox::Update& u) {
  u.refused.insert(message.channel);
  std::string to;
  if (!message.pinned) to = routing.Best(contact, down, u.refused);
  if (!to.empty()) {
    u.state = State::kQueued;
    u.channel = to;
    u.attempts = 0;
    u.due = now;
    u.hop = Hop{message.id, now, message.channel, to, why};
    return;
  }
  const bool down_would_do = !message.pinned && !routing.Best(contact, {}, u.refused).empty();
  u.state = down_would_do ? State::kHeld : State::kFailed;
  u.channel = down_would_do ? std::string() : message.channel;
  u.hop = Hop{message.id, now, message.channel, "",
              StrCat(why, down_would_do ? "; every other usable channel is down, held" : "; no channel left")};
}

}  // namespace

Outbox::Update Decide(const Message& message, const channels::SendResult& result, const contacts::Contact& contact,
                      const RoutingTable& routing, const std::set<std::string>& down, TimePoint now,
                      const BackoffPolicy& backoff, std::mt19937_64& random) {
  Outbox::Update u;
  u.id = message.id;
  u.state = State::kQueued;
  u.channel = message.channel;
  u.sent_on = message.channel;
  u.attempts = message.attempts;
  u.due = now;
  u.refused = message.refused;
  u.code = result.code;
  u.detail = result.detail;
  using channels::ResultKind;
  switch (result.kind) {
    case ResultKind::kAccepted:
      u.state = State::kSent;
      u.provider_id = result.provider_id;
      break;
    case ResultKind::kRateLimited:
      u.due = now + std::max(result.wait, std::chrono::milliseconds(100));
      break;
    case ResultKind::kTransient:
      if (!result.new_address.empty()) break;  // the recipient moved: try the new address now
      u.attempts = message.attempts + 1;
      if (u.attempts >= backoff.max_attempts)
        MoveOn(message, contact, routing, down, now,
               StrCat(message.channel, " failed ", u.attempts, " times (", result.code, ")"), u);
      else
        u.due = now + Backoff(backoff, u.attempts, random);
      break;
    case ResultKind::kPermanent:
      MoveOn(message, contact, routing, down, now, StrCat(message.channel, " refused it (", result.code, ")"), u);
      break;
    case ResultKind::kConsent:
      MoveOn(message, contact, routing, down, now,
             StrCat(message.channel, ": the person opted out (", result.code, ")"), u);
      break;
    case ResultKind::kAuth:
      u.due = now + Backoff(backoff, 1, random);
      break;
  }
  return u;
}

}  // namespace faro::outbox
