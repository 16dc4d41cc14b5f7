// CrisisWatch on synthetic streams (simulated clock: time is in the mentions).
#include "crisis/crisis_watch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "crisis/crisis_card.hpp"
#include "crisis/test_stream.hpp"
#include "listen/query.hpp"

namespace faro::crisis {
namespace {

using testing::Feed;
using testing::kDay0;
using testing::kMinute;
using testing::Post;
using testing::Random;

constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

std::shared_ptr<const RuleSet> Rules() {
  std::vector<RuleDef> defs(2);
  defs[0].kind = RuleDef::Kind::kBrand;
  defs[0].id = "nutricion-ana";
  defs[0].name = "Nutrición Ana";
  for (const char* k : {"nutricion ana", "@nutriana"}) defs[0].keywords.push_back(*ParseKeyword(k));
  defs[1].kind = RuleDef::Kind::kTopic;
  defs[1].id = "whatsapp-caido";
  defs[1].name = "WhatsApp caído";
  defs[1].platform = "whatsapp";
  defs[1].keywords.push_back(*ParseKeyword("whatsapp caido"));
  auto rules = RuleSet::Compile(defs);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return *rules;
}

int RuleIndex(const RuleSet& rules, std::string_view id) {
  for (std::size_t i = 0; i < rules.rules().size(); ++i)
    if (rules.rules()[i].id == id) return static_cast<int>(i);
  return -1;
}

// A brand's usual day: about 0.4 mentions a minute at night, 3 around 14:30, 12 % negative.
double UsualRate(int64_t ms) {
  const double hour = static_cast<double>(((ms % kDay) + kDay) % kDay) / static_cast<double>(kHour);
  const double day = std::sin(3.14159265358979 * (hour - 7.0) / 15.0);
  return 0.4 + 2.6 * std::max(0.0, hour >= 7 && hour <= 22 ? day : 0.0);
}

const char* const kUsualTexts[] = {
    "Gracias @nutriana por la consulta de hoy, súper clara",
    "Hoy probé la receta de avena de Nutrición Ana",
    "¿Alguien fue a Nutrición Ana? ¿Qué tal los planes?",
    "Consulta con @nutriana el jueves, vamos con todo",
    "Los menús semanales de Nutrición Ana me salvan la semana",
    "No me convenció el plan de @nutriana, muy estricto",
    "Me encanta el contenido de Nutrición Ana sobre legumbres",
    "@nutriana ¿atienden los sábados por la mañana?",
};
const char* const kUsualExtras[] = {"lunes", "martes", "yogur", "frutas", "ensalada", "turno", "horario",
                                    "receta", "verduras", "desayuno", "merienda", "agua"};

Polarity RandomPolarity(Random& rng, double negative_share) {
  const double u = rng.Uniform();
  if (u < negative_share) return Polarity::kNegative;
  if (u < negative_share + (1 - negative_share) * 0.5) return Polarity::kPositive;
  if (u < negative_share + (1 - negative_share) * 0.9) return Polarity::kNeutral;
  return Polarity::kUnknown;
}

// The usual stream of the brand from `from` to `to` (Unix ms), appended to `out`.
void UsualStream(Random& rng, int rule, int64_t from, int64_t to, std::vector<Post>& out,
                 double negative_share = 0.12) {
  for (int64_t minute = from; minute < to; minute += kMinute) {
    const int n = rng.Poisson(UsualRate(minute));
    for (int i = 0; i < n; ++i) {
      Post p;
      p.ms = minute + rng.Below(60000);
      p.id = StrCat("u-", minute / kMinute, "-", i);
      p.author = StrCat("fan", rng.Below(800));
      p.text = StrCat(kUsualTexts[rng.Below(8)], " ", kUsualExtras[rng.Below(12)]);
      p.followers = 50 + rng.Below(500);
      p.polarity = RandomPolarity(rng, negative_share);
      p.rules = {rule};
      out.push_back(std::move(p));
    }
  }
}

void SortByTime(std::vector<Post>& posts) {
  std::stable_sort(posts.begin(), posts.end(), [](const Post& a, const Post& b) { return a.ms < b.ms; });
}

struct Outcome {
  std::vector<Event> events;
  std::vector<Crisis> crises;
};

Outcome Play(std::vector<Post>& posts, CrisisOptions options = {}) {
  auto rules = Rules();
  CrisisWatch watch(rules, std::move(options));
  Outcome run;
  watch.OnEvent([&](const Event& e) { run.events.push_back(e); });
  SortByTime(posts);
  Feed feed(rules, &watch);
  for (const Post& p : posts) feed.Add(p);
  feed.Finish();
  EXPECT_TRUE(watch.status().ok()) << watch.status();
  run.crises = watch.Crises();
  return run;
}

const Event* FirstOfKind(const Outcome& run, std::string_view kind) {
  for (const Event& e : run.events)
    if (e.kind == kind) return &e;
  return nullptr;
}

int64_t CountOfKind(const Outcome& run, std::string_view kind) {
  return std::count_if(run.events.begin(), run.events.end(), [&](const Event& e) { return e.kind == kind; });
}

// One customer replies again and again to the brand's post, nobody answers; after ten
// minutes a few others join, replying to the customer.
std::vector<Post> UnheardCustomer(Random& rng, int brand, bool brand_answers) {
  std::vector<Post> posts;
  const int64_t start = kDay0 + kDay + 14 * kHour + 2 * kMinute;  // day 2, 14:02
  UsualStream(rng, brand, kDay0, start + 3 * kHour, posts);
  const char* const kJuan[] = {
      "@nutriana me cobraron dos veces la consulta y nadie me responde. Quiero mi reembolso",
      "@nutriana sigo esperando el reembolso, me cobraron dos veces",
      "@nutriana ¿nadie lee los mensajes? reembolso ya",
      "@nutriana tercer día sin respuesta, devuelvan el cobro doble, reembolso"};
  int i = 0;
  for (int64_t t = start + 10000; t < start + 30 * kMinute; t += 8000, ++i) {
    Post p;
    p.ms = t;
    p.id = StrCat("juan-", i);
    p.author = "juanp";
    p.text = kJuan[i == 0 ? 0 : 1 + i % 3];
    p.reply_to = "ana-100";
    p.reply_to_author = "NutriAna";
    p.followers = 230;
    p.polarity = Polarity::kNegative;
    p.rules = {brand};
    posts.push_back(std::move(p));
  }
  for (int64_t t = start + 10 * kMinute; t < start + 30 * kMinute; t += 30000) {
    Post p;
    p.ms = t + rng.Below(20000);
    p.id = StrCat("other-", t);
    p.author = StrCat("vecino", rng.Below(12));
    p.text = "@juanp a mí también me cobraron doble en Nutrición Ana, qué estafa";
    p.reply_to = "juan-0";
    p.reply_to_author = "juanp";
    p.followers = 80;
    p.shares = rng.Below(4);
    p.polarity = Polarity::kNegative;
    p.rules = {brand};
    posts.push_back(std::move(p));
  }
  if (brand_answers) {
    Post p;  // the brand's answer matches no rule, but the watch sees it
    p.ms = start + 5 * kMinute;
    p.id = "ana-reply";
    p.author = "nutriana";
    p.text = "@juanp hola Juan, te escribimos por privado para resolverlo";
    p.reply_to = "juan-0";
    p.reply_to_author = "juanp";
    p.polarity = Polarity::kPositive;
    posts.push_back(std::move(p));
  }
  return posts;
}

TEST(CrisisWatch, SingleUnheardCustomerIsTracedToTheirReplies) {
  Random rng(1);
  auto rules = Rules();
  const int brand = RuleIndex(*rules, "nutricion-ana");
  auto posts = UnheardCustomer(rng, brand, false);
  const Outcome run = Play(posts);
  const int64_t start = kDay0 + kDay + 14 * kHour + 2 * kMinute;

  ASSERT_EQ(CountOfKind(run, "crisis-suspected"), 1);
  const Event& e = *FirstOfKind(run, "crisis-suspected");
  EXPECT_EQ(e.subject, "brand:nutricion-ana");
  EXPECT_EQ(e.state, "suspected");
  EXPECT_LE(ToUnixMillis(e.at), start + 12 * kMinute) << "suspected too late";
  EXPECT_GE(ToUnixMillis(e.at), start);
  ASSERT_FALSE(run.crises.empty());
  const Crisis& c = run.crises.front();
  const CrisisOrigin& o = c.origin;
  ASSERT_FALSE(o.earliest.empty());
  EXPECT_EQ(o.earliest.front().author_handle, "juanp");
  EXPECT_TRUE(o.started_as_reply_to_brand);
  EXPECT_EQ(o.brand_handle, "nutriana");
  EXPECT_FALSE(o.brand_answered);
  EXPECT_EQ(o.pattern, OriginPattern::kOneAuthor);
  EXPECT_EQ(o.top_author, "juanp");
  EXPECT_GE(o.top_author_share, 0.5);
  EXPECT_GE(o.conversation_share, o.top_author_share);  // the others reply to him
  std::vector<std::string> terms;
  for (const auto& t : o.terms) terms.push_back(t.term);
  EXPECT_NE(std::find(terms.begin(), terms.end(), "reembolso"), terms.end()) << Join(terms, ",");
  // The evidence carries the card.
  EXPECT_EQ(e.evidence["origin"]["earliest"][0]["author"], "juanp");
  const std::string card = CrisisCardText(c, Lang::kEs);
  EXPECT_NE(card.find("con una respuesta de @juanp a vuestra cuenta que nadie contestó"), std::string::npos) << card;
  const std::string card_en = CrisisCardText(c, Lang::kEn);
  EXPECT_NE(card_en.find("a reply from @juanp to your account that nobody answered"), std::string::npos) << card_en;
}

TEST(CrisisWatch, ABrandReplySeenInTheStreamCountsAsAnswered) {
  Random rng(1);
  auto rules = Rules();
  auto posts = UnheardCustomer(rng, RuleIndex(*rules, "nutricion-ana"), true);
  const Outcome run = Play(posts);
  ASSERT_FALSE(run.crises.empty());
  EXPECT_TRUE(run.crises.front().origin.brand_answered);
  EXPECT_EQ(CrisisCardText(run.crises.front(), Lang::kEs).find("nadie contestó"), std::string::npos);
}

// Many people repeat one rumour ("aumento") within minutes.
std::vector<Post> Misunderstanding(Random& rng, int brand, int64_t start, int64_t minutes, int64_t tail) {
  std::vector<Post> posts;
  UsualStream(rng, brand, kDay0, start + minutes * kMinute + tail, posts);
  const char* const kRumour[] = {
      "¿Es verdad el aumento de Nutrición Ana? Leí que cobran el doble",
      "Vi que Nutrición Ana anunció un aumento del 50 por ciento",
      "Si hay aumento en Nutrición Ana me busco otra nutricionista"};
  int n = 0;
  for (int64_t m = 0; m < minutes; ++m) {
    const int count = rng.Poisson(25.0);
    for (int i = 0; i < count; ++i, ++n) {
      Post p;
      p.ms = start + m * kMinute + rng.Below(60000);
      p.id = StrCat("rumour-", n);
      p.author = StrCat("persona", n);
      p.text = kRumour[rng.Below(3)];
      p.followers = 20 + rng.Below(2000);
      p.shares = rng.Below(3);
      p.polarity = rng.Uniform() < 0.5 ? Polarity::kNegative : Polarity::kNeutral;
      p.rules = {brand};
      posts.push_back(std::move(p));
    }
  }
  return posts;
}

TEST(CrisisWatch, WidespreadMisunderstandingHasManyAuthorsAndOneDistinguishingTerm) {
  Random rng(2);
  auto rules = Rules();
  const int64_t start = kDay0 + kDay + 11 * kHour;
  auto posts = Misunderstanding(rng, RuleIndex(*rules, "nutricion-ana"), start, 20, 20 * kMinute);
  const Outcome run = Play(posts);
  ASSERT_EQ(CountOfKind(run, "crisis-suspected"), 1);
  EXPECT_LE(ToUnixMillis(FirstOfKind(run, "crisis-suspected")->at), start + 5 * kMinute);
  const Crisis& c = run.crises.front();
  EXPECT_NE(c.kind, CrisisKind::kNegativeWave);
  EXPECT_EQ(c.origin.pattern, OriginPattern::kManyAuthors);
  EXPECT_LT(c.origin.top_author_share, 0.1);
  EXPECT_FALSE(c.origin.started_as_reply_to_brand);
  ASSERT_FALSE(c.origin.terms.empty());
  EXPECT_EQ(c.origin.terms.front().term, "aumento");
  // Nearly every crisis mention has its own author; the estimate is close.
  EXPECT_GE(c.magnitude.unique_authors, c.magnitude.mentions * 85 / 100);
  EXPECT_LE(c.magnitude.unique_authors, c.magnitude.mentions * 105 / 100);
  EXPECT_GT(c.magnitude.peak_per_minute, 15.0);
  EXPECT_LT(c.magnitude.usual_per_minute, 5.0);
  EXPECT_GT(c.magnitude.reach, 0);
  ASSERT_FALSE(c.origin.most_amplified.empty());
  EXPECT_EQ(c.origin.most_amplified.front().shares, 2);  // the most shared first
}

TEST(CrisisWatch, NegativeWaveWithoutMoreVolume) {
  Random rng(3);
  auto rules = Rules();
  const int brand = RuleIndex(*rules, "nutricion-ana");
  const int64_t start = kDay0 + kDay + 15 * kHour;
  std::vector<Post> posts;
  UsualStream(rng, brand, kDay0, start, posts);
  UsualStream(rng, brand, start, start + 40 * kMinute, posts, 0.75);
  UsualStream(rng, brand, start + 40 * kMinute, start + 3 * kHour, posts);
  const Outcome run = Play(posts);
  ASSERT_EQ(CountOfKind(run, "crisis-suspected"), 1);
  const Event& e = *FirstOfKind(run, "crisis-suspected");
  EXPECT_GE(ToUnixMillis(e.at), start);
  EXPECT_LE(ToUnixMillis(e.at), start + 15 * kMinute);
  const Crisis& c = run.crises.front();
  EXPECT_EQ(c.kind, CrisisKind::kNegativeWave);
  EXPECT_EQ(e.evidence["kind"], "negative-wave");
  EXPECT_GT(c.magnitude.overall_negative_share, 0.5);
  EXPECT_LT(c.magnitude.usual_negative_share, 0.25);
}

TEST(CrisisWatch, NormalDailyRhythmRaisesNoCrisis) {
  Random rng(4);
  auto rules = Rules();
  std::vector<Post> posts;
  UsualStream(rng, RuleIndex(*rules, "nutricion-ana"), kDay0, kDay0 + 4 * kDay, posts);
  const Outcome run = Play(posts);
  EXPECT_EQ(run.events.size(), 0u) << (run.events.empty() ? "" : EventToJson(run.events.front()).dump());
  EXPECT_TRUE(run.crises.empty());
}

TEST(CrisisWatch, CrisisIsOverAfterCalm) {
  Random rng(5);
  auto rules = Rules();
  const int64_t start = kDay0 + kDay + 10 * kHour;
  auto posts = Misunderstanding(rng, RuleIndex(*rules, "nutricion-ana"), start, 20, 4 * kHour);
  CrisisOptions options;
  const Outcome run = Play(posts, options);
  ASSERT_EQ(CountOfKind(run, "crisis-suspected"), 1);
  ASSERT_EQ(CountOfKind(run, "crisis-over"), 1);
  const Event& over = *FirstOfKind(run, "crisis-over");
  const int64_t spike_end = start + 20 * kMinute;
  EXPECT_GE(ToUnixMillis(over.at), spike_end + options.calm_for.count() * kMinute);
  EXPECT_LE(ToUnixMillis(over.at), spike_end + 90 * kMinute);
  EXPECT_EQ(over.state, "over");
  EXPECT_EQ(over.previous, "suspected");
  EXPECT_EQ(over.evidence["state"], "over");
  ASSERT_EQ(run.crises.size(), 1u);
  EXPECT_FALSE(run.crises.front().open);
  // Events come in time order.
  for (std::size_t i = 1; i < run.events.size(); ++i) EXPECT_LE(run.events[i - 1].at, run.events[i].at);
}

TEST(CrisisWatch, MemoryStaysBoundedOverALongStream) {
  auto rules = Rules();
  const int brand = RuleIndex(*rules, "nutricion-ana");
  CrisisOptions options;
  options.memory_mentions = 256;
  options.usual_terms = 128;
  CrisisWatch watch(rules, options);
  Feed feed(rules, &watch);
  Random rng(6);
  std::size_t most_mentions = 0, most_terms = 0;
  // Three days at 20 mentions a minute, each with three words out of 50,000.
  for (int64_t minute = 0; minute < 3 * 24 * 60; ++minute) {
    for (int i = 0; i < 20; ++i) {
      Post p;
      p.ms = kDay0 + minute * kMinute + i * 3000;
      p.id = StrCat("m", minute, "-", i);
      p.author = StrCat("a", rng.Below(100000));
      p.text = StrCat("Nutrición Ana w", rng.Below(50000), " w", rng.Below(50000), " w", rng.Below(50000));
      p.polarity = RandomPolarity(rng, 0.12);
      p.rules = {brand};
      feed.Add(p);
    }
    const auto use = watch.memory_use(brand);
    most_mentions = std::max(most_mentions, use.mentions);
    most_terms = std::max(most_terms, use.usual_terms);
  }
  feed.Finish();
  EXPECT_EQ(most_mentions, 256u);
  EXPECT_LT(most_terms, 2u * 128u);
  EXPECT_GE(most_terms, 128u);  // the sketch is in use, not empty
}

TEST(CrisisWatch, ZerosFillQuietMinutesButAnInputGapIsNotSilence) {
  // A brand that stops being mentioned while the input goes on: its quiet minutes are zeros,
  // so a crisis ends even though the brand gets no more mentions.
  Random rng(7);
  auto rules = Rules();
  const int brand = RuleIndex(*rules, "nutricion-ana");
  const int topic = RuleIndex(*rules, "whatsapp-caido");
  const int64_t start = kDay0 + kDay + 10 * kHour;
  auto posts = Misunderstanding(rng, brand, start, 20, 0);
  for (int64_t t = start + 20 * kMinute; t < start + 3 * kHour; t += 20000) {
    Post p;
    p.ms = t;
    p.id = StrCat("wa-", t);
    p.author = "someone";
    p.text = "whatsapp caido";
    p.rules = {topic};
    posts.push_back(std::move(p));
  }
  const Outcome run = Play(posts);
  EXPECT_EQ(CountOfKind(run, "crisis-over"), 1);

  // The same spike followed by seven hours with no input at all, then mentions again: the
  // silence is a gap, not seven hours of zeros (the crisis is not declared over during it).
  Random rng2(7);
  auto gap_posts = Misunderstanding(rng2, brand, start, 20, 0);
  CrisisOptions options;
  auto rules2 = Rules();
  CrisisWatch watch(rules2, options);
  std::vector<Event> events;
  watch.OnEvent([&](const Event& e) { events.push_back(e); });
  Feed feed(rules2, &watch);
  SortByTime(gap_posts);
  for (const Post& p : gap_posts) feed.Add(p);
  Post late;
  late.ms = start + 20 * kMinute + 7 * kHour;
  late.id = "after-gap";
  late.author = "fan1";
  late.text = "Nutrición Ana";
  late.rules = {brand};
  feed.Add(late);
  bool over_during_gap = false;
  for (const Event& e : events)
    if (e.kind == "crisis-over" && ToUnixMillis(e.at) < late.ms - 5 * kMinute) over_during_gap = true;
  EXPECT_FALSE(over_during_gap);
}

TEST(CrisisWatch, WorksOnTheListenPipelineOutput) {
  // The wiring `faro listen --rules` uses: real normalisation, rules and sentiment.
  auto rules = Rules();
  ListenPipeline pipeline(rules);
  CrisisWatch watch(rules);
  pipeline.OnMinute([&](const RuleMinute& m) { watch.OnMinute(m); });
  Random rng(8);
  std::vector<Post> posts;
  UsualStream(rng, 0, kDay0, kDay0 + kDay + 12 * kHour, posts);
  const int64_t start = kDay0 + kDay + 12 * kHour;
  for (int i = 0; i < 600; ++i) {
    Post p;
    p.ms = start + i * 2000;
    p.id = StrCat("s", i);
    p.author = StrCat("p", i);
    p.text = "Nutrición Ana es una estafa, horrible, quiero mi reembolso";
    posts.push_back(std::move(p));
  }
  SortByTime(posts);
  for (const Post& p : posts) {
    Mention m;
    m.id = p.id;
    m.at = FromUnixMillis(p.ms);
    m.author_handle = p.author;
    m.text = p.text;
    m.followers = p.followers;
    const Annotation& a = pipeline.Process(m);
    watch.OnMention(m, a);
  }
  pipeline.Finish();
  watch.Finish();
  ASSERT_TRUE(watch.status().ok()) << watch.status();
  const auto crises = watch.Crises();
  ASSERT_EQ(crises.size(), 1u);
  EXPECT_EQ(crises.front().rule_id, "nutricion-ana");
  EXPECT_NE(crises.front().kind, CrisisKind::kNegativeWave);
  EXPECT_GE(crises.front().started, FromUnixMillis(start - 2 * kMinute));
  const std::string report = CrisisReport(watch, Lang::kEn);
  EXPECT_NE(report.find("Suspected crises: 1"), std::string::npos) << report;
  EXPECT_NE(report.find("Possible crisis at \u201cNutrición Ana\u201d"), std::string::npos) << report;
}

}  // namespace
}  // namespace faro::crisis
