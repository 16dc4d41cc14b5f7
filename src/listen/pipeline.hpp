#pragma once
// The listening pipeline for one thread: mention → normalise → language → rules → sentiment →
// per-rule counters. Pure: time comes from the mentions, nothing is read or written here.
// One pipeline per thread (it owns the normaliser buffers and the Hyperscan scratch).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "core/clock.hpp"
#include "listen/mention.hpp"
#include "listen/rules.hpp"
#include "listen/top_counts.hpp"
#include "sentiment/sentiment.hpp"
#include "text/language.hpp"
#include "text/normalise.hpp"

namespace faro {

// What the pipeline learnt about one mention. Valid until the next Process() call.
struct Annotation {
  // Null when the mention was not tokenised: no rule could match it and it was not to be
  // scored (PipelineOptions::score_unmatched false), so nothing needs its tokens.
  const NormalisedText* text = nullptr;
  bool scored = false;  // lang and sentiment were computed (see PipelineOptions::score_unmatched)
  TextLang lang = TextLang::kUnknown;
  Sentiment sentiment{};
  std::vector<int> matched_rules;  // indices into RuleSet::rules(), in rule order
};

// Mentions of one rule in one minute: what volume and negative-share detectors consume.
struct RuleMinute {
  int rule = -1;
  int64_t minute = 0;  // minutes since the Unix epoch (UTC)
  int64_t mentions = 0;
  int64_t negative = 0, neutral = 0, positive = 0, unknown = 0;
  int64_t reach = 0;   // sum of the authors' followers
  int64_t shares = 0;
};

// Totals of one rule over the whole input, for `faro listen --rules` summaries.
struct RuleSummary {
  bool scored = true;  // sentiment counts are meaningful (false: overall, unmatched not scored)
  int64_t mentions = 0;
  int64_t negative = 0, neutral = 0, positive = 0, unknown = 0;
  int64_t reach = 0, shares = 0;
  int64_t first_ms = 0, last_ms = 0;  // earliest and latest mention time (Unix ms)
  TopCounts hashtags{64};
  std::vector<int64_t> term_counts;  // aligned with RuleInfo::positive_terms
};

struct PipelineOptions {
  // Mentions may arrive out of order by up to this much; a minute is handed to the sink once
  // the newest mention is this far past it. Older mentions still count in the summaries
  // (and in `late_mentions`) but no longer in minutes.
  std::chrono::minutes lateness{5};
  bool summaries = true;  // keep RuleSummary (top hashtags cost a little per matched mention)
  // Language and sentiment for every mention (annotating needs them), or only for mentions
  // that matched a rule (summaries and detectors look at nothing else; this saves about half
  // the work on a stream where most mentions are about something else).
  bool score_unmatched = true;
};

// How many mentions `faro listen` and `faro serve` read and check together
// (MentionReader::NextBatch, ListenPipeline::ProcessBatch): enough that the quick check's
// one scan costs little a mention, few enough that they stay in the core's cache.
inline constexpr std::size_t kBatchMentions = 128;

class ListenPipeline {
 public:
  // `rules` may be null: then no rule matches and only language and sentiment are added.
  explicit ListenPipeline(std::shared_ptr<const RuleSet> rules, PipelineOptions options = {});

  const Annotation& Process(const Mention& mention);
  // Process() of each mention of `batch` in order, `each` called with it and its annotation
  // (valid during the call). The same results; the quick check of the whole batch is one
  // scan, which costs less than one a mention (RuleMatcher::MayMatchEach).
  void ProcessBatch(std::span<const Mention> batch, absl::FunctionRef<void(const Mention&, const Annotation&)> each);
  // Hands every open minute to the sink; call at the end of the input.
  void Finish();

  // Closed minutes, in time order per rule. Crisis detectors (volume, negative share,
  // outage chatter) subscribe here.
  void OnMinute(std::function<void(const RuleMinute&)> sink) { sink_ = std::move(sink); }

  const RuleSet* rules() const { return rules_.get(); }
  const std::vector<RuleSummary>& summaries() const { return summaries_; }
  int64_t processed() const { return processed_; }
  int64_t late_mentions() const { return late_; }
  // All mentions, whichever rules they matched.
  const RuleSummary& overall() const { return overall_; }

 private:
  struct OpenMinutes {
    std::deque<RuleMinute> minutes;  // ascending, within the lateness window
    int64_t closed_before = INT64_MIN;  // minutes before this were handed to the sink
  };
  // Process() once the text is prepared and the quick check has spoken. `adopted`: `prepared`
  // is in the normaliser's per-thread buffer, as Tokenise wants it.
  const Annotation& Annotate(const Mention& mention, PreparedText prepared, bool adopted, bool tokenise);
  void Count(int rule, int64_t minute, const Mention& m, Polarity polarity);
  void CloseUpTo(int64_t minute);  // hands minutes < `minute` to the sink
  void Summarise(RuleSummary& s, const Mention& m, Polarity polarity, const RuleInfo* info);

  std::shared_ptr<const RuleSet> rules_;
  std::unique_ptr<RuleMatcher> matcher_;
  PipelineOptions options_;
  Normaliser normaliser_;
  NormalisedText text_;
  Annotation annotation_;
  bool quick_ = false;  // unmatched mentions are not scored: the quick check may skip tokenising
  std::vector<std::string_view> tags_;  // the hashtags of the mention being processed
  // ProcessBatch: the prepared texts one after another, each followed by a zero byte.
  std::string batch_text_;
  std::vector<RuleMatcher::TextSpan> batch_spans_;
  std::vector<int> batch_accents_;
  std::vector<uint8_t> batch_maybe_;
  std::vector<OpenMinutes> open_;
  std::vector<RuleSummary> summaries_;
  RuleSummary overall_;
  std::function<void(const RuleMinute&)> sink_;
  int64_t newest_minute_ = INT64_MIN;
  int64_t processed_ = 0, late_ = 0;
};

}  // namespace faro
