#pragma once
// Webhook authenticity checks. Each works on the bytes exactly as they arrived (re-serialising
// parsed JSON changes whitespace and escapes and breaks the signature) and compares in
// constant time. Each returns false, never crashes, for a missing or malformed header.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace faro::inbox {

// Equality that takes the same time wherever the first difference is, and does not reveal the
// secret's length either (both sides are hashed first).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Meta (WhatsApp Cloud) `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app_secret, raw_body)>`.
// Hex digits may be either case. An empty app secret never verifies.
bool VerifyMetaSignature(std::string_view app_secret, std::string_view raw_body, std::string_view header);

// Twilio `X-Twilio-Signature` for application/x-www-form-urlencoded requests:
// Base64(HMAC-SHA1(auth_token, url + key1 + value1 + key2 + value2 …)) with keys in byte order,
// the decoded form values, and a repeated key's values sorted and de-duplicated (as Twilio's
// own validators do). `url` is the full URL as configured at Twilio, with its query string.
// Twilio signs inconsistently with and without the default port, so the URL is also tried with
// its port removed, and with :443/:80 added when it has none.
bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           const std::vector<std::pair<std::string, std::string>>& form_params,
                           std::string_view header);

// Twilio's variant for JSON bodies: the URL carries `bodySHA256=<hex SHA-256 of the raw body>`,
// the signature covers that URL with no parameters, and the body hash must match.
bool VerifyTwilioJsonSignature(std::string_view auth_token, std::string_view url, std::string_view raw_body,
                               std::string_view header);

// Telegram `X-Telegram-Bot-Api-Secret-Token`: the header equals the secret_token given to
// setWebhook. An empty configured secret never verifies.
bool VerifyTelegramSecret(std::string_view configured, std::string_view header);
// Telegram accepts only 1–256 characters from A-Z, a-z, 0-9, _ and -; anything else would be
// refused by setWebhook, so it is refused when the configuration is read.
absl::Status ValidateTelegramSecret(std::string_view secret);

// The building blocks, exposed for tests and for fakes that sign their callbacks.
std::string HmacSha256Hex(std::string_view key, std::string_view data);
std::string HmacSha1Base64(std::string_view key, std::string_view data);
std::string Sha256Hex(std::string_view data);
// The string Twilio signs for a form request: url + sorted keys and values.
std::string TwilioSignedData(std::string_view url, const std::vector<std::pair<std::string, std::string>>& form_params);

}  // namespace faro::inbox
