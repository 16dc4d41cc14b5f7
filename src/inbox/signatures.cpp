#include "inbox/signatures.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <map>
#include <set>

#include "core/strings.hpp"

namespace faro::inbox {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string ToHex(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // HMAC() wants a non-null key pointer even for an empty key.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(md, key_ptr, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out, &size) == nullptr)
    return {};
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

bool SameBytes(std::string_view a, std::string_view b) {
  // Lengths are public here (a digest length, or a header's length), so the early exit leaks
  // nothing secret.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes exactly `size` bytes of hex; false on any other length or a non-hex digit.
bool DecodeHex(std::string_view hex, size_t size, std::string& out) {
  if (hex.size() != size * 2) return false;
  out.assign(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return true;
}

// The forms of `url` Twilio may have signed: as given, without its port, and with the scheme's
// default port when it has none (twilio-node validateRequest / twilio-python RequestValidator).
std::vector<std::string> TwilioUrlForms(std::string_view url) {
  std::vector<std::string> forms = {std::string(url)};
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return forms;
  const std::string scheme = ToLower(url.substr(0, scheme_end));
  const size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  const size_t at = authority.rfind('@');
  const size_t host_begin = at == std::string_view::npos ? 0 : at + 1;
  // The port's colon comes after the host, and after the closing bracket of an IPv6 literal.
  const size_t bracket = authority.find(']', host_begin);
  const size_t colon = authority.find(':', bracket == std::string_view::npos ? host_begin : bracket);
  const std::string_view head = url.substr(0, authority_begin + (colon == std::string_view::npos ? authority.size() : colon));
  const std::string_view tail = url.substr(authority_end);
  if (colon != std::string_view::npos) {
    forms.push_back(StrCat(head, tail));
  } else if (scheme == "https" || scheme == "http") {
    forms.push_back(StrCat(head, scheme == "https" ? ":443" : ":80", tail));
  }
  return forms;
}

// The value of `name` in the URL's query string, undecoded; empty when absent.
std::string_view QueryValue(std::string_view url, std::string_view name) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  for (std::string_view pair : Split(query, "&", true)) {
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
  }
  return {};
}

bool TwilioMatches(std::string_view auth_token, const std::vector<std::string>& urls,
                   const std::vector<std::pair<std::string, std::string>>& form_params, std::string_view header) {
  if (auth_token.empty() || header.empty()) return false;
  bool match = false;
  // Every form is computed and compared, so the time does not depend on which one matched.
  for (const std::string& url : urls)
    match |= SameBytes(HmacSha1Base64(auth_token, TwilioSignedData(url, form_params)), header);
  return match;
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return SameBytes(Sha256Hex(a), Sha256Hex(b));
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  const std::string mac = Hmac(EVP_sha256(), key, data);
  return ToHex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

std::string HmacSha1Base64(std::string_view key, std::string_view data) { return Base64(Hmac(EVP_sha1(), key, data)); }

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return ToHex(digest, sizeof digest);
}

std::string TwilioSignedData(std::string_view url,
                             const std::vector<std::pair<std::string, std::string>>& form_params) {
  // std::map and std::set order std::string by bytes, which is the order Twilio uses.
  std::map<std::string, std::set<std::string>> sorted;
  for (const auto& [key, value] : form_params) sorted[key].insert(value);
  std::string data(url);
  for (const auto& [key, values] : sorted)
    for (const std::string& value : values) StrAppend(data, key, value);
  return data;
}

bool VerifyMetaSignature(std::string_view app_secret, std::string_view raw_body, std::string_view header) {
  constexpr std::string_view kPrefix = "sha256=";
  if (app_secret.empty() || header.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string given;
  if (!DecodeHex(Trim(header.substr(kPrefix.size())), SHA256_DIGEST_LENGTH, given)) return false;
  return SameBytes(Hmac(EVP_sha256(), app_secret, raw_body), given);
}

bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           const std::vector<std::pair<std::string, std::string>>& form_params,
                           std::string_view header) {
  return TwilioMatches(auth_token, TwilioUrlForms(url), form_params, Trim(header));
}

bool VerifyTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                               std::string_view header) {
  const std::string_view claimed_hash = QueryValue(url, "bodySHA256");
  if (claimed_hash.empty()) return false;
  const bool body_matches = SameBytes(Sha256Hex(raw_body), ToLower(claimed_hash));
  const bool signature_matches = TwilioMatches(auth_token, TwilioUrlForms(url), {}, Trim(header));
  return body_matches && signature_matches;
}

bool VerifyTelegramSecret(std::string_view configured, std::string_view header) {
  if (configured.empty()) return false;
  return ConstantTimeEquals(configured, header);
}

absl::Status ValidateTelegramSecret(std::string_view secret) {
  if (secret.empty() || secret.size() > 256)
    return absl::InvalidArgumentError(
        StrCat("the Telegram secret token must be 1 to 256 characters long; it has ", secret.size()));
  for (size_t i = 0; i < secret.size(); ++i) {
    const char c = secret[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    // The offending character itself is not shown: it is part of a secret.
    if (!ok)
      return absl::InvalidArgumentError(StrCat("the Telegram secret token may contain only A-Z, a-z, 0-9, _ and -; "
                                               "character ",
                                               i + 1, " is not one of them"));
  }
  return absl::OkStatus();
}

}  // namespace faro::inbox
