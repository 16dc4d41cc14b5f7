#pragma once
// Telegram group, supergroup and channel messages seen by a bot, as Bot API Update objects:
// the answer of getUpdates ({"ok": true, "result": [Update, …]}) or one webhook Update.
//
// Shapes (core.telegram.org/bots/api: "Getting updates" — Update; "Available types" — Message,
// Chat, User): Update {update_id, message | edited_message | channel_post | edited_channel_post};
// Message {message_id, from: User {id, username}, sender_chat: Chat, date (Unix seconds),
// chat: Chat {id, type: "private"|"group"|"supergroup"|"channel", title, username},
// text | caption, reply_to_message: Message}.
//
// What the Bot API does not give: follower counts of a user, forward or share counts, likes
// (reaction counts need a separate admin-only update), and view counts. Those stay 0.
// A bot in a group sees every message only with privacy mode off (or as an admin).
#include <string_view>

#include "sources/connector.hpp"

namespace faro::sources {

class TelegramUpdatesConnector final : public Connector {
 public:
  std::string_view name() const override { return "telegram-updates"; }
  // A getUpdates answer or a single Update. Private chats, service messages and messages
  // without text or caption are skipped and counted; other update kinds too.
  ConvertResult Convert(std::string_view payload) override;
};

}  // namespace faro::sources
