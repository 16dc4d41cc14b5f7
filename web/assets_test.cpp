#include "web/assets.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace faro::web {
namespace {

namespace fs = std::filesystem;
const fs::path kWebDir = FARO_WEB_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(WebAssets, EveryFileOfWebSrcIsEmbeddedByteForByte) {
  int count = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(kWebDir / "src")) {
    const std::string name = entry.path().filename().string();
    const Asset* asset = FindAsset(name);
    ASSERT_NE(asset, nullptr) << name;
    EXPECT_EQ(asset->path, name);
    EXPECT_EQ(asset->bytes, ReadFile(entry.path())) << name;
    ++count;
  }
  EXPECT_GE(count, 7);
}

TEST(WebAssets, UplotIsEmbeddedFromNodeModules) {
  const fs::path dist = kWebDir / "node_modules/uplot/dist";
  const Asset* script = FindAsset("uPlot.iife.min.js");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->bytes, ReadFile(dist / "uPlot.iife.min.js"));
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  const Asset* style = FindAsset("uPlot.min.css");
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(style->bytes, ReadFile(dist / "uPlot.min.css"));
  EXPECT_EQ(style->content_type, "text/css; charset=utf-8");
}

TEST(WebAssets, NonAsciiTextKeepsItsUtf8Bytes) {
  const Asset* i18n = FindAsset("i18n.js");
  ASSERT_NE(i18n, nullptr);
  EXPECT_NE(i18n->bytes.find("Confirmar recepci\xC3\xB3n"), std::string_view::npos);
}

TEST(WebAssets, PagesHaveHtmlContentType) {
  for (std::string_view page : {"dashboard.html", "status.html", "listening.html"}) {
    const Asset* asset = FindAsset(page);
    ASSERT_NE(asset, nullptr) << page;
    EXPECT_EQ(asset->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(asset->bytes.substr(0, 15), "<!doctype html>");
  }
}

// Every /assets/<name> a page or a module refers to must be embedded, or the page breaks.
TEST(WebAssets, EveryReferencedAssetExists) {
  std::set<std::string> referenced;
  for (const Asset& asset : AllAssets()) {
    if (asset.path.ends_with(".html")) {
      for (size_t at = asset.bytes.find("/assets/"); at != std::string_view::npos; at = asset.bytes.find("/assets/", at + 1)) {
        const size_t start = at + 8;
        referenced.insert(std::string(asset.bytes.substr(start, asset.bytes.find('"', start) - start)));
      }
    }
    if (asset.path.ends_with(".js")) {  // module imports: from './x.js'
      for (size_t at = asset.bytes.find("from './"); at != std::string_view::npos; at = asset.bytes.find("from './", at + 1)) {
        const size_t start = at + 8;
        referenced.insert(std::string(asset.bytes.substr(start, asset.bytes.find('\'', start) - start)));
      }
    }
  }
  EXPECT_TRUE(referenced.contains("uPlot.iife.min.js"));
  EXPECT_TRUE(referenced.contains("i18n.js"));
  for (const std::string& name : referenced) EXPECT_NE(FindAsset(name), nullptr) << name;
}

TEST(WebAssets, UnknownAndPathLikeNamesAreNotFound) {
  EXPECT_EQ(FindAsset(""), nullptr);
  EXPECT_EQ(FindAsset("missing.js"), nullptr);
  EXPECT_EQ(FindAsset("../CMakeLists.txt"), nullptr);
  EXPECT_EQ(FindAsset("src/dashboard.html"), nullptr);
  EXPECT_EQ(FindAsset("/dashboard.html"), nullptr);
  EXPECT_EQ(FindAsset("DASHBOARD.HTML"), nullptr);
}

TEST(WebAssets, AllAssetsAreSortedAndUnique) {
  const auto all = AllAssets();
  ASSERT_FALSE(all.empty());
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].path, all[i].path);
}

TEST(WebAssets, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("x.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("notes"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("html"), "application/octet-stream");
}

}  // namespace
}  // namespace faro::web
