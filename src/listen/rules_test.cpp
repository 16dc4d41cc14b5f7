#include "listen/rules.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/strings.hpp"
#include "listen/golden_test_util.hpp"
#include "listen/mention_reader.hpp"
#include "listen/rules_file.hpp"
#include "text/normalise.hpp"

namespace faro {
namespace {

using faro::testing::ExpectGolden;
using faro::testing::ReadFileOrEmpty;
using faro::testing::SourcePath;

// Rule ids `text` matches under `rules`.
std::vector<std::string> Matches(const std::shared_ptr<const RuleSet>& rules, std::string_view text) {
  Normaliser normaliser;
  NormalisedText normalised;
  normaliser.Normalise(text, normalised);
  RuleMatcher matcher(rules);
  std::vector<int> matched;
  matcher.Match(normalised.folded, matched);
  std::vector<std::string> ids;
  for (int r : matched) ids.push_back(rules->rules()[r].id);
  return ids;
}

std::shared_ptr<const RuleSet> Rules(std::string_view yaml) {
  auto rules = ParseRulesYaml(yaml, "test.yaml");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : nullptr;
}

using Ids = std::vector<std::string>;

TEST(Rules, FoldingMakesAccentsAndCaseIrrelevant) {
  auto rules = Rules("topics: [{id: caido, keywords: ['whatsapp caído']}]");
  EXPECT_EQ(Matches(rules, "WHATSAPP CAÍDO"), Ids{"caido"});
  EXPECT_EQ(Matches(rules, "whatsapp caido!!"), Ids{"caido"});
  EXPECT_EQ(Matches(rules, "Whatsapp, caído."), Ids{"caido"});  // punctuation between the words
  EXPECT_EQ(Matches(rules, "whatsapp caidos"), Ids{});           // whole words only
  EXPECT_EQ(Matches(rules, "caído whatsapp"), Ids{});            // a phrase keeps its order
  EXPECT_EQ(Matches(rules, "¿WhatsApp caído?"), Ids{"caido"});    // Spanish punctuation is a boundary
  EXPECT_EQ(Matches(rules, "«whatsapp caído»…"), Ids{"caido"});
  EXPECT_EQ(Matches(rules, "whatsapp caído😡"), Ids{"caido"});    // so is an emoji
}

TEST(Rules, WordsHashtagsMentionsAndWildcards) {
  auto rules = Rules(R"(
topics:
  - {id: word, keywords: [down]}
  - {id: tag, keywords: ['#whatsappdown']}
  - {id: at, keywords: ['@soporte']}
  - {id: prefix, keywords: [caid*]}
  - {id: enye, keywords: [año]}
)");
  EXPECT_EQ(Matches(rules, "#WhatsAppDown"), Ids{"tag"});
  EXPECT_EQ(Matches(rules, "whatsappdown"), Ids{});             // a hashtag rule needs the '#'
  EXPECT_EQ(Matches(rules, "down"), Ids{"word"});
  EXPECT_EQ(Matches(rules, "#down"), Ids{"word"});               // a word also matches its hashtag
  EXPECT_EQ(Matches(rules, "downtown"), Ids{});
  EXPECT_EQ(Matches(rules, "downtown is down"), Ids{"word"});   // a later occurrence counts
  EXPECT_EQ(Matches(rules, "hola @Soporte"), Ids{"at"});
  EXPECT_EQ(Matches(rules, "soporte"), Ids{});
  EXPECT_EQ(Matches(rules, "CAÍDA total"), Ids{"prefix"});
  EXPECT_EQ(Matches(rules, "se ha caido"), Ids{"prefix"});
  EXPECT_EQ(Matches(rules, "recaida"), Ids{});                   // a wildcard starts a word
  EXPECT_EQ(Matches(rules, "feliz año"), Ids{"enye"});
  EXPECT_EQ(Matches(rules, "feliz ano"), Ids{});                 // ñ is not folded to n
  EXPECT_EQ(Matches(rules, "añoranza"), Ids{});                  // word boundaries see ñ as a letter
}

TEST(Rules, BooleanQueriesExclusionsAndBrandTopics) {
  auto rules = Rules(R"(
brands:
  - id: sol
    keywords: ['panadería sol']
    exclude: [sorteo]
    topics:
      - {id: quejas, queries: ['(frio OR tarde) -receta']}
topics:
  - id: caido
    queries: ['whatsapp AND ("no funciona" OR caid*) NOT "whatsapp web"']
)");
  EXPECT_EQ(Matches(rules, "Panadería Sol llegó tarde"), (Ids{"sol", "sol/quejas"}));
  EXPECT_EQ(Matches(rules, "Panadería Sol: receta de pan frío"), Ids{"sol"});
  EXPECT_EQ(Matches(rules, "llegó tarde y frío"), Ids{});             // a brand topic needs its brand
  EXPECT_EQ(Matches(rules, "Sorteo de Panadería Sol, llegó tarde"), Ids{});
  EXPECT_EQ(Matches(rules, "whatsapp no funciona"), Ids{"caido"});
  EXPECT_EQ(Matches(rules, "WhatsApp se cayó... caído"), Ids{"caido"});
  EXPECT_EQ(Matches(rules, "whatsapp web no funciona"), Ids{});
  EXPECT_EQ(Matches(rules, "no funciona"), Ids{});
}

TEST(Rules, LongExpressionsEvaluateLikeShortOnes) {
  // 80 keywords and 80 exclusions: more than the evaluator's fixed stack holds.
  std::string yaml = "topics: [{id: many, keywords: [";
  for (int i = 0; i < 80; ++i) yaml += "k" + std::to_string(i) + ",";
  yaml += "last], exclude: [";
  for (int i = 0; i < 80; ++i) yaml += "x" + std::to_string(i) + ",";
  yaml += "xlast]}]";
  auto rules = Rules(yaml);
  EXPECT_EQ(Matches(rules, "hola k41"), Ids{"many"});
  EXPECT_EQ(Matches(rules, "hola last"), Ids{"many"});
  EXPECT_EQ(Matches(rules, "hola k41 x79"), Ids{});
  EXPECT_EQ(Matches(rules, "hola x3"), Ids{});
}

// Expressions are evaluated with the terms of each AND and OR tested at once: every
// combination of terms must give what the expression says, nesting, NOT and brands included.
TEST(Rules, EvaluatesEveryCombinationOfTermsAsTheExpressionSays) {
  auto rules = Rules(R"(
brands:
  - id: b
    keywords: [k1, k2, k3]
    queries: ['q1 (q2 OR q3 OR q4) -q5', '(q6 OR q7) (q8 OR q9)']
    exclude: [x1, x2]
    topics:
      - {id: t, queries: ['(k1 OR t1 OR t2) -(t3 t4)', 't5 t6 t7']}
)");
  ASSERT_NE(rules, nullptr);
  const std::vector<std::string> words = {"k1", "k2", "k3", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9",
                                          "x1", "x2", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
  std::mt19937 rng(7);
  Normaliser normaliser;
  NormalisedText text;
  RuleMatcher matcher(rules);
  std::vector<int> matched;
  int brand_count = 0, topic_count = 0;
  for (int round = 0; round < 20000; ++round) {
    std::map<std::string, bool> has;
    std::string mention;
    for (const std::string& w : words) {
      has[w] = rng() % 100 < 22;
      if (has[w]) mention += w + " ";
    }
    const auto h = [&](const char* w) { return has[w]; };
    const bool brand = (h("k1") || h("k2") || h("k3") || (h("q1") && (h("q2") || h("q3") || h("q4")) && !h("q5")) ||
                        ((h("q6") || h("q7")) && (h("q8") || h("q9")))) &&
                       !(h("x1") || h("x2"));
    const bool topic = brand && (((h("k1") || h("t1") || h("t2")) && !(h("t3") && h("t4"))) ||
                                 (h("t5") && h("t6") && h("t7")));
    Ids want;
    if (brand) want.push_back("b");
    if (topic) want.push_back("b/t");
    brand_count += brand;
    topic_count += topic;
    normaliser.Normalise(mention, text);
    matcher.Match(text.folded, matched);
    Ids got;
    for (int r : matched) got.push_back(rules->rules()[r].id);
    ASSERT_EQ(got, want) << mention;
  }
  EXPECT_GT(brand_count, 2000);
  EXPECT_GT(topic_count, 1000);
}

TEST(Rules, SharesTermsAcrossRules) {
  auto rules = Rules("topics: [{id: a, keywords: [whatsapp, Caído]}, {id: b, keywords: [WHATSAPP]}]");
  EXPECT_EQ(rules->terms().size(), 2u);
  EXPECT_EQ(rules->terms()[1].text, "caido");
}

TEST(Rules, ErrorsNameFileLineColumnAndKey) {
  auto error = [](std::string_view yaml) {
    auto rules = ParseRulesYaml(yaml, "brand.yaml");
    return rules.ok() ? std::string("ok") : std::string(rules.status().message());
  };
  EXPECT_EQ(error("brands:\n  - id: sol\n    queries:\n      - 'sol AND (pan OR'\n"),
            "brand.yaml:4:9: brands[0].queries[0]: at character 16: the query ends after 'OR'; expected a term, a "
            "\"phrase\" or '('");
  EXPECT_EQ(error("brands:\n  - id: sol\n    keyword: [sol]\n"),
            "brand.yaml:3:5: brands[0].keyword: unknown key; expected one of: id, name, keywords, queries, exclude, "
            "topics");
  EXPECT_EQ(error("topics:\n  - id: caido\n    keywords: whatsapp\n"),
            "brand.yaml:3:15: topics[0].keywords: expected a list of terms, as in [\"whatsapp caido\", "
            "\"#whatsappdown\", caid*]");
  EXPECT_EQ(error("topics:\n  - id: caido\n    keywords: ['whatsapp OR instagram']\n"),
            "brand.yaml:3:16: topics[0].keywords[0]: 'OR' in a keyword; write boolean queries under \"queries\"");
  EXPECT_EQ(error("topics:\n  - id: Caído\n    keywords: [x]\n"),
            "brand.yaml:2:9: topics[0].id: \"Caído\": use lower-case letters, digits, '-', '_' or '.'");
  EXPECT_EQ(error("topics:\n  - {id: a, keywords: [x]}\n  - {id: a, keywords: [y]}\n"),
            "brand.yaml:3:10: topics[1].id: \"a\" is already used by another rule");
  EXPECT_EQ(error("topics:\n  - id: a\n"),
            "brand.yaml:2:5: topics[0]: needs keywords or queries (what a mention must contain to match)");
  EXPECT_EQ(error(""), "brand.yaml: no rules (the file is empty)");
  EXPECT_EQ(error("topics: [\n"), "brand.yaml:2:1: end of sequence flow not found");
}

// The golden file: the example rules over the committed mentions, one line per record.
TEST(Rules, GoldenMatchesOfTheExampleRules) {
  auto rules = LoadRulesFile(SourcePath("examples/listen/brand.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::string input = ReadFileOrEmpty(SourcePath("src/listen/testdata/mentions.jsonl"));
  ASSERT_FALSE(input.empty());
  MemoryByteSource source(input);
  MentionReader reader(source);
  Normaliser normaliser;
  NormalisedText text;
  RuleMatcher matcher(*rules);
  std::vector<int> matched;
  std::string out;
  Mention m;
  while (reader.Next(m)) {
    normaliser.Normalise(m.text, text);
    matcher.Match(text.folded, matched);
    StrAppend(out, "line ", m.line, " id ", m.id, ":");
    for (int r : matched) StrAppend(out, " ", (*rules)->rules()[r].id);
    out += "\n";
  }
  ExpectGolden("src/listen/testdata/matched_rules.golden.txt", out);
}

// The quick check: "no" only where Match finds nothing.
bool MayMatch(const std::shared_ptr<const RuleSet>& rules, std::string_view text) {
  Normaliser normaliser;
  RuleMatcher matcher(rules);
  return matcher.MayMatch(normaliser.Prepare(text));
}

TEST(QuickCheck, LooksForAWordEachRuleNeeds) {
  auto rules = Rules(R"(
brands:
  - id: sol
    keywords: ["panadería sol", "#panaderiasol"]
    topics:
      - id: quejas
        keywords: [frio, tarde]
topics:
  - id: ig
    queries: ['(instagram OR ig) AND (caid* OR "no funciona" OR "no anda" OR "not working" OR outage)']
  - id: anio
    keywords: [año]
)");
  ASSERT_NE(rules, nullptr);
  // A topic needs its brand: "tarde" alone is no reason to look closer.
  EXPECT_FALSE(MayMatch(rules, "llegó tarde y frío"));
  EXPECT_TRUE(MayMatch(rules, "Panadería SOL llegó tarde"));
  EXPECT_TRUE(MayMatch(rules, "#PanaderiaSol"));
  EXPECT_FALSE(MayMatch(rules, "#panaderiasolar"));  // the boundary after it
  // An AND needs every side: the platform and one of the outage words.
  EXPECT_TRUE(MayMatch(rules, "IG caído"));
  EXPECT_TRUE(MayMatch(rules, "Instagram: NOT WORKING"));
  EXPECT_FALSE(MayMatch(rules, "sigue igual, no funciona nada"));
  EXPECT_FALSE(MayMatch(rules, "big night"));
  EXPECT_FALSE(MayMatch(rules, "nuevo post en instagram"));
  EXPECT_FALSE(MayMatch(rules, "@instagram mirá esto"));
  // Next to punctuation or non-ASCII it may be a word of its own: look closer.
  EXPECT_TRUE(MayMatch(rules, "(ig) ¿caído?"));
  EXPECT_TRUE(MayMatch(rules, "¿ig? outage"));
  // Stretched letters may still make the word: look closer.
  EXPECT_TRUE(MayMatch(rules, "instagraaam no funciona"));
  EXPECT_TRUE(MayMatch(rules, "iiig caido"));
  // A needed word that is not ASCII: any non-ASCII text is looked at; ASCII text is not.
  EXPECT_TRUE(MayMatch(rules, "feliz AÑO"));
  EXPECT_FALSE(MayMatch(rules, "feliz ano nuevo"));
  EXPECT_EQ(Matches(rules, "feliz ano nuevo"), Ids{});
}

// More needed words than one 64-bit set holds: the outage words come after 70 hashtags.
TEST(QuickCheck, MoreThanSixtyFourWords) {
  std::string tags;
  for (int i = 0; i < 70; ++i) tags += StrCat(i ? ", " : "", "\"#etiqueta", i, "\"");
  auto rules = Rules(StrCat(R"(
brands:
  - id: marca
    keywords: [)", tags, R"(]
topics:
  - id: wa
    queries: ['whatsapp AND (caido OR outage OR "no funciona")']
)"));
  ASSERT_NE(rules, nullptr);
  EXPECT_TRUE(MayMatch(rules, "hoy #etiqueta69"));
  EXPECT_FALSE(MayMatch(rules, "hoy #etiqueta70"));
  EXPECT_TRUE(MayMatch(rules, "WhatsApp no funciona"));
  EXPECT_TRUE(MayMatch(rules, "outage: whatsapp"));
  EXPECT_FALSE(MayMatch(rules, "escribime por WhatsApp"));
  EXPECT_FALSE(MayMatch(rules, "no funciona el ascensor"));
  EXPECT_EQ(Matches(rules, "WhatsApp no funciona"), Ids{"wa"});
}

// Random mentions built from the example rules' words in every disguise: whenever the quick
// check says no, Match finds nothing; and it says no often enough to be worth having.
TEST(QuickCheck, NeverSaysNoToAMatch) {
  auto rules = LoadRulesFile(SourcePath("examples/listen/brand.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::vector<std::string> pieces = {
      "whatsapp", "WhatsApp", "WHATSAPP", "whatsaaapp", "whats app", "instagram", "insta", "IG", "ig",
      "fb", "Facebook", "messenger", "caído", "caido", "CAÍDA", "no funciona", "no anda", "down",
      "is down", "not working", "outage", "no carga", "se cayó", "panadería sol", "Panaderia del Sol",
      "sol", "SOL", "bakery", "#PanaderiaSol", "@panaderiasol", "@PanaderiaSol_", "pan de masa madre",
      "madre", "pedido", "pedidos", "entregas", "envío", "my order", "frio", "tarde", "llegó tarde",
      "cold", "refund", "receta", "pésimo", "mala atención", "sorteo falso", "#spam", "#whatsappdown",
      "#WhatsAppCaido", "#instagramdown", "facebook is down", "x", "a", "1", "_", "-", ".", "'", "#",
      "@", "https://wa.me/ig", "www.Sol.es", "ñ", "é", "\u00A0", "\u200B", "\u3000", "ｉｇ", "😡",
      "¿", "!", "igual", "sigue", "solo", "consola", "bigig", "downtown", "no me llegan", "llegan", "me",
      "carga", "anda", "funciona", "working", "is", "masa", "pan", "del", "@WhatsApp", "#Instagram"};
  const std::vector<std::string> separators = {"", " ", " ", "  ", ", ", "\t", "\n", ".", "'", "_", "-"};
  std::mt19937 rng(23);
  Normaliser normaliser;
  NormalisedText text;
  RuleMatcher matcher(*rules);
  std::vector<int> matched;
  int no = 0, matches = 0;
  // The same texts checked together, as ListenPipeline::ProcessBatch does, in batches of
  // varied sizes: each must get the answer it gets alone.
  std::string joined;
  std::vector<RuleMatcher::TextSpan> spans;
  std::vector<uint8_t> alone, together;
  const auto check_together = [&] {
    const std::size_t size = spans.empty() ? 0 : spans.back().begin + spans.back().size + 1;
    matcher.MayMatchEach(std::string_view(joined.data(), size), spans, together);
    EXPECT_EQ(together, alone);
    joined.clear();
    spans.clear();
    alone.clear();
  };
  for (int round = 0; round < 20000; ++round) {
    std::string mention;
    const int count = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < count; ++k) {
      mention += separators[rng() % separators.size()];
      mention += pieces[rng() % pieces.size()];
    }
    const bool maybe = matcher.MayMatch(normaliser.Prepare(mention));
    {
      const std::size_t at = spans.empty() ? 0 : spans.back().begin + spans.back().size + 1;
      int accents = 0;
      const std::size_t end = normaliser.PrepareInto(mention, joined, at, accents);
      joined.resize(end + 1 + 32, '\0');
      joined[end] = '\0';
      spans.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(end - at)});
      alone.push_back(maybe ? 1 : 0);
      if (rng() % 40 == 0) check_together();
    }
    normaliser.Normalise(mention, text);
    matcher.Match(text.folded, matched);
    if (!matched.empty()) ++matches;
    if (maybe) continue;
    ++no;
    ASSERT_TRUE(matched.empty()) << mention << " matched " << (*rules)->rules()[matched[0]].id;
  }
  check_together();
  EXPECT_GT(no, 2000);
  EXPECT_GT(matches, 2000);
}

}  // namespace
}  // namespace faro
