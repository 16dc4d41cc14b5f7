#include "server/api_tokens.hpp"

#include <openssl/crypto.h>

#include <fstream>
#include <sstream>

#include "core/strings.hpp"
#include "inbox/signatures.hpp"

namespace faro::server {
namespace {

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kManager: return "manager";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

std::optional<Role> RoleFromName(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "manager") return Role::kManager;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

absl::StatusOr<ApiTokens> ApiTokens::Parse(std::string_view text, std::string_view file_name) {
  ApiTokens out;
  int line_number = 0;
  for (std::string_view line : Split(text, "\n")) {
    ++line_number;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> fields = Split(line, " \t", /*skip_empty=*/true);
    auto error = [&](std::string_view what) {
      return absl::InvalidArgumentError(StrCat(file_name, ":", line_number, ": ", what));
    };
    if (fields.size() < 2) return error("expected \"<role> <sha256-hex-of-token> [name]\"");
    const std::optional<Role> role = RoleFromName(fields[0]);
    if (!role) return error(StrCat("unknown role \"", fields[0], "\"; expected admin, manager or viewer"));
    const std::string hash = ToLower(fields[1]);
    if (!IsLowerHex64(hash))
      return error("the second field must be the SHA-256 of the token in hex (64 digits), not the token itself; "
                   "make it with `faro serve --hash-token ROLE`");
    ApiToken token{*role, hash, {}};
    std::vector<std::string> rest;
    for (size_t i = 2; i < fields.size(); ++i) rest.emplace_back(fields[i]);
    token.name = Join(rest, " ");
    out.tokens_.push_back(std::move(token));
  }
  return out;
}

absl::StatusOr<ApiTokens> ApiTokens::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read the API tokens file ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

std::optional<ApiToken> ApiTokens::Check(std::string_view header) const {
  constexpr std::string_view kPrefix = "Bearer ";
  // The scheme name is case-insensitive (RFC 7235).
  if (header.size() <= kPrefix.size() || ToLower(header.substr(0, kPrefix.size())) != ToLower(kPrefix))
    return std::nullopt;
  const std::string presented = inbox::Sha256Hex(Trim(header.substr(kPrefix.size())));
  // Every stored hash is compared, whatever matched before: the time taken does not say which.
  std::optional<ApiToken> found;
  for (const ApiToken& token : tokens_) {
    const bool same = CRYPTO_memcmp(presented.data(), token.sha256_hex.data(), presented.size()) == 0;
    if (same && (!found || token.role > found->role)) found = token;
  }
  return found;
}

absl::StatusOr<std::string> TokenFileLine(Role role, std::string_view token, std::string_view name) {
  if (token.size() < kMinTokenLength)
    return absl::InvalidArgumentError(StrCat("the token has ", token.size(), " characters; use at least ",
                                             kMinTokenLength, " random ones (openssl rand -hex 32)"));
  for (char c : token)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return absl::InvalidArgumentError("the token contains spaces or control characters");
  for (char c : name)
    if (c == '\n' || c == '\r') return absl::InvalidArgumentError("the name must fit on one line");
  std::string line = StrCat(RoleName(role), " ", inbox::Sha256Hex(token));
  if (!name.empty()) StrAppend(line, " ", name);
  return line;
}

}  // namespace faro::server
