#pragma once
// Evidence: everything a verdict rests on, as plain values. Gathered by the check run (from
// here), by vantage agents (from elsewhere) and from official feeds; judged by Decide().
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/cause.hpp"
#include "probe/probe_result.hpp"
#include "probe/status_feed.hpp"

namespace faro {

// When an endpoint's name failed on your resolver, what the alternative resolvers said.
enum class AltDns { kNotAsked, kResolved, kFailed };

struct EndpointEvidence {
  std::string url;
  Layer layer = Layer::kTarget;
  std::string group;
  ProbeResult result;
  AltDns alt_dns = AltDns::kNotAsked;
  Cause alt_dns_cause = Cause::kNone;
};

struct ResolverEvidence {
  std::string resolver;  // "IP:PORT"
  std::string name;      // what was looked up
  bool ok = false;
  Cause cause = Cause::kNone;
  double ms = 0;
};

struct LocalEvidence {
  bool skipped = false;
  std::optional<bool> link, default_route;
  std::vector<EndpointEvidence> references;
  std::optional<ResolverEvidence> system;          // your resolver, on the reference names
  std::vector<ResolverEvidence> alternatives;
};

struct VantageEvidence {
  std::string name;
  std::string url;
  bool reachable = false;
  std::string error;
  std::vector<EndpointEvidence> endpoints;  // this target's endpoints, as seen from there
};

struct FeedEvidence {
  std::string url;
  bool reachable = false;
  FeedReading reading;
};

enum class TargetKind { kPlatform, kUrl };

struct TargetEvidence {
  std::string target;  // as asked: platform id or URL
  std::string name;    // for people: "WhatsApp"
  TargetKind kind = TargetKind::kUrl;
  std::vector<EndpointEvidence> endpoints;
  std::vector<VantageEvidence> vantages;
  std::optional<FeedEvidence> feed;
};

}  // namespace faro
