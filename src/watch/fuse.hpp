#pragma once
// Fusion: the latest fresh reading of each vantage plus the other signals → one view of a
// platform. A pure function (no clock, no I/O); the watch's state machines (watch.hpp) decide
// when a fused view becomes the platform's state.
//
// Rules, in order (they follow the check verdicts of DESIGN.md):
//  0. Counting readings: the fresh readings on the up…down ladder. When signals.home_link_down
//     is set and the home reading is not `up`, the home reading is not counted ("home is local").
//  1. No counting reading: `local` when home is local (covers_us), otherwise `unknown`.
//  2. Every counting reading `down`:
//       - two or more vantages → down/global;
//       - home is local and the agents all see it down → down/global: our own outage does not
//         hide a real one that others see (the agents' probes do not cross our link);
//       - a single vantage → down/unconfirmed, upgraded to down/global when the official feed
//         says major or the crowd surges.
//     covers_us is true for global, and for unconfirmed when the one vantage is home.
//  3. Some counting readings `down`: down/regional; covers_us when home is among them.
//  4. Any `partial` → partial; 5. any `degraded` → degraded (covers_us: home reads so).
//  6. All counting readings `up`:
//       - crowd surge or official feed major (or our outbox failing, unless home is local — our
//         own link explains failed sends) → partial, cause `app`, covers_us: customers report
//         trouble the probes do not see;
//       - home is local → `local` (the only failing vantage is ours: it is our connection);
//       - official feed minor → degraded, cause `app`, covers_us false;
//       - otherwise → up.
// The cause is the most common one among the readings that decided the state (ties: the layer
// nearest the network, as in CauseLayerRank).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "watch/inputs.hpp"
#include "verdict/verdict.hpp"

namespace faro::watch {

struct Fused {
  Health health = Health::kUnknown;
  Scope scope = Scope::kNone;   // only for kDown
  Cause cause = Cause::kNone;
  bool covers_us = false;       // the failure is seen from (or reaches) this node
  std::string summary_en, summary_es;
  // {"home": NAME, "vantages": [{vantage, health, cause, failed, endpoints, at, detail, counted}],
  //  "signals": {feed, crowd_surge, crowd_reports, crowd_baseline, outbox_failing, outbox_sends,
  //              outbox_faults, home_link_down}}
  // Kept as compact JSON text: every platform holds several evaluations, and a parsed tree
  // costs ten times the bytes (10,000 platforms watched means ~100 MB otherwise).
  std::string evidence_text;
  nlohmann::json Evidence() const {
    return evidence_text.empty() ? nlohmann::json::object() : nlohmann::json::parse(evidence_text, nullptr, false);
  }
};

// `fresh`: at most one reading per vantage, all fresh (the caller judges freshness). `name`: the
// platform as people call it ("WhatsApp"); the readings' platform id when empty.
Fused Fuse(const std::vector<Reading>& fresh, const std::string& home, const Signals& signals,
           std::string_view name = {});

// True when two views would be announced the same way (health, scope and covers_us).
bool SameLook(const Fused& a, const Fused& b);

}  // namespace faro::watch
