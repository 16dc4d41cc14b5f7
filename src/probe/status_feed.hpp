#pragma once
// Reading a platform's official status feed: Atlassian Statuspage v2 JSON, Atom, RSS, and
// Meta's metastatus orgs JSON (undocumented; treated as a hint). Pure: body in, reading out.
// Official pages lag and under-report (outage.md §6), so a feed can confirm an outage but
// its "all operational" never overrules failing probes.
#include <chrono>
#include <string>
#include <string_view>

#include "catalog/catalog.hpp"

namespace faro {

enum class FeedIndicator { kNone, kMinor, kMajor, kCritical, kMaintenance, kUnknown };
std::string_view FeedIndicatorName(FeedIndicator indicator);

struct FeedReading {
  FeedIndicator indicator = FeedIndicator::kUnknown;
  std::string description;
};

// `now` decides whether an Atom/RSS entry is recent (an incident is "open" when the newest
// matching entry is under 12 hours old and does not say it is resolved).
FeedReading ParseStatusFeed(const StatusFeedSpec& spec, std::string_view body,
                            std::chrono::system_clock::time_point now);

}  // namespace faro
