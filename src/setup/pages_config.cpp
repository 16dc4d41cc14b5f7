#include "setup/pages_config.hpp"

#include <set>

#include "core/strings.hpp"

namespace faro::setup {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

absl::StatusOr<ads::FacebookPage> ReadPage(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) return r.Error(node, path, "expected a mapping with id, type, page_id and token_file");
  FARO_RETURN_IF_ERROR(r.OnlyKeys(node, path, {"id", "type", "page_id", "token_file", "graph_url", "timeout"}));
  ads::PageSettings s;
  FARO_ASSIGN_OR_RETURN(s.id, r.String(node, "id", path, true));
  FARO_ASSIGN_OR_RETURN(const std::string type, r.String(node, "type", path, true));
  if (type != "facebook_page")
    return r.Error(node["type"], StrCat(path, ".type"), StrCat("unknown page type \"", type, "\"; expected facebook_page"));
  FARO_ASSIGN_OR_RETURN(s.page_id, r.String(node, "page_id", path, true));
  if (!AllDigits(s.page_id))
    return r.Error(node["page_id"], StrCat(path, ".page_id"),
                   StrCat("expected the Page's digits, quoted (\"1234567890\"), got \"", s.page_id, "\""));
  FARO_ASSIGN_OR_RETURN(s.graph_url, r.String(node, "graph_url", path, false, s.graph_url));
  while (s.graph_url.ends_with("/")) s.graph_url.pop_back();
  if (!s.graph_url.starts_with("https://") && !s.graph_url.starts_with("http://"))
    return r.Error(node["graph_url"], StrCat(path, ".graph_url"),
                   StrCat("expected an http:// or https:// URL with the API version "
                          "(https://graph.facebook.com/v25.0), got \"",
                          s.graph_url, "\""));
  FARO_ASSIGN_OR_RETURN(s.timeout, r.Duration(node, "timeout", path, s.timeout));
  if (s.timeout.count() <= 0 || s.timeout > std::chrono::minutes(5))
    return r.Error(node["timeout"], StrCat(path, ".timeout"), "expected a duration above 0 and at most 5m");
  if (!node["token_file"]) return r.Error(node, StrCat(path, ".token_file"), "missing; it is required");
  FARO_ASSIGN_OR_RETURN(s.token, r.SecretFile(node, "token_file", path, true));
  if (s.token.empty() || s.token.find_first_of(" \t\r\n") != std::string::npos)
    return r.Error(node["token_file"], StrCat(path, ".token_file"),
                   "the secret file must hold one Page access token: one line without spaces");
  return ads::FacebookPage(std::move(s));
}

}  // namespace

absl::Status ReadPages(const YamlReader& r, const YAML::Node& list, PagesConfig& pages) {
  if (!list.IsSequence()) return r.Error(list, "pages", "expected a list of pages (- { id: …, type: facebook_page, … })");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = StrCat("pages[", i, "]");
    FARO_ASSIGN_OR_RETURN(ads::FacebookPage page, ReadPage(r, list[i], path));
    if (!ids.insert(page.id()).second)
      return r.Error(list[i]["id"], StrCat(path, ".id"), StrCat("\"", page.id(), "\" names two pages"));
    pages.pages.push_back(std::move(page));
  }
  return absl::OkStatus();
}

}  // namespace faro::setup
