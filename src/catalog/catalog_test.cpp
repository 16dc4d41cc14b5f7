#include "catalog/catalog.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

constexpr std::string_view kSmall = R"(version: 1
local:
  references:
    - { url: "http://ref.test/generate_204", expect_status: "204" }
  alt_resolvers: ["192.0.2.2", "192.0.2.3:5353"]
platforms:
  - id: whatsapp
    name: WhatsApp
    aliases: [wa, WSP]
    default: true
    status_feed: { format: statuspage, url: "https://status.test/api/v2/status.json" }
    endpoints:
      - { url: "https://web.whatsapp.com/", layer: web }
      - { url: "tcp://e1.whatsapp.net:5222", layer: messaging, group: chat }
  - id: telegram
    name: Telegram
    endpoints:
      - { url: "https://web.telegram.org/", layer: web, expect_status: "200-399,999" }
)";

TEST(Catalog, ParsesPlatformsEndpointsAndLocalDefaults) {
  auto catalog = ParseCatalog(kSmall, "small.yaml");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_EQ(catalog->platforms.size(), 2u);
  const Platform& wa = catalog->platforms[0];
  EXPECT_EQ(wa.name, "WhatsApp");
  EXPECT_TRUE(wa.is_default);
  ASSERT_EQ(wa.endpoints.size(), 2u);
  EXPECT_EQ(wa.endpoints[1].url.scheme, Scheme::kTcp);
  EXPECT_EQ(wa.endpoints[1].group, "chat");
  EXPECT_EQ(wa.endpoints[1].layer, Layer::kMessaging);
  ASSERT_TRUE(wa.status_feed.has_value());
  EXPECT_EQ(wa.status_feed->format, FeedFormat::kStatuspage);
  EXPECT_TRUE(catalog->platforms[1].endpoints[0].expect.StatusOk(999));
  ASSERT_EQ(catalog->references.size(), 1u);
  EXPECT_TRUE(catalog->references[0].expect.StatusOk(204));
  EXPECT_FALSE(catalog->references[0].expect.StatusOk(200));
  EXPECT_EQ(catalog->alt_resolvers.size(), 2u);
  ASSERT_EQ(catalog->Defaults().size(), 1u);
}

TEST(Catalog, FindsByIdOrAliasAndSuggestsTypos) {
  auto catalog = ParseCatalog(kSmall, "small.yaml");
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->Find("WhatsApp")->id, "whatsapp");
  EXPECT_EQ(catalog->Find("wsp")->id, "whatsapp");
  EXPECT_EQ(catalog->Find("whatsap"), nullptr);
  EXPECT_EQ(catalog->Suggest("whatsap"), "whatsapp");
  EXPECT_EQ(catalog->Suggest("telgram"), "telegram");
  EXPECT_FALSE(catalog->Suggest("zzzzzzzzzz").has_value());
}

struct BadCase {
  const char* yaml;
  const char* expected;  // a piece of the message: file, line and key
};

TEST(Catalog, ErrorsNameFileLineKeyAndWhatWasExpected) {
  const BadCase cases[] = {
      {"version: 2\nplatforms: []\n", "bad.yaml:1:10: version: expected version: 1"},
      {"version: 1\nplatforms:\n  - id: x\n    name: X\n    endpoints:\n      - { url: \"ftp://x/\", layer: web }\n",
       "bad.yaml:6:16: platforms[0].endpoints[0].url: \"ftp://x/\" is not a URL"},
      {"version: 1\nplatforms:\n  - id: x\n    name: X\n    endpoints:\n      - { url: \"https://x/\", layer: chat }\n",
       "platforms[0].endpoints[0].layer: expected web, api, messaging or media"},
      {"version: 1\nplatforms:\n  - id: x\n    nmae: X\n", "bad.yaml:4:5: platforms[0].nmae: unknown key"},
      {"version: 1\nplatforms:\n  - id: x\n    name: X\n", "platforms[0].endpoints: expected a non-empty list"},
      {"version: 1\nplatforms:\n  - { id: x, name: X, endpoints: [{url: \"https://x/\", layer: web, expect_status: \"2xx\"}] }\n",
       "platforms[0].endpoints[0].expect_status: expected HTTP statuses"},
      {"version: 1\nlocal: { alt_resolvers: [dns.google] }\nplatforms: []\n",
       "bad.yaml:2:26: local.alt_resolvers[0]: expected a resolver address"},
      {"version: 1\nplatforms: [\n", "bad.yaml:3:1: not valid YAML"},
      {"version: 1\nplatforms:\n  - { id: a, name: A, endpoints: [{url: \"https://a/\", layer: web}] }\n"
       "  - { id: a, name: B, endpoints: [{url: \"https://b/\", layer: web}] }\n",
       "platforms[1].id: \"a\" names two platforms"},
      {"version: 1\nplatforms:\n  - { id: a, name: A, status_feed: { format: metastatus, url: \"https://m/\" }, "
       "endpoints: [{url: \"https://a/\", layer: web}] }\n", "needs component"},
      {"version: 1\nplatforms:\n  - { id: a, name: A, endpoints: [{url: \"tcp://a:1\", layer: web, expect_status: \"200\"}] }\n",
       "apply to http:// and https:// URLs only"},
  };
  for (const BadCase& c : cases) {
    auto catalog = ParseCatalog(c.yaml, "bad.yaml");
    ASSERT_FALSE(catalog.ok()) << c.yaml;
    EXPECT_NE(catalog.status().message().find(c.expected), std::string::npos)
        << "got: " << catalog.status().message() << "\nwant: " << c.expected;
  }
}

TEST(Catalog, ShippedCatalogIsValidAndCoversTheTenPlatforms) {
  auto catalog = EmbeddedCatalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  for (const char* id : {"whatsapp", "instagram", "facebook", "messenger", "telegram", "x", "tiktok",
                         "youtube", "linkedin", "gmail"}) {
    const Platform* p = catalog->Find(id);
    ASSERT_NE(p, nullptr) << id;
    EXPECT_GE(p->endpoints.size(), 2u) << id;
  }
  EXPECT_GE(catalog->references.size(), 3u);
  EXPECT_EQ(catalog->alt_resolvers.size(), 3u);
  EXPECT_EQ(catalog->Find("twitter")->id, "x");
}

TEST(Catalog, MissingFileSaysSo) {
  auto catalog = LoadCatalogFile("/nonexistent/catalog.yaml");
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.status().message().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace faro
