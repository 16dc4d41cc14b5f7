#include "watch/confirm.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"

namespace faro::watch {
namespace {

Fused Look(Health h, Scope scope = Scope::kNone) {
  Fused f;
  f.health = h;
  f.scope = scope;
  f.covers_us = h == Health::kDown;
  f.summary_en = StrCat(HealthName(h));
  return f;
}

// One letter per evaluation: u up, g degraded, p partial, d down, l local, ? unknown.
Health FromLetter(char c) {
  switch (c) {
    case 'u': return Health::kUp;
    case 'g': return Health::kDegraded;
    case 'p': return Health::kPartial;
    case 'd': return Health::kDown;
    case 'l': return Health::kLocal;
    default: return Health::kUnknown;
  }
}

// The state after each evaluation, as letters ('.' while unknown).
std::string Replay(const std::string& evaluations, HealthMachine::Policy policy = {}, bool local_allowed = false) {
  HealthMachine m(policy);
  std::string states;
  for (char c : evaluations) {
    m.Push(Look(FromLetter(c)), local_allowed);
    switch (m.state().health) {
      case Health::kUp: states += 'u'; break;
      case Health::kDegraded: states += 'g'; break;
      case Health::kPartial: states += 'p'; break;
      case Health::kDown: states += 'd'; break;
      case Health::kLocal: states += 'l'; break;
      case Health::kUnknown: states += '.'; break;
    }
  }
  return states;
}

TEST(HealthMachine, Table) {
  struct Row {
    const char* evaluations;
    const char* states;
    const char* why;
  };
  const Row rows[] = {
      {"u", "u", "the first up is learnt at once"},
      {"d", ".", "one bad evaluation does not enter a bad state, even at start"},
      {"dd", ".d", "two of three do"},
      {"ud", "uu", "one bad round does nothing"},
      {"udd", "uud", "2 of 3 → down"},
      {"udud", "uuud", "2 of the last 3, not consecutive"},
      {"uduud", "uuuuu", "bad evaluations too far apart"},
      {"uddu", "uudd", "one up does not restore"},
      {"udduu", "uuddd", "two ups do not restore"},
      {"udduuu", "uudddu", "three consecutive ups restore"},
      {"uddudud", "uuddddd", "ups in between bad rounds never restore"},
      {"upd", "uup", "the second-worst of three decides: partial"},
      {"updd", "uupd", "then down once confirmed"},
      {"uddppp", "uudddp", "recovery to a less bad state also waits recover_after"},
      {"uddgp", "uuddd", "better, but not for long enough"},
      {"uddgpu", "uudddp", "three better evaluations: the worst of them is entered"},
      {"uggu", "uugg", "degraded is confirmed like down"},
      {"ul", "uu", "local is held while the parent is not confirmed down"},
      {"ulldd", "uuuud", "held evaluations count as neither good nor bad"},
      {"u?", "u.", "no fresh reading: unknown at once"},
      {"u?u", "u.u", "back in sight as it was: at once"},
      {"udd?d", "uud.d", "back in sight as it was: down again at once"},
      {"udd?uuu", "uud...u", "back in sight but better: recover_after applies"},
  };
  for (const Row& r : rows) EXPECT_EQ(Replay(r.evaluations), r.states) << r.evaluations << ": " << r.why;
}

TEST(HealthMachine, PolicyChangesTheThresholds) {
  EXPECT_EQ(Replay("ud", {1, 1, 1}), "ud");
  EXPECT_EQ(Replay("udu", {1, 1, 1}), "udu");
  EXPECT_EQ(Replay("uddd", {3, 3, 1}), "uuud");
  EXPECT_EQ(Replay("udduu", {2, 3, 2}), "uuddu");
  // Out-of-range values are brought into range instead of misbehaving.
  EXPECT_EQ(Replay("udd", {5, 0, 0}), "udd");
}

TEST(HealthMachine, LocalEnteredOnlyWhenTheParentIsDown) {
  EXPECT_EQ(Replay("ul", {}, true), "ul");
  EXPECT_EQ(Replay("ulu", {}, true), "ulu");       // back as it was: at once
  EXPECT_EQ(Replay("uddluuu", {}, true), "uudlllu");  // leaving local for better waits recover_after
}

TEST(HealthMachine, ScopeChangeNeedsConfirmationToo) {
  HealthMachine m;
  m.Push(Look(Health::kUp));
  m.Push(Look(Health::kDown, Scope::kUnconfirmed));
  ASSERT_TRUE(m.Push(Look(Health::kDown, Scope::kUnconfirmed)).has_value());
  EXPECT_EQ(m.state().scope, Scope::kUnconfirmed);
  EXPECT_FALSE(m.Push(Look(Health::kDown, Scope::kGlobal)).has_value()) << "one evaluation is not enough";
  auto left = m.Push(Look(Health::kDown, Scope::kGlobal));
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->scope, Scope::kUnconfirmed);
  EXPECT_EQ(m.state().scope, Scope::kGlobal);
}

TEST(HealthMachine, SameLookRefreshesDetailsSilently) {
  HealthMachine m;
  m.Push(Look(Health::kUp));
  Fused later = Look(Health::kUp);
  later.summary_en = "fresher words";
  EXPECT_FALSE(m.Push(later).has_value());
  EXPECT_EQ(m.state().summary_en, "fresher words");
}

}  // namespace
}  // namespace faro::watch
