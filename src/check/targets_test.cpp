#include "check/targets.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace faro {
namespace {

Catalog TestCatalog() {
  auto c = EmbeddedCatalog();
  EXPECT_TRUE(c.ok());
  return *c;
}

TEST(Targets, NoArgumentsMeansTheDefaultPlatforms) {
  auto t = ResolveTargets(TestCatalog(), {});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[0].target, "whatsapp");
  EXPECT_TRUE((*t)[0].is_platform);
}

TEST(Targets, PlatformsUrlsAndHostNamesMixAndDuplicatesFold) {
  auto t = ResolveTargets(TestCatalog(), {"IG", "instagram", "https://shop.example.com", "example.org",
                                          "tcp://mail.example.com:25", "https://shop.example.com/"});
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ((*t)[0].target, "instagram");
  EXPECT_EQ((*t)[1].name, "https://shop.example.com/");
  EXPECT_FALSE((*t)[1].is_platform);
  EXPECT_EQ((*t)[2].endpoints[0].url.text, "https://example.org/");
  EXPECT_EQ((*t)[3].endpoints[0].url.scheme, Scheme::kTcp);
}

TEST(Targets, UnknownPlatformSuggestsTheNearest) {
  auto t = ResolveTargets(TestCatalog(), {"instagarm"});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("did you mean \"instagram\""), std::string::npos) << t.status();
}

TEST(Targets, MalformedUrlSaysWhy) {
  auto t = ResolveTargets(TestCatalog(), {"tcp://host-without-port"});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("needs a port"), std::string::npos) << t.status();
}

TEST(Targets, FileOfTargetsWithCommentsAndLineNumbersInErrors) {
  const std::string path = ::testing::TempDir() + "/faro-targets.txt";
  {
    std::ofstream out(path);
    out << "# my sites\nhttps://a.example.com/\n\ntelegram\n";
  }
  auto t = ResolveTargets(TestCatalog(), {"@" + path});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 2u);
  {
    std::ofstream out(path);
    out << "https://a.example.com/\nnot a target\n";
  }
  auto bad = ResolveTargets(TestCatalog(), {"@" + path});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("faro-targets.txt:2: unknown platform"), std::string::npos) << bad.status();
  std::remove(path.c_str());
  EXPECT_FALSE(ResolveTargets(TestCatalog(), {"@/nonexistent/list"}).ok());
}

}  // namespace
}  // namespace faro
