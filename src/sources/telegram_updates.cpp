#include "sources/telegram_updates.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "sources/json_fields.hpp"

namespace faro::sources {

namespace jf = json_fields;
using jf::Got;
using jf::json;

namespace {

constexpr std::string_view kMessageKinds[] = {"message", "edited_message", "channel_post", "edited_channel_post"};

// t.me address of a message: public chats by username; supergroups and channels by the id
// without its -100 prefix (t.me/c/…, opens for members only); basic groups have none.
std::string MessageUrl(const json& chat, const std::string& chat_id, const std::string& message_id) {
  std::string username;
  if (jf::String(chat, "username", username) == Got::kOk && !username.empty())
    return StrCat("https://t.me/", username, "/", message_id);
  if (chat_id.size() > 4 && chat_id.substr(0, 4) == "-100") return StrCat("https://t.me/c/", chat_id.substr(4), "/", message_id);
  return {};
}

void ReadUpdate(const json& update, const std::string& where, ConvertResult& out) {
  if (!update.is_object()) {
    out.rejections.push_back(ItemRejection{where, "", "not-an-object", "an Update is an object"});
    return;
  }
  const json* message = nullptr;
  std::string_view kind;
  for (std::string_view k : kMessageKinds) {
    if ((message = jf::Member(update, k)) != nullptr) {
      kind = k;
      break;
    }
  }
  if (message == nullptr) {
    // callback_query, my_chat_member, message_reaction…: not posts.
    std::string other = "update-other";
    for (const auto& [key, value] : update.items())
      if (key != "update_id") other = StrCat("update-", key);
    ++out.skipped[other];
    return;
  }
  const std::string field = std::string(kind);
  if (!message->is_object()) {
    out.rejections.push_back(jf::WrongType(where, field, "an object"));
    return;
  }
  const json* chat = jf::Member(*message, "chat");
  if (chat == nullptr || !chat->is_object()) {
    out.rejections.push_back(jf::Missing(where, field + ".chat"));
    return;
  }
  std::string chat_type;
  if (jf::String(*chat, "type", chat_type) != Got::kOk) {
    out.rejections.push_back(jf::Missing(where, field + ".chat.type"));
    return;
  }
  if (chat_type != "group" && chat_type != "supergroup" && chat_type != "channel") {
    ++out.skipped[chat_type == "private" ? "private-chat" : "chat-" + chat_type];
    return;
  }
  MentionRecord m;
  m.source = "telegram";
  std::string chat_id, message_id;
  if (jf::Id(*chat, "id", chat_id) != Got::kOk) {
    out.rejections.push_back(jf::Missing(where, field + ".chat.id"));
    return;
  }
  if (jf::Id(*message, "message_id", message_id) != Got::kOk) {
    out.rejections.push_back(jf::Missing(where, field + ".message_id"));
    return;
  }
  // message_id is unique only within its chat.
  m.id = StrCat(chat_id, ":", message_id);
  switch (jf::UnixTime(*message, "date", m.at)) {
    case Got::kAbsent: out.rejections.push_back(jf::Missing(where, field + ".date")); return;
    case Got::kWrongType: out.rejections.push_back(jf::WrongType(where, field + ".date", "a Unix time")); return;
    case Got::kOk: break;
  }
  // text for text messages, caption for media with a caption.
  if (jf::String(*message, "text", m.text) == Got::kWrongType || jf::String(*message, "caption", m.text) == Got::kWrongType) {
    out.rejections.push_back(jf::WrongType(where, field + ".text", "a string"));
    return;
  }
  if (m.text.empty()) {
    ++out.skipped["no-text"];  // stickers, photos without caption, members joining…
    return;
  }
  // The author: sender_chat when a chat speaks (a channel post, an anonymous group admin, a
  // channel posting in its discussion group; `from` is then a placeholder bot), else `from`.
  if (const json* sender_chat = jf::Member(*message, "sender_chat")) {
    jf::Id(*sender_chat, "id", m.author_id);
    jf::String(*sender_chat, "username", m.author_handle);
  } else if (const json* from = jf::Member(*message, "from")) {
    jf::Id(*from, "id", m.author_id);
    jf::String(*from, "username", m.author_handle);
  } else if (chat_type == "channel") {
    m.author_id = chat_id;
    jf::String(*chat, "username", m.author_handle);
  }
  if (const json* reply = jf::Member(*message, "reply_to_message"); reply && reply->is_object()) {
    std::string reply_id;
    if (jf::Id(*reply, "message_id", reply_id) == Got::kOk) m.reply_to = StrCat(chat_id, ":", reply_id);
    if (const json* reply_from = jf::Member(*reply, "from")) jf::String(*reply_from, "username", m.reply_to_author);
  }
  m.url = MessageUrl(*chat, chat_id, message_id);
  if (jf::String(*chat, "title", m.channel) != Got::kOk || m.channel.empty()) jf::String(*chat, "username", m.channel);
  out.mentions.push_back(std::move(m));
}

}  // namespace

ConvertResult TelegramUpdatesConnector::Convert(std::string_view payload) {
  ConvertResult out;
  const json root = jf::Parse(payload);
  if (root.is_discarded()) {
    out.rejections.push_back(jf::Malformed("payload"));
    return out;
  }
  if (!root.is_object()) {
    out.rejections.push_back(ItemRejection{"payload", "", "not-an-object", "expected an Update or a getUpdates answer"});
    return out;
  }
  if (const json* ok = jf::Member(root, "ok")) {
    // A getUpdates answer: {"ok": true, "result": [...]}, or {"ok": false, "description"}.
    if (!ok->is_boolean() || !ok->get<bool>()) {
      std::string description;
      jf::String(root, "description", description);
      out.rejections.push_back(ItemRejection{"payload", "ok", "api-error",
                                             description.empty() ? "the Bot API answered ok=false" : ClipUtf8(description, 200)});
      return out;
    }
    const json* result = jf::Member(root, "result");
    if (result == nullptr || !result->is_array()) {
      out.rejections.push_back(jf::WrongType("payload", "result", "an array of Update"));
      return out;
    }
    for (std::size_t i = 0; i < result->size(); ++i) ReadUpdate((*result)[i], StrCat("result[", i, "]"), out);
    return out;
  }
  if (jf::Member(root, "update_id") == nullptr) {
    out.rejections.push_back(jf::Missing("update", "update_id"));
    return out;
  }
  ReadUpdate(root, "update", out);
  return out;
}

}  // namespace faro::sources
