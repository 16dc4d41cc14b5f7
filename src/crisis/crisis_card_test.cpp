// Crisis cards: golden files for one card in Spanish and English and as JSON.
#include "crisis/crisis_card.hpp"

#include <gtest/gtest.h>

#include "core/event.hpp"
#include "core/time_text.hpp"
#include "listen/golden_test_util.hpp"

namespace faro::crisis {
namespace {

RecentMention Post(std::string id, std::string at, std::string author, int64_t followers, int64_t shares,
                   std::string text, std::string reply_to, std::string reply_to_author) {
  RecentMention m;
  m.id = std::move(id);
  m.at = *ParseRfc3339(at);
  m.author_id = "id-" + author;
  m.author_handle = std::move(author);
  m.followers = followers;
  m.shares = shares;
  m.likes = shares * 3;
  m.polarity = Polarity::kNegative;
  m.score = -0.7;
  m.text = std::move(text);
  m.url = "https://x.com/" + m.author_handle + "/status/" + m.id;
  m.reply_to = std::move(reply_to);
  m.reply_to_author = std::move(reply_to_author);
  return m;
}

// The example of issue 5: an unanswered customer's reply thread turns into a crisis.
Crisis Example() {
  Crisis c;
  c.number = 1;
  c.rule = 0;
  c.rule_id = "nutricion-ana";
  c.rule_name = "Nutrición Ana";
  c.brand = true;
  c.subject = "brand:nutricion-ana";
  c.kind = CrisisKind::kBoth;
  c.started = *ParseRfc3339("2026-03-03T14:02:00Z");
  c.suspected = *ParseRfc3339("2026-03-03T14:09:00Z");
  c.updated = *ParseRfc3339("2026-03-03T14:21:00Z");
  c.volume_score = 0.612;
  c.negative_score = 0.585;
  CrisisMagnitude& m = c.magnitude;
  m.per_minute = 48.3;
  m.usual_per_minute = 2.1;
  m.peak_per_minute = 57;
  m.mentions = 1212;
  m.unique_authors = 377;
  m.reach = 1234567;
  m.shares = 845;
  m.velocity = 4.24;
  m.negative_share = 0.712;
  m.usual_negative_share = 0.118;
  m.overall_negative_share = 0.69;
  CrisisOrigin& o = c.origin;
  o.earliest = {Post("9001", "2026-03-03T14:02:10Z", "juanp", 230, 2,
                     "@nutriana me cobraron dos veces la consulta y nadie me responde. Quiero mi reembolso",
                     "ana-100", "nutriana"),
                Post("9002", "2026-03-03T14:03:40Z", "juanp", 230, 0, "@nutriana ¿nadie lee los mensajes?\nreembolso ya",
                     "ana-100", "nutriana"),
                Post("9010", "2026-03-03T14:06:05Z", "marta_r", 1200, 14,
                     "@juanp a mí también me cobraron doble, una estafa #NuncaMás", "9001", "juanp")};
  o.most_amplified = {Post("9044", "2026-03-03T14:11:00Z", "influencer", 98000, 320,
                           "Ojo con Nutrición Ana: cobran doble y no devuelven. #NuncaMás", "9001", "juanp"),
                      o.earliest[2]};
  o.pattern = OriginPattern::kOnePost;
  o.top_author = "juanp";
  o.top_author_mentions = 140;
  o.top_author_share = 0.1155;
  o.top_post = "9001";
  o.top_post_author = "juanp";
  o.top_post_replies = 790;
  o.top_post_share = 0.652;
  o.started_as_reply_to_brand = true;
  o.brand_handle = "nutriana";
  o.brand_answered = false;
  o.conversation_share = 0.83;
  o.replies_to_brand_share = 0.12;
  o.terms = {{"estafa", 512, 0.4, 21.37}, {"reembolso", 301, 1.2, 15.9}, {"#nuncamas", 207, 0, 13.04}};
  return c;
}

TEST(CrisisCard, GoldenTextInSpanishAndEnglish) {
  const Crisis c = Example();
  faro::testing::ExpectGolden("src/crisis/testdata/card.es.golden.txt", CrisisCardText(c, Lang::kEs));
  faro::testing::ExpectGolden("src/crisis/testdata/card.en.golden.txt", CrisisCardText(c, Lang::kEn));
}

TEST(CrisisCard, GoldenJson) {
  faro::testing::ExpectGolden("src/crisis/testdata/card.golden.json", CrisisCardJson(Example()).dump(2) + "\n");
}

TEST(CrisisCard, HeadlineReadsLikeTheIssueExample) {
  const std::string es = CrisisHeadline(Example(), Lang::kEs);
  EXPECT_EQ(es,
            "Posible crisis en «Nutrición Ana» (pico de menciones y ola negativa): 48 menciones/min (lo normal: "
            "2,1), 71 % negativas (lo normal: 12 %).");
  const std::string en = CrisisHeadline(Example(), Lang::kEn);
  EXPECT_EQ(en,
            "Possible crisis at \u201cNutrición Ana\u201d (mention spike and negative wave): 48 mentions/min "
            "(usual: 2.1), 71% negative (usual: 12%).");
}

TEST(CrisisCard, OverCardsTellThePeakAndTheSpan) {
  Crisis c = Example();
  c.open = false;
  c.ended = *ParseRfc3339("2026-03-03T15:40:00Z");
  const std::string es = CrisisCardText(c, Lang::kEs);
  EXPECT_NE(es.find("Crisis terminada en «Nutrición Ana» (pico de menciones y ola negativa, 14:02\u201315:40 UTC): "
                    "hasta 57 menciones/min"),
            std::string::npos)
      << es;
  EXPECT_EQ(es.find("velocidad"), std::string::npos);  // no velocity once it is over
  EXPECT_EQ(CrisisCardJson(c)["ended"], "2026-03-03T15:40:00.000Z");
}

TEST(CrisisCard, EventEvidenceRoundTrips) {
  Event e;
  e.at = Example().suspected;
  e.kind = "crisis-suspected";
  e.subject = "brand:nutricion-ana";
  e.state = "suspected";
  e.evidence = CrisisCardJson(Example());
  auto back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->evidence, e.evidence);
  EXPECT_EQ(back->evidence["origin"]["pattern"], "one-post");
}

}  // namespace
}  // namespace faro::crisis
