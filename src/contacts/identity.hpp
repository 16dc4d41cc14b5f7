#pragma once
// How each identity of a contact is written in the store, so the same person is found again
// whatever way the number or address was typed. Every function names the input in its error
// and answers in the language asked for (the CSV import reports in the operator's language).
#include <string>
#include <string_view>

#include "channels/channel.hpp"
#include "core/lang.hpp"
#include "core/status.hpp"

namespace faro::contacts {

// A phone number in E.164 ("+5491155550000"). Numbers without a leading + are read as
// national numbers of `default_region` (ISO 3166 code such as "AR", "ES", "US"); national
// prefixes and trunk codes are handled by libphonenumber ("011 15-5555-0000" in AR is the
// mobile +5491155550000). Impossible or invalid numbers are refused.
absl::StatusOr<std::string> NormalizePhone(std::string_view input, std::string_view default_region,
                                           Lang lang = Lang::kEn);

// An email address, lightly checked: exactly one '@', no spaces or control characters, a
// non-empty local part and a domain with a dot. The domain is lower-cased (ASCII); the local
// part is kept as given.
absl::StatusOr<std::string> NormalizeEmail(std::string_view input, Lang lang = Lang::kEn);

// A Telegram chat id: the number Telegram gives a person who wrote to the bot (groups are
// negative). A @username cannot be messaged by a bot and is refused with that explanation.
absl::StatusOr<std::string> NormalizeTelegram(std::string_view input, Lang lang = Lang::kEn);

// An Instagram- or page-scoped id (digits) as Meta's webhooks give it.
absl::StatusOr<std::string> NormalizeScopedId(std::string_view input, std::string_view platform,
                                              Lang lang = Lang::kEn);

// An X handle without '@': 1 to 15 letters, digits or '_'.
absl::StatusOr<std::string> NormalizeXHandle(std::string_view input, Lang lang = Lang::kEn);

// Dispatches on `kind`; `default_region` is used for phones only.
absl::StatusOr<std::string> NormalizeAddress(channels::AddressKind kind, std::string_view input,
                                             std::string_view default_region, Lang lang = Lang::kEn);

// The key two spellings of the same identity share: emails and X handles ignore case.
std::string IdentityKey(channels::AddressKind kind, std::string_view normalized);

}  // namespace faro::contacts
