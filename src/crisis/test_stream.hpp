#pragma once
// Test support: a deterministic generator of synthetic mention streams, and a feed that hands
// them to CrisisWatch and OutageChatter the way ListenPipeline does (closed minutes per rule,
// `lateness` behind the newest mention, then the mention with its annotation). Sentiment and
// matched rules are set by the test, so scenarios do not depend on the lexicons.
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crisis/crisis_watch.hpp"
#include "crisis/outage_chatter.hpp"
#include "listen/pipeline.hpp"
#include "listen/rules.hpp"
#include "text/normalise.hpp"

namespace faro::crisis::testing {

// xorshift64*: the same numbers on every machine.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 2654435761u + 1) {}
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ull;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  int Poisson(double lambda) {  // Knuth's method; lambda is small here
    const double limit = std::exp(-lambda);
    double p = 1;
    int k = 0;
    do {
      ++k;
      p *= Uniform();
    } while (p > limit);
    return k - 1;
  }

 private:
  uint64_t state_;
};

struct Post {
  int64_t ms = 0;  // Unix milliseconds
  std::string id, author, text, reply_to, reply_to_author;
  int64_t followers = 100, shares = 0;
  Polarity polarity = Polarity::kNeutral;
  std::vector<int> rules;
};

// 2026-03-02T00:00:00Z, a Monday.
inline constexpr int64_t kDay0 = 1772409600000;
inline constexpr int64_t kMinute = 60000;

class Feed {
 public:
  Feed(std::shared_ptr<const RuleSet> rules, CrisisWatch* watch, OutageChatter* chatter = nullptr,
       int64_t lateness_minutes = 5)
      : rules_(std::move(rules)), watch_(watch), chatter_(chatter), lateness_(lateness_minutes),
        open_(rules_->rules().size()) {}

  void Add(const Post& p) {
    const int64_t minute = p.ms / kMinute;
    if (minute > newest_) {
      newest_ = minute;
      CloseBefore(minute - lateness_);
    }
    for (const int r : p.rules) {
      if (minute < closed_before_) continue;  // late, as the pipeline drops it from minutes
      RuleMinute& m = open_[static_cast<std::size_t>(r)][minute];
      m.rule = r;
      m.minute = minute;
      ++m.mentions;
      switch (p.polarity) {
        case Polarity::kNegative: ++m.negative; break;
        case Polarity::kNeutral: ++m.neutral; break;
        case Polarity::kPositive: ++m.positive; break;
        case Polarity::kUnknown: ++m.unknown; break;
      }
      m.reach += p.followers;
      m.shares += p.shares;
    }
    Mention mention;
    mention.id = p.id;
    mention.at = FromUnixMillis(p.ms);
    mention.author_id = p.author;
    mention.author_handle = p.author;
    mention.followers = p.followers;
    mention.text = p.text;
    mention.reply_to = p.reply_to;
    mention.reply_to_author = p.reply_to_author;
    mention.shares = p.shares;
    normaliser_.Normalise(p.text, text_);
    Annotation a;
    a.text = &text_;
    a.scored = true;
    a.sentiment.polarity = p.polarity;
    a.sentiment.score = p.polarity == Polarity::kNegative ? -0.6 : p.polarity == Polarity::kPositive ? 0.6 : 0.0;
    a.sentiment.evidence = p.polarity == Polarity::kUnknown ? 0 : 1;
    a.matched_rules = p.rules;
    if (watch_ != nullptr) watch_->OnMention(mention, a);
    if (chatter_ != nullptr) chatter_->Observe(mention, a);
    ++posts_;
  }

  void Finish() {
    CloseBefore(INT64_MAX);
    if (watch_ != nullptr) watch_->Finish();
    if (chatter_ != nullptr) chatter_->Finish();
  }
  int64_t posts() const { return posts_; }

 private:
  void CloseBefore(int64_t minute) {
    for (auto& per_rule : open_) {
      while (!per_rule.empty() && per_rule.begin()->first < minute) {
        if (watch_ != nullptr) watch_->OnMinute(per_rule.begin()->second);
        per_rule.erase(per_rule.begin());
      }
    }
    closed_before_ = std::max(closed_before_, minute);
  }

  std::shared_ptr<const RuleSet> rules_;
  CrisisWatch* watch_;
  OutageChatter* chatter_;
  int64_t lateness_;
  std::vector<std::map<int64_t, RuleMinute>> open_;
  int64_t newest_ = INT64_MIN, closed_before_ = INT64_MIN, posts_ = 0;
  Normaliser normaliser_;
  NormalisedText text_;
};

}  // namespace faro::crisis::testing
