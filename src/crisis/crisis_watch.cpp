#include "crisis/crisis_watch.hpp"

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "crisis/crisis_card.hpp"

namespace faro::crisis {
// One minute of a rule's figures. Not in the anonymous namespace below: CrisisWatch::RuleState
// keeps these, and a member of a class with linkage may not have a type without it (GCC warns
// where this file is compiled inside another, as in a unity build).
namespace watch_detail {
struct MinuteFigures {
  int64_t minute = INT64_MIN;
  int64_t mentions = 0, negative = 0, scored = 0;
  double usual = 0, usual_negative = 0;
};
}  // namespace watch_detail
using watch_detail::MinuteFigures;

namespace {

constexpr int kRing = 64;  // minutes of figures kept per rule (>= onset lookback + velocity span)
// The first mentions of a spike kept as candidates for its origin (the very first may be an
// ordinary mention that happened to come just before).
constexpr std::size_t kOriginCandidates = 24;

int64_t MinuteOf(TimePoint at) {
  const int64_t ms = ToUnixMillis(at);
  return ms >= 0 ? ms / 60000 : -((-ms + 59999) / 60000);
}
TimePoint MinuteStart(int64_t minute) { return FromUnixMillis(minute * 60000); }

std::string Lower(std::string_view handle) {
  if (!handle.empty() && handle[0] == '@') handle.remove_prefix(1);
  return ToLower(handle);
}

// The count the volume baseline expected, back from its transformed scale.
double UsualCount(const spike::VolumeParams& p, double expected) {
  if (p.transform == spike::CountTransform::kAnscombe) {
    const double half = std::max(expected, 0.0) / 2.0;
    return std::max(0.0, half * half - 0.375);
  }
  return std::max(0.0, std::expm1(expected) * p.count_offset);
}

// Calls f(term) for each space-separated term, without allocating.
template <typename F>
void ForEachTerm(std::string_view terms, F&& f) {
  std::size_t pos = 0;
  while (pos < terms.size()) {
    std::size_t end = terms.find(' ', pos);
    if (end == std::string_view::npos) end = terms.size();
    if (end > pos) f(terms.substr(pos, end - pos));
    pos = end + 1;
  }
}

bool Amplified(const RecentMention& a, const RecentMention& b) {
  if (a.shares != b.shares) return a.shares > b.shares;
  if (a.followers != b.followers) return a.followers > b.followers;
  return a.seq < b.seq;
}
bool Earlier(const RecentMention& a, const RecentMention& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; }

// Keeps `list` sorted by `before` and at most `n` long.
template <typename Before>
void Keep(std::vector<RecentMention>& list, const RecentMention& m, std::size_t n, Before before) {
  if (list.size() >= n && !before(m, list.back())) return;
  auto at = std::upper_bound(list.begin(), list.end(), m, before);
  list.insert(at, m);
  if (list.size() > n) list.pop_back();
}

}  // namespace

CrisisOptions::CrisisOptions() {
  volume.bucket_width = std::chrono::seconds(60);
  volume.watch_drops = false;
  volume.hold_off = std::chrono::hours(1);
  // No records: a crisis opens on evidence confirmed by the last minutes, and a record told
  // with little evidence would only start the hold-off and delay the report of a rise that
  // follows it within the hour.
  volume.record_memory = std::chrono::seconds(0);
  negative.bucket_width = std::chrono::seconds(60);
}

// The running figures of one open crisis, in constant memory.
struct CrisisWatch::Tally {
  int64_t mentions = 0, negative = 0, scored = 0, reach = 0, shares = 0;
  TopCounts authors{64};
  TopCounts posts{64};  // replied-to post: id '\x1f' author
  DistinctCount unique;
  TopCounts replied_authors{64};  // lower-case handles replied to
  std::vector<RecentMention> earliest, amplified;
  TopCounts terms{256};
  int64_t replies_to_brand = 0;
  std::string origin_handle;  // as last worked out by Refresh
  bool brand_answered = false;
  double peak = 0;
  std::string scratch;
};

struct CrisisWatch::RuleState {
  RuleState(const CrisisOptions& o)
      : volume(o.volume), negative(o.negative), memory(o.memory_mentions, o.memory_age),
        usual_terms(o.usual_terms, o.usual_terms_half_life) {}
  int index = -1;
  const RuleInfo* info = nullptr;
  std::vector<std::string> handles;  // the brand's own handles, lower case, without '@'
  std::string subject;
  spike::VolumeDetector volume;
  spike::NegativeShareDetector negative;
  int64_t next = INT64_MIN;  // first minute not yet observed
  std::array<MinuteFigures, kRing> ring{};
  MentionMemory memory;
  FadingTermCounts usual_terms;
  std::optional<Crisis> crisis;
  std::unique_ptr<Tally> tally;
  int64_t calm = 0;
  double announced_rate = 0, announced_negative = 0;
  int64_t volume_report = INT64_MIN, negative_report = INT64_MIN;  // minute of the last report

  const MinuteFigures* Figures(int64_t minute) const {
    const MinuteFigures& f = ring[static_cast<std::size_t>(((minute % kRing) + kRing) % kRing)];
    return f.minute == minute ? &f : nullptr;
  }
  bool IsBrandHandle(std::string_view lower_handle) const {
    return !lower_handle.empty() && std::find(handles.begin(), handles.end(), lower_handle) != handles.end();
  }
};

CrisisWatch::CrisisWatch(std::shared_ptr<const RuleSet> rules, CrisisOptions options)
    : rules_(std::move(rules)), options_(std::move(options)) {
  if (rules_ == nullptr) return;
  status_ = spike::ValidateVolumeParams(options_.volume);
  if (status_.ok()) status_ = spike::ValidateNegativeShareParams(options_.negative);
  const auto& infos = rules_->rules();
  states_.resize(infos.size());
  auto handles_of = [&](int r, std::vector<std::string>& out) {
    for (const int term : infos[r].positive_terms) {
      const QueryTerm& q = rules_->terms()[static_cast<std::size_t>(term)];
      if (q.kind == TermKind::kMention) out.push_back(Lower(q.text));
    }
    for (const auto& [brand, handle] : options_.brand_handles)
      if (brand == infos[r].id) out.push_back(Lower(handle));
  };
  for (std::size_t r = 0; r < infos.size(); ++r) {
    const RuleInfo& info = infos[r];
    if (info.kind == RuleDef::Kind::kTopic && !info.platform.empty()) continue;  // outage chatter
    auto state = std::make_unique<RuleState>(options_);
    state->index = static_cast<int>(r);
    state->info = &info;
    if (info.kind == RuleDef::Kind::kBrand) {
      handles_of(static_cast<int>(r), state->handles);
      state->subject = StrCat("brand:", info.brand.empty() ? info.id : info.brand);
    } else {
      if (info.parent >= 0) handles_of(info.parent, state->handles);
      state->subject = StrCat("topic:", info.id);
    }
    for (const std::string& h : state->handles)
      if (std::find(all_handles_.begin(), all_handles_.end(), h) == all_handles_.end()) all_handles_.push_back(h);
    states_[r] = std::move(state);
  }
}

CrisisWatch::~CrisisWatch() = default;

void CrisisWatch::OnMinute(const RuleMinute& m) {
  if (m.rule < 0 || static_cast<std::size_t>(m.rule) >= states_.size() || !states_[m.rule]) return;
  RuleState& rule = *states_[m.rule];
  if (rule.next == INT64_MIN) rule.next = m.minute;
  if (m.minute < rule.next) {
    ++late_minutes_;
    return;
  }
  FillTo(rule, m.minute);
  Observe(rule, m.minute, m);
}

void CrisisWatch::FillTo(RuleState& rule, int64_t before) {
  if (rule.next == INT64_MIN) return;
  RuleMinute zero;
  zero.rule = rule.index;
  while (rule.next < before && status_.ok()) {
    zero.minute = rule.next;
    Observe(rule, rule.next, zero);
  }
}

void CrisisWatch::OnMention(const Mention& mention, const Annotation& a) {
  const int64_t minute = MinuteOf(mention.at);
  const int64_t lateness = options_.lateness.count();
  if (newest_minute_ == INT64_MIN) {
    // The input starts: every rule counts from here (allowing for early stragglers).
    for (auto& s : states_)
      if (s && s->next == INT64_MIN) s->next = minute - lateness;
    newest_minute_ = minute;
  } else if (minute > newest_minute_) {
    const int64_t gap_s = (minute - newest_minute_) * 60;
    if (gap_s > options_.volume.max_gap.count()) {
      // A gap in the input: zeros only up to the last live minute, then a jump.
      for (auto& s : states_) {
        if (!s) continue;
        FillTo(*s, newest_minute_ + 1);
        s->next = std::max(s->next, minute - lateness);
      }
    }
    newest_minute_ = minute;
    if (minute - lateness > frontier_) {
      frontier_ = minute - lateness;
      for (auto& s : states_)
        if (s) FillTo(*s, frontier_);
    }
  }

  if (!mention.reply_to_author.empty() && !mention.author_handle.empty()) {
    // A brand answering someone: its reply may match no rule, so every mention is looked at.
    // The brand's handles are few and lower case: compared in place, no copy per mention.
    std::string_view handle = mention.author_handle;
    if (handle.front() == '@') handle.remove_prefix(1);  // as Lower does
    const auto same = [&](const std::string& h) { return EqualsIgnoreCase(h, handle); };
    if (std::find_if(all_handles_.begin(), all_handles_.end(), same) != all_handles_.end()) {
      brand_replies_.push_back(BrandReply{Lower(mention.author_handle), Lower(mention.reply_to_author), mention.at});
      while (brand_replies_.size() > kBrandReplies ||
             (!brand_replies_.empty() && brand_replies_.front().at < mention.at - options_.memory_age))
        brand_replies_.pop_front();
    }
  }

  if (a.matched_rules.empty() || a.text == nullptr) return;
  // The terms are found once, for the first watched rule among those matched (a mention
  // that matched only outage chatter topics needs none).
  bool have_terms = false;
  for (const int r : a.matched_rules) {
    if (r < 0 || static_cast<std::size_t>(r) >= states_.size() || !states_[r]) continue;
    if (!have_terms) {
      terms_scratch_.clear();
      term_keys_.clear();
      MentionTerms(*a.text, terms_scratch_, &term_keys_);
      have_terms = true;
    }
    RuleState& rule = *states_[r];
    rule.memory.Add(mention, a.sentiment, terms_scratch_, ++seq_);
    if (rule.crisis) {
      // The crisis figures count mentions until it calms down, not the calm that follows.
      if (rule.calm == 0) AddToTally(rule, rule.memory.at(rule.memory.size() - 1));
    } else {
      // The usual vocabulary learns outside crises only.
      rule.usual_terms.AddAll(terms_scratch_, term_keys_, mention.at);
    }
  }
}

void CrisisWatch::Finish() {
  if (newest_minute_ == INT64_MIN) return;
  for (auto& s : states_)
    if (s) FillTo(*s, newest_minute_ + 1);
}

void CrisisWatch::AddToTally(RuleState& rule, const RecentMention& m) {
  Tally& t = *rule.tally;
  ++t.mentions;
  if (m.polarity == Polarity::kNegative) ++t.negative;
  if (m.polarity != Polarity::kUnknown) ++t.scored;
  t.reach += m.followers;
  t.shares += m.shares;
  const std::string key = m.AuthorKey();
  t.authors.Add(key);
  t.unique.Add(key);
  const std::string replied = Lower(m.reply_to_author);
  if (!m.reply_to.empty()) {
    t.scratch.assign(m.reply_to);
    t.scratch += '\x1f';
    t.scratch += replied;
    t.posts.Add(t.scratch);
  }
  if (!replied.empty()) t.replied_authors.Add(replied);
  Keep(t.earliest, m, kOriginCandidates, Earlier);
  Keep(t.amplified, m, options_.amplified_posts, Amplified);
  ForEachTerm(m.terms, [&](std::string_view term) { t.terms.Add(term); });
  if (rule.IsBrandHandle(replied)) ++t.replies_to_brand;
}

void CrisisWatch::Observe(RuleState& rule, int64_t minute, const RuleMinute& in) {
  rule.next = minute + 1;
  const TimePoint start = MinuteStart(minute);
  const int64_t scored = in.negative + in.neutral + in.positive;
  auto volume = rule.volume.Observe(start, static_cast<double>(in.mentions));
  if (!volume.ok()) {
    if (status_.ok()) status_ = volume.status();
    return;
  }
  auto negative = rule.negative.Observe(start, scored, in.negative);
  if (!negative.ok()) {
    if (status_.ok()) status_ = negative.status();
    return;
  }
  MinuteFigures& f = rule.ring[static_cast<std::size_t>(((minute % kRing) + kRing) % kRing)];
  f = MinuteFigures{minute, in.mentions, in.negative, scored,
                    UsualCount(options_.volume, rule.volume.expected_log()), rule.negative.usual_share()};

  // A detector's report stays pending while its evidence lasts (up to `pending_for`): a
  // crisis opens (or grows to both) when a pending report is confirmed by the last 3 minutes
  // (Busy), so a report on the tail of an episode that is over, or on two stray minutes at
  // night, opens nothing.
  if (*volume > 0 && *volume >= options_.volume_open_score) rule.volume_report = minute;
  if (*negative > 0 && *negative >= options_.negative_open_score) rule.negative_report = minute;
  const int64_t pending = options_.pending_for.count();
  const bool volume_pending = rule.volume_report != INT64_MIN && minute - rule.volume_report <= pending &&
                              rule.volume.evidence() >= options_.volume.min_evidence;
  const bool negative_pending =
      rule.negative_report != INT64_MIN && minute - rule.negative_report <= pending && rule.negative.z() > 0;
  const Busy busy = BusyNow(rule, minute);
  const bool volume_fires = volume_pending && busy.volume && busy.per_minute >= options_.min_per_minute;
  const bool negative_fires = negative_pending && busy.negative;
  if (!rule.crisis) {
    if (volume_fires || negative_fires) {
      const CrisisKind kind = volume_fires && negative_fires ? CrisisKind::kBoth
                              : volume_fires                ? CrisisKind::kVolumeSpike
                                                            : CrisisKind::kNegativeWave;
      Open(rule, minute, kind, *volume, *negative);
      rule.volume_report = rule.negative_report = INT64_MIN;
    }
    return;
  }

  Crisis& c = *rule.crisis;
  c.volume_score = std::max(c.volume_score, *volume);
  c.negative_score = std::max(c.negative_score, *negative);
  bool changed = false;
  if ((volume_fires && c.kind == CrisisKind::kNegativeWave) || (negative_fires && c.kind == CrisisKind::kVolumeSpike)) {
    c.kind = CrisisKind::kBoth;
    changed = true;
  }
  Refresh(rule, minute);
  const CrisisMagnitude& mag = c.magnitude;
  if (mag.per_minute >= options_.update_factor * std::max(rule.announced_rate, 1.0)) changed = true;
  if (mag.negative_share >= rule.announced_negative + options_.update_negative_lift) changed = true;
  const bool calm_volume = !busy.volume;
  const bool calm_negative = !busy.negative;
  rule.calm = calm_volume && calm_negative ? rule.calm + 1 : 0;

  const TimePoint end = MinuteStart(minute + 1);
  if (rule.calm >= options_.calm_for.count()) {
    c.open = false;
    c.ended = end;
    c.updated = end;
    Emit(rule, c, "crisis-over", end);
    history_.push_back(std::move(c));
    while (history_.size() > options_.history) history_.pop_front();
    rule.crisis.reset();
    rule.tally.reset();
    rule.calm = 0;
    return;
  }
  if (changed) {
    c.updated = end;
    rule.announced_rate = mag.per_minute;
    rule.announced_negative = mag.negative_share;
    Emit(rule, c, "crisis-updated", end);
  }
}

CrisisWatch::Busy CrisisWatch::BusyNow(const RuleState& rule, int64_t minute) const {
  // The last 3 minutes against the usual: volume above usual x calm_volume_ratio +
  // calm_volume_slack; negatives (at least 3) above the usual share plus calm_negative_lift,
  // with two standard deviations of binomial noise and one mention of slack, so a quiet
  // brand's few mentions neither open a crisis nor keep one open by chance.
  Busy busy;
  double mentions = 0, usual = 0, p0 = 0;
  int64_t scored = 0, negative = 0;
  int n = 0;
  for (int64_t m = minute - 2; m <= minute; ++m) {
    if (const MinuteFigures* f = rule.Figures(m)) {
      mentions += static_cast<double>(f->mentions);
      usual += f->usual;
      p0 = f->usual_negative;
      scored += f->scored;
      negative += f->negative;
      ++n;
    }
  }
  if (n == 0) return busy;
  busy.per_minute = mentions / n;
  busy.volume = busy.per_minute > usual / n * options_.calm_volume_ratio + options_.calm_volume_slack;
  const double n3 = static_cast<double>(scored);
  busy.negative = negative >= 3 && static_cast<double>(negative) >
                                       n3 * (p0 + options_.calm_negative_lift) + 2.0 * std::sqrt(n3 * p0 * (1.0 - p0)) + 1.0;
  return busy;
}

void CrisisWatch::Open(RuleState& rule, int64_t minute, CrisisKind kind, double volume_score, double negative_score) {
  // Where the spike started: the minute after the last time a CUSUM of the excess over the
  // usual level (minus one Poisson standard deviation, at least one mention) was at zero.
  const bool by_volume = kind != CrisisKind::kNegativeWave;
  const int64_t lookback = std::min<int64_t>(options_.onset_lookback.count(), kRing - 1);
  int64_t last_zero = minute - lookback;
  double cusum = 0;
  for (int64_t m = minute - lookback + 1; m <= minute; ++m) {
    const MinuteFigures* f = rule.Figures(m);
    if (f == nullptr) {
      cusum = 0;
    } else if (by_volume) {
      cusum = std::max(0.0, cusum + static_cast<double>(f->mentions) - f->usual - std::max(1.0, std::sqrt(f->usual)));
    } else {
      const double expected = f->usual_negative * static_cast<double>(f->scored);
      cusum = std::max(0.0, cusum + static_cast<double>(f->negative) - expected - std::max(1.0, std::sqrt(expected)));
    }
    if (cusum <= 0 && m < minute) last_zero = m;
  }
  const int64_t onset = std::min(last_zero + 1, minute);

  Crisis c;
  c.number = ++crises_;
  c.rule = rule.index;
  c.rule_id = rule.info->id;
  c.rule_name = rule.info->name.empty() ? rule.info->id : rule.info->name;
  c.brand = rule.info->kind == RuleDef::Kind::kBrand;
  c.subject = rule.subject;
  c.kind = kind;
  c.started = MinuteStart(onset);
  c.suspected = c.updated = MinuteStart(minute + 1);
  c.volume_score = volume_score;
  c.negative_score = negative_score;
  rule.crisis = std::move(c);
  rule.tally = std::make_unique<Tally>();
  rule.calm = 0;

  // The tally starts from the remembered mentions of the spike, oldest first.
  std::vector<RecentMention> spike;
  for (std::size_t i = 0; i < rule.memory.size(); ++i)
    if (rule.memory.time_at(i) >= rule.crisis->started) spike.push_back(rule.memory.at(i));
  std::sort(spike.begin(), spike.end(), Earlier);  // a total order: seq is unique
  for (const RecentMention& m : spike) AddToTally(rule, m);
  rule.crisis->origin.earliest_complete = rule.memory.newest_dropped() < rule.crisis->started;
  for (int64_t m = onset; m <= minute; ++m)
    if (const MinuteFigures* f = rule.Figures(m)) rule.tally->peak = std::max(rule.tally->peak, static_cast<double>(f->mentions));
  Refresh(rule, minute);
  rule.announced_rate = rule.crisis->magnitude.per_minute;
  rule.announced_negative = rule.crisis->magnitude.negative_share;
  Emit(rule, *rule.crisis, "crisis-suspected", rule.crisis->suspected);
}

void CrisisWatch::Refresh(RuleState& rule, int64_t minute) {
  Crisis& c = *rule.crisis;
  Tally& t = *rule.tally;
  CrisisMagnitude& mag = c.magnitude;
  auto mean = [&](int64_t last, double MinuteFigures::*field_d, int64_t MinuteFigures::*field_i, bool& any) {
    double sum = 0;
    int n = 0;
    for (int64_t m = last - 2; m <= last; ++m) {
      if (const MinuteFigures* f = rule.Figures(m)) {
        sum += field_d != nullptr ? f->*field_d : static_cast<double>(f->*field_i);
        ++n;
      }
    }
    any = n > 0;
    return n > 0 ? sum / n : 0.0;
  };
  bool any = false;
  if (const MinuteFigures* f = rule.Figures(minute)) t.peak = std::max(t.peak, static_cast<double>(f->mentions));
  mag.per_minute = mean(minute, nullptr, &MinuteFigures::mentions, any);
  mag.usual_per_minute = mean(minute, &MinuteFigures::usual, nullptr, any);
  mag.peak_per_minute = t.peak;
  bool before = false;
  const double earlier = mean(minute - 10, nullptr, &MinuteFigures::mentions, before);
  mag.velocity = before ? mag.per_minute - earlier : mag.per_minute - mag.usual_per_minute;
  int64_t negative = 0, scored = 0;
  for (int64_t m = minute - 2; m <= minute; ++m)
    if (const MinuteFigures* f = rule.Figures(m)) negative += f->negative, scored += f->scored;
  mag.negative_share = scored > 0 ? static_cast<double>(negative) / static_cast<double>(scored) : 0.0;
  mag.usual_negative_share = rule.negative.usual_share();
  mag.overall_negative_share = t.scored > 0 ? static_cast<double>(t.negative) / static_cast<double>(t.scored) : 0.0;
  mag.mentions = t.mentions;
  mag.unique_authors = t.unique.Estimate();
  mag.reach = t.reach;
  mag.shares = t.shares;

  CrisisOrigin& o = c.origin;
  const TimePoint now = MinuteStart(minute + 1);
  std::vector<TermCount> crisis_terms;
  std::vector<double> usual;
  for (const auto& e : t.terms.Top(64)) {
    crisis_terms.push_back(TermCount{e.key, static_cast<double>(e.count)});
    usual.push_back(rule.usual_terms.Count(e.key, now));
  }
  o.terms = DistinguishingTerms(crisis_terms, static_cast<double>(t.terms.total()), usual,
                                rule.usual_terms.Total(now), options_.terms);

  // The origin: among the first mentions of the spike, the first that carries one of its
  // distinguishing terms (or, for a negative wave without such terms, the first negative
  // one); an ordinary mention that came just before does not count.
  std::size_t first = 0;
  auto has_term = [&](const RecentMention& m) {
    bool found = false;
    ForEachTerm(m.terms, [&](std::string_view term) {
      for (const DistinguishingTerm& d : o.terms) found = found || d.term == term;
    });
    return found;
  };
  auto pick = [&](auto&& fits) {
    for (std::size_t i = 0; i < t.earliest.size(); ++i)
      if (fits(t.earliest[i])) return i;
    return t.earliest.size();
  };
  if (!o.terms.empty()) first = pick(has_term);
  if ((o.terms.empty() || first == t.earliest.size()) && c.kind != CrisisKind::kVolumeSpike)
    first = pick([](const RecentMention& m) { return m.polarity == Polarity::kNegative; });
  if (first >= t.earliest.size()) first = 0;
  o.earliest.assign(t.earliest.begin() + static_cast<std::ptrdiff_t>(std::min(first, t.earliest.size())),
                    t.earliest.begin() + static_cast<std::ptrdiff_t>(std::min(first + options_.earliest_posts, t.earliest.size())));
  o.most_amplified = t.amplified;

  const double total = static_cast<double>(std::max<int64_t>(t.mentions, 1));
  const auto authors = t.authors.Top(64);
  if (!authors.empty()) {
    o.top_author = authors[0].key;
    o.top_author_mentions = authors[0].count;
    o.top_author_share = static_cast<double>(authors[0].count) / total;
  }
  const auto posts = t.posts.Top(1);
  o.top_post.clear();
  o.top_post_author.clear();
  o.top_post_replies = 0;
  o.top_post_share = 0;
  if (!posts.empty()) {
    const std::size_t cut = posts[0].key.find('\x1f');
    o.top_post = posts[0].key.substr(0, cut);
    if (cut != std::string::npos) o.top_post_author = posts[0].key.substr(cut + 1);
    o.top_post_replies = posts[0].count;
    o.top_post_share = static_cast<double>(posts[0].count) / total;
  }
  o.pattern = o.top_author_share >= 0.5 ? OriginPattern::kOneAuthor
              : o.top_post_share >= 0.5 ? OriginPattern::kOnePost
                                        : OriginPattern::kManyAuthors;
  o.started_as_reply_to_brand = false;
  o.brand_handle.clear();
  o.conversation_share = 0;
  if (!o.earliest.empty()) {
    const RecentMention& origin = o.earliest.front();
    const std::string replied = Lower(origin.reply_to_author);
    if (rule.IsBrandHandle(replied)) {
      o.started_as_reply_to_brand = true;
      o.brand_handle = replied;
    }
    // The origin's conversation: mentions by its author and replies to its author (the
    // sketches' counts; a self-reply counts twice, hence the cap).
    const std::string key = origin.AuthorKey();
    const std::string handle = Lower(origin.author_handle);
    int64_t conversation = 0;
    for (const auto& e : authors)
      if (e.key == key) conversation += e.count;
    if (!handle.empty())
      for (const auto& e : t.replied_authors.Top(64))
        if (e.key == handle) conversation += e.count;
    o.conversation_share = std::min(1.0, static_cast<double>(conversation) / total);
    t.origin_handle = handle;
    // Did the brand answer the first author? Sticky once seen.
    for (const BrandReply& r : brand_replies_)
      if (!handle.empty() && r.replied == handle && rule.IsBrandHandle(r.author)) t.brand_answered = true;
  }
  o.brand_answered = t.brand_answered;
  o.replies_to_brand_share = static_cast<double>(t.replies_to_brand) / total;
}

void CrisisWatch::Emit(const RuleState& rule, const Crisis& crisis, std::string kind, TimePoint at) {
  (void)rule;
  ++events_;
  if (!sink_) return;
  Event e;
  e.at = at;
  e.kind = std::move(kind);
  e.subject = crisis.subject;
  e.state = crisis.open ? "suspected" : "over";
  e.previous = e.kind == "crisis-suspected" ? "" : "suspected";
  e.evidence = CrisisCardJson(crisis);
  sink_(e);
}

CrisisWatch::MemoryUse CrisisWatch::memory_use(int rule) const {
  if (rule < 0 || static_cast<std::size_t>(rule) >= states_.size() || !states_[rule]) return {};
  return MemoryUse{states_[rule]->memory.size(), states_[rule]->usual_terms.size()};
}

std::vector<Crisis> CrisisWatch::Crises() const {
  std::vector<Crisis> out;
  for (const auto& s : states_)
    if (s && s->crisis) out.push_back(*s->crisis);
  std::sort(out.begin(), out.end(), [](const Crisis& a, const Crisis& b) { return a.number < b.number; });
  for (const Crisis& c : history_) out.push_back(c);
  return out;
}

}  // namespace faro::crisis
