#pragma once
// faro.yaml `pages:`: the social pages whose scheduled posts the restoration check verifies
// after an outage (docs/configuration.md, "pages"; docs/crisis-log.md, "scheduled-posts").
//
//   pages:
//     - { id: fb-page, type: facebook_page, page_id: "1234567890", token_file: secrets/page.token,
//         graph_url: https://graph.facebook.com/v25.0 }   # graph_url optional
//
// Optional too: timeout (default 15s, at most 5m). The token file holds a Page access token
// (relative to the configuration's folder); it never appears in messages.
#include <string>
#include <vector>

#include "ads/meta/page_posts.hpp"
#include "config/yaml_reader.hpp"

namespace faro::setup {

struct PagesConfig {
  std::vector<ads::FacebookPage> pages;  // in the file's order; ids unique
};

// Reads the `pages:` list (a sequence of mappings); errors say file:line:column and the key.
absl::Status ReadPages(const YamlReader& r, const YAML::Node& list, PagesConfig& pages);

}  // namespace faro::setup
