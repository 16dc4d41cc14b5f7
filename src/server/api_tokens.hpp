#pragma once
// Bearer tokens of the HTTP API. The tokens file holds one token per line, hashed:
//
//   <role> <sha256-hex-of-token> [name]
//
// with role admin, manager or viewer; blank lines and lines starting with '#' are skipped.
// Only hashes are stored, so a leaked file does not leak a usable token; tokens must be long
// random strings (`openssl rand -hex 32`), which makes an unsalted hash enough. A presented
// token is hashed and compared with every stored hash in constant time.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace faro::server {

// Ordered: each role can do what the lower ones can.
enum class Role { kViewer = 0, kManager = 1, kAdmin = 2 };
std::string_view RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);

struct ApiToken {
  Role role = Role::kViewer;
  std::string sha256_hex;  // lower-case, 64 digits
  std::string name;        // who holds it, for the log ("" when not given)
};

// Tokens shorter than this are refused by --hash-token: a short token is guessable from its hash.
inline constexpr size_t kMinTokenLength = 16;

class ApiTokens {
 public:
  // Parses the file's text; errors name `file_name`, the line and what was expected.
  static absl::StatusOr<ApiTokens> Parse(std::string_view text, std::string_view file_name);
  static absl::StatusOr<ApiTokens> Load(const std::string& path);

  // The token presented as "Authorization: Bearer <token>", when it is one of ours (the
  // highest role when several lines carry the same hash).
  std::optional<ApiToken> Check(std::string_view authorization_header) const;
  size_t size() const { return tokens_.size(); }

 private:
  std::vector<ApiToken> tokens_;
};

// The line to add to the tokens file for `token` ("manager 5e88…42 ci-bot"). InvalidArgument
// for a token shorter than kMinTokenLength or containing spaces or control characters.
absl::StatusOr<std::string> TokenFileLine(Role role, std::string_view token, std::string_view name);

}  // namespace faro::server
