// Bounded counters, the mention memory and the distinguishing-terms statistic.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/strings.hpp"
#include "crisis/distinguishing_terms.hpp"
#include "crisis/mention_memory.hpp"
#include "crisis/sketch.hpp"
#include "text/normalise.hpp"

namespace faro::crisis {
namespace {

const TimePoint kT0 = FromUnixMillis(1772409600000);

TEST(FadingTermCounts, CountsHalveEveryHalfLife) {
  FadingTermCounts counts(16, std::chrono::hours(1));
  for (int i = 0; i < 10; ++i) counts.Add("reembolso", kT0);
  EXPECT_NEAR(counts.Count("reembolso", kT0), 10.0, 1e-9);
  EXPECT_NEAR(counts.Count("reembolso", kT0 + std::chrono::hours(1)), 5.0, 1e-6);
  EXPECT_NEAR(counts.Total(kT0 + std::chrono::hours(2)), 2.5, 1e-6);
  EXPECT_EQ(counts.Count("otra", kT0), 0.0);
}

TEST(FadingTermCounts, StaysBoundedAndKeepsTheFrequentTerms) {
  FadingTermCounts counts(50, std::chrono::hours(72));
  TimePoint t = kT0;
  constexpr int kSeconds = 100000;
  for (int i = 0; i < kSeconds; ++i) {
    t += std::chrono::seconds(1);
    counts.Add(StrCat("rare", i), t);
    if (i % 10 == 0) counts.Add("frequent", t);
    ASSERT_LT(counts.size(), 100u);
  }
  // What an exact fading count gives: each event weighs 2^(-age / 72 h).
  double frequent = 0, total = 0;
  for (int i = 0; i < kSeconds; ++i) {
    const double weight = std::exp2(-static_cast<double>(kSeconds - 1 - i) / (72.0 * 3600.0));
    total += weight * (i % 10 == 0 ? 2 : 1);
    if (i % 10 == 0) frequent += weight;
  }
  EXPECT_NEAR(counts.Count("frequent", t), frequent, frequent * 1e-6);  // never dropped
  EXPECT_NEAR(counts.Total(t), total, total * 1e-6);                    // the total is exact
  EXPECT_EQ(counts.Count("rare5", t), 0.0);                             // long dropped
}

TEST(FadingTermCounts, SurvivesRescalingOverWeeks) {
  FadingTermCounts counts(8, std::chrono::hours(1));
  TimePoint t = kT0;
  for (int i = 0; i < 24 * 21; ++i) {  // three weeks, hourly: many rescalings
    t += std::chrono::hours(1);
    counts.Add("cada-hora", t);
  }
  // A geometric series: 1 + 1/2 + 1/4 + ... = 2.
  EXPECT_NEAR(counts.Count("cada-hora", t), 2.0, 1e-6);
}

TEST(DistinctCount, ExactForFewAndCloseForMany) {
  DistinctCount few;
  for (int i = 0; i < 40; ++i) few.Add(StrCat("author", i % 20));
  EXPECT_NEAR(static_cast<double>(few.Estimate()), 20.0, 1.0);
  DistinctCount many;
  for (int i = 0; i < 50000; ++i) many.Add(StrCat("author", i));
  EXPECT_NEAR(static_cast<double>(many.Estimate()), 50000.0, 50000.0 * 0.06);
  EXPECT_EQ(DistinctCount().Estimate(), 0);
}

TEST(DistinguishingTerms, PrefersWordsThatAreNewOverWordsThatAreAlwaysThere) {
  // "ana" is as frequent in the crisis as usual; "estafa" is new; "hola" is new but rare.
  std::vector<TermCount> crisis = {{"ana", 100}, {"estafa", 60}, {"hola", 2}, {"reembolso", 20}};
  std::vector<double> usual = {1000, 1, 0, 0};
  const auto terms = DistinguishingTerms(crisis, 400, usual, 4000);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].term, "estafa");
  EXPECT_EQ(terms[1].term, "reembolso");
  EXPECT_GT(terms[0].z, terms[1].z);
  EXPECT_GE(terms[1].z, 1.96);
}

TEST(MentionTerms, DistinctFoldedWordsAndHashtagsWithoutFunctionWords) {
  Normaliser normaliser;
  NormalisedText text;
  normaliser.Normalise("Qué ESTAFA la de @NutriAna, estafa total #NuncaMás https://x.co/a 2024 para", text);
  std::string terms;
  MentionTerms(text, terms);
  EXPECT_EQ(terms, "estafa total #nuncamas");
}

TEST(MentionTerms, KeysPointAtEachDistinctTermUpToTheLimit) {
  // 300 words and hashtags, each said twice or more: more distinct terms than fit.
  std::string input;
  for (int i = 0; i < 300; ++i) input += StrCat("palabra", i, " #t", i, " palabra", i, " #t", i % 3, " ");
  Normaliser normaliser;
  NormalisedText text;
  normaliser.Normalise(input, text);
  std::string terms;
  std::vector<TermKey> keys;
  MentionTerms(text, terms, &keys);
  EXPECT_LE(terms.size(), kTermsBytes);
  EXPECT_GT(terms.size(), kTermsBytes - 20);
  std::vector<std::string> split;
  for (std::string_view t : Split(terms, " ")) split.emplace_back(t);
  ASSERT_EQ(keys.size(), split.size());
  std::set<std::string> distinct(split.begin(), split.end());
  EXPECT_EQ(distinct.size(), split.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(terms.substr(keys[i].begin, keys[i].size), split[i]);
    EXPECT_EQ(keys[i].hash, StableHash(split[i]));
  }
  EXPECT_EQ(split[0], "palabra0");
  EXPECT_EQ(split[1], "#t0");
  EXPECT_EQ(split[2], "palabra1");
  // Without keys, the same terms.
  std::string again;
  MentionTerms(text, again);
  EXPECT_EQ(again, terms);
}

TEST(MentionMemory, BoundedByCountAndAgeWithClippedCopies) {
  MentionMemory memory(3, std::chrono::minutes(10));
  const std::string longer(1000, 'a');
  for (int i = 0; i < 5; ++i) {
    Mention m;
    m.at = kT0 + std::chrono::minutes(i);
    const std::string id = StrCat("id", i);
    m.id = id;
    m.text = longer;
    memory.Add(m, Sentiment{}, "", i);
  }
  ASSERT_EQ(memory.size(), 3u);
  EXPECT_EQ(memory.at(0).id, "id2");
  EXPECT_EQ(memory.at(2).id, "id4");
  EXPECT_LE(memory.at(0).text.size(), kTextBytes + 3);
  EXPECT_EQ(memory.newest_dropped(), kT0 + std::chrono::minutes(1));
  Mention later;
  later.at = kT0 + std::chrono::minutes(14);
  later.id = "late";
  memory.Add(later, Sentiment{}, "", 9);
  ASSERT_EQ(memory.size(), 2u);  // id2 and id3 are more than 10 minutes older
  EXPECT_EQ(memory.at(0).id, "id4");
  EXPECT_EQ(memory.at(1).id, "late");
}

}  // namespace
}  // namespace faro::crisis
