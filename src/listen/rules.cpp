#include "listen/rules.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "core/strings.hpp"
#include "text/normalise.hpp"

namespace faro {
namespace {

// Word boundaries. Hyperscan rejects \b in Unicode (UCP) mode and Unicode classes (\p{L})
// make compiling take seconds, so the patterns are plain literals (fast to compile and to run)
// and each match is checked here: the character before and after the term must not be a word
// character. Folded text has no accents left, so a byte-level view is close enough: word
// characters are ASCII letters, digits and '_', and every character outside the blocks where
// punctuation, symbols and emoji live (U+0080-U+00BF: ¡ ¿ « » and the no-break space;
// U+2000-U+2FFF: … " " – and other symbols; U+10000 and up: emoji). So ñ, ç, Cyrillic or CJK
// letters are word characters.
bool HasNonAsciiByte(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

// Whether the character whose first byte is `lead` is a word character.
bool IsWordLead(unsigned char lead) {
  if (lead < 0x80) return IsWordByte(lead);
  return !(lead == 0xC2 || lead == 0xE2 || lead >= 0xF0);
}

// A boundary before byte `pos` of `text` (the start, or a non-word character before it).
bool BoundaryBefore(std::string_view text, std::size_t pos) {
  if (pos == 0) return true;
  std::size_t p = pos - 1;
  while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
  return !IsWordLead(static_cast<unsigned char>(text[p]));
}

// A boundary at byte `pos` (the end, or a non-word character starting there).
bool BoundaryAt(std::string_view text, std::size_t pos) {
  return pos >= text.size() || !IsWordLead(static_cast<unsigned char>(text[pos]));
}

// Bytes matched literally: ASCII letters and digits and UTF-8 as they are, the rest hex-escaped.
void AppendLiteral(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

// The pattern for a folded term: a literal, without boundaries (checked on each match). A
// phrase's words may be separated by any run of spaces and punctuation in the mention, so its
// pattern is its last word, and the words before are checked backwards from each match (a
// pattern with separator classes made every scan about twice as slow).
std::string TermPattern(const QueryTerm& term) {
  std::string p;
  if (term.kind == TermKind::kHashtag) p = "\\x23";
  if (term.kind == TermKind::kMention) p = "\\x40";
  std::string_view text = term.text;
  if (term.kind == TermKind::kPhrase) text = text.substr(text.rfind(' ') + 1);
  AppendLiteral(p, text);
  return p;
}

std::string_view KindWord(TermKind kind) {
  switch (kind) {
    case TermKind::kWord: return "word";
    case TermKind::kPhrase: return "phrase";
    case TermKind::kHashtag: return "hashtag";
    case TermKind::kMention: return "mention";
    case TermKind::kPrefix: return "wildcard";
  }
  return "term";
}

class ProgramBuilder {
 public:
  ProgramBuilder(std::vector<QueryTerm>& terms, std::map<std::pair<TermKind, std::string>, int>& index)
      : terms_(terms), index_(index) {}

  absl::StatusOr<int> TermId(const QueryTerm& raw, std::string_view rule_id) {
    QueryTerm folded{raw.kind, FoldText(raw.text)};
    if (raw.kind == TermKind::kPhrase || raw.kind == TermKind::kWord) {
      // Folding may add or drop spaces; a term with spaces is a phrase.
      folded.kind = folded.text.find(' ') == std::string::npos ? TermKind::kWord : TermKind::kPhrase;
    }
    std::string_view trimmed = Trim(folded.text);
    if (trimmed.empty())
      return absl::InvalidArgumentError(
          StrCat("rule ", rule_id, ": the ", KindWord(raw.kind), " \"", raw.text, "\" is empty once folded"));
    folded.text = std::string(trimmed);
    auto key = std::make_pair(folded.kind, folded.text);
    auto found = index_.find(key);
    if (found != index_.end()) return found->second;
    terms_.push_back(std::move(folded));
    const int id = static_cast<int>(terms_.size()) - 1;
    index_.emplace(std::move(key), id);
    return id;
  }

  absl::Status EmitQuery(const Query& q, int node, std::string_view rule_id, std::vector<RuleSet::Instr>& out,
                         std::vector<int>* positive, bool negated) {
    using Op = RuleSet::Instr::Op;
    const QueryNode& n = q.nodes[node];
    switch (n.op) {
      case QueryNode::Op::kTerm: {
        FARO_ASSIGN_OR_RETURN(const int id, TermId(q.terms[n.term], rule_id));
        out.push_back({Op::kTerm, id});
        if (!negated && positive != nullptr) positive->push_back(id);
        return absl::OkStatus();
      }
      case QueryNode::Op::kNot:
        FARO_RETURN_IF_ERROR(EmitQuery(q, n.children[0], rule_id, out, positive, !negated));
        out.push_back({Op::kNot, 1});
        return absl::OkStatus();
      case QueryNode::Op::kAnd:
      case QueryNode::Op::kOr:
        for (int child : n.children) FARO_RETURN_IF_ERROR(EmitQuery(q, child, rule_id, out, positive, negated));
        out.push_back({n.op == QueryNode::Op::kAnd ? Op::kAnd : Op::kOr, static_cast<int>(n.children.size())});
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

 private:
  std::vector<QueryTerm>& terms_;
  std::map<std::pair<TermKind, std::string>, int>& index_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const RuleSet>> RuleSet::Compile(const std::vector<RuleDef>& defs) {
  std::shared_ptr<RuleSet> set(new RuleSet());
  std::map<std::pair<TermKind, std::string>, int> index;
  ProgramBuilder builder(set->terms_, index);
  std::map<std::string, int> by_id;
  using Op = Instr::Op;
  for (const RuleDef& def : defs) {
    if (def.id.empty()) return absl::InvalidArgumentError("a rule without an id");
    if (!by_id.emplace(def.id, static_cast<int>(set->rules_.size())).second)
      return absl::InvalidArgumentError(StrCat("rule ", def.id, ": the id is used twice"));
    if (def.keywords.empty() && def.queries.empty())
      return absl::InvalidArgumentError(StrCat("rule ", def.id, ": needs keywords or queries"));
    RuleInfo info;
    info.kind = def.kind;
    info.id = def.id;
    info.name = def.name.empty() ? def.id : def.name;
    info.brand = def.brand;
    info.platform = def.platform;
    if (!def.brand.empty()) {
      auto parent = by_id.find(def.brand);
      if (parent == by_id.end())
        return absl::InvalidArgumentError(StrCat("rule ", def.id, ": brand \"", def.brand, "\" is not defined before it"));
      info.parent = parent->second;
    }
    std::vector<Instr> program;
    // Any keyword or query...
    for (const QueryTerm& k : def.keywords) {
      FARO_ASSIGN_OR_RETURN(const int id, builder.TermId(k, def.id));
      program.push_back({Op::kTerm, id});
      info.positive_terms.push_back(id);
    }
    for (const Query& q : def.queries)
      FARO_RETURN_IF_ERROR(builder.EmitQuery(q, q.root, def.id, program, &info.positive_terms, false));
    const int any = static_cast<int>(def.keywords.size() + def.queries.size());
    if (any > 1) program.push_back({Op::kOr, any});
    int conjuncts = 1;
    // ...and no exclusion...
    if (!def.exclude.empty()) {
      for (const QueryTerm& x : def.exclude) {
        FARO_ASSIGN_OR_RETURN(const int id, builder.TermId(x, def.id));
        program.push_back({Op::kTerm, id});
      }
      if (def.exclude.size() > 1) program.push_back({Op::kOr, static_cast<int>(def.exclude.size())});
      program.push_back({Op::kNot, 1});
      ++conjuncts;
    }
    // ...and, for a brand's topic, the brand.
    if (info.parent >= 0) {
      program.push_back({Op::kRule, info.parent});
      ++conjuncts;
    }
    if (conjuncts > 1) program.push_back({Op::kAnd, conjuncts});
    std::sort(info.positive_terms.begin(), info.positive_terms.end());
    info.positive_terms.erase(std::unique(info.positive_terms.begin(), info.positive_terms.end()),
                              info.positive_terms.end());
    set->rules_.push_back(std::move(info));
    set->programs_.push_back(std::move(program));
  }
  set->rules_of_term_.resize(set->terms_.size());
  for (std::size_t r = 0; r < set->rules_.size(); ++r)
    for (int id : set->rules_[r].positive_terms) set->rules_of_term_[id].push_back(static_cast<int>(r));
  if (set->terms_.empty()) return std::shared_ptr<const RuleSet>(std::move(set));

  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (const QueryTerm& t : set->terms_) {
    set->patterns_.push_back(TermPattern(t));
    TermCheck check;
    check.phrase = t.kind == TermKind::kPhrase;
    check.bytes = static_cast<uint32_t>(t.text.size() + (t.kind == TermKind::kHashtag || t.kind == TermKind::kMention));
    check.before = t.kind == TermKind::kHashtag || t.kind == TermKind::kMention ||
                   IsWordByte(static_cast<unsigned char>(t.text.front()));
    check.after = t.kind != TermKind::kPrefix && IsWordByte(static_cast<unsigned char>(t.text.back()));
    if (check.phrase)
      for (std::string_view word : Split(t.text, " ", true)) check.words.emplace_back(word);
    set->checks_.push_back(std::move(check));
  }
  for (std::size_t i = 0; i < set->terms_.size(); ++i) {
    expressions.push_back(set->patterns_[i].c_str());
    flags.push_back(0);  // every occurrence: the first may fail the boundary check
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                       HS_MODE_BLOCK, nullptr, &set->database_, &error) != HS_SUCCESS) {
    std::string what = error != nullptr && error->message != nullptr ? error->message : "unknown error";
    std::string term;
    if (error != nullptr && error->expression >= 0) {
      const QueryTerm& t = set->terms_[static_cast<std::size_t>(error->expression)];
      term = StrCat(" (", KindWord(t.kind), " \"", t.text, "\")");
    }
    hs_free_compile_error(error);
    return absl::InvalidArgumentError(StrCat("the rules' terms cannot be compiled", term, ": ", what));
  }
  set->CompileSteps();
  set->CompileQuickCheck();
  return std::shared_ptr<const RuleSet>(std::move(set));
}

void RuleSet::CompileSteps() {
  mask_words_ = (terms_.size() + 63) / 64 + 1;  // RuleMatcher sizes its hit bits by it
  // The postfix program as a tree (children before parents), then written out again.
  struct Node {
    Instr in;
    std::vector<int> kids;
  };
  for (const std::vector<Instr>& program : programs_) {
    std::vector<Node> nodes;
    std::vector<int> open;
    for (const Instr& in : program) {
      Node n{in, {}};
      if (in.op == Instr::Op::kAnd || in.op == Instr::Op::kOr || in.op == Instr::Op::kNot) {
        const std::size_t k = in.op == Instr::Op::kNot ? 1 : static_cast<std::size_t>(in.arg);
        n.kids.assign(open.end() - static_cast<std::ptrdiff_t>(k), open.end());
        open.resize(open.size() - k);
      }
      nodes.push_back(std::move(n));
      open.push_back(static_cast<int>(nodes.size()) - 1);
    }
    std::vector<Step> steps;
    const auto emit = [&](const auto& self, int i) -> void {
      const Node& n = nodes[i];
      switch (n.in.op) {
        case Instr::Op::kTerm: steps.push_back({Step::Op::kTerm, n.in.arg}); return;
        case Instr::Op::kRule: steps.push_back({Step::Op::kRule, n.in.arg}); return;
        case Instr::Op::kNot:
          self(self, n.kids[0]);
          steps.push_back({Step::Op::kNot, 1});
          return;
        case Instr::Op::kAnd:
        case Instr::Op::kOr: {
          const bool all = n.in.op == Instr::Op::kAnd;
          std::vector<int> terms, others;
          for (const int k : n.kids) (nodes[k].in.op == Instr::Op::kTerm ? terms : others).push_back(k);
          int operands = 0;
          if (terms.size() >= 2) {
            const std::size_t at = masks_.size();
            masks_.resize(at + mask_words_, 0);
            for (const int k : terms) masks_[at + (nodes[k].in.arg >> 6)] |= uint64_t{1} << (nodes[k].in.arg & 63);
            steps.push_back({all ? Step::Op::kAllOf : Step::Op::kAnyOf, static_cast<int>(at / mask_words_)});
            ++operands;
          } else {
            for (const int k : terms) self(self, k), ++operands;
          }
          for (const int k : others) self(self, k), ++operands;
          if (operands > 1) steps.push_back({all ? Step::Op::kAnd : Step::Op::kOr, operands});
          return;
        }
      }
    };
    if (!open.empty()) emit(emit, open.back());
    steps_.push_back(std::move(steps));
  }
}

namespace {

// A set of words one of which a rule needs, as indices into the needed words; nullopt when the
// rule needs no particular word (never, for rules that parse, but an expression could).
using Needs = std::optional<std::vector<int>>;

}  // namespace

// Each rule's program is run on sets instead of booleans: a term needs itself (a phrase, its
// longest word, which stands between boundaries wherever the phrase is found), OR needs any of
// its operands' words, AND the cheapest operand's (guessed: fewer and longer words are rarer),
// NOT nothing, and a topic's brand what the brand needs.
void RuleSet::CompileQuickCheck() {
  std::map<std::tuple<std::string, bool, bool>, int> index;
  const auto need = [&](std::string literal, bool before, bool after) {
    auto key = std::make_tuple(literal, before, after);
    auto it = index.find(key);
    if (it != index.end()) return it->second;
    needed_.push_back(NeededWord{std::move(literal), before, after});
    index.emplace(std::move(key), static_cast<int>(needed_.size()) - 1);
    return static_cast<int>(needed_.size()) - 1;
  };
  std::vector<int> of_term(terms_.size());
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    const QueryTerm& t = terms_[i];
    std::string literal = t.text;
    if (t.kind == TermKind::kPhrase) {
      std::string_view longest;
      for (std::string_view word : Split(t.text, " ", true))
        if (word.size() >= longest.size()) longest = word;
      literal = std::string(longest);
    }
    if (t.kind == TermKind::kHashtag) literal.insert(0, "#");
    if (t.kind == TermKind::kMention) literal.insert(0, "@");
    const bool before = t.kind == TermKind::kHashtag || t.kind == TermKind::kMention ||
                        IsWordByte(static_cast<unsigned char>(literal.front()));
    const bool after = t.kind != TermKind::kPrefix && IsWordByte(static_cast<unsigned char>(literal.back()));
    of_term[i] = need(std::move(literal), before, after);
  }
  const auto cost = [&](const std::vector<int>& words) {
    double c = 0;
    for (int w : words) c += 1.0 / static_cast<double>(needed_[w].literal.size());
    return c;
  };
  std::vector<Needs> of_rule(rules_.size());
  std::vector<Needs> stack;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    stack.clear();
    for (const Instr& in : programs_[r]) {
      switch (in.op) {
        case Instr::Op::kTerm: stack.push_back(std::vector<int>{of_term[in.arg]}); break;
        case Instr::Op::kRule: stack.push_back(of_rule[in.arg]); break;
        case Instr::Op::kNot: stack.back() = std::nullopt; break;
        case Instr::Op::kAnd: {
          Needs best;
          for (int k = 0; k < in.arg; ++k) {
            Needs operand = std::move(stack.back());
            stack.pop_back();
            if (operand && (!best || cost(*operand) < cost(*best))) best = std::move(operand);
          }
          stack.push_back(std::move(best));
          break;
        }
        case Instr::Op::kOr: {
          Needs any = std::vector<int>{};
          for (int k = 0; k < in.arg; ++k) {
            Needs operand = std::move(stack.back());
            stack.pop_back();
            if (!operand || !any) {
              any = std::nullopt;
            } else {
              any->insert(any->end(), operand->begin(), operand->end());
            }
          }
          stack.push_back(std::move(any));
          break;
        }
      }
    }
    of_rule[r] = stack.empty() ? std::nullopt : std::move(stack.back());
    if (!of_rule[r]) return;  // a rule that needs no particular word: no quick check
  }
  std::vector<bool> used(needed_.size(), false);
  for (const Needs& n : of_rule)
    for (int w : *n) used[w] = true;
  std::vector<std::string> patterns;
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (std::size_t w = 0; w < needed_.size(); ++w) {
    if (!used[w]) continue;
    const std::string& literal = needed_[w].literal;
    for (const char c : literal) {
      if (static_cast<unsigned char>(c) >= 0x80) needed_ascii_ = false;
      if (c == ' ' || c == '\t') return;  // folded terms have none; tokenising would change them
    }
    patterns.emplace_back();
    AppendLiteral(patterns.back(), literal);
    ids.push_back(static_cast<unsigned>(w));
    flags.push_back(HS_FLAG_CASELESS);
  }
  for (const std::string& p : patterns) expressions.push_back(p.c_str());
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                       HS_MODE_BLOCK, nullptr, &quick_database_, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);  // the same literals compiled for Match: cannot happen
    quick_database_ = nullptr;
  }
}

RuleSet::~RuleSet() {
  hs_free_database(database_);
  hs_free_database(quick_database_);
}

RuleMatcher::RuleMatcher(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)) {
  if (rules_->database_ != nullptr && hs_alloc_scratch(rules_->database_, &scratch_) != HS_SUCCESS)
    scratch_ = nullptr;  // Match() then finds nothing; only possible when memory runs out
  // The same scratch serves the quick check; without it every mention is "maybe".
  if (scratch_ != nullptr && rules_->quick_database_ != nullptr &&
      hs_alloc_scratch(rules_->quick_database_, &scratch_) == HS_SUCCESS)
    quick_ = true;
  hit_bits_.assign(rules_->mask_words_, 0);  // the layout the rules' masks are made for
  rule_result_.assign(rules_->rules_.size(), 0);
}

RuleMatcher::~RuleMatcher() { hs_free_scratch(scratch_); }

namespace {

// Whether the phrase `words` ends at byte `end` of `text` with non-word characters between its
// words and a boundary before it. Hyperscan found a match ending there; this finds its start.
bool PhraseEndsAt(std::string_view text, std::size_t end, const std::vector<std::string>& words) {
  std::size_t e = end;
  for (std::size_t i = words.size(); i-- > 0;) {
    const std::string& w = words[i];
    if (e < w.size() || text.compare(e - w.size(), w.size(), w) != 0) return false;
    e -= w.size();
    if (i == 0) break;
    // Skip separator characters (at least one) until the previous word ends there.
    const std::string& prev = words[i - 1];
    bool found = false;
    while (e > 0) {
      std::size_t p = e - 1;
      while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
      if (IsWordLead(static_cast<unsigned char>(text[p]))) break;
      e = p;
      if (e >= prev.size() && text.compare(e - prev.size(), prev.size(), prev) == 0) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return BoundaryBefore(text, e);
}

}  // namespace

int RuleMatcher::OnMatch(unsigned id, unsigned long long, unsigned long long to, unsigned, void* self) {
  auto* m = static_cast<RuleMatcher*>(self);
  if (m->TermHit(static_cast<int>(id))) return 0;
  const RuleSet::TermCheck& check = m->rules_->checks_[id];
  const std::string_view text = m->text_;
  const auto end = static_cast<std::size_t>(to);
  if (check.after && !BoundaryAt(text, end)) return 0;
  if (check.phrase) {
    if (!PhraseEndsAt(text, end, check.words)) return 0;
  } else if (check.before && !BoundaryBefore(text, end - check.bytes)) {
    return 0;
  }
  m->hit_bits_[id >> 6] |= uint64_t{1} << (id & 63);
  m->hits_.push_back(static_cast<int>(id));
  return 0;
}

int RuleMatcher::OnNeededWord(unsigned id, unsigned long long, unsigned long long to, unsigned, void* self) {
  auto* m = static_cast<RuleMatcher*>(self);
  const RuleSet::NeededWord& word = m->rules_->needed_[id];
  const std::string_view text = m->text_;
  const auto end = static_cast<std::size_t>(to);
  const std::size_t start = end - word.literal.size();
  // Only an ASCII letter, digit or '_' next to the word is sure to stay next to it, and a word
  // character, once tokenised; anything else may turn into a boundary (or already is one).
  const auto ascii_word = [](unsigned char c) { return c < 0x80 && IsWordByte(c); };
  if (word.after && end < text.size() && ascii_word(static_cast<unsigned char>(text[end]))) return 0;
  if (word.before && start > 0 && ascii_word(static_cast<unsigned char>(text[start - 1]))) return 0;
  m->maybe_ = true;
  return 1;  // one is enough: stop the scan
}

bool RuleMatcher::MayMatch(const PreparedText& prepared) {
  if (!quick_) return true;
  if (prepared.text.empty()) return false;
  if (!rules_->needed_ascii_ && HasNonAsciiByte(prepared.text)) return true;
  text_ = prepared.text;
  maybe_ = false;
  hs_scan(rules_->quick_database_, prepared.text.data(), static_cast<unsigned>(prepared.text.size()), 0, scratch_,
          &RuleMatcher::OnNeededWord, this);
  // Only a text the scan turns away needs the look for stretched letters (most texts are).
  return maybe_ || Normaliser::MayShorten(prepared);
}

bool RuleMatcher::Evaluate(int rule) const {
  using Op = RuleSet::Step::Op;
  const std::vector<RuleSet::Step>& steps = rules_->steps_[rule];
  if (steps.empty()) return false;
  // A stack of booleans never deeper than the program is long.
  bool fixed[64];
  std::unique_ptr<bool[]> deep;  // only for programs longer than 64 steps
  bool* stack = fixed;
  if (steps.size() > 64) {
    deep = std::make_unique<bool[]>(steps.size());
    stack = deep.get();
  }
  const std::size_t words = rules_->mask_words_;
  int top = 0;
  for (const RuleSet::Step& in : steps) {
    switch (in.op) {
      case Op::kTerm: stack[top++] = TermHit(in.arg); break;
      case Op::kRule: stack[top++] = rule_result_[in.arg] != 0; break;
      case Op::kNot: stack[top - 1] = !stack[top - 1]; break;
      case Op::kAnd: {
        bool v = true;
        for (int i = 0; i < in.arg; ++i) v &= stack[--top];  // no short circuit: every operand pops
        stack[top++] = v;
        break;
      }
      case Op::kOr: {
        bool v = false;
        for (int i = 0; i < in.arg; ++i) v |= stack[--top];
        stack[top++] = v;
        break;
      }
      case Op::kAnyOf:
      case Op::kAllOf: {
        const uint64_t* mask = &rules_->masks_[static_cast<std::size_t>(in.arg) * words];
        bool any = false, all = true;
        for (std::size_t w = 0; w < words; ++w) {
          any |= (hit_bits_[w] & mask[w]) != 0;
          all &= (hit_bits_[w] & mask[w]) == mask[w];
        }
        stack[top++] = in.op == Op::kAnyOf ? any : all;
        break;
      }
    }
  }
  return stack[0];
}

void RuleMatcher::Match(std::string_view folded, std::vector<int>& matched) {
  matched.clear();
  for (int id : hits_) hit_bits_[id >> 6] = 0;
  hits_.clear();
  text_ = folded;
  if (scratch_ != nullptr && !folded.empty())
    hs_scan(rules_->database_, folded.data(), static_cast<unsigned>(folded.size()), 0, scratch_, &RuleMatcher::OnMatch,
            this);
  // A rule none of whose positive terms (those outside NOT) was found cannot match: a query
  // true without its terms is refused when parsed, and an expression only gains from positive
  // terms. So only the rules of the terms found are evaluated, in rule order.
  if (hits_.empty()) return;
  std::fill(rule_result_.begin(), rule_result_.end(), 0);
  candidates_.clear();
  for (int id : hits_)
    for (int r : rules_->rules_of_term_[id]) candidates_.push_back(r);
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  for (int r : candidates_) {
    rule_result_[r] = Evaluate(r) ? 1 : 0;
    if (rule_result_[r]) matched.push_back(r);
  }
}

}  // namespace faro
