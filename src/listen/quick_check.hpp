#pragma once
// The quick check's plan (RuleMatcher::MayMatch): which words to look for in a mention before
// tokenising it, and what each rule needs of them. A mention meeting no rule's needs can match
// no rule, so it is not tokenised. docs/listening.md, "How it runs".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "listen/query.hpp"

namespace faro {

// One step of a rule's compiled expression (postfix, evaluated on a stack of booleans).
struct RuleInstr {
  enum class Op : uint8_t { kTerm, kRule, kAnd, kOr, kNot };
  Op op;
  int arg;  // kTerm: term id; kRule: rule index; kAnd/kOr: how many operands
};

struct NeededWord {
  std::string literal;  // folded, with the '#' or '@' of a tag
  bool before = false;  // needs a boundary before it
  bool after = false;   // needs a boundary after it
};

struct QuickCheckPlan {
  std::vector<NeededWord> words;  // each looked for ignoring case
  // The rules looked for, each as clauses: sets of words (indices into `words`, ascending). A
  // rule may match only when every one of its clauses has one of its words in the text. A rule
  // whose needs imply another's is left out: that other one already says "maybe".
  std::vector<std::vector<std::vector<int>>> rules;
};

// From the folded terms and each rule's program (a kRule step names an earlier rule). A term
// needs itself (a phrase, each of its words but function words); an AND, what all its operands
// need; an OR, one of what each operand needs; a NOT, nothing. The scan looks for at most
// three clauses of each rule: the two with the fewest words in common (a word in both meets
// both), and one more mostly of other words; none with a function word ("no", "the": in most
// mentions) unless the rule has nothing else. nullopt when some rule needs no particular word:
// then there can be no quick check.
std::optional<QuickCheckPlan> PlanQuickCheck(const std::vector<QueryTerm>& terms,
                                             const std::vector<std::vector<RuleInstr>>& programs);

}  // namespace faro
