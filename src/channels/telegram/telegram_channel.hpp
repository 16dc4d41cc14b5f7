#pragma once
// Telegram Bot API adapter (type: telegram_bot). A bot can write only to people who wrote to
// it first (their numeric chat id) and to a public channel it administers ("@name" or a -100…
// id). sendMessage answers are mapped to SendResult: 429 waits retry_after, 403 means the
// person must act first (consent), a migrated group yields the new chat id.
#include <memory>

#include "channels/channel.hpp"
#include "core/status.hpp"

namespace faro::channels::telegram {

// Keys: base_url, token_file (required), channel, rate, per_chat_rate, burst, concurrency,
// timeout, plus id, type and platform. Errors name file:line:column and the key.
absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config);

// Length as Telegram counts it: UTF-16 code units of the UTF-8 text.
size_t Utf16Length(std::string_view utf8);

}  // namespace faro::channels::telegram
