#include "listen/pipeline.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "listen/golden_test_util.hpp"
#include "listen/mention_reader.hpp"
#include "listen/rules_file.hpp"

namespace faro {
namespace {

std::shared_ptr<const RuleSet> OutageRules() {
  auto rules = ParseRulesYaml("topics: [{id: caido, keywords: ['whatsapp caído', '#whatsappdown']}]", "t.yaml");
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

Mention At(int64_t minute, std::string_view text, int64_t followers = 0) {
  Mention m;
  m.at = FromUnixMillis(1633356000000 + minute * 60000 + 1234);
  m.text = text;
  m.followers = followers;
  return m;
}

TEST(Pipeline, CountsMatchedMentionsPerMinuteAndClosesMinutesAfterTheLateness) {
  PipelineOptions options;
  options.lateness = std::chrono::minutes(5);
  ListenPipeline pipeline(OutageRules(), options);
  std::vector<RuleMinute> closed;
  pipeline.OnMinute([&](const RuleMinute& m) { closed.push_back(m); });
  const int64_t base = 1633356000000 / 60000;

  pipeline.Process(At(0, "whatsapp caído", 100));
  pipeline.Process(At(0, "buen día"));  // matches nothing
  pipeline.Process(At(1, "#WhatsAppDown", 50));
  pipeline.Process(At(0, "WhatsApp CAÍDO otra vez", 10));  // out of order, within the lateness
  EXPECT_TRUE(closed.empty());
  pipeline.Process(At(7, "whatsapp caido"));  // minutes before 2 close
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].minute, base);
  EXPECT_EQ(closed[0].mentions, 2);
  EXPECT_EQ(closed[0].reach, 110);
  EXPECT_EQ(closed[1].minute, base + 1);
  EXPECT_EQ(closed[1].mentions, 1);
  EXPECT_EQ(closed[1].reach, 50);
  pipeline.Process(At(1, "whatsapp caído"));  // too late for its minute
  EXPECT_EQ(pipeline.late_mentions(), 1);
  pipeline.Finish();
  ASSERT_EQ(closed.size(), 3u);
  EXPECT_EQ(closed[2].minute, base + 7);
  EXPECT_EQ(closed[2].mentions, 1);
  // Summaries count every matched mention, the late one included.
  EXPECT_EQ(pipeline.summaries()[0].mentions, 5);
  EXPECT_EQ(pipeline.overall().mentions, 6);
  EXPECT_EQ(pipeline.processed(), 6);
}

TEST(Pipeline, SentimentCountsAgreeWithTheAnnotations) {
  ListenPipeline pipeline(OutageRules());
  std::vector<RuleMinute> closed;
  pipeline.OnMinute([&](const RuleMinute& m) { closed.push_back(m); });
  int64_t negative = 0, positive = 0, total = 0;
  for (std::string_view text : {"whatsapp caído, qué desastre, odio esto 😡", "whatsapp caído pero ya volvió, genial 😍",
                                "whatsapp caído", "WhatsApp caído: horrible, terrible"}) {
    const Annotation& a = pipeline.Process(At(0, text));
    ASSERT_EQ(a.matched_rules, std::vector<int>{0});
    negative += a.sentiment.polarity == Polarity::kNegative;
    positive += a.sentiment.polarity == Polarity::kPositive;
    ++total;
  }
  pipeline.Finish();
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].mentions, total);
  EXPECT_EQ(closed[0].negative, negative);
  EXPECT_EQ(closed[0].positive, positive);
  EXPECT_EQ(pipeline.summaries()[0].negative, negative);
  EXPECT_GT(negative, 0);  // the lexicons know "desastre" and "horrible"
}

TEST(Pipeline, TopHashtagsAndMatchingTerms) {
  ListenPipeline pipeline(OutageRules());
  for (int i = 0; i < 3; ++i) pipeline.Process(At(0, "#WhatsAppDown #caos"));
  pipeline.Process(At(0, "whatsapp caído #caos"));
  const RuleSummary& s = pipeline.summaries()[0];
  const auto top = s.hashtags.Top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].key, "caos");
  EXPECT_EQ(top[0].count, 4);
  EXPECT_EQ(top[1].key, "whatsappdown");
  EXPECT_EQ(top[1].count, 3);
  const RuleInfo& info = pipeline.rules()->rules()[0];
  ASSERT_EQ(info.positive_terms.size(), 2u);
  int64_t phrase = 0, tag = 0;
  for (std::size_t i = 0; i < info.positive_terms.size(); ++i) {
    const QueryTerm& t = pipeline.rules()->terms()[info.positive_terms[i]];
    (t.kind == TermKind::kHashtag ? tag : phrase) = s.term_counts[i];
  }
  EXPECT_EQ(tag, 3);
  EXPECT_EQ(phrase, 1);
}

TEST(TopCounts, KeepsTheHeavyHittersInFixedSpace) {
  TopCounts top(8);
  for (int round = 0; round < 100; ++round) {
    top.Add("whatsappdown");
    if (round % 2 == 0) top.Add("caido");
    top.Add("rare" + std::to_string(round));  // 100 different keys, once each
  }
  const auto best = top.Top(2);
  EXPECT_EQ(best[0].key, "whatsappdown");
  EXPECT_GE(best[0].count, 100);
  EXPECT_LE(best[0].count - best[0].error, 100);
  EXPECT_EQ(best[1].key, "caido");
  EXPECT_EQ(top.total(), 250);
}

// Keys of every length up to well past the 16 bytes compared as two words, each next to keys
// that differ from it in one byte only (first, middle, last or any other) or in length: every
// one is counted apart, exactly (the table has room for all, so nothing is evicted).
TEST(TopCounts, TellsApartKeysThatDifferInOneByteAtAnyLength) {
  std::map<std::string, int64_t> truth;
  std::vector<std::string> keys;
  for (std::size_t length = 1; length <= 24; ++length) {
    const std::string base(length, 'a');
    keys.push_back(base);
    for (std::size_t at = 0; at < length; ++at) {
      std::string other = base;
      other[at] = 'b';
      keys.push_back(other);
    }
  }
  TopCounts top(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (std::size_t n = 0; n <= i % 7; ++n) {
      top.Add(keys[i]);
      ++truth[keys[i]];
    }
  const auto all = top.Top(keys.size());
  ASSERT_EQ(all.size(), truth.size());
  for (const auto& e : all) {
    EXPECT_EQ(e.count, truth[e.key]) << e.key;
    EXPECT_EQ(e.error, 0) << e.key;
  }
}

// Space-Saving's guarantees, checked against exact counts over a stream with many evictions
// (which is what exercises the table's removals): keys are unique, counts add up to the total,
// and each kept count brackets the true one.
TEST(TopCounts, KeepsSpaceSavingsGuaranteesThroughEvictions) {
  TopCounts top(16);
  std::map<std::string, int64_t> truth;
  uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    // Skewed: a few keys are frequent, most are rare.
    const uint64_t r = (x >> 33) % 1000;
    const std::string key = r < 500 ? "hot" + std::to_string(r % 5) : "k" + std::to_string(r);
    top.Add(key);
    ++truth[key];
    if (i % 997 == 0 || i == 19999) {
      const auto all = top.Top(100);
      std::set<std::string> keys;
      int64_t sum = 0;
      for (const auto& e : all) {
        EXPECT_TRUE(keys.insert(e.key).second) << "twice: " << e.key;
        sum += e.count;
        EXPECT_GE(e.count, truth[e.key]) << e.key;
        EXPECT_LE(e.count - e.error, truth[e.key]) << e.key;
      }
      EXPECT_EQ(sum, top.total());
      EXPECT_LE(all.size(), 16u);
    }
  }
  const auto best = top.Top(5);
  std::set<std::string> hot;
  for (const auto& e : best) hot.insert(e.key);
  EXPECT_EQ(hot, (std::set<std::string>{"hot0", "hot1", "hot2", "hot3", "hot4"}));
}

}  // namespace
}  // namespace faro

namespace faro {
namespace {

TEST(Pipeline, ScoresOnlyMatchedMentionsWhenAsked) {
  PipelineOptions options;
  options.score_unmatched = false;
  ListenPipeline pipeline(OutageRules(), options);
  const Annotation& unmatched = pipeline.Process(At(0, "qué desastre de día, odio los lunes 😡"));
  EXPECT_FALSE(unmatched.scored);
  EXPECT_EQ(unmatched.sentiment.polarity, Polarity::kUnknown);
  EXPECT_EQ(unmatched.lang, TextLang::kUnknown);
  const Annotation& matched = pipeline.Process(At(0, "whatsapp caído, qué desastre, odio esto 😡"));
  EXPECT_TRUE(matched.scored);
  EXPECT_EQ(matched.sentiment.polarity, Polarity::kNegative);
  EXPECT_FALSE(pipeline.overall().scored);
  EXPECT_TRUE(pipeline.summaries()[0].scored);

  ListenPipeline everything(OutageRules());  // the default, as annotating needs
  const Annotation& a = everything.Process(At(0, "qué desastre de día, odio los lunes 😡"));
  EXPECT_TRUE(a.scored);
  EXPECT_EQ(a.sentiment.polarity, Polarity::kNegative);
}

// Mentions read and checked in batches (as `faro listen` and `faro serve` do) get what they get
// one at a time: the same rules, tokens, language, sentiment, minutes and summaries.
TEST(Pipeline, BatchesGiveWhatOneAtATimeGives) {
  auto rules = LoadRulesFile(testing::SourcePath("examples/listen/brand.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  std::string input = testing::ReadFileOrEmpty(testing::SourcePath("src/listen/testdata/mentions.jsonl"));
  ASSERT_FALSE(input.empty());
  const std::vector<std::string> chatter = {
      "buen día a todos #Lunes", "el sol de hoy, qué calor #verano", "mirá https://x.com/a#b #Mundial",
      "Instagram no funciona?? #InstagramDown", "odio el tráfico", "#año nuevo, vida nueva",
      "good morning #coffee #Monday", "C# or Rust? #dev", "the bakery on 5th is great", "WHATSAAAPP caído",
      "se cayó whatsapp otra vez 😡", "pedido listo en la Panadería Sol #PanaderiaSol", "nooo #fin",
      "#1 en ventas", "www.ejemplo.com#top y #abajo", "IG caído, no carga nada", "tarde otra vez", ""};
  std::mt19937 rng(5);
  for (int i = 0; i < 1500; ++i) {
    input += R"({"id":"c)" + std::to_string(i) + R"(","at":)" + std::to_string(1633356000 + i * 7) +
             R"(,"text":")" + chatter[rng() % chatter.size()] + " " + chatter[rng() % chatter.size()] +
             R"(","author":{"handle":"@a)" + std::to_string(i % 37) + R"(","followers":)" + std::to_string(i) + "}}\n";
    if (i % 100 == 0) input += "{broken\n";
  }
  struct Seen {
    std::vector<std::string> lines;
    std::vector<RuleMinute> minutes;
  };
  const auto describe = [](const Mention& m, const Annotation& a) {
    std::string d = std::to_string(m.line) + " rules";
    for (const int r : a.matched_rules) d += " " + std::to_string(r);
    d += a.text == nullptr ? " untokenised" : " folded=" + a.text->folded;
    d += " lang=" + std::to_string(static_cast<int>(a.lang)) + " polarity=" +
         std::to_string(static_cast<int>(a.sentiment.polarity)) + " score=" + std::to_string(a.sentiment.score);
    return d;
  };
  PipelineOptions options;
  options.score_unmatched = false;
  ListenPipeline one(*rules, options), batched(*rules, options);
  Seen seen_one, seen_batched;
  one.OnMinute([&](const RuleMinute& m) { seen_one.minutes.push_back(m); });
  batched.OnMinute([&](const RuleMinute& m) { seen_batched.minutes.push_back(m); });
  {
    MemoryByteSource source(input);
    MentionReader reader(source);
    Mention m;
    while (reader.Next(m)) seen_one.lines.push_back(describe(m, one.Process(m)));
  }
  {
    ReaderOptions reader_options;
    reader_options.block_bytes = 8192;  // several blocks, so batches end at blocks' ends too
    MemoryByteSource source(input);
    MentionReader reader(source, reader_options);
    MentionBatch batch;
    std::size_t batches = 0;
    while (reader.NextBatch(batch, 1 + rng() % 80)) {
      ++batches;
      batched.ProcessBatch(batch.mentions(), [&](const Mention& m, const Annotation& a) {
        seen_batched.lines.push_back(describe(m, a));
      });
    }
    EXPECT_GT(batches, 20u);
  }
  one.Finish();
  batched.Finish();
  ASSERT_EQ(seen_batched.lines.size(), seen_one.lines.size());
  int untokenised = 0;
  for (std::size_t i = 0; i < seen_one.lines.size(); ++i) {
    EXPECT_EQ(seen_batched.lines[i], seen_one.lines[i]);
    untokenised += seen_one.lines[i].find(" untokenised") != std::string::npos;
  }
  EXPECT_GT(untokenised, 200);  // both kinds, many of each
  EXPECT_LT(untokenised, static_cast<int>(seen_one.lines.size()) - 200);
  ASSERT_EQ(seen_batched.minutes.size(), seen_one.minutes.size());
  for (std::size_t i = 0; i < seen_one.minutes.size(); ++i) {
    EXPECT_EQ(seen_batched.minutes[i].rule, seen_one.minutes[i].rule);
    EXPECT_EQ(seen_batched.minutes[i].minute, seen_one.minutes[i].minute);
    EXPECT_EQ(seen_batched.minutes[i].mentions, seen_one.minutes[i].mentions);
    EXPECT_EQ(seen_batched.minutes[i].negative, seen_one.minutes[i].negative);
    EXPECT_EQ(seen_batched.minutes[i].reach, seen_one.minutes[i].reach);
  }
  for (std::size_t r = 0; r <= one.summaries().size(); ++r) {
    const RuleSummary& a = r < one.summaries().size() ? one.summaries()[r] : one.overall();
    const RuleSummary& b = r < one.summaries().size() ? batched.summaries()[r] : batched.overall();
    EXPECT_EQ(b.mentions, a.mentions);
    EXPECT_EQ(b.term_counts, a.term_counts);
    const auto ta = a.hashtags.Top(64), tb = b.hashtags.Top(64);
    ASSERT_EQ(tb.size(), ta.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
      EXPECT_EQ(tb[i].key, ta[i].key);
      EXPECT_EQ(tb[i].count, ta[i].count);
    }
  }
  EXPECT_GT(one.overall().hashtags.total(), 1000);
}

// Mentions the quick check lets through untokenised are counted as if they had been
// tokenised: the same rules, minutes, term counts and hashtags (overall too) as a pipeline that
// tokenises and scores everything.
TEST(Pipeline, UntokenisedMentionsCountTheSame) {
  auto rules = LoadRulesFile(testing::SourcePath("examples/listen/brand.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  PipelineOptions quick_options;
  quick_options.score_unmatched = false;
  ListenPipeline quick(*rules, quick_options);
  ListenPipeline everything(*rules);
  std::vector<RuleMinute> quick_minutes, all_minutes;
  quick.OnMinute([&](const RuleMinute& m) { quick_minutes.push_back(m); });
  everything.OnMinute([&](const RuleMinute& m) { all_minutes.push_back(m); });
  const std::string input = testing::ReadFileOrEmpty(testing::SourcePath("src/listen/testdata/mentions.jsonl"));
  ASSERT_FALSE(input.empty());
  MemoryByteSource source(input);
  MentionReader reader(source);
  Mention m;
  int untokenised = 0;
  while (reader.Next(m)) {
    const std::vector<int> expected = everything.Process(m).matched_rules;
    const Annotation& a = quick.Process(m);
    EXPECT_EQ(a.matched_rules, expected) << "line " << m.line;
    if (a.text == nullptr) ++untokenised;
  }
  // Then everyday chatter, mostly about something else, with hashtags and links.
  const std::vector<std::string> chatter = {
      "buen día a todos #Lunes", "el sol de hoy, qué calor #verano", "mirá https://x.com/a#b #Mundial",
      "Instagram no funciona?? #InstagramDown", "odio el tráfico", "#año nuevo, vida nueva",
      "good morning #coffee #Monday", "C# or Rust? #dev", "the bakery on 5th is great",
      "se cayó whatsapp otra vez 😡", "pedido listo en la Panadería Sol #PanaderiaSol", "nooo #fin",
      "#1 en ventas", "www.ejemplo.com#top y #abajo", "IG caído, no carga nada", "tarde otra vez"};
  std::mt19937 rng(3);
  std::vector<std::string> texts;
  for (int i = 0; i < 400; ++i)
    texts.push_back(chatter[rng() % chatter.size()] + " " + chatter[rng() % chatter.size()]);
  for (int i = 0; i < 400; ++i) {
    const Mention mention = At(2000000 + i / 20, texts[i], i);
    const std::vector<int> expected = everything.Process(mention).matched_rules;
    const Annotation& a = quick.Process(mention);
    EXPECT_EQ(a.matched_rules, expected) << texts[i];
    if (a.text == nullptr) ++untokenised;
  }
  quick.Finish();
  everything.Finish();
  EXPECT_GT(untokenised, 50);
  ASSERT_EQ(quick_minutes.size(), all_minutes.size());
  for (std::size_t i = 0; i < quick_minutes.size(); ++i) {
    EXPECT_EQ(quick_minutes[i].rule, all_minutes[i].rule);
    EXPECT_EQ(quick_minutes[i].minute, all_minutes[i].minute);
    EXPECT_EQ(quick_minutes[i].mentions, all_minutes[i].mentions);
    EXPECT_EQ(quick_minutes[i].negative, all_minutes[i].negative);
  }
  const auto same = [](const RuleSummary& a, const RuleSummary& b) {
    EXPECT_EQ(a.mentions, b.mentions);
    EXPECT_EQ(a.reach, b.reach);
    EXPECT_EQ(a.term_counts, b.term_counts);
    EXPECT_EQ(a.hashtags.total(), b.hashtags.total());
    const auto ta = a.hashtags.Top(64), tb = b.hashtags.Top(64);
    ASSERT_EQ(ta.size(), tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
      EXPECT_EQ(ta[i].key, tb[i].key);
      EXPECT_EQ(ta[i].count, tb[i].count);
    }
  };
  same(quick.overall(), everything.overall());
  EXPECT_GT(quick.overall().hashtags.total(), 0);
  ASSERT_EQ(quick.summaries().size(), everything.summaries().size());
  for (std::size_t r = 0; r < quick.summaries().size(); ++r) same(quick.summaries()[r], everything.summaries()[r]);
}

}  // namespace
}  // namespace faro
