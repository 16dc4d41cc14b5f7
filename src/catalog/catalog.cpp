#include "catalog/catalog.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include "config/yaml_reader.hpp"
#include "core/strings.hpp"
#include "core/resolver_address.hpp"
#include "core/text_distance.hpp"

namespace faro {
namespace {

// Walks the YAML tree keeping the path ("platforms[2].endpoints[0].url") for messages.
class Reader : public YamlReader {
 public:
  explicit Reader(std::string_view file) : YamlReader(std::string(file)) {}

  absl::StatusOr<EndpointSpec> Endpoint(const YAML::Node& node, const std::string& path,
                                        bool in_platform) const {
    if (in_platform) {
      FARO_RETURN_IF_ERROR(OnlyKeys(node, path, {"url", "layer", "group", "expect_status", "expect_body"}));
    } else {
      FARO_RETURN_IF_ERROR(OnlyKeys(node, path, {"url", "expect_status", "expect_body"}));
    }
    EndpointSpec out;
    FARO_ASSIGN_OR_RETURN(std::string url, String(node, "url", path, true));
    auto parsed = ParseProbeUrl(url);
    if (!parsed.ok()) return Error(node["url"], StrCat(path, ".url"), Message(parsed.status()));
    out.url = std::move(*parsed);
    if (in_platform) {
      FARO_ASSIGN_OR_RETURN(std::string layer, String(node, "layer", path, true));
      static constexpr std::pair<std::string_view, Layer> kLayers[] = {
          {"web", Layer::kWeb}, {"api", Layer::kApi}, {"messaging", Layer::kMessaging}, {"media", Layer::kMedia}};
      auto it = std::find_if(std::begin(kLayers), std::end(kLayers), [&](auto& l) { return l.first == layer; });
      if (it == std::end(kLayers))
        return Error(node["layer"], StrCat(path, ".layer"),
                     StrCat("expected web, api, messaging or media, got \"", layer, "\""));
      out.layer = it->second;
      FARO_ASSIGN_OR_RETURN(out.group, String(node, "group", path, false));
    } else {
      out.layer = Layer::kReference;
    }
    FARO_ASSIGN_OR_RETURN(std::string status, String(node, "expect_status", path, false));
    FARO_ASSIGN_OR_RETURN(out.expect.body_contains, String(node, "expect_body", path, false));
    if (!status.empty()) {
      auto expectation = ParseExpectedStatus(status);
      if (!expectation.ok())
        return Error(node["expect_status"], StrCat(path, ".expect_status"), Message(expectation.status()));
      expectation->body_contains = out.expect.body_contains;
      out.expect = std::move(*expectation);
    }
    if ((status.size() || out.expect.body_contains.size()) && !out.url.SpeaksHttp())
      return Error(node, path, "expect_status and expect_body apply to http:// and https:// URLs only");
    return out;
  }

  absl::StatusOr<StatusFeedSpec> Feed(const YAML::Node& node, const std::string& path) const {
    FARO_RETURN_IF_ERROR(OnlyKeys(node, path, {"format", "url", "component"}));
    StatusFeedSpec out;
    FARO_ASSIGN_OR_RETURN(std::string format, String(node, "format", path, true));
    static constexpr std::pair<std::string_view, FeedFormat> kFormats[] = {
        {"statuspage", FeedFormat::kStatuspage}, {"atom", FeedFormat::kAtom},
        {"rss", FeedFormat::kRss}, {"metastatus", FeedFormat::kMetastatus}};
    auto it = std::find_if(std::begin(kFormats), std::end(kFormats), [&](auto& f) { return f.first == format; });
    if (it == std::end(kFormats))
      return Error(node["format"], StrCat(path, ".format"),
                   StrCat("expected statuspage, atom, rss or metastatus, got \"", format, "\""));
    out.format = it->second;
    FARO_ASSIGN_OR_RETURN(out.url, String(node, "url", path, true));
    auto url = ParseProbeUrl(out.url);
    if (!url.ok() || !url->SpeaksHttp())
      return Error(node["url"], StrCat(path, ".url"), "expected an http:// or https:// URL");
    out.url = url->text;
    FARO_ASSIGN_OR_RETURN(out.component, String(node, "component", path, false));
    if (out.format == FeedFormat::kMetastatus && out.component.empty())
      return Error(node, path, "format metastatus needs component: the org id, e.g. whatsapp-business-api");
    return out;
  }

  absl::StatusOr<Platform> PlatformAt(const YAML::Node& node, const std::string& path) const {
    FARO_RETURN_IF_ERROR(OnlyKeys(node, path, {"id", "name", "aliases", "default", "status_feed", "endpoints"}));
    Platform out;
    FARO_ASSIGN_OR_RETURN(out.id, String(node, "id", path, true));
    const bool id_ok = std::all_of(out.id.begin(), out.id.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
    });
    if (!id_ok)
      return Error(node["id"], StrCat(path, ".id"), "expected lower-case letters, digits and '-'");
    FARO_ASSIGN_OR_RETURN(out.name, String(node, "name", path, true));
    FARO_ASSIGN_OR_RETURN(out.is_default, Bool(node, "default", path));
    if (const YAML::Node aliases = node["aliases"]) {
      if (!aliases.IsSequence())
        return Error(aliases, StrCat(path, ".aliases"), "expected a list of names");
      for (const auto& alias : aliases) {
        if (!alias.IsScalar()) return Error(alias, StrCat(path, ".aliases"), "expected a name");
        out.aliases.push_back(ToLower(alias.as<std::string>()));
      }
    }
    if (const YAML::Node feed = node["status_feed"]) {
      FARO_ASSIGN_OR_RETURN(out.status_feed, Feed(feed, StrCat(path, ".status_feed")));
    }
    const YAML::Node endpoints = node["endpoints"];
    if (!endpoints || !endpoints.IsSequence() || endpoints.size() == 0)
      return Error(endpoints ? endpoints : node, StrCat(path, ".endpoints"),
                   "expected a non-empty list of endpoints");
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
      FARO_ASSIGN_OR_RETURN(EndpointSpec endpoint,
                            Endpoint(endpoints[i], StrCat(path, ".endpoints[", i, "]"), true));
      out.endpoints.push_back(std::move(endpoint));
    }
    return out;
  }

  absl::StatusOr<Catalog> Read(const YAML::Node& root) const {
    FARO_RETURN_IF_ERROR(OnlyKeys(root, "catalog", {"version", "local", "platforms"}));
    const YAML::Node version = root["version"];
    if (!version || !version.IsScalar() || version.as<std::string>() != "1")
      return Error(version ? version : root, "version", "expected version: 1");
    Catalog out;
    if (const YAML::Node local = root["local"]) {
      FARO_RETURN_IF_ERROR(OnlyKeys(local, "local", {"references", "alt_resolvers"}));
      if (const YAML::Node refs = local["references"]) {
        if (!refs.IsSequence()) return Error(refs, "local.references", "expected a list of {url: ...}");
        for (std::size_t i = 0; i < refs.size(); ++i) {
          FARO_ASSIGN_OR_RETURN(EndpointSpec ref,
                                Endpoint(refs[i], StrCat("local.references[", i, "]"), false));
          out.references.push_back(std::move(ref));
        }
      }
      if (const YAML::Node alts = local["alt_resolvers"]) {
        if (!alts.IsSequence()) return Error(alts, "local.alt_resolvers", "expected a list of IP[:PORT]");
        for (std::size_t i = 0; i < alts.size(); ++i) {
          const std::string where = StrCat("local.alt_resolvers[", i, "]");
          if (!alts[i].IsScalar()) return Error(alts[i], where, "expected IP[:PORT]");
          auto addr = ParseResolverAddress(alts[i].as<std::string>());
          if (!addr.ok()) return Error(alts[i], where, Message(addr.status()));
          out.alt_resolvers.push_back(alts[i].as<std::string>());
        }
      }
    }
    const YAML::Node platforms = root["platforms"];
    if (!platforms || !platforms.IsSequence())
      return Error(platforms ? platforms : root, "platforms", "expected a list of platforms");
    std::set<std::string> names;
    for (std::size_t i = 0; i < platforms.size(); ++i) {
      const std::string path = StrCat("platforms[", i, "]");
      FARO_ASSIGN_OR_RETURN(Platform platform, PlatformAt(platforms[i], path));
      if (!names.insert(platform.id).second)
        return Error(platforms[i]["id"], StrCat(path, ".id"),
                     StrCat("\"", platform.id, "\" names two platforms"));
      for (const std::string& alias : platform.aliases)
        if (!names.insert(alias).second)
          return Error(platforms[i]["aliases"], StrCat(path, ".aliases"),
                       StrCat("\"", alias, "\" names two platforms"));
      out.platforms.push_back(std::move(platform));
    }
    return out;
  }
};

}  // namespace

std::string_view LayerName(Layer layer) {
  switch (layer) {
    case Layer::kWeb: return "web";
    case Layer::kApi: return "api";
    case Layer::kMessaging: return "messaging";
    case Layer::kMedia: return "media";
    case Layer::kReference: return "reference";
    case Layer::kTarget: return "target";
  }
  return "target";
}

const Platform* Catalog::Find(std::string_view name) const {
  const std::string key = ToLower(name);
  for (const Platform& p : platforms) {
    if (p.id == key) return &p;
    if (std::find(p.aliases.begin(), p.aliases.end(), key) != p.aliases.end()) return &p;
  }
  return nullptr;
}

std::optional<std::string> Catalog::Suggest(std::string_view name) const {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const Platform& p : platforms) {
    std::vector<std::string_view> candidates{p.id};
    candidates.insert(candidates.end(), p.aliases.begin(), p.aliases.end());
    for (std::string_view candidate : candidates) {
      const std::size_t d = EditDistance(name, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = p.id;
      }
    }
  }
  return best;
}

std::vector<const Platform*> Catalog::Defaults() const {
  std::vector<const Platform*> out;
  for (const Platform& p : platforms)
    if (p.is_default) out.push_back(&p);
  return out;
}

absl::StatusOr<Catalog> ParseCatalog(std::string_view yaml_text, std::string_view file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat(file_name, ":", e.mark.line + 1, ":",
                                                   e.mark.column + 1, ": not valid YAML: ", e.msg));
  }
  try {
    return Reader(file_name).Read(root);
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on type conversions we did not foresee; keep it a value.
    return absl::InvalidArgumentError(StrCat(file_name, ":", e.mark.line + 1, ": ", e.msg));
  }
}

absl::StatusOr<Catalog> LoadCatalogFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot read the catalog file"));
  std::stringstream text;
  text << in.rdbuf();
  return ParseCatalog(text.str(), path);
}

absl::StatusOr<Catalog> EmbeddedCatalog() {
  return ParseCatalog(EmbeddedCatalogText(), "catalog/platforms.yaml (built in)");
}

}  // namespace faro
