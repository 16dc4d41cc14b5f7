#include "sources/meta_webhook.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "inbox/signatures.hpp"
#include "sources/json_fields.hpp"

namespace faro::sources {

namespace jf = json_fields;
using jf::Got;
using jf::json;

HandshakeAnswer MetaHandshake(std::string_view configured, std::string_view mode, std::string_view token,
                              std::string_view challenge) {
  if (configured.empty()) return {404, "the Meta webhook has no verify token configured\n"};
  if (token.empty()) return {403, "hub.verify_token is missing\n"};
  if (!inbox::ConstantTimeEquals(configured, token)) return {403, "hub.verify_token does not match\n"};
  if (mode != "subscribe" || challenge.empty()) return {403, "expected hub.mode=subscribe and a hub.challenge\n"};
  return {200, std::string(challenge)};
}

namespace {

struct Context {
  std::string where;       // "entry[0].changes[1]"
  std::string account_id;  // entry.id
  TimePoint entry_time;
  ConvertResult* out;
  std::vector<MentionLookup>* lookups;

  void Reject(std::string field, std::string reason, std::string detail) {
    out->rejections.push_back(ItemRejection{where, std::move(field), std::move(reason), std::move(detail)});
  }
  void Skip(const std::string& kind) { ++out->skipped[kind]; }
};

// Instagram comments / live_comments ("Webhooks Reference: Instagram", comments field).
void InstagramComment(const json& value, Context& c) {
  MentionRecord m;
  m.source = "instagram";
  m.at = c.entry_time;  // the value carries no time: when Meta sent the notification
  m.channel = c.account_id;
  if (jf::Id(value, "id", m.id) != Got::kOk) return c.Reject("value.id", "missing-field", "the comment id is missing");
  if (jf::String(value, "text", m.text) == Got::kWrongType)
    return c.Reject("value.text", "wrong-type", "value.text must be a string");
  if (m.text.empty()) return c.Reject("value.text", "missing-field", "the comment has no text");
  if (const json* from = jf::Member(value, "from")) {
    if (jf::Id(*from, "id", m.author_id) == Got::kWrongType || jf::String(*from, "username", m.author_handle) == Got::kWrongType)
      return c.Reject("value.from", "wrong-type", "from.id and from.username must be strings");
  }
  // A reply names its parent comment; a top-level comment answers the media.
  std::string media_id;
  if (const json* media = jf::Member(value, "media")) jf::Id(*media, "id", media_id);
  if (jf::Id(value, "parent_id", m.reply_to) != Got::kOk) m.reply_to = media_id;
  c.out->mentions.push_back(std::move(m));
}

// Instagram mentions ("Mentions": the notification holds ids only).
void InstagramMention(const json& value, Context& c) {
  MentionLookup lookup;
  lookup.account_id = c.account_id;
  lookup.at = c.entry_time;
  if (jf::Id(value, "media_id", lookup.media_id) != Got::kOk)
    return c.Reject("value.media_id", "missing-field", "a mention names the media it is on");
  jf::Id(value, "comment_id", lookup.comment_id);
  // Should Meta ever include the text, it is a mention right away.
  std::string text;
  if (jf::String(value, "text", text) == Got::kOk && !text.empty()) {
    MentionRecord m;
    m.source = "instagram";
    m.at = c.entry_time;
    m.channel = c.account_id;
    m.id = lookup.comment_id.empty() ? lookup.media_id : lookup.comment_id;
    m.text = std::move(text);
    if (!lookup.comment_id.empty()) m.reply_to = lookup.media_id;
    c.out->mentions.push_back(std::move(m));
    return;
  }
  c.Skip("mention-needs-lookup");
  c.lookups->push_back(std::move(lookup));
}

// Facebook Page feed ("Webhooks Reference: Page", feed field).
void PageFeed(const json& value, Context& c) {
  std::string item, verb;
  if (jf::String(value, "item", item) != Got::kOk) return c.Reject("value.item", "missing-field", "value.item is missing");
  if (jf::String(value, "verb", verb) != Got::kOk) return c.Reject("value.verb", "missing-field", "value.verb is missing");
  static const std::vector<std::string_view> kPosts = {"post", "status", "photo", "video", "share", "comment"};
  if (std::find(kPosts.begin(), kPosts.end(), item) == kPosts.end()) return c.Skip(StrCat("feed-", item));
  if (verb != "add" && verb != "edited") return c.Skip(StrCat("feed-", verb));
  MentionRecord m;
  m.source = "facebook";
  m.channel = c.account_id;
  const bool comment = item == "comment";
  if (jf::Id(value, comment ? "comment_id" : "post_id", m.id) != Got::kOk)
    return c.Reject(comment ? "value.comment_id" : "value.post_id", "missing-field", "the item has no id");
  switch (jf::String(value, "message", m.text)) {
    case Got::kWrongType: return c.Reject("value.message", "wrong-type", "value.message must be a string");
    case Got::kAbsent: return c.Skip("feed-without-text");  // a photo without caption, a share
    case Got::kOk: break;
  }
  if (m.text.empty()) return c.Skip("feed-without-text");
  // created_time: Unix seconds; older payloads wrote ISO 8601 text. Absent: entry.time.
  m.at = c.entry_time;
  if (const json* t = jf::Member(value, "created_time")) {
    if (t->is_number()) {
      if (jf::UnixTime(value, "created_time", m.at) != Got::kOk)
        return c.Reject("value.created_time", "bad-time", "created_time is not a Unix time");
    } else if (t->is_string()) {
      std::string text = t->get<std::string>();
      // "2021-10-04T15:39:00+0000": RFC 3339 wants a colon in the offset.
      if (text.size() > 5 && (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')) text.insert(text.size() - 2, ":");
      auto at = ParseRfc3339(text);
      if (!at.ok()) return c.Reject("value.created_time", "bad-time", "created_time is not a time");
      m.at = *at;
    }
  }
  // from.name is a display name: Page webhooks send no username.
  if (const json* from = jf::Member(value, "from")) {
    jf::Id(*from, "id", m.author_id);
    jf::String(*from, "name", m.author_handle);
  }
  if (comment) {
    if (jf::Id(value, "parent_id", m.reply_to) != Got::kOk) jf::Id(value, "post_id", m.reply_to);
  }
  if (const json* post = jf::Member(value, "post")) jf::String(*post, "permalink_url", m.url);
  if (m.url.empty() && !comment) jf::String(value, "link", m.url);
  c.out->mentions.push_back(std::move(m));
}

}  // namespace

ConvertResult MetaWebhookConnector::Convert(std::string_view body) {
  ConvertResult out;
  const json root = jf::Parse(body);
  if (root.is_discarded()) {
    out.rejections.push_back(jf::Malformed("body"));
    return out;
  }
  std::string object;
  if (jf::String(root, "object", object) != Got::kOk) {
    out.rejections.push_back(jf::Missing("body", "object"));
    return out;
  }
  if (object != "instagram" && object != "page") {
    out.rejections.push_back(ItemRejection{"body", "object", "unsupported-object",
                                           StrCat("object \"", ClipUtf8(object, 40), "\" is neither instagram nor page")});
    return out;
  }
  const json* entries = jf::Member(root, "entry");
  if (entries == nullptr || !entries->is_array()) {
    out.rejections.push_back(jf::WrongType("body", "entry", "an array"));
    return out;
  }
  for (std::size_t e = 0; e < entries->size(); ++e) {
    const json& entry = (*entries)[e];
    Context c{StrCat("entry[", e, "]"), "", {}, &out, &lookups_};
    if (!entry.is_object()) {
      c.Reject("", "not-an-object", "an entry is an object");
      continue;
    }
    jf::Id(entry, "id", c.account_id);
    if (jf::UnixTime(entry, "time", c.entry_time) != Got::kOk) {
      c.Reject("time", "missing-field", "entry.time (Unix time) is missing or not a number");
      continue;
    }
    const json* changes = jf::Member(entry, "changes");
    if (changes == nullptr) {
      // Messaging (DMs) and standby arrive as entry.messaging: conversations, not listening.
      c.Skip(jf::Member(entry, "messaging") ? "messaging" : "entry-without-changes");
      continue;
    }
    if (!changes->is_array()) {
      c.Reject("changes", "wrong-type", "changes must be an array");
      continue;
    }
    for (std::size_t i = 0; i < changes->size(); ++i) {
      const json& change = (*changes)[i];
      c.where = StrCat("entry[", e, "].changes[", i, "]");
      std::string field;
      if (jf::String(change, "field", field) != Got::kOk) {
        c.Reject("field", "missing-field", "change.field is missing");
        continue;
      }
      const json* value = jf::Member(change, "value");
      if (value == nullptr || !value->is_object()) {
        c.Reject("value", "wrong-type", "change.value must be an object");
        continue;
      }
      if (object == "instagram" && (field == "comments" || field == "live_comments")) {
        InstagramComment(*value, c);
      } else if (object == "instagram" && field == "mentions") {
        InstagramMention(*value, c);
      } else if (object == "page" && field == "feed") {
        PageFeed(*value, c);
      } else {
        c.Skip(StrCat("field-", field));
      }
    }
  }
  return out;
}

ConvertResult MetaWebhookConnector::Receive(std::string_view raw_body, std::string_view signature_header) {
  if (signature_header.empty()) {
    ConvertResult out;
    out.rejections.push_back(ItemRejection{"body", "X-Hub-Signature-256", "unsigned", "the signature header is missing"});
    return out;
  }
  if (!inbox::VerifyMetaSignature(app_secret_, raw_body, signature_header)) {
    ConvertResult out;
    out.rejections.push_back(ItemRejection{"body", "X-Hub-Signature-256", "bad-signature",
                                           "the signature does not match the body and the app secret"});
    return out;
  }
  return Convert(raw_body);
}

}  // namespace faro::sources
