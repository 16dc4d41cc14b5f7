#include "check/targets.hpp"

#include <cctype>
#include <fstream>
#include <set>

#include "core/strings.hpp"

namespace faro {
namespace {

bool LooksLikeHostName(std::string_view s) {
  if (s.find('.') == std::string_view::npos || s.front() == '.' || s.back() == '.') return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-')) return false;
  return true;
}

CheckTarget FromPlatform(const Platform& p) {
  return CheckTarget{p.id, p.name, true, p.endpoints, p.status_feed};
}

absl::Status Add(const Catalog& catalog, std::string_view arg, std::vector<CheckTarget>& out,
                 std::set<std::string>& seen) {
  arg = Trim(arg);
  if (arg.empty()) return absl::OkStatus();
  if (const Platform* p = catalog.Find(arg)) {
    if (seen.insert("platform:" + p->id).second) out.push_back(FromPlatform(*p));
    return absl::OkStatus();
  }
  std::string url_text;
  if (Contains(arg, "://")) {
    url_text = std::string(arg);
  } else if (LooksLikeHostName(arg)) {
    url_text = StrCat("https://", arg, "/");
  } else {
    std::string message = StrCat("unknown platform \"", arg, "\"");
    if (auto suggestion = catalog.Suggest(arg)) StrAppend(message, ": did you mean \"", *suggestion, "\"?");
    std::vector<std::string> known;
    for (const Platform& p : catalog.platforms) known.push_back(p.id);
    StrAppend(message, " Known platforms: ", Join(known, ", "), ". A URL (https://…, tcp://HOST:PORT) or a host name works too.");
    return absl::InvalidArgumentError(message);
  }
  auto url = ParseProbeUrl(url_text);
  if (!url.ok()) return url.status();
  if (!seen.insert("url:" + url->text).second) return absl::OkStatus();
  EndpointSpec spec;
  spec.url = *url;
  spec.layer = Layer::kTarget;
  out.push_back(CheckTarget{std::string(arg), url->text, false, {std::move(spec)}, std::nullopt});
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CheckTarget>> ResolveTargets(const Catalog& catalog, const std::vector<std::string>& args) {
  std::vector<CheckTarget> out;
  std::set<std::string> seen;
  if (args.empty()) {
    for (const Platform* p : catalog.Defaults()) out.push_back(FromPlatform(*p));
    if (out.empty()) return absl::InvalidArgumentError("no target given and the catalog marks no platform as default");
    return out;
  }
  for (const std::string& arg : args) {
    if (arg.size() > 1 && arg[0] == '@') {
      const std::string path = arg.substr(1);
      std::ifstream in(path);
      if (!in) return absl::NotFoundError(StrCat(path, ": cannot read the targets file"));
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        const std::string_view item = Trim(line);
        if (item.empty() || item.front() == '#') continue;
        if (absl::Status st = Add(catalog, item, out, seen); !st.ok())
          return absl::InvalidArgumentError(StrCat(path, ":", number, ": ", Message(st)));
      }
      continue;
    }
    FARO_RETURN_IF_ERROR(Add(catalog, arg, out, seen));
  }
  return out;
}

}  // namespace faro
