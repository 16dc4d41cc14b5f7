#pragma once
// The confirmation ladder: how fused evaluations become a state. Used for every platform and for
// this node's own link.
//
//   up (0) < degraded (1) < partial (2) < down (3)      local, unknown: off the ladder
//
// Rules, checked on every pushed evaluation:
//  - Worse: the k-th worst of the last n evaluations is worse than the current state → enter
//    that level (so with k=2, n=3, one bad evaluation does nothing; two of three do).
//  - Better: the last `recover_after` evaluations are all better than the current state → enter
//    the worst of them (a single good evaluation in between a bad run does not restore).
//  - Same level, different look (scope or covers_us): entered when k of the last n agree on it
//    (down/unconfirmed → down/global once the feed or the crowd confirms).
//  - local: entered at once, but only when the caller says the parent (our link) is confirmed
//    down; otherwise the evaluation is held (it is neither good nor bad).
//  - unknown (no fresh reading at all): entered at once.
//  - From local or unknown the ladder rules apply against the last ladder state, and an
//    evaluation at that same level returns to it at once (nothing changed while we could not see).
// A state entered keeps the details (scope, cause, summary, evidence) of the latest evaluation
// at that level; further evaluations at the same look refresh them silently.
#include <deque>
#include <optional>

#include "watch/fuse.hpp"

namespace faro::watch {

struct ConfirmPolicy {
  int k = 2, n = 3, recover_after = 3;
};

class HealthMachine {
 public:
  using Policy = ConfirmPolicy;
  explicit HealthMachine(Policy policy = {});
  void SetPolicy(Policy policy);  // keeps the recent evaluations

  // Returns the state left when this evaluation changed the state (health or look).
  std::optional<Fused> Push(Fused evaluation, bool local_allowed = false);

  const Fused& state() const { return state_; }
  // The ladder state in force, or the one before local/unknown (up before anything is known).
  Health ladder() const { return ladder_; }
  // False until the first ladder state is entered (start-up: no event for learning "up").
  bool ever_known() const { return ever_known_; }

 private:
  void Enter(const Fused& next);
  // The latest of the last `count` evaluations at `severity`.
  const Fused* Latest(int severity, size_t count) const;

  Policy policy_;
  std::deque<Fused> recent_;  // newest last, at most max(n, recover_after)
  Fused state_;
  Health ladder_ = Health::kUp;
  bool ever_known_ = false;
};

}  // namespace faro::watch
