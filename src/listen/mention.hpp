#pragma once
// A mention: one post, comment or reply about a brand, as the listening pipeline sees it.
// Read from JSON Lines (docs/listening.md, "Mentions as JSON Lines").
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace faro {

// Where the mention was posted. Unknown names in the input become kOther.
enum class MentionSource { kOther, kX, kInstagram, kFacebook, kTelegram, kRss, kTikTok, kWeb };

std::string_view MentionSourceName(MentionSource source);  // "x", "instagram", ...
// "x" (also "twitter"), "instagram", ...; anything else is kOther. ASCII case-insensitive.
MentionSource MentionSourceFromName(std::string_view name);

// Every view points into the reader's buffers and stays valid only until the reader moves to
// the next record (the pipeline copies what it keeps). Absent optional fields are empty views
// or zero counts.
struct Mention {
  std::string_view id;                 // the platform's id of the post; may be empty
  TimePoint at;                        // when it was posted
  MentionSource source = MentionSource::kOther;
  std::string_view author_id;          // the platform's id of the author
  std::string_view author_handle;      // "@ana_nutri" without the '@'
  int64_t followers = 0;               // the author's audience: the mention's reach
  std::string_view text;               // valid UTF-8
  std::string_view url;
  std::string_view reply_to;           // id of the post this one answers
  std::string_view reply_to_author;    // handle of the author of that post
  int64_t shares = 0;                  // reposts, retweets, forwards: amplification
  int64_t likes = 0;
  std::string_view brand;              // hints set by the collector, if any
  std::string_view channel;
  std::string_view raw;                // the whole JSON object as read (no line ending)
  int64_t line = 0;                    // 1-based line number in the input
};

}  // namespace faro
