#pragma once
// The platform catalog: which endpoints `faro check` probes for each platform, what healthy
// answers look like, the official status feeds, and the defaults for your side (reference
// hosts, alternative resolvers). It is data: catalog/platforms.yaml, documented in
// docs/catalog.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/expectation.hpp"
#include "core/probe_url.hpp"
#include "core/status.hpp"

namespace faro {

// The part of a platform an endpoint stands for. kReference and kTarget are not used in
// catalog files: they label your reference hosts and ad-hoc URLs.
enum class Layer { kWeb, kApi, kMessaging, kMedia, kReference, kTarget };
std::string_view LayerName(Layer layer);

struct EndpointSpec {
  ProbeUrl url;
  Layer layer = Layer::kTarget;
  std::string group;  // endpoints sharing a group count as one unit, healthy if any member is
  Expectation expect;
};

enum class FeedFormat { kStatuspage, kAtom, kRss, kMetastatus };

struct StatusFeedSpec {
  FeedFormat format = FeedFormat::kStatuspage;
  std::string url;
  std::string component;  // statuspage component name, metastatus org id, or atom/rss title filter
};

struct Platform {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  bool is_default = false;
  std::vector<EndpointSpec> endpoints;
  std::optional<StatusFeedSpec> status_feed;
};

struct Catalog {
  std::vector<EndpointSpec> references;
  std::vector<std::string> alt_resolvers;
  std::vector<Platform> platforms;

  // By id or alias, case-insensitive; nullptr when unknown.
  const Platform* Find(std::string_view name) const;
  // The known id nearest to `name`, if one is close enough to be a likely typo.
  std::optional<std::string> Suggest(std::string_view name) const;
  std::vector<const Platform*> Defaults() const;
};

// Parses catalog YAML. Errors read "FILE:LINE:COLUMN: KEY: what was expected".
absl::StatusOr<Catalog> ParseCatalog(std::string_view yaml_text, std::string_view file_name);
absl::StatusOr<Catalog> LoadCatalogFile(const std::string& path);
// The catalog shipped inside the binary (catalog/platforms.yaml at build time).
std::string_view EmbeddedCatalogText();
absl::StatusOr<Catalog> EmbeddedCatalog();

}  // namespace faro
