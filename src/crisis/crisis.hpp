#pragma once
// A suspected crisis of one brand or topic, as CrisisWatch reports it: what kind, since when,
// how big (magnitude) and where it came from (origin). docs/listening.md, "Crisis cards".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "crisis/mention_memory.hpp"

namespace faro::crisis {

// What made Faro suspect it.
enum class CrisisKind {
  kVolumeSpike,   // far more mentions than usual for this time of day
  kNegativeWave,  // a far larger negative share than usual
  kBoth,
};
std::string_view CrisisKindName(CrisisKind kind);  // "volume-spike", "negative-wave", "both"

// One author vs many.
enum class OriginPattern {
  kOneAuthor,    // one author wrote at least half of the crisis mentions (posts or replies)
  kOnePost,      // at least half of them reply to one post (one post amplified by replies)
  kManyAuthors,  // neither: many people are talking about it
};
std::string_view OriginPatternName(OriginPattern pattern);  // "one-author", "one-post", "many-authors"

// A term that sets the crisis mentions apart from the usual ones (Monroe, Colaresi and Quinn
// 2008, "Fightin' Words": log-odds ratio with an informative Dirichlet prior).
struct DistinguishingTerm {
  std::string term;     // a folded word, or "#hashtag"
  int64_t mentions = 0; // crisis mentions with the term
  double usual = 0;     // its (fading) count in the brand's usual mentions
  double z = 0;         // z-score of the log-odds ratio, crisis vs usual
};

struct CrisisMagnitude {
  double per_minute = 0;        // mentions per minute, mean of the last 3 closed minutes
  double usual_per_minute = 0;  // what the volume baseline expected for those minutes
  double peak_per_minute = 0;   // the busiest minute since the crisis started
  int64_t mentions = 0;         // since it started
  int64_t unique_authors = 0;   // estimate (exact for small numbers, about 3 % off beyond)
  int64_t reach = 0;            // sum of the followers of the authors of those mentions
  int64_t shares = 0;
  // Change in mentions/min over the last 10 minutes: the mean of the last 3 minutes less the
  // mean of the 3 minutes that ended 10 minutes earlier.
  double velocity = 0;
  // Negative share (of the mentions with a sentiment), last 3 minutes; usual: the negative
  // share detector's baseline; overall: since the crisis started.
  double negative_share = 0;
  double usual_negative_share = 0;
  double overall_negative_share = 0;
};

struct CrisisOrigin {
  std::vector<RecentMention> earliest;        // the first posts of the spike, oldest first
  bool earliest_complete = true;              // false: memory no longer held its very start
  std::vector<RecentMention> most_amplified;  // most shares first, then most followers
  OriginPattern pattern = OriginPattern::kManyAuthors;
  std::string top_author;  // handle (or "id:..." without one) of the most active author
  int64_t top_author_mentions = 0;
  double top_author_share = 0;
  std::string top_post;         // id of the post most replied to ("" when no replies)
  std::string top_post_author;  // its author's handle, when known
  int64_t top_post_replies = 0;
  double top_post_share = 0;
  // The first post answered the brand's own account (reply_to_author is one of its handles).
  bool started_as_reply_to_brand = false;
  std::string brand_handle;  // the handle it answered
  // A reply from the brand's account to the first author was seen (only if it was in the
  // stream: the brand's own replies often match no rule).
  bool brand_answered = false;
  // Share of the crisis mentions by the first author or replying to them or to their post.
  double conversation_share = 0;
  double replies_to_brand_share = 0;  // share of the crisis mentions that answer the brand
  std::vector<DistinguishingTerm> terms;
};

struct Crisis {
  int64_t number = 0;  // 1, 2, ... in the order the watch suspected them
  int rule = -1;
  std::string rule_id, rule_name;
  bool brand = true;      // a brand's rule (else a topic)
  std::string subject;    // "brand:<brand id>" or "topic:<rule id>"
  CrisisKind kind = CrisisKind::kVolumeSpike;
  bool open = true;
  TimePoint started;    // start of the first minute of the spike
  TimePoint suspected;  // end of the minute in which the detectors fired
  TimePoint updated;    // end of the last minute that updated it
  TimePoint ended;      // when it was declared over (only when !open)
  double volume_score = 0, negative_score = 0;  // the highest scores seen
  CrisisMagnitude magnitude;
  CrisisOrigin origin;
};

}  // namespace faro::crisis
