#include "web/assets.hpp"

#include <algorithm>
#include <vector>

#include "embedded_files.hpp"

namespace faro::web {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Built once, on first use (thread-safe), from the generated table.
const std::vector<Asset>& Table() {
  static const std::vector<Asset> table = [] {
    std::vector<Asset> assets;
    assets.reserve(embedded::kFileCount);
    for (std::size_t i = 0; i < embedded::kFileCount; ++i) {
      const embedded::File& f = embedded::kFiles[i];
      assets.push_back({f.name, ContentTypeFor(f.name), f.bytes});
    }
    std::sort(assets.begin(), assets.end(), [](const Asset& a, const Asset& b) { return a.path < b.path; });
    return assets;
  }();
  return table;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  if (EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(path, ".js") || EndsWith(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(path, ".json")) return "application/json";
  if (EndsWith(path, ".svg")) return "image/svg+xml";
  if (EndsWith(path, ".png")) return "image/png";
  if (EndsWith(path, ".ico")) return "image/x-icon";
  if (EndsWith(path, ".woff2")) return "font/woff2";
  if (EndsWith(path, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

const Asset* FindAsset(std::string_view path) {
  if (path.empty() || path.find('/') != std::string_view::npos) return nullptr;
  const std::vector<Asset>& table = Table();
  auto it = std::lower_bound(table.begin(), table.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  return it != table.end() && it->path == path ? &*it : nullptr;
}

std::span<const Asset> AllAssets() { return Table(); }

}  // namespace faro::web
