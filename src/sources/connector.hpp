#pragma once
// The one adapter interface every connector implements: a provider's documented payload in,
// Faro mentions out, as owned records written as Faro's JSON Lines mention objects (the shape
// faro_listen's MentionReader accepts; docs/listening.md, "Mentions as JSON Lines").
//
// A connector never stops on a bad item: each malformed payload, entry or item is rejected on
// its own with where it was and what was wrong, counted, and the rest of the payload flows on.
// Connectors never throw and never crash, whatever the bytes.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace faro::sources {

// A mention owned by the caller, with the fields of faro::Mention (listen/mention.hpp).
struct MentionRecord {
  std::string id;               // the platform's id of the post; may be empty
  TimePoint at;                 // when it was posted
  std::string source;           // "x", "instagram", "facebook", "telegram", "rss"
  std::string author_id;        // the platform's id of the author
  std::string author_handle;    // without '@'
  int64_t followers = 0;        // the author's audience; 0 when the provider does not say
  std::string text;             // valid UTF-8, never empty
  std::string url;
  std::string reply_to;         // id of the post this one answers
  std::string reply_to_author;  // handle of that post's author
  int64_t shares = 0;           // reposts, retweets, quotes
  int64_t likes = 0;
  std::string brand;            // hints set by the connector (an X rule tag, a feed's brand)
  std::string channel;          // a page, group, channel or feed name
};

// One JSON object on one line, ending in '\n'. Empty strings and zero counts are left out;
// `at` is RFC 3339 UTC with milliseconds; `author` is an object {id, handle, followers}.
std::string ToJsonLine(const MentionRecord& record);

// Why an item was not turned into a mention.
struct ItemRejection {
  std::string where;   // "line 3", "entry[0].changes[1]", "result[4]", "item[2]"
  std::string field;   // the field at fault ("data.created_at"); empty for the whole item
  std::string reason;  // a short code: "malformed-json", "missing-field", "wrong-type", ...
  std::string detail;  // a phrase a person reads (English)
};
std::string Describe(const ItemRejection& rejection);  // "entry[0].changes[1]: value.text: missing-field (…)"

// What one payload gave: the mentions, the rejections, and the items skipped on purpose
// (valid, but not mentions: a like, a private chat, a keep-alive), counted by kind.
struct ConvertResult {
  std::vector<MentionRecord> mentions;
  std::vector<ItemRejection> rejections;
  std::map<std::string, int64_t> skipped;  // kind → count ("like", "private-chat", ...)
};

// Running totals over many payloads, for a status page or a log line.
struct ConnectorCounts {
  int64_t payloads = 0;
  int64_t mentions = 0;
  int64_t rejected = 0;
  std::map<std::string, int64_t> rejected_by_reason;
  std::map<std::string, int64_t> skipped;
  void Add(const ConvertResult& result);
};

class Connector {
 public:
  virtual ~Connector() = default;
  // "x-filtered-stream", "meta-webhook", "telegram-updates", "feed".
  virtual std::string_view name() const = 0;
  // Turns one payload (a stream line, a webhook body, a getUpdates answer, a feed document)
  // into mentions. Never throws.
  virtual ConvertResult Convert(std::string_view payload) = 0;
};

// Writes every mention of `result` as JSON Lines.
std::string ToJsonLines(const ConvertResult& result);

}  // namespace faro::sources
