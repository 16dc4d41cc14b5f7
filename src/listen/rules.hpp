#pragma once
// Relevance rules: which mentions are about a brand, and about which of its topics.
// All terms of all rules are compiled once into one Hyperscan database and run over the folded
// text of each mention in one pass; each rule's boolean expression is then evaluated from the
// set of terms found. Rules come from YAML (rules_file.hpp); docs/listening.md, "Rules".
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "listen/query.hpp"
#include "listen/quick_check.hpp"

struct hs_database;
struct hs_scratch;

namespace faro {

struct PreparedText;

// One rule as configured. A brand or a topic matches when any keyword or query matches and
// no exclusion does; a topic inside a brand needs its brand to match too.
struct RuleDef {
  enum class Kind { kBrand, kTopic };
  Kind kind = Kind::kBrand;
  std::string id;        // "panaderia-sol", "panaderia-sol/envios", "whatsapp-caido"
  std::string name;      // for people; the id when not given
  std::string brand;     // a topic inside a brand: the brand's id
  std::string platform;  // a topic about a platform's outage: "whatsapp", ...
  std::vector<QueryTerm> keywords;
  std::vector<Query> queries;
  std::vector<QueryTerm> exclude;
};

struct RuleInfo {
  RuleDef::Kind kind = RuleDef::Kind::kBrand;
  std::string id, name, brand, platform;
  int parent = -1;                 // index of the brand rule a topic depends on
  std::vector<int> positive_terms; // terms whose presence can make the rule match (for reports)
};

class RuleSet {
 public:
  // Folds every term as mention text is folded, then compiles them. Fails with the rule id on
  // a term the matcher cannot take, a duplicate id or a topic naming an unknown brand.
  static absl::StatusOr<std::shared_ptr<const RuleSet>> Compile(const std::vector<RuleDef>& rules);
  ~RuleSet();

  const std::vector<RuleInfo>& rules() const { return rules_; }
  // Every distinct term of every rule, folded; a term's index is its id.
  const std::vector<QueryTerm>& terms() const { return terms_; }
  // The Hyperscan pattern (a literal; for a phrase its last word) that finds term `id`.
  const std::string& pattern(int id) const { return patterns_[id]; }

  // One step of a rule's compiled expression (postfix, evaluated on a stack of booleans).
  using Instr = RuleInstr;

 private:
  friend class RuleMatcher;
  // How a match reported by Hyperscan (its end) is checked for word boundaries.
  struct TermCheck {
    bool phrase = false;
    bool before = false;  // needs a boundary before the term
    bool after = false;   // needs a boundary after it
    uint32_t bytes = 0;   // length of a literal term ('#'/'@' included)
    std::vector<std::string> words;  // a phrase's words
  };
  RuleSet() = default;

  std::vector<RuleInfo> rules_;
  std::vector<QueryTerm> terms_;
  std::vector<std::string> patterns_;
  std::vector<TermCheck> checks_;
  std::vector<std::vector<int>> rules_of_term_;  // per term, the rules it is positive in
  std::vector<std::vector<Instr>> programs_;  // postfix, one per rule

  // The programs as Evaluate runs them: the plain terms among the operands of each AND and OR
  // tested at once, against a mask of term bits (RuleMatcher::TermHit's layout), so that a
  // topic's twenty keywords cost one step instead of twenty-one.
  struct Step {
    enum class Op : uint8_t { kTerm, kRule, kAnd, kOr, kNot, kAnyOf, kAllOf };
    Op op;
    int arg;  // as Instr's; kAnyOf/kAllOf: which mask
  };
  void CompileSteps();
  std::vector<std::vector<Step>> steps_;  // one per rule
  std::vector<uint64_t> masks_;           // mask_words_ words each
  std::size_t mask_words_ = 1;
  hs_database* database_ = nullptr;

  // The quick check (RuleMatcher::MayMatch; quick_check.hpp): words found case-insensitively in
  // prepared text, and the rules it looks for, each as clauses (sets of words, one of which
  // must be there). Without a database (some rule needs no particular word) every mention is
  // "maybe".
  void CompileQuickCheck();
  std::vector<NeededWord> needed_;
  bool needed_ascii_ = true;  // every needed word is ASCII
  std::size_t quick_mask_words_ = 1;     // 64-bit words in a set of needed words
  std::vector<uint64_t> quick_clauses_;  // every clause, quick_mask_words_ words each
  struct QuickRule {
    uint32_t first = 0, count = 0;  // its clauses in quick_clauses_
  };
  std::vector<QuickRule> quick_rules_;
  std::vector<std::vector<int>> quick_rules_of_word_;  // per needed word, the rules with it
  hs_database* quick_database_ = nullptr;
};

// Matches mentions against a RuleSet. Holds the per-thread scratch: one matcher per thread.
class RuleMatcher {
 public:
  explicit RuleMatcher(std::shared_ptr<const RuleSet> rules);
  ~RuleMatcher();
  RuleMatcher(const RuleMatcher&) = delete;
  RuleMatcher& operator=(const RuleMatcher&) = delete;

  // Indices of the rules `folded` matches, in rule order (brands before their topics).
  // `folded` is text as the Normaliser folds it.
  void Match(std::string_view folded, std::vector<int>& matched);
  // The quick check, before tokenising: false only when Match() on the folded form of
  // `prepared` would match no rule. It looks, ignoring case, for the words each rule cannot
  // match without (for a topic, its brand's too; for an AND, those of every side; for a phrase,
  // each of its words but function words), with a word boundary wherever the prepared text
  // already shows one.
  // Texts where tokenising may still join a word to its neighbour are always "maybe":
  // stretched letters ("whatsaaapp"), and non-ASCII text when a needed word is not ASCII.
  bool MayMatch(const PreparedText& prepared);
  // The quick check of several texts in one scan, which pays Hyperscan's cost per scan once
  // instead of once a text: text i is `joined.substr(texts[i].begin, texts[i].size)`, each
  // followed by a zero byte (a boundary, in no needed word). `maybe[i]` is what MayMatch would
  // say of text i (its PreparedText having that text).
  struct TextSpan {
    uint32_t begin = 0, size = 0;
  };
  void MayMatchEach(std::string_view joined, std::span<const TextSpan> texts, std::vector<uint8_t>& maybe);

  // Whether term `id` was found by the last Match.
  bool TermHit(int id) const { return (hit_bits_[id >> 6] >> (id & 63)) & 1; }
  // Ids of the terms found by the last Match (in the order Hyperscan reported them).
  const std::vector<int>& term_hits() const { return hits_; }
  const RuleSet& rule_set() const { return *rules_; }

 private:
  static int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* self);
  static int OnNeededWord(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* self);
  static int OnNeededWordEach(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* self);
  // Whether needed word `id`, found at [start, end) of `text`, counts (its boundaries), and then
  // whether some rule with it has a word of each of its clauses in `found` (which it joins).
  bool NeededWordMeets(unsigned id, std::string_view text, std::size_t end, uint64_t* found) const;
  bool Evaluate(int rule) const;

  std::shared_ptr<const RuleSet> rules_;
  hs_scratch* scratch_ = nullptr;
  std::string_view text_;  // the text being scanned
  std::vector<uint64_t> hit_bits_;
  std::vector<int> hits_;
  std::vector<uint8_t> rule_result_;
  std::vector<int> candidates_;
  bool quick_ = false;  // the quick check is compiled and has scratch
  bool maybe_ = false;  // the quick check found a word of each clause of a rule
  std::vector<uint64_t> found_;  // the needed words found so far in the text being checked
  // MayMatchEach's scan: the texts, the one the last match was in, the answers.
  std::string_view joined_;
  std::span<const TextSpan> each_;
  std::size_t current_ = 0;
  uint8_t* each_maybe_ = nullptr;
};

}  // namespace faro
