#include "listen/quick_check.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <tuple>
#include <utility>

#include "core/strings.hpp"
#include "listen/word_boundary.hpp"
#include "text/stop_words.hpp"

namespace faro {
namespace {

// Words (indices into the needed words, ascending) at least one of which must be there.
using Clause = std::vector<int>;
// Clauses that must all hold (never empty). nullopt: no particular word is needed.
using Needs = std::optional<std::vector<Clause>>;

// An OR multiplies its operands' clauses out; past this many, it needs a word of any of its
// operands' cheapest clauses instead (weaker, never wrong).
constexpr std::size_t kMostClauses = 64;
Clause Union(const Clause& a, const Clause& b) {
  Clause out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::size_t Shared(const Clause& a, const Clause& b) {
  std::size_t n = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

bool Includes(const Clause& big, const Clause& small) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// Sorted, each clause once, and no clause that includes another: it would say less.
void Simplify(std::vector<Clause>& clauses) {
  std::sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  std::vector<Clause> kept;
  for (Clause& c : clauses) {
    const auto weaker = [&](const Clause& k) { return Includes(c, k); };
    if (std::none_of(kept.begin(), kept.end(), weaker)) kept.push_back(std::move(c));
  }
  clauses = std::move(kept);
}

// Whether `x` holding means `y` holds: each clause of `y` includes one of `x`.
bool Implies(const std::vector<Clause>& x, const std::vector<Clause>& y) {
  return std::all_of(y.begin(), y.end(), [&](const Clause& c) {
    return std::any_of(x.begin(), x.end(), [&](const Clause& d) { return Includes(c, d); });
  });
}

class Planner {
 public:
  explicit Planner(const std::vector<QueryTerm>& terms) {
    of_term_.reserve(terms.size());
    for (const QueryTerm& t : terms) of_term_.push_back(TermNeeds(t));
  }

  // What rule `program` needs, given the needs of the rules before it.
  Needs RuleNeeds(const std::vector<RuleInstr>& program, const std::vector<Needs>& of_rule) const {
    std::vector<Needs> stack;
    for (const RuleInstr& in : program) {
      switch (in.op) {
        case RuleInstr::Op::kTerm: stack.push_back(of_term_[in.arg]); break;
        case RuleInstr::Op::kRule: stack.push_back(of_rule[in.arg]); break;
        case RuleInstr::Op::kNot: stack.back() = std::nullopt; break;
        case RuleInstr::Op::kAnd:
        case RuleInstr::Op::kOr: {
          const std::vector<Needs> operands(stack.end() - in.arg, stack.end());
          stack.resize(stack.size() - in.arg);
          stack.push_back(in.op == RuleInstr::Op::kAnd ? And(operands) : Or(operands));
          break;
        }
      }
    }
    return stack.empty() ? std::nullopt : std::move(stack.back());
  }

  // The clauses the scan looks for, of all those a rule needs. Two clauses that share a word
  // both hold whenever that word is there, so the pair with the fewest words in common is
  // looked for (cheaper first among equals), then a third with at most half its words already
  // looked for. Clauses with a function word or a one-letter word ("no", "the", "y") are left
  // out: those words are in most mentions. With fewer than two such clauses, the cheapest
  // clause of all, and the other one if any.
  std::vector<Clause> Choose(std::vector<Clause> clauses) const {
    std::sort(clauses.begin(), clauses.end(), [&](const Clause& a, const Clause& b) {
      const double ca = Cost(a), cb = Cost(b);
      return ca != cb ? ca < cb : a < b;
    });
    const auto common = [&](int w) {
      const std::string& literal = words_[w].literal;
      return literal.size() < 2 || IsStopWord(literal);
    };
    std::vector<const Clause*> usable;
    for (const Clause& c : clauses)
      if (std::none_of(c.begin(), c.end(), common)) usable.push_back(&c);
    if (usable.size() < 2) {
      std::vector<Clause> kept{clauses.front()};
      if (usable.size() == 1 && *usable.front() != clauses.front()) kept.push_back(*usable.front());
      return kept;
    }
    std::size_t best_i = 0, best_j = 1, best_shared = SIZE_MAX;
    double best_cost = 0;
    for (std::size_t i = 0; i < usable.size(); ++i)
      for (std::size_t j = i + 1; j < usable.size(); ++j) {
        const std::size_t shared = Shared(*usable[i], *usable[j]);
        const double cost = Cost(*usable[i]) + Cost(*usable[j]);
        if (shared < best_shared || (shared == best_shared && cost < best_cost)) {
          best_i = i;
          best_j = j;
          best_shared = shared;
          best_cost = cost;
        }
      }
    std::vector<Clause> kept{*usable[best_i], *usable[best_j]};
    const Clause seen = Union(kept[0], kept[1]);
    const Clause* third = nullptr;
    std::size_t third_shared = 0;
    for (const Clause* c : usable) {
      const std::size_t shared = Shared(*c, seen);
      if (2 * shared > c->size()) continue;  // kept ones share all their words
      if (third == nullptr || shared < third_shared) {  // sorted by cost: the first is cheapest
        third = c;
        third_shared = shared;
      }
    }
    if (third != nullptr) kept.push_back(*third);
    return kept;
  }

  const std::vector<NeededWord>& words() const { return words_; }

 private:
  // A term needs itself: its literal (a tag with its sign) between the boundaries its first and
  // last bytes ask for. A phrase needs each of its words but function words ("no funciona"
  // needs "funciona"), each one between boundaries wherever the phrase is found.
  Needs TermNeeds(const QueryTerm& t) {
    std::vector<Clause> clauses;
    if (t.kind == TermKind::kPhrase) {
      std::string_view longest;
      for (const std::string_view word : Split(t.text, " ", true)) {
        if (word.size() >= longest.size()) longest = word;
        if (!IsStopWord(word)) clauses.push_back({Word(std::string(word), t.kind)});
      }
      if (clauses.empty()) clauses.push_back({Word(std::string(longest), t.kind)});  // all function words
      Simplify(clauses);
      return clauses;
    }
    const std::string_view sign = t.kind == TermKind::kHashtag ? "#" : t.kind == TermKind::kMention ? "@" : "";
    return std::vector<Clause>{{Word(StrCat(sign, t.text), t.kind)}};
  }

  int Word(std::string literal, TermKind kind) {
    const bool before = kind == TermKind::kHashtag || kind == TermKind::kMention ||
                        IsWordByte(static_cast<unsigned char>(literal.front()));
    const bool after = kind != TermKind::kPrefix && IsWordByte(static_cast<unsigned char>(literal.back()));
    auto key = std::make_tuple(literal, before, after);
    const auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    words_.push_back(NeededWord{std::move(literal), before, after});
    const int id = static_cast<int>(words_.size()) - 1;
    index_.emplace(std::move(key), id);
    return id;
  }

  // Fewer and longer words are rarer.
  double Cost(const Clause& c) const {
    double cost = 0;
    for (const int w : c) cost += 1.0 / static_cast<double>(words_[w].literal.size());
    return cost;
  }

  const Clause& Cheapest(const std::vector<Clause>& clauses) const {
    return *std::min_element(clauses.begin(), clauses.end(),
                             [&](const Clause& a, const Clause& b) { return Cost(a) < Cost(b); });
  }

  // Everything its operands need (a NOT, nothing).
  static Needs And(const std::vector<Needs>& operands) {
    std::vector<Clause> all;
    for (const Needs& o : operands)
      if (o) all.insert(all.end(), o->begin(), o->end());
    if (all.empty()) return std::nullopt;
    Simplify(all);
    return all;
  }

  // What one of its operands needs: for every choice of a clause of each, their words together.
  Needs Or(const std::vector<Needs>& operands) const {
    for (const Needs& o : operands)
      if (!o) return std::nullopt;
    std::vector<Clause> product{Clause{}};
    for (const Needs& o : operands) {
      std::vector<Clause> next;
      for (const Clause& p : product)
        for (const Clause& c : *o) next.push_back(Union(p, c));
      Simplify(next);
      if (next.size() > kMostClauses) {
        Clause any;
        for (const Needs& each : operands) any = Union(any, Cheapest(*each));
        return std::vector<Clause>{any};
      }
      product = std::move(next);
    }
    return product;
  }

  std::vector<NeededWord> words_;
  std::map<std::tuple<std::string, bool, bool>, int> index_;
  std::vector<Needs> of_term_;
};

}  // namespace

std::optional<QuickCheckPlan> PlanQuickCheck(const std::vector<QueryTerm>& terms,
                                             const std::vector<std::vector<RuleInstr>>& programs) {
  Planner planner(terms);
  std::vector<Needs> of_rule;
  for (const std::vector<RuleInstr>& program : programs) {
    of_rule.push_back(planner.RuleNeeds(program, of_rule));
    if (!of_rule.back()) return std::nullopt;  // a rule that needs no particular word
  }
  // A rule whose needs imply another rule's adds nothing: whenever it may match, so may that
  // one (a topic and its brand, say).
  std::vector<bool> dropped(of_rule.size(), false);
  for (std::size_t b = 0; b < of_rule.size(); ++b)
    for (std::size_t a = 0; a < of_rule.size() && !dropped[b]; ++a)
      if (a != b && !dropped[a] && Implies(*of_rule[b], *of_rule[a])) dropped[b] = true;

  // Only the words of the rules kept are looked for, numbered in order of first use.
  QuickCheckPlan plan;
  std::vector<int> renumbered(planner.words().size(), -1);
  for (std::size_t r = 0; r < of_rule.size(); ++r) {
    if (dropped[r]) continue;
    std::vector<std::vector<int>>& clauses = plan.rules.emplace_back();
    for (const Clause& c : planner.Choose(*of_rule[r])) {
      std::vector<int>& out = clauses.emplace_back();
      for (const int w : c) {
        if (renumbered[w] < 0) {
          renumbered[w] = static_cast<int>(plan.words.size());
          plan.words.push_back(planner.words()[w]);
        }
        out.push_back(renumbered[w]);
      }
      std::sort(out.begin(), out.end());
    }
  }
  return plan;
}

}  // namespace faro
