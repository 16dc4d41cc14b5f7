#include "listen/quick_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace faro {
namespace {

using Op = RuleInstr::Op;

// The plan as text: one line per rule looked for, each clause in braces, its words in order.
std::string Show(const std::optional<QuickCheckPlan>& plan) {
  if (!plan) return "no quick check";
  std::string out;
  for (const auto& clauses : plan->rules) {
    for (const auto& clause : clauses) {
      out += "{";
      for (std::size_t i = 0; i < clause.size(); ++i) {
        if (i > 0) out += " ";
        out += plan->words[clause[i]].literal;
      }
      out += "}";
    }
    out += "\n";
  }
  return out;
}

QueryTerm Word(std::string text) { return {TermKind::kWord, std::move(text)}; }
QueryTerm Phrase(std::string text) { return {TermKind::kPhrase, std::move(text)}; }

TEST(PlanQuickCheck, AnAndNeedsEverySideAndAnOrOneOfEach) {
  // 0 whatsapp, 1 caido, 2 "no funciona", 3 outage
  const std::vector<QueryTerm> terms = {Word("whatsapp"), Word("caido"), Phrase("no funciona"), Word("outage")};
  // whatsapp AND (caido OR "no funciona" OR outage)
  const std::vector<std::vector<RuleInstr>> programs = {
      {{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kTerm, 2}, {Op::kTerm, 3}, {Op::kOr, 3}, {Op::kAnd, 2}}};
  // The phrase needs both its words, so the OR needs {caido funciona outage} and {caido no
  // outage}; the second brings only one word of its own ("no", short and common): not kept.
  EXPECT_EQ(Show(PlanQuickCheck(terms, programs)), "{whatsapp}{caido funciona outage}\n");
}

TEST(PlanQuickCheck, NotNeedsNothing) {
  const std::vector<QueryTerm> terms = {Word("frio"), Word("receta")};
  // frio AND NOT receta: the exclusion adds no need.
  EXPECT_EQ(Show(PlanQuickCheck(terms, {{{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kNot, 1}, {Op::kAnd, 2}}})), "{frio}\n");
  // NOT receta alone matches texts without any particular word: no quick check at all.
  EXPECT_EQ(Show(PlanQuickCheck(terms, {{{Op::kTerm, 1}, {Op::kNot, 1}}})), "no quick check");
}

TEST(PlanQuickCheck, ARuleThatImpliesAnotherIsLeftOut) {
  const std::vector<QueryTerm> terms = {Word("panaderia"), {TermKind::kHashtag, "panaderiasol"}, Word("tarde"),
                                        Word("frio")};
  // brand: panaderia OR #panaderiasol; topic: brand AND (tarde OR frio).
  const std::vector<std::vector<RuleInstr>> programs = {
      {{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kOr, 2}},
      {{Op::kRule, 0}, {Op::kTerm, 2}, {Op::kTerm, 3}, {Op::kOr, 2}, {Op::kAnd, 2}}};
  // Whenever the topic may match, so may its brand: only the brand is looked for.
  EXPECT_EQ(Show(PlanQuickCheck(terms, programs)), "{panaderia #panaderiasol}\n");
}

TEST(PlanQuickCheck, AtMostThreeClausesMostlyOfTheirOwnWords) {
  // "pan de masa madre" OR @panaderiasol: each word of the phrase ("de" is a function word,
  // not looked for), or the handle.
  const std::vector<QueryTerm> terms = {Phrase("pan de masa madre"), {TermKind::kMention, "panaderiasol"}};
  const auto plan = PlanQuickCheck(terms, {{{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kOr, 2}}});
  // Every pair shares the handle: the cheapest pair (longer words), then {pan ...}, half new.
  EXPECT_EQ(Show(plan), "{madre @panaderiasol}{@panaderiasol masa}{@panaderiasol pan}\n");
  ASSERT_TRUE(plan.has_value());
  // Boundaries: a word needs them on both sides, a handle before its '@' and after it.
  EXPECT_TRUE(plan->words[0].before && plan->words[0].after);
  EXPECT_TRUE(plan->words[1].before && plan->words[1].after);

  // "primero segundo tercero" OR #uno OR #dos: each clause is one word and the two hashtags;
  // after a pair, a third would be two thirds words already looked for.
  const std::vector<QueryTerm> tagged = {Phrase("primero segundo tercero"), {TermKind::kHashtag, "uno"},
                                         {TermKind::kHashtag, "dos"}};
  EXPECT_EQ(Show(PlanQuickCheck(tagged, {{{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kTerm, 2}, {Op::kOr, 3}}})),
            "{primero #uno #dos}{#uno #dos segundo}\n");

  // "no funciona" alone: the function word is not needed, "funciona" is.
  EXPECT_EQ(Show(PlanQuickCheck({Phrase("no funciona")}, {{{Op::kTerm, 0}}})), "{funciona}\n");
  // A phrase of function words only needs its longest.
  EXPECT_EQ(Show(PlanQuickCheck({Phrase("to be or not to be")}, {{{Op::kTerm, 0}}})), "{not}\n");
}

TEST(PlanQuickCheck, KeywordsAndAQueryAboutAnOutage) {
  // As in examples/listen/brand.yaml: phrases naming the platform and the outage, a hashtag,
  // and a query platform AND outage word.
  const std::vector<QueryTerm> terms = {Phrase("instagram caido"), Phrase("instagram is down"),
                                        {TermKind::kHashtag, "instagramdown"}, Word("instagram"), Word("ig"),
                                        {TermKind::kPrefix, "caid"}, Phrase("not working")};
  const std::vector<std::vector<RuleInstr>> programs = {
      {{Op::kTerm, 0}, {Op::kTerm, 1}, {Op::kTerm, 2}, {Op::kTerm, 3}, {Op::kTerm, 4}, {Op::kOr, 2},
       {Op::kTerm, 5}, {Op::kTerm, 6}, {Op::kOr, 2}, {Op::kAnd, 2}, {Op::kOr, 4}}};
  // The platform's words, and the outage's: "@instagram" alone is no reason to look closer.
  EXPECT_EQ(Show(PlanQuickCheck(terms, programs)),
            "{instagram #instagramdown ig}{#instagramdown caido down caid working}\n");
}

TEST(PlanQuickCheck, APrefixNeedsNoBoundaryAfterIt) {
  const std::vector<QueryTerm> terms = {{TermKind::kPrefix, "caid"}};
  const auto plan = PlanQuickCheck(terms, {{{Op::kTerm, 0}}});
  ASSERT_TRUE(plan.has_value());
  ASSERT_EQ(plan->words.size(), 1u);
  EXPECT_TRUE(plan->words[0].before);
  EXPECT_FALSE(plan->words[0].after);
}

TEST(PlanQuickCheck, AnOrTooBigToMultiplyOutNeedsOneWordOfAnyOperand) {
  // Seven phrases of two words ORed: 2^7 = 128 clauses, more than are multiplied out.
  std::vector<QueryTerm> terms;
  std::vector<RuleInstr> program;
  for (int i = 0; i < 7; ++i) {
    terms.push_back(Phrase("alpha" + std::to_string(i) + " beta" + std::to_string(i)));
    program.push_back({Op::kTerm, i});
  }
  program.push_back({Op::kOr, 7});
  const auto plan = PlanQuickCheck(terms, {program});
  ASSERT_TRUE(plan.has_value());
  ASSERT_EQ(plan->rules.size(), 1u);
  ASSERT_EQ(plan->rules[0].size(), 1u);      // one clause
  EXPECT_EQ(plan->rules[0][0].size(), 7u);   // a word of each phrase
}

}  // namespace
}  // namespace faro
