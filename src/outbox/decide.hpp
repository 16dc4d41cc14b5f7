#pragma once
// What happens to a message after a send attempt: the pure policy, shared by the live
// dispatcher and by drills on a simulated clock.
#include <random>
#include <set>
#include <string>

#include "channels/channel.hpp"
#include "outbox/outbox.hpp"
#include "outbox/retry_policy.hpp"
#include "outbox/routing.hpp"

namespace faro::outbox {

// accepted → sent. rate-limited → same channel after the provider's wait. transient → same
// channel after a jittered backoff, until the attempts run out. permanent or consent → the
// next usable channel of the contact's route (a hop), held when only a down channel would do,
// failed when none would. auth → stays queued; the dispatcher marks the channel down, which
// moves it. A message sent to one channel on purpose (pinned) never hops.
Outbox::Update Decide(const Message& message, const channels::SendResult& result, const contacts::Contact& contact,
                      const RoutingTable& routing, const std::set<std::string>& down, TimePoint now,
                      const BackoffPolicy& backoff, std::mt19937_64& random);

}  // namespace faro::outbox
