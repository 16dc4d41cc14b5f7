#pragma once
// What the watch is fed: probe readings per vantage, this node's own link, official status
// feeds, crowd reports from customers, and the outcome of the messages Faro sends. Plain values;
// the runtime gathers them, the watch (watch.hpp) judges them.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/cause.hpp"
#include "core/clock.hpp"
#include "watch/health.hpp"

namespace faro::watch {

// One vantage's look at one platform in one round: all of its endpoints probed once.
struct Reading {
  std::string platform;
  std::string vantage;            // "here" is this node (WatchSetup::home); others are agents
  TimePoint at;
  Health health = Health::kUp;    // kUp, kDegraded (slow/retried), kPartial (some units failed), kDown (all failed)
  Cause cause = Cause::kNone;     // the most common cause among failed endpoints
  int endpoints = 0, failed = 0;
  std::string detail;             // e.g. "6 of 6 checks failed (DNS SERVFAIL)"
};

// The home node's own connectivity (reference hosts, link, resolver) in one round.
struct LinkReading {
  TimePoint at;
  bool ok = true;
  std::string detail;
};

// An official status feed's indicator (Statuspage "none" → kOk, "minor" → kMinor,
// "major"/"critical" → kMajor).
enum class FeedLevel { kOk, kMinor, kMajor };
std::string_view FeedLevelName(FeedLevel level);  // "ok", "minor", "major"
std::optional<FeedLevel> FeedLevelFromName(std::string_view name);

// A customer saying "I have a problem with X". reporter: an opaque key (a hash of the contact or
// IP address), only compared for equality.
struct CrowdReport {
  std::string platform;
  std::string reporter;
  TimePoint at;
};

// The outbox's result for one message sent through a provider of `platform` (the platform of
// the channel). provider_fault: the provider failed (5xx, timeout, outage), not the recipient.
struct SendOutcome {
  std::string platform;
  TimePoint at;
  bool provider_fault = false;
};

// Listening's outage chatter about a platform for one minute ("whatsapp caído", "instagram
// down" in public mentions), against the usual for that time of day. A surge stands for
// kChatterHolds after the minute it describes, unless a later reading says it is over.
struct ChatterReading {
  std::string platform;
  TimePoint at;          // the minute's start
  int64_t mentions = 0;  // mentions of trouble with the platform in that minute
  double usual = 0;      // the usual count for that minute of the day
  bool surge = false;
};
inline constexpr std::chrono::minutes kChatterHolds{5};

// The signals beside the probes, as they stand when a platform is judged.
struct Signals {
  std::optional<FeedLevel> feed;  // no feed for this platform (or none read yet): nullopt
  bool crowd_surge = false;       // crowd reports well above the usual for this time of week
  int crowd_reports = 0;          // counted reports in the crowd window
  double crowd_baseline = 0;      // the usual count for this time of week (0: no baseline)
  bool outbox_failing = false;    // our own sends through this platform's providers fail
  int outbox_sends = 0, outbox_faults = 0;
  bool chatter_surge = false;     // people write about trouble with it far more than usual
  int64_t chatter_mentions = 0;   // of the minute that said so
  double chatter_usual = 0;
  // Our own connection was down (or suspect) when the home reading was taken: a failing home
  // reading says nothing about the platform and counts as `local`, not as a platform failure.
  bool home_link_down = false;
};

}  // namespace faro::watch
