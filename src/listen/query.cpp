#include "listen/query.hpp"

#include <algorithm>
#include <optional>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro {
namespace {

enum class Tok { kTerm, kPhrase, kLeft, kRight, kAnd, kOr, kNot, kMinus, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  QueryTerm term;      // kTerm, kPhrase
  std::size_t at = 0;  // 1-based character position
  std::string_view text;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "the end of the query";
    default: return t.text;
  }
}

absl::Status ErrorAt(std::size_t at, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("at character ", at, ": ", what));
}

// A bare word: #hashtag, @mention, prefix*, or a plain word.
absl::StatusOr<QueryTerm> BareTerm(std::string_view word, std::size_t at) {
  QueryTerm term;
  if (word.front() == '#' || word.front() == '@') {
    term.kind = word.front() == '#' ? TermKind::kHashtag : TermKind::kMention;
    word.remove_prefix(1);
    if (word.empty())
      return ErrorAt(at, StrCat("'", term.kind == TermKind::kHashtag ? "#" : "@",
                                "' must be followed by a name, as in #whatsappdown or @soporte"));
    if (word.find('*') != std::string_view::npos)
      return ErrorAt(at, "wildcards ('*') work on words, not on hashtags or @mentions");
  } else if (const std::size_t star = word.find('*'); star != std::string_view::npos) {
    if (star + 1 != word.size())
      return ErrorAt(at + CountCodePoints(word.substr(0, star)),
                     "'*' may only end a word, as in caid* (it stands for any ending)");
    word.remove_suffix(1);
    if (CountCodePoints(word) < 2)
      return ErrorAt(at, "a wildcard needs at least two letters before '*' (caid*, not c*)");
    term.kind = TermKind::kPrefix;
  }
  term.text = std::string(word);
  return term;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  absl::StatusOr<Token> Next() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    Token t;
    t.at = CharAt(pos_);
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      t.kind = c == '(' ? Tok::kLeft : Tok::kRight;
      t.text = text_.substr(pos_++, 1);
      return t;
    }
    if (c == '"') {
      const std::size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) return ErrorAt(t.at, "this '\"' is never closed");
      const std::string_view inside = Trim(text_.substr(pos_ + 1, close - pos_ - 1));
      if (inside.empty()) return ErrorAt(t.at, "empty phrase \"\"");
      t.kind = Tok::kPhrase;
      t.text = text_.substr(pos_, close + 1 - pos_);
      t.term.kind = inside.find(' ') == std::string_view::npos ? TermKind::kWord : TermKind::kPhrase;
      if (t.term.kind == TermKind::kWord && (inside.front() == '#' || inside.front() == '@')) {
        auto bare = BareTerm(inside, t.at + 1);
        if (!bare.ok()) return bare.status();
        t.term = *bare;
      } else {
        t.term.text = std::string(inside);
      }
      pos_ = close + 1;
      return t;
    }
    if (c == '-') {
      if (pos_ + 1 >= text_.size() || IsSpace(text_[pos_ + 1]) || text_[pos_ + 1] == ')')
        return ErrorAt(t.at, "'-' excludes what follows it; write it right before a term, as in -sorteo");
      t.kind = Tok::kMinus;
      t.text = text_.substr(pos_++, 1);
      return t;
    }
    std::size_t end = pos_;
    while (end < text_.size() && !IsSpace(text_[end]) && text_[end] != '(' && text_[end] != ')' &&
           text_[end] != '"')
      ++end;
    t.text = text_.substr(pos_, end - pos_);
    pos_ = end;
    if (t.text == "AND") {
      t.kind = Tok::kAnd;
    } else if (t.text == "OR") {
      t.kind = Tok::kOr;
    } else if (t.text == "NOT") {
      t.kind = Tok::kNot;
    } else {
      auto term = BareTerm(t.text, t.at);
      if (!term.ok()) return term.status();
      t.kind = Tok::kTerm;
      t.term = *term;
    }
    return t;
  }

 private:
  std::size_t CharAt(std::size_t byte) const { return CountCodePoints(text_.substr(0, byte)) + 1; }

  std::string_view text_;
  std::size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  absl::StatusOr<Query> Parse() {
    FARO_RETURN_IF_ERROR(Advance());
    if (current_.kind == Tok::kEnd) return ErrorAt(1, "the query is empty");
    FARO_ASSIGN_OR_RETURN(const int root, Or());
    if (current_.kind == Tok::kRight)
      return ErrorAt(current_.at, "this ')' has no '(' to close");
    if (current_.kind != Tok::kEnd)
      return ErrorAt(current_.at, StrCat("unexpected '", Describe(current_), "'"));
    query_.root = root;
    if (TrueWithoutTerms(root))
      return ErrorAt(1, "the query matches mentions that contain none of its terms (it only excludes); "
                        "add a term the mention must contain, as in whatsapp NOT sorteo");
    return std::move(query_);
  }

 private:
  absl::Status Advance() {
    auto t = lexer_.Next();
    if (!t.ok()) return t.status();
    current_ = std::move(*t);
    return absl::OkStatus();
  }

  bool StartsUnary() const {
    return current_.kind == Tok::kTerm || current_.kind == Tok::kPhrase || current_.kind == Tok::kLeft ||
           current_.kind == Tok::kNot || current_.kind == Tok::kMinus;
  }

  bool TrueWithoutTerms(int node) const {
    const QueryNode& n = query_.nodes[node];
    switch (n.op) {
      case QueryNode::Op::kTerm: return false;
      case QueryNode::Op::kNot: return !TrueWithoutTerms(n.children[0]);
      case QueryNode::Op::kAnd:
        return std::all_of(n.children.begin(), n.children.end(), [&](int c) { return TrueWithoutTerms(c); });
      case QueryNode::Op::kOr:
        return std::any_of(n.children.begin(), n.children.end(), [&](int c) { return TrueWithoutTerms(c); });
    }
    return false;
  }

  int Add(QueryNode node) {
    query_.nodes.push_back(std::move(node));
    return static_cast<int>(query_.nodes.size()) - 1;
  }

  int Combine(QueryNode::Op op, std::vector<int> children) {
    if (children.size() == 1) return children.front();
    QueryNode node;
    node.op = op;
    for (int child : children) {  // flatten (a OR b) OR c into one OR of three
      if (query_.nodes[child].op == op) {
        const auto& grand = query_.nodes[child].children;
        node.children.insert(node.children.end(), grand.begin(), grand.end());
      } else {
        node.children.push_back(child);
      }
    }
    return Add(std::move(node));
  }

  absl::StatusOr<int> Or() {
    std::vector<int> children;
    FARO_ASSIGN_OR_RETURN(int first, And());
    children.push_back(first);
    while (current_.kind == Tok::kOr) {
      const Token op = current_;
      FARO_RETURN_IF_ERROR(Advance());
      if (!StartsUnary()) return Expected(op);
      FARO_ASSIGN_OR_RETURN(int next, And());
      children.push_back(next);
    }
    return Combine(QueryNode::Op::kOr, std::move(children));
  }

  absl::StatusOr<int> And() {
    std::vector<int> children;
    FARO_ASSIGN_OR_RETURN(int first, Unary());
    children.push_back(first);
    while (current_.kind == Tok::kAnd || StartsUnary()) {
      if (current_.kind == Tok::kAnd) {
        const Token op = current_;
        FARO_RETURN_IF_ERROR(Advance());
        if (!StartsUnary()) return Expected(op);
      }
      FARO_ASSIGN_OR_RETURN(int next, Unary());
      children.push_back(next);
    }
    return Combine(QueryNode::Op::kAnd, std::move(children));
  }

  absl::StatusOr<int> Unary() {
    if (current_.kind == Tok::kNot || current_.kind == Tok::kMinus) {
      const Token op = current_;
      FARO_RETURN_IF_ERROR(Advance());
      if (!StartsUnary() || current_.kind == Tok::kNot || current_.kind == Tok::kMinus) {
        if (current_.kind == Tok::kNot || current_.kind == Tok::kMinus)
          return ErrorAt(current_.at, "two exclusions in a row; write the term once after NOT");
        return Expected(op);
      }
      FARO_ASSIGN_OR_RETURN(int child, Unary());
      QueryNode node;
      node.op = QueryNode::Op::kNot;
      node.children.push_back(child);
      return Add(std::move(node));
    }
    return Primary();
  }

  absl::StatusOr<int> Primary() {
    if (current_.kind == Tok::kTerm || current_.kind == Tok::kPhrase) {
      QueryNode node;
      auto& terms = query_.terms;
      auto found = std::find(terms.begin(), terms.end(), current_.term);
      if (found == terms.end()) found = terms.insert(terms.end(), current_.term);
      node.term = static_cast<int>(found - terms.begin());
      FARO_RETURN_IF_ERROR(Advance());
      return Add(std::move(node));
    }
    if (current_.kind == Tok::kLeft) {
      const Token open = current_;
      FARO_RETURN_IF_ERROR(Advance());
      if (current_.kind == Tok::kRight) return ErrorAt(open.at, "empty parentheses ()");
      if (!StartsUnary()) return Expected(open);
      FARO_ASSIGN_OR_RETURN(int inner, Or());
      if (current_.kind != Tok::kRight)
        return ErrorAt(open.at, StrCat("this '(' is never closed (found ", Describe(current_), " at character ",
                                       current_.at, ")"));
      FARO_RETURN_IF_ERROR(Advance());
      return inner;
    }
    if (current_.kind == Tok::kEnd)
      return ErrorAt(current_.at, "the query ends too early; expected a term, a \"phrase\" or '('");
    return ErrorAt(current_.at, StrCat("expected a term, a \"phrase\" or '(', found '", Describe(current_), "'"));
  }

  absl::Status Expected(const Token& after) {
    if (current_.kind == Tok::kEnd)
      return ErrorAt(current_.at, StrCat("the query ends after '", Describe(after),
                                         "'; expected a term, a \"phrase\" or '('"));
    return ErrorAt(current_.at, StrCat("expected a term, a \"phrase\" or '(' after '", Describe(after), "', found '",
                                       Describe(current_), "'"));
  }

  Lexer lexer_;
  Token current_;
  Query query_;
};

void Write(const Query& q, int node, std::string& out) {
  const QueryNode& n = q.nodes[node];
  switch (n.op) {
    case QueryNode::Op::kTerm: {
      const QueryTerm& t = q.terms[n.term];
      switch (t.kind) {
        case TermKind::kWord: StrAppend(out, t.text); break;
        case TermKind::kPhrase: StrAppend(out, "\"", t.text, "\""); break;
        case TermKind::kHashtag: StrAppend(out, "#", t.text); break;
        case TermKind::kMention: StrAppend(out, "@", t.text); break;
        case TermKind::kPrefix: StrAppend(out, t.text, "*"); break;
      }
      return;
    }
    case QueryNode::Op::kNot:
      out += "NOT ";
      Write(q, n.children[0], out);
      return;
    case QueryNode::Op::kAnd:
    case QueryNode::Op::kOr:
      out += "(";
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out += n.op == QueryNode::Op::kAnd ? " AND " : " OR ";
        Write(q, n.children[i], out);
      }
      out += ")";
      return;
  }
}

}  // namespace

absl::StatusOr<Query> ParseQuery(std::string_view text) { return Parser(text).Parse(); }

absl::StatusOr<QueryTerm> ParseKeyword(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = Trim(text.substr(1, text.size() - 2));
  if (text.empty()) return absl::InvalidArgumentError("empty keyword");
  if (text.find('"') != std::string_view::npos)
    return absl::InvalidArgumentError("a keyword is one term or phrase; quotes only around the whole of it");
  if (text.find_first_of(" \t") == std::string_view::npos) return BareTerm(text, 1);
  // Words with spaces: a phrase, spaces collapsed.
  std::string phrase;
  for (std::string_view word : Split(text, " \t", true)) {
    if (!phrase.empty()) phrase += ' ';
    phrase += word;
  }
  return QueryTerm{TermKind::kPhrase, std::move(phrase)};
}

std::string QueryToString(const Query& query) {
  std::string out;
  if (query.root >= 0) Write(query, query.root, out);
  return out;
}

}  // namespace faro
