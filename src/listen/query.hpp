#pragma once
// Boolean queries in the syntax social-listening tools use (Brandwatch, Talkwalker,
// Meltwater): AND, OR, NOT (upper case), parentheses, "exact phrases", #hashtags, @mentions,
// wildcard suffixes (caid*) and exclusions with a leading '-'. Two terms side by side mean AND.
//   "whatsapp caido" OR (whatsapp AND (down OR caid*)) NOT sorteo
// Precedence, loosest first: OR, AND (explicit or by adjacency), NOT / '-'.
// docs/listening.md, "Rules", is the user's description.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace faro {

enum class TermKind {
  kWord,     // whole word: matches "caido" in "esta caido!" and in "#caido", not in "caidos"
  kPhrase,   // words in this order, whole words at both ends
  kHashtag,  // only the hashtag: #whatsappdown
  kMention,  // only the @mention: @soporte
  kPrefix,   // a word starting so: caid* matches caido, caida, caidos
};

// A term as written, without its '#', '@', '*' or quotes; not yet folded.
struct QueryTerm {
  TermKind kind = TermKind::kWord;
  std::string text;
  bool operator==(const QueryTerm&) const = default;
};

// The expression, as nodes in an array; children come before their parent.
struct QueryNode {
  enum class Op { kTerm, kAnd, kOr, kNot };
  Op op = Op::kTerm;
  int term = -1;              // kTerm: index in Query::terms
  std::vector<int> children;  // kAnd, kOr: two or more; kNot: one
};

struct Query {
  std::vector<QueryTerm> terms;
  std::vector<QueryNode> nodes;
  int root = -1;
};

// The error says at which character (1-based) the problem is and what was expected.
absl::StatusOr<Query> ParseQuery(std::string_view text);

// One keyword as a single term: "#tag", "@handle", "prefix*", a word, or words with spaces
// (a phrase; quotes around it are optional). No operators.
absl::StatusOr<QueryTerm> ParseKeyword(std::string_view text);

// A query written back in canonical form (for messages and tests).
std::string QueryToString(const Query& query);

}  // namespace faro
