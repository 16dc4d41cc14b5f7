// faro.yaml listen.sources: the good shapes, the defaults, and each bad case with its file,
// line and key.
#include "setup/listen_sources_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/strings.hpp"
#include "setup/faro_config.hpp"

namespace faro::setup {
namespace {

namespace fs = std::filesystem;

class ListenSourcesConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / StrCat("faro_listen_sources_config_", ::getpid(), "_",
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "secrets");
    Write("secrets/x-bearer.txt", "AAAA-bearer-token\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }

  // Reads listen.sources from `yaml` (the whole file), as faro.yaml would.
  absl::StatusOr<ListenSourcesConfig> Read(const std::string& yaml) {
    const YAML::Node root = YAML::Load(yaml);
    YamlReader r("faro.yaml", dir_);
    ListenSourcesConfig out;
    FARO_RETURN_IF_ERROR(ReadListenSources(r, root["listen"]["sources"], out));
    return out;
  }

  // The error of `yaml`, which must be refused.
  std::string ErrorOf(const std::string& yaml) {
    auto read = Read(yaml);
    EXPECT_FALSE(read.ok()) << yaml;
    return read.ok() ? std::string() : Message(read.status());
  }

  fs::path dir_;
};

TEST_F(ListenSourcesConfigTest, ReadsTheXStreamAndFeedsWithTheirDefaults) {
  auto read = Read(R"(listen:
  rules: listen/brand.yaml
  sources:
    x_stream:
      bearer_token_file: secrets/x-bearer.txt
    feeds:
      - url: https://blog.example.com/feed.xml
        brand: nutricion-ana
        every: 10m
      - url: http://127.0.0.1:8081/atom.xml
)");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->x_stream.enabled);
  EXPECT_EQ(read->x_stream.bearer_token, "AAAA-bearer-token");  // trailing newline removed
  EXPECT_EQ(read->x_stream.bearer_token_file, "secrets/x-bearer.txt");
  EXPECT_EQ(read->x_stream.url, "https://api.x.com/2/tweets/search/stream");
  EXPECT_EQ(read->x_stream.base_url, "https://api.x.com");
  ASSERT_EQ(read->feeds.size(), 2u);
  EXPECT_EQ(read->feeds[0].url, "https://blog.example.com/feed.xml");
  EXPECT_EQ(read->feeds[0].brand, "nutricion-ana");
  EXPECT_EQ(read->feeds[0].every, std::chrono::minutes(10));
  EXPECT_EQ(read->feeds[1].brand, "");
  EXPECT_EQ(read->feeds[1].every, std::chrono::minutes(5));
  EXPECT_FALSE(read->empty());
}

TEST_F(ListenSourcesConfigTest, AnotherStreamUrlKeepsItsHostAndPort) {
  auto read = Read(R"(listen:
  sources:
    x_stream:
      bearer_token_file: secrets/x-bearer.txt
      url: http://127.0.0.1:9555/2/tweets/search/stream
)");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->x_stream.base_url, "http://127.0.0.1:9555");
  EXPECT_TRUE(read->feeds.empty());
}

TEST_F(ListenSourcesConfigTest, OnlyFeedsLeavesTheStreamOff) {
  auto read = Read("listen:\n  sources:\n    feeds: [{ url: 'https://a.example/rss', every: 1m }]\n");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_FALSE(read->x_stream.enabled);
  EXPECT_EQ(read->feeds.at(0).every, std::chrono::minutes(1));
}

TEST_F(ListenSourcesConfigTest, TheTokenFileIsCheckedAtStart) {
  const std::string missing = ErrorOf(
      "listen:\n  sources:\n    x_stream:\n      bearer_token_file: secrets/nope.txt\n");
  EXPECT_NE(missing.find("faro.yaml:4:"), std::string::npos) << missing;
  EXPECT_NE(missing.find("listen.sources.x_stream.bearer_token_file"), std::string::npos) << missing;
  EXPECT_NE(missing.find((dir_ / "secrets/nope.txt").string()), std::string::npos) << missing;

  Write("secrets/empty.txt", "  \n\n");
  const std::string empty = ErrorOf(
      "listen:\n  sources:\n    x_stream:\n      bearer_token_file: secrets/empty.txt\n");
  EXPECT_NE(empty.find("is empty"), std::string::npos) << empty;
  EXPECT_NE(empty.find("empty.txt"), std::string::npos) << empty;

  // A folder where the file should be cannot be read as a token either.
  const std::string folder = ErrorOf("listen:\n  sources:\n    x_stream:\n      bearer_token_file: secrets\n");
  EXPECT_NE(folder.find("listen.sources.x_stream.bearer_token_file"), std::string::npos) << folder;

  const std::string absent = ErrorOf("listen:\n  sources:\n    x_stream: { url: 'https://api.x.com/2/tweets/search/stream' }\n");
  EXPECT_NE(absent.find("listen.sources.x_stream.bearer_token_file: missing"), std::string::npos) << absent;
}

TEST_F(ListenSourcesConfigTest, RefusesAStreamUrlThatIsNotTheEndpoint) {
  const std::string head = "listen:\n  sources:\n    x_stream:\n      bearer_token_file: secrets/x-bearer.txt\n";
  const std::string scheme = ErrorOf(head + "      url: ftp://api.x.com/2/tweets/search/stream\n");
  EXPECT_NE(scheme.find("faro.yaml:5:"), std::string::npos) << scheme;
  EXPECT_NE(scheme.find("listen.sources.x_stream.url: expected an http:// or https:// URL"), std::string::npos) << scheme;
  const std::string path = ErrorOf(head + "      url: https://api.x.com/2/tweets/search\n");
  EXPECT_NE(path.find("ending in /2/tweets/search/stream"), std::string::npos) << path;
  const std::string query = ErrorOf(head + "      url: https://api.x.com/2/tweets/search/stream?x=/2/tweets/search/stream\n");
  EXPECT_NE(query.find("without a query"), std::string::npos) << query;
  const std::string unknown = ErrorOf(head + "      token: abc\n");
  EXPECT_NE(unknown.find("listen.sources.x_stream.token: unknown key"), std::string::npos) << unknown;
}

TEST_F(ListenSourcesConfigTest, RefusesBadFeeds) {
  const std::string head = "listen:\n  sources:\n    feeds:\n";
  struct Case {
    std::string yaml, expected;
  };
  const std::vector<Case> cases = {
      {"listen:\n  sources:\n    feeds: https://a.example/rss\n", "listen.sources.feeds: expected a list of feeds"},
      {head + "      - https://a.example/rss\n", "faro.yaml:4:9: listen.sources.feeds[0]: expected a mapping"},
      {head + "      - { brand: ana }\n", "listen.sources.feeds[0].url: missing"},
      {head + "      - { url: 'blog.example.com/feed' }\n", "listen.sources.feeds[0].url: expected an http:// or https:// URL"},
      {head + "      - { url: 'https://' }\n", "listen.sources.feeds[0].url: expected an http:// or https:// URL"},
      {head + "      - { url: 'https://a.example/rss' }\n      - { url: 'https://a.example/rss' }\n",
       "faro.yaml:5:"},
      {head + "      - { url: 'https://a.example/rss', every: 30s }\n", "listen.sources.feeds[0].every: a feed is read at most once a minute"},
      {head + "      - { url: 'https://a.example/rss', every: often }\n", "listen.sources.feeds[0].every: expected a duration"},
      {head + "      - { url: 'https://a.example/rss', tags: [x] }\n", "listen.sources.feeds[0].tags: unknown key"},
      {"listen:\n  sources:\n    telegram: {}\n", "listen.sources.telegram: unknown key; expected one of: x_stream, feeds"},
      {"listen:\n  sources: [x_stream]\n", "listen.sources: expected a mapping"},
  };
  for (const Case& c : cases) {
    const std::string error = ErrorOf(c.yaml);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.yaml << "\n→ " << error;
  }
  EXPECT_NE(ErrorOf(cases[5].yaml).find("is listed twice"), std::string::npos);
}

// Through the whole file: the listen: section accepts sources:, and its errors stop the load.
TEST_F(ListenSourcesConfigTest, FaroYamlCarriesTheSources) {
  const std::string good = R"(listen:
  rules: listen/brand.yaml
  sources:
    feeds:
      - { url: 'https://blog.example.com/feed.xml', brand: nutricion-ana }
)";
  auto config = LoadFaroConfigFromString(good, "faro.yaml", dir_.string());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->listen.enabled);
  ASSERT_EQ(config->listen.sources.feeds.size(), 1u);
  EXPECT_EQ(config->listen.sources.feeds[0].brand, "nutricion-ana");

  auto plain = LoadFaroConfigFromString("listen:\n  rules: r.yaml\n", "faro.yaml", dir_.string());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->listen.sources.empty());

  auto bad = LoadFaroConfigFromString("listen:\n  rules: r.yaml\n  sources:\n    x_stream:\n      bearer_token_file: gone.txt\n",
                                      "faro.yaml", dir_.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(Message(bad.status()).find("faro.yaml:5:"), std::string::npos) << bad.status();
  EXPECT_NE(Message(bad.status()).find("gone.txt"), std::string::npos) << bad.status();
}

TEST(SameSourcesApartFromToken, OnlyTheTokenMayDiffer) {
  ListenSourcesConfig a;
  a.x_stream.enabled = true;
  a.x_stream.bearer_token = "old";
  a.feeds.push_back({"https://a.example/rss", "ana", std::chrono::minutes(5)});
  ListenSourcesConfig b = a;
  b.x_stream.bearer_token = "new";
  EXPECT_TRUE(SameSourcesApartFromToken(a, b));
  b.feeds[0].every = std::chrono::minutes(10);
  EXPECT_FALSE(SameSourcesApartFromToken(a, b));
  b = a;
  b.x_stream.url = "http://127.0.0.1:1/2/tweets/search/stream";
  EXPECT_FALSE(SameSourcesApartFromToken(a, b));
  b = a;
  b.feeds.clear();
  EXPECT_FALSE(SameSourcesApartFromToken(a, b));
}

}  // namespace
}  // namespace faro::setup
