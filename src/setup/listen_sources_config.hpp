#pragma once
// faro.yaml listen.sources: the mentions `faro serve` pulls by itself (docs/configuration.md,
// "listen.sources"): the X API v2 filtered stream and RSS 2.0 / Atom feeds.
//
//   listen:
//     sources:
//       x_stream:
//         bearer_token_file: secrets/x-bearer.txt   # read at start and on SIGHUP
//         url: https://api.x.com/2/tweets/search/stream   # the default
//       feeds:
//         - { url: https://blog.example.com/feed.xml, brand: nutricion-ana, every: 5m }
//
// Every error names the file, line, column and key, and says what was expected.
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"
#include "core/status.hpp"

namespace faro::setup {

inline constexpr char kXStreamPath[] = "/2/tweets/search/stream";
inline constexpr char kXStreamDefaultUrl[] = "https://api.x.com/2/tweets/search/stream";

struct XStreamSourceConfig {
  bool enabled = false;            // listen.sources.x_stream is present
  std::string bearer_token_file;   // as written in faro.yaml (for messages)
  std::string bearer_token;        // the file's content, trailing whitespace removed; never logged
  std::string url = kXStreamDefaultUrl;
  std::string base_url = "https://api.x.com";  // `url` without kXStreamPath (what the client takes)
};

struct FeedSourceConfig {
  std::string url;    // http:// or https://
  std::string brand;  // copied to every mention as the brand hint; may be empty
  std::chrono::milliseconds every{std::chrono::minutes(5)};  // at least 1 minute
};

struct ListenSourcesConfig {
  XStreamSourceConfig x_stream;
  std::vector<FeedSourceConfig> feeds;  // in the file's order; no URL twice
  bool empty() const { return !x_stream.enabled && feeds.empty(); }
};

inline constexpr std::chrono::minutes kMinFeedEvery{1};

// Reads the listen.sources mapping. The bearer token file is read now (relative to the
// configuration's folder): a file that is missing, unreadable or empty is an error naming it.
absl::Status ReadListenSources(const YamlReader& r, const YAML::Node& node, ListenSourcesConfig& out);

// True when `a` and `b` pull the same things the same way, whatever their bearer tokens (a
// running `faro serve` takes a new token on SIGHUP; anything else needs a restart).
bool SameSourcesApartFromToken(const ListenSourcesConfig& a, const ListenSourcesConfig& b);

}  // namespace faro::setup
