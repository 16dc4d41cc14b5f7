#include "setup/listen_sources_config.hpp"

#include <set>

#include "core/strings.hpp"

namespace faro::setup {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// An absolute http:// or https:// URL with a host, and nothing a person could mistake for one
// (spaces, control characters).
bool IsHttpUrl(std::string_view url) {
  std::string_view rest;
  if (StartsWith(url, "https://")) rest = url.substr(8);
  else if (StartsWith(url, "http://")) rest = url.substr(7);
  else return false;
  if (rest.empty() || rest.front() == '/') return false;
  for (const char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

absl::Status ReadXStream(const YamlReader& r, const YAML::Node& node, XStreamSourceConfig& x) {
  const std::string path = "listen.sources.x_stream";
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, path, {"bearer_token_file", "url"}));
  FARO_ASSIGN_OR_RETURN(x.bearer_token_file, r.String(node, "bearer_token_file", path, true));
  // Missing, unreadable or empty: an error naming the file (YamlReader::SecretFile).
  FARO_ASSIGN_OR_RETURN(x.bearer_token, r.SecretFile(node, "bearer_token_file", path, true));
  FARO_ASSIGN_OR_RETURN(x.url, r.String(node, "url", path, false, kXStreamDefaultUrl));
  if (!IsHttpUrl(x.url))
    return r.Error(node["url"], StrCat(path, ".url"), StrCat("expected an http:// or https:// URL, got \"", x.url, "\""));
  if (x.url.find('?') != std::string::npos || !EndsWith(x.url, kXStreamPath))
    return r.Error(node["url"], StrCat(path, ".url"),
                   StrCat("expected the filtered stream endpoint, ending in ", kXStreamPath,
                          " and without a query (Faro adds the fields it asks for), got \"", x.url, "\""));
  x.base_url = x.url.substr(0, x.url.size() - std::string_view(kXStreamPath).size());
  if (!IsHttpUrl(x.base_url))
    return r.Error(node["url"], StrCat(path, ".url"), StrCat("the URL has no host: \"", x.url, "\""));
  x.enabled = true;
  return absl::OkStatus();
}

absl::Status ReadFeeds(const YamlReader& r, const YAML::Node& list, std::vector<FeedSourceConfig>& feeds) {
  if (!list.IsSequence())
    return r.Error(list, "listen.sources.feeds", "expected a list of feeds, each { url: https://…, brand, every }");
  std::set<std::string> urls;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = StrCat("listen.sources.feeds[", i, "]");
    if (!node.IsMap()) return r.Error(node, path, "expected a mapping with url (and brand, every)");
    FARO_RETURN_IF_ERROR(r.OnlyKeys(node, path, {"url", "brand", "every"}));
    FeedSourceConfig feed;
    FARO_ASSIGN_OR_RETURN(feed.url, r.String(node, "url", path, true));
    if (!IsHttpUrl(feed.url))
      return r.Error(node["url"], StrCat(path, ".url"),
                     StrCat("expected an http:// or https:// URL, got \"", feed.url, "\""));
    if (!urls.insert(feed.url).second)
      return r.Error(node["url"], StrCat(path, ".url"), StrCat("\"", feed.url, "\" is listed twice"));
    FARO_ASSIGN_OR_RETURN(feed.brand, r.String(node, "brand", path, false));
    FARO_ASSIGN_OR_RETURN(feed.every, r.Duration(node, "every", path, feed.every));
    if (feed.every < kMinFeedEvery)
      return r.Error(node["every"], StrCat(path, ".every"),
                     StrCat("a feed is read at most once a minute (every: 1m or more), got ", feed.every.count(), " ms"));
    feeds.push_back(std::move(feed));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadListenSources(const YamlReader& r, const YAML::Node& node, ListenSourcesConfig& out) {
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, "listen.sources", {"x_stream", "feeds"}));
  ListenSourcesConfig read;
  if (const YAML::Node x = node["x_stream"]) FARO_RETURN_IF_ERROR(ReadXStream(r, x, read.x_stream));
  if (const YAML::Node f = node["feeds"]) FARO_RETURN_IF_ERROR(ReadFeeds(r, f, read.feeds));
  out = std::move(read);
  return absl::OkStatus();
}

bool SameSourcesApartFromToken(const ListenSourcesConfig& a, const ListenSourcesConfig& b) {
  if (a.x_stream.enabled != b.x_stream.enabled || a.x_stream.url != b.x_stream.url) return false;
  if (a.feeds.size() != b.feeds.size()) return false;
  for (std::size_t i = 0; i < a.feeds.size(); ++i)
    if (a.feeds[i].url != b.feeds[i].url || a.feeds[i].brand != b.feeds[i].brand || a.feeds[i].every != b.feeds[i].every)
      return false;
  return true;
}

}  // namespace faro::setup
