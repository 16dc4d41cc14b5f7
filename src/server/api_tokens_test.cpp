#include "server/api_tokens.hpp"

#include <gtest/gtest.h>

#include "inbox/signatures.hpp"

namespace faro::server {
namespace {

const std::string kAdminToken = "admin-token-0123456789abcdef";
const std::string kViewerToken = "viewer-token-0123456789abcdef";

std::string Line(Role role, const std::string& token, const std::string& name) {
  auto line = TokenFileLine(role, token, name);
  EXPECT_TRUE(line.ok()) << Message(line.status());
  return line.ok() ? *line : "";
}

TEST(ApiTokensTest, AcceptsOnlyTheTokensWhoseHashIsListed) {
  const std::string text = "# tokens\n\n" + Line(Role::kAdmin, kAdminToken, "ops team") + "\n" +
                           Line(Role::kViewer, kViewerToken, "") + "\n";
  auto tokens = ApiTokens::Parse(text, "tokens");
  ASSERT_TRUE(tokens.ok()) << Message(tokens.status());
  EXPECT_EQ(tokens->size(), 2u);
  auto admin = tokens->Check("Bearer " + kAdminToken);
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_EQ(admin->name, "ops team");
  auto viewer = tokens->Check("bearer " + kViewerToken);
  ASSERT_TRUE(viewer.has_value());
  EXPECT_EQ(viewer->role, Role::kViewer);
  EXPECT_FALSE(tokens->Check("Bearer " + kAdminToken + "x").has_value());
  EXPECT_FALSE(tokens->Check(kAdminToken).has_value());
  EXPECT_FALSE(tokens->Check("Basic " + kAdminToken).has_value());
  EXPECT_FALSE(tokens->Check("Bearer ").has_value());
  EXPECT_FALSE(tokens->Check("").has_value());
  // The stored hash itself is not a token.
  EXPECT_FALSE(tokens->Check("Bearer " + inbox::Sha256Hex(kAdminToken)).has_value());
}

TEST(ApiTokensTest, TheLineHoldsTheSha256OfTheToken) {
  EXPECT_EQ(Line(Role::kManager, kAdminToken, "ci"), "manager " + inbox::Sha256Hex(kAdminToken) + " ci");
  EXPECT_EQ(Line(Role::kViewer, kAdminToken, ""), "viewer " + inbox::Sha256Hex(kAdminToken));
  auto short_token = TokenFileLine(Role::kAdmin, "short", "");
  ASSERT_FALSE(short_token.ok());
  EXPECT_NE(Message(short_token.status()).find("at least 16"), std::string::npos);
  EXPECT_FALSE(TokenFileLine(Role::kAdmin, "has a space in it 0123456789", "").ok());
}

TEST(ApiTokensTest, ErrorsNameTheFileAndLine) {
  auto bad_role = ApiTokens::Parse("root " + inbox::Sha256Hex("x") + "\n", "tokens.txt");
  ASSERT_FALSE(bad_role.ok());
  EXPECT_EQ(Message(bad_role.status()), "tokens.txt:1: unknown role \"root\"; expected admin, manager or viewer");
  auto plain = ApiTokens::Parse("# comment\nadmin my-plain-token\n", "tokens.txt");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(Message(plain.status()).rfind("tokens.txt:2: the second field must be the SHA-256", 0), 0u)
      << Message(plain.status());
  EXPECT_FALSE(ApiTokens::Parse("admin\n", "t").ok());
  auto missing = ApiTokens::Load("/nonexistent/tokens");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(Message(missing.status()).find("/nonexistent/tokens"), std::string::npos);
}

}  // namespace
}  // namespace faro::server
