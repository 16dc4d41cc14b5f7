// faro.yaml `pages:`: the Facebook Pages whose scheduled posts the restoration check verifies.
#include "setup/pages_config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/strings.hpp"
#include "setup/faro_config.hpp"

namespace faro::setup {
namespace {

class PagesConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("faro_pages_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "secrets");
    std::ofstream(dir_ / "secrets" / "page.token") << "EAAB-page-token\n";
    std::ofstream(dir_ / "secrets" / "spaced.token") << "two words\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  absl::StatusOr<FaroConfig> Load(const std::string& text) {
    return LoadFaroConfigFromString(text, "faro.yaml", dir_.string());
  }
  // The error of a refused file, or "" when it loaded.
  std::string ErrorOf(const std::string& text) {
    auto c = Load(text);
    return c.ok() ? "" : Message(c.status());
  }
  std::filesystem::path dir_;
};

TEST_F(PagesConfigTest, PagesAreReadInOrderWithTheirTokens) {
  auto c = Load(R"(
pages:
  - { id: fb-page, type: facebook_page, page_id: "1234567890", token_file: secrets/page.token }
  - { id: fb-local, type: facebook_page, page_id: "42", token_file: secrets/page.token,
      graph_url: "http://127.0.0.1:8099/v25.0/", timeout: 3s }
)");
  ASSERT_TRUE(c.ok()) << Message(c.status());
  ASSERT_EQ(c->pages.pages.size(), 2u);
  const ads::PageSettings& first = c->pages.pages[0].settings();
  EXPECT_EQ(first.id, "fb-page");
  EXPECT_EQ(first.page_id, "1234567890");
  EXPECT_EQ(first.token, "EAAB-page-token");
  EXPECT_EQ(first.graph_url, "https://graph.facebook.com/v25.0");
  EXPECT_EQ(first.timeout, std::chrono::seconds(15));
  const ads::PageSettings& second = c->pages.pages[1].settings();
  EXPECT_EQ(second.graph_url, "http://127.0.0.1:8099/v25.0") << "without the trailing slash";
  EXPECT_EQ(second.timeout, std::chrono::seconds(3));
}

TEST_F(PagesConfigTest, NoPagesSectionMeansNoPages) {
  auto c = Load("business: { name: Ana }\n");
  ASSERT_TRUE(c.ok()) << Message(c.status());
  EXPECT_TRUE(c->pages.pages.empty());
}

TEST_F(PagesConfigTest, ErrorsSayFileLineAndKey) {
  struct Case {
    const char* yaml;
    const char* expected;  // a part of the message
  };
  const Case cases[] = {
      {"pages: { id: x }\n", "faro.yaml:1:8: pages: expected a list of pages"},
      {"pages:\n  - { id: p, type: instagram_account, page_id: \"1\", token_file: secrets/page.token }\n",
       "faro.yaml:2:"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"12a\", token_file: secrets/page.token }\n",
       "pages[0].page_id: expected the Page's digits"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\" }\n", "pages[0].token_file: missing"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\", token_file: secrets/none.token }\n",
       "pages[0].token_file"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\", token_file: secrets/spaced.token }\n",
       "one Page access token"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\", token_file: secrets/page.token, graph_url: graph.facebook.com }\n",
       "pages[0].graph_url: expected an http:// or https:// URL"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\", token_file: secrets/page.token, colour: blue }\n",
       "colour"},
      {"pages:\n  - { id: p, type: facebook_page, page_id: \"1\", token_file: secrets/page.token }\n"
       "  - { id: p, type: facebook_page, page_id: \"2\", token_file: secrets/page.token }\n",
       "faro.yaml:3:11: pages[1].id: \"p\" names two pages"},
  };
  for (const Case& c : cases) {
    const std::string error = ErrorOf(c.yaml);
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.yaml << "\n→ " << error;
    EXPECT_EQ(error.find("EAAB-page-token"), std::string::npos) << "a secret in a message: " << error;
  }
  EXPECT_NE(ErrorOf("pages:\n  - { id: p, type: instagram_account, page_id: \"1\", token_file: secrets/page.token }\n")
                .find("expected facebook_page"),
            std::string::npos);
}

}  // namespace
}  // namespace faro::setup
