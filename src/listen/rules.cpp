#include "listen/rules.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "core/strings.hpp"
#include "listen/word_boundary.hpp"
#include "text/normalise.hpp"

namespace faro {
namespace {

// Whether `text` has a byte outside ASCII.
bool HasNonAsciiByte(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
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

void RuleSet::CompileQuickCheck() {
  std::optional<QuickCheckPlan> plan = PlanQuickCheck(terms_, programs_);
  if (!plan || plan->words.empty()) return;  // a rule that needs no particular word: no quick check
  for (const NeededWord& word : plan->words) {
    for (const char c : word.literal) {
      if (static_cast<unsigned char>(c) >= 0x80) needed_ascii_ = false;
      if (c == ' ' || c == '\t') return;  // folded terms have none; tokenising would change them
      if (c == '\0') return;  // MayMatchEach separates texts with it: no match may span two
    }
  }
  needed_ = std::move(plan->words);
  quick_mask_words_ = (needed_.size() + 63) / 64;
  quick_rules_of_word_.resize(needed_.size());
  for (const std::vector<std::vector<int>>& clauses : plan->rules) {
    const int rule = static_cast<int>(quick_rules_.size());
    quick_rules_.push_back(QuickRule{static_cast<uint32_t>(quick_clauses_.size() / quick_mask_words_),
                                     static_cast<uint32_t>(clauses.size())});
    for (const std::vector<int>& clause : clauses) {
      const std::size_t at = quick_clauses_.size();
      quick_clauses_.resize(at + quick_mask_words_, 0);
      for (const int w : clause) {
        quick_clauses_[at + (w >> 6)] |= uint64_t{1} << (w & 63);
        std::vector<int>& rules = quick_rules_of_word_[w];
        if (rules.empty() || rules.back() != rule) rules.push_back(rule);
      }
    }
  }
  std::vector<std::string> patterns;
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (std::size_t w = 0; w < needed_.size(); ++w) {
    patterns.emplace_back();
    AppendLiteral(patterns.back(), needed_[w].literal);
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
  found_.assign(rules_->quick_mask_words_, 0);
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

bool RuleMatcher::NeededWordMeets(unsigned id, std::string_view text, std::size_t end, uint64_t* found) const {
  const RuleSet& set = *rules_;
  const NeededWord& word = set.needed_[id];
  const std::size_t start = end - word.literal.size();
  // Only an ASCII letter, digit or '_' next to the word is sure to stay next to it, and a word
  // character, once tokenised; anything else may turn into a boundary (or already is one).
  const auto ascii_word = [](unsigned char c) { return c < 0x80 && IsWordByte(c); };
  if (word.after && end < text.size() && ascii_word(static_cast<unsigned char>(text[end]))) return false;
  if (word.before && start > 0 && ascii_word(static_cast<unsigned char>(text[start - 1]))) return false;
  found[id >> 6] |= uint64_t{1} << (id & 63);
  // Has some rule with this word now a word of each of its clauses?
  const std::size_t words = set.quick_mask_words_;
  for (const int r : set.quick_rules_of_word_[id]) {
    const RuleSet::QuickRule& rule = set.quick_rules_[r];
    bool met = true;
    for (uint32_t c = rule.first; c < rule.first + rule.count && met; ++c) {
      const uint64_t* clause = &set.quick_clauses_[c * words];
      bool any = false;
      for (std::size_t w = 0; w < words; ++w) any |= (found[w] & clause[w]) != 0;
      met = any;
    }
    if (met) return true;
  }
  return false;
}

int RuleMatcher::OnNeededWord(unsigned id, unsigned long long, unsigned long long to, unsigned, void* self) {
  auto* m = static_cast<RuleMatcher*>(self);
  if (!m->NeededWordMeets(id, m->text_, static_cast<std::size_t>(to), m->found_.data())) return 0;
  m->maybe_ = true;
  return 1;  // one rule is enough: stop the scan
}

int RuleMatcher::OnNeededWordEach(unsigned id, unsigned long long, unsigned long long to, unsigned, void* self) {
  auto* m = static_cast<RuleMatcher*>(self);
  const std::size_t end = static_cast<std::size_t>(to);
  // Matches come in order of their ends, so the text is the current one or a later one.
  std::size_t i = m->current_;
  if (end < m->each_[i].begin) i = 0;  // not expected; stays right if it happens
  while (i + 1 < m->each_.size() && end > m->each_[i].begin + m->each_[i].size) ++i;
  m->current_ = i;
  const RuleMatcher::TextSpan span = m->each_[i];
  if (m->each_maybe_[i] != 0 || end < span.begin + m->rules_->needed_[id].literal.size()) return 0;
  const std::string_view text = m->joined_.substr(span.begin, span.size);
  if (m->NeededWordMeets(id, text, end - span.begin, &m->found_[i * m->rules_->quick_mask_words_]))
    m->each_maybe_[i] = 1;
  return 0;
}

bool RuleMatcher::MayMatch(const PreparedText& prepared) {
  if (!quick_) return true;
  if (prepared.text.empty()) return false;
  if (!rules_->needed_ascii_ && HasNonAsciiByte(prepared.text)) return true;
  text_ = prepared.text;
  maybe_ = false;
  std::fill(found_.begin(), found_.end(), 0);
  hs_scan(rules_->quick_database_, prepared.text.data(), static_cast<unsigned>(prepared.text.size()), 0, scratch_,
          &RuleMatcher::OnNeededWord, this);
  // Only a text the scan turns away needs the look for stretched letters (most texts are).
  return maybe_ || Normaliser::MayShorten(prepared);
}

void RuleMatcher::MayMatchEach(std::string_view joined, std::span<const TextSpan> texts, std::vector<uint8_t>& maybe) {
  maybe.assign(texts.size(), 0);
  if (!quick_) {
    std::fill(maybe.begin(), maybe.end(), 1);
    return;
  }
  const RuleSet& set = *rules_;
  bool scan = false;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string_view text = joined.substr(texts[i].begin, texts[i].size);
    if (text.empty()) continue;
    if (!set.needed_ascii_ && HasNonAsciiByte(text)) {
      maybe[i] = 1;
    } else {
      scan = true;
    }
  }
  if (scan) {
    found_.assign(texts.size() * set.quick_mask_words_, 0);
    joined_ = joined;
    each_ = texts;
    current_ = 0;
    each_maybe_ = maybe.data();
    hs_scan(set.quick_database_, joined.data(), static_cast<unsigned>(joined.size()), 0, scratch_,
            &RuleMatcher::OnNeededWordEach, this);
    found_.assign(set.quick_mask_words_, 0);
  }
  // Only a text the scan turns away needs the look for stretched letters (most texts are).
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (maybe[i] == 0 && texts[i].size > 0)
      maybe[i] = Normaliser::MayShorten(PreparedText{joined.substr(texts[i].begin, texts[i].size)}) ? 1 : 0;
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
