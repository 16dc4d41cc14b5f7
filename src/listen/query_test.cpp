#include "listen/query.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

std::string Canonical(std::string_view text) {
  auto q = ParseQuery(text);
  return q.ok() ? QueryToString(*q) : "error: " + std::string(q.status().message());
}

TEST(Query, ParsesOperatorsPhrasesHashtagsMentionsAndWildcards) {
  EXPECT_EQ(Canonical("whatsapp"), "whatsapp");
  EXPECT_EQ(Canonical("whatsapp AND caido"), "(whatsapp AND caido)");
  EXPECT_EQ(Canonical("whatsapp caido"), "(whatsapp AND caido)");  // side by side = AND
  EXPECT_EQ(Canonical("a OR b AND c"), "(a OR (b AND c))");        // AND binds tighter
  EXPECT_EQ(Canonical("(a OR b) AND c"), "((a OR b) AND c)");
  EXPECT_EQ(Canonical("a OR b OR c"), "(a OR b OR c)");            // flattened
  EXPECT_EQ(Canonical("\"whatsapp  caído\" OR #WhatsAppDown OR @soporte OR caid*"),
            "(\"whatsapp  caído\" OR #WhatsAppDown OR @soporte OR caid*)");
  EXPECT_EQ(Canonical("whatsapp NOT sorteo"), "(whatsapp AND NOT sorteo)");
  EXPECT_EQ(Canonical("whatsapp -sorteo -\"web descargar\""),
            "(whatsapp AND NOT sorteo AND NOT \"web descargar\")");
  EXPECT_EQ(Canonical("whatsapp AND NOT (sorteo OR regalo)"), "(whatsapp AND NOT (sorteo OR regalo))");
  EXPECT_EQ(Canonical("\"#tag\""), "#tag");
  EXPECT_EQ(Canonical("and or not"), "(and AND or AND not)");  // operators are upper case only
}

TEST(Query, SharesRepeatedTerms) {
  auto q = ParseQuery("(a OR b) AND (a OR c)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->terms.size(), 3u);
  EXPECT_EQ(q->terms[0], (QueryTerm{TermKind::kWord, "a"}));
  EXPECT_EQ(q->terms[2], (QueryTerm{TermKind::kWord, "c"}));
}

TEST(Query, ErrorsSayWhereAndWhat) {
  EXPECT_EQ(Canonical(""), "error: at character 1: the query is empty");
  EXPECT_EQ(Canonical("whatsapp AND"), "error: at character 13: the query ends after 'AND'; expected a term, a \"phrase\" or '('");
  EXPECT_EQ(Canonical("OR whatsapp"),
            "error: at character 1: expected a term, a \"phrase\" or '(', found 'OR'");
  EXPECT_EQ(Canonical("(whatsapp OR caído"),
            "error: at character 1: this '(' is never closed (found the end of the query at character 19)");
  EXPECT_EQ(Canonical("whatsapp)"), "error: at character 9: this ')' has no '(' to close");
  EXPECT_EQ(Canonical("caído \"no funciona"), "error: at character 7: this '\"' is never closed");
  EXPECT_EQ(Canonical("ca*do"), "error: at character 3: '*' may only end a word, as in caid* (it stands for any ending)");
  EXPECT_EQ(Canonical("c*"), "error: at character 1: a wildcard needs at least two letters before '*' (caid*, not c*)");
  EXPECT_EQ(Canonical("a AND ()"), "error: at character 7: empty parentheses ()");
  EXPECT_EQ(Canonical("# down"),
            "error: at character 1: '#' must be followed by a name, as in #whatsappdown or @soporte");
  EXPECT_EQ(Canonical("whatsapp - sorteo"),
            "error: at character 10: '-' excludes what follows it; write it right before a term, as in -sorteo");
  EXPECT_EQ(Canonical("NOT sorteo"),
            "error: at character 1: the query matches mentions that contain none of its terms (it only excludes); "
            "add a term the mention must contain, as in whatsapp NOT sorteo");
  EXPECT_EQ(Canonical("a OR NOT b"),
            "error: at character 1: the query matches mentions that contain none of its terms (it only excludes); "
            "add a term the mention must contain, as in whatsapp NOT sorteo");
  EXPECT_EQ(Canonical("a AND NOT NOT b"), "error: at character 11: two exclusions in a row; write the term once after NOT");
}

TEST(Query, KeywordsAreSingleTerms) {
  EXPECT_EQ(*ParseKeyword("whatsapp caído"), (QueryTerm{TermKind::kPhrase, "whatsapp caído"}));
  EXPECT_EQ(*ParseKeyword("\"whatsapp   down\""), (QueryTerm{TermKind::kPhrase, "whatsapp down"}));
  EXPECT_EQ(*ParseKeyword("#WhatsAppDown"), (QueryTerm{TermKind::kHashtag, "WhatsAppDown"}));
  EXPECT_EQ(*ParseKeyword("@soporte"), (QueryTerm{TermKind::kMention, "soporte"}));
  EXPECT_EQ(*ParseKeyword("pedido*"), (QueryTerm{TermKind::kPrefix, "pedido"}));
  EXPECT_FALSE(ParseKeyword("  ").ok());
  EXPECT_FALSE(ParseKeyword("a \"b\"").ok());
}

}  // namespace
}  // namespace faro
