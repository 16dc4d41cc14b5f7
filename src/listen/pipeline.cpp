#include "listen/pipeline.hpp"

#include <cstring>
#include <limits>

namespace faro {
namespace {

int64_t MinuteOf(TimePoint at) {
  const int64_t ms = ToUnixMillis(at);
  return ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);
}

void AddPolarity(int64_t& negative, int64_t& neutral, int64_t& positive, int64_t& unknown, Polarity p) {
  switch (p) {
    case Polarity::kNegative: ++negative; break;
    case Polarity::kNeutral: ++neutral; break;
    case Polarity::kPositive: ++positive; break;
    case Polarity::kUnknown: ++unknown; break;
  }
}

}  // namespace

ListenPipeline::ListenPipeline(std::shared_ptr<const RuleSet> rules, PipelineOptions options)
    : rules_(std::move(rules)), options_(options) {
  if (rules_ != nullptr) {
    matcher_ = std::make_unique<RuleMatcher>(rules_);
    const std::size_t n = rules_->rules().size();
    open_.resize(n);
    summaries_.resize(n);
    for (std::size_t r = 0; r < n; ++r) summaries_[r].term_counts.assign(rules_->rules()[r].positive_terms.size(), 0);
  }
  overall_.scored = options_.score_unmatched || rules_ == nullptr;
  if (rules_ == nullptr) options_.score_unmatched = true;
  quick_ = matcher_ != nullptr && !options_.score_unmatched;
}

const Annotation& ListenPipeline::Process(const Mention& m) {
  const PreparedText prepared = normaliser_.Prepare(m.text);
  // Most mentions are about something else: when the quick check says no rule can match and
  // nothing is to be scored, the mention is not tokenised at all.
  return Annotate(m, prepared, true, !quick_ || matcher_->MayMatch(prepared));
}

void ListenPipeline::ProcessBatch(std::span<const Mention> batch,
                                  absl::FunctionRef<void(const Mention&, const Annotation&)> each) {
  if (!quick_ || batch.size() < 2) {
    for (const Mention& m : batch) each(m, Process(m));
    return;
  }
  batch_spans_.clear();
  batch_accents_.clear();
  std::size_t at = 0;
  for (const Mention& m : batch) {
    int accents = 0;
    const std::size_t end = normaliser_.PrepareInto(m.text, batch_text_, at, accents);
    if (batch_text_.size() < end + 1) batch_text_.resize(end + 1);
    batch_text_[end] = '\0';
    batch_spans_.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(end - at)});
    batch_accents_.push_back(accents);
    at = end + 1;
  }
  // What is read past the last text (the stretched-letter and hashtag looks read 16 bytes at a
  // time) is zeros.
  constexpr std::size_t kTail = 32;
  if (batch_text_.size() < at + kTail) batch_text_.resize(at + kTail);
  std::memset(batch_text_.data() + at, 0, kTail);
  const std::string_view joined(batch_text_.data(), at);
  matcher_->MayMatchEach(joined, batch_spans_, batch_maybe_);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const PreparedText prepared{joined.substr(batch_spans_[i].begin, batch_spans_[i].size), batch_accents_[i]};
    each(batch[i], Annotate(batch[i], prepared, false, batch_maybe_[i] != 0));
  }
}

const Annotation& ListenPipeline::Annotate(const Mention& m, PreparedText prepared, bool adopted, bool tokenise) {
  ++processed_;
  annotation_.matched_rules.clear();
  if (tokenise) {
    if (!adopted) prepared = normaliser_.Adopt(prepared);
    normaliser_.Tokenise(prepared, text_);
    if (matcher_ != nullptr) matcher_->Match(text_.folded, annotation_.matched_rules);
  }
  annotation_.text = tokenise ? &text_ : nullptr;
  annotation_.scored = options_.score_unmatched || !annotation_.matched_rules.empty();
  if (annotation_.scored) {
    annotation_.lang = DetectLang(text_);
    annotation_.sentiment = SentimentScorer::Default().Score(text_, annotation_.lang, m.text);
  } else {
    annotation_.lang = TextLang::kUnknown;
    annotation_.sentiment = Sentiment{};
  }
  const Polarity polarity = annotation_.sentiment.polarity;
  const int64_t minute = MinuteOf(m.at);
  if (minute > newest_minute_) {
    newest_minute_ = minute;
    CloseUpTo(minute - options_.lateness.count());
  }
  // The mention's hashtags, once, for every summary it counts in: from its tokens, or found
  // without tokenising when that can be told cheaply (most mentions match no rule).
  if (options_.summaries && annotation_.text == nullptr && !normaliser_.Hashtags(prepared, tags_)) {
    if (!adopted) prepared = normaliser_.Adopt(prepared);
    normaliser_.Tokenise(prepared, text_);
    annotation_.text = &text_;
  }
  if (options_.summaries && annotation_.text != nullptr) {
    tags_.clear();
    for (const Token& t : text_.tokens)
      if (t.kind == TokenKind::kHashtag) tags_.push_back(t.text);
  }
  bool late = false;
  for (const int r : annotation_.matched_rules) {
    OpenMinutes& open = open_[r];
    if (minute < open.closed_before) {
      late = true;
    } else {
      Count(r, minute, m, polarity);
    }
    if (options_.summaries) {
      Summarise(summaries_[r], m, polarity, &rules_->rules()[r]);
      for (const std::string_view tag : tags_) summaries_[r].hashtags.Add(tag);
    }
  }
  if (late) ++late_;
  if (options_.summaries) {
    Summarise(overall_, m, polarity, nullptr);
    for (const std::string_view tag : tags_) overall_.hashtags.Add(tag);
  }
  return annotation_;
}

void ListenPipeline::Count(int rule, int64_t minute, const Mention& m, Polarity polarity) {
  std::deque<RuleMinute>& minutes = open_[rule].minutes;
  auto it = minutes.end();
  while (it != minutes.begin() && std::prev(it)->minute > minute) --it;
  RuleMinute* bucket = nullptr;
  if (it != minutes.begin() && std::prev(it)->minute == minute) {
    bucket = &*std::prev(it);
  } else {
    RuleMinute fresh;
    fresh.rule = rule;
    fresh.minute = minute;
    bucket = &*minutes.insert(it, fresh);
  }
  ++bucket->mentions;
  AddPolarity(bucket->negative, bucket->neutral, bucket->positive, bucket->unknown, polarity);
  bucket->reach += m.followers;
  bucket->shares += m.shares;
}

void ListenPipeline::CloseUpTo(int64_t minute) {
  for (OpenMinutes& open : open_) {
    while (!open.minutes.empty() && open.minutes.front().minute < minute) {
      if (sink_) sink_(open.minutes.front());
      open.minutes.pop_front();
    }
    if (open.closed_before < minute) open.closed_before = minute;
  }
}

void ListenPipeline::Finish() { CloseUpTo(std::numeric_limits<int64_t>::max()); }

void ListenPipeline::Summarise(RuleSummary& s, const Mention& m, Polarity polarity, const RuleInfo* info) {
  const int64_t ms = ToUnixMillis(m.at);
  if (s.mentions == 0 || ms < s.first_ms) s.first_ms = ms;
  if (s.mentions == 0 || ms > s.last_ms) s.last_ms = ms;
  ++s.mentions;
  AddPolarity(s.negative, s.neutral, s.positive, s.unknown, polarity);
  s.reach += m.followers;
  s.shares += m.shares;
  if (info != nullptr)
    for (std::size_t i = 0; i < info->positive_terms.size(); ++i)
      if (matcher_->TermHit(info->positive_terms[i])) ++s.term_counts[i];
}

}  // namespace faro
