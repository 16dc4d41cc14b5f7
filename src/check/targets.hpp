#pragma once
// What the user asked to check, resolved against the catalog: platform ids and aliases,
// URLs (http, https, tls://, tcp://), bare host names, and @FILE (one target per line).
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/status.hpp"

namespace faro {

struct CheckTarget {
  std::string target;  // as given, or the platform id
  std::string name;    // for people
  bool is_platform = false;
  std::vector<EndpointSpec> endpoints;
  std::optional<StatusFeedSpec> feed;
};

// No arguments: the catalog's default platforms. Errors name the bad argument and, for a
// mistyped platform, suggest the nearest one. Duplicates are checked once.
absl::StatusOr<std::vector<CheckTarget>> ResolveTargets(const Catalog& catalog, const std::vector<std::string>& args);

}  // namespace faro
