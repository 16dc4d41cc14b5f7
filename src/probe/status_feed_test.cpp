#include "probe/status_feed.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

using Clock = std::chrono::system_clock;

Clock::time_point At(std::time_t t) { return Clock::from_time_t(t); }
constexpr std::time_t kNov22Noon = 1795348800;  // 2026-11-22T12:00:00Z

StatusFeedSpec Spec(FeedFormat f, std::string component = "") {
  return StatusFeedSpec{f, "https://status.test/", std::move(component)};
}

TEST(StatusFeed, StatuspageIndicator) {
  auto r = ParseStatusFeed(Spec(FeedFormat::kStatuspage),
                           R"({"page":{"id":"x"},"status":{"indicator":"major","description":"Major Service Outage"}})",
                           At(kNov22Noon));
  EXPECT_EQ(r.indicator, FeedIndicator::kMajor);
  EXPECT_EQ(r.description, "Major Service Outage");
}

TEST(StatusFeed, StatuspageComponent) {
  const char summary[] = R"({"components":[{"name":"API","status":"partial_outage"},{"name":"Web","status":"operational"}],
                             "status":{"indicator":"minor"}})";
  EXPECT_EQ(ParseStatusFeed(Spec(FeedFormat::kStatuspage, "API"), summary, At(kNov22Noon)).indicator,
            FeedIndicator::kMajor);
  EXPECT_EQ(ParseStatusFeed(Spec(FeedFormat::kStatuspage, "Web"), summary, At(kNov22Noon)).indicator,
            FeedIndicator::kNone);
  EXPECT_EQ(ParseStatusFeed(Spec(FeedFormat::kStatuspage, "Ads"), summary, At(kNov22Noon)).indicator,
            FeedIndicator::kUnknown);
}

TEST(StatusFeed, GarbageIsUnknownNotACrash) {
  for (FeedFormat f : {FeedFormat::kStatuspage, FeedFormat::kMetastatus, FeedFormat::kAtom, FeedFormat::kRss}) {
    auto r = ParseStatusFeed(Spec(f, "x"), "<html>oops", At(kNov22Noon));
    EXPECT_EQ(r.indicator, FeedIndicator::kUnknown);
    EXPECT_FALSE(r.description.empty());
  }
}

TEST(StatusFeed, MetastatusTakesTheWorstServiceOfTheOrg) {
  const char orgs[] = R"([{"id":"graph-api","name":"Graph API","services":[{"id":"a","name":"Reads","status":"No known issues"}]},
    {"id":"whatsapp-business-api","name":"WhatsApp Business API","services":[
      {"id":"s1","name":"Cloud API","status":"Medium disruptions"},
      {"id":"s2","name":"Webhooks","status":"No known issues"}]}])";
  auto wa = ParseStatusFeed(Spec(FeedFormat::kMetastatus, "whatsapp-business-api"), orgs, At(kNov22Noon));
  EXPECT_EQ(wa.indicator, FeedIndicator::kMajor);
  EXPECT_EQ(wa.description, "Cloud API: Medium disruptions");
  EXPECT_EQ(ParseStatusFeed(Spec(FeedFormat::kMetastatus, "graph-api"), orgs, At(kNov22Noon)).indicator,
            FeedIndicator::kNone);
}

TEST(StatusFeed, AtomOpenIncidentIsRecentAndUnresolved) {
  const char feed[] = R"(<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
    <entry><title>Gmail outage</title><updated>2026-11-22T10:30:00+00:00</updated><summary>Users cannot send mail</summary></entry>
    <entry><title>Calendar issue</title><updated>2026-11-22T11:30:00Z</updated><summary>Slow</summary></entry>
    </feed>)";
  auto r = ParseStatusFeed(Spec(FeedFormat::kAtom, "Gmail"), feed, At(kNov22Noon));
  EXPECT_EQ(r.indicator, FeedIndicator::kMajor);
  EXPECT_EQ(r.description, "Gmail outage");
  // Thirteen hours later the same entry is history.
  EXPECT_EQ(ParseStatusFeed(Spec(FeedFormat::kAtom, "Gmail"), feed, At(kNov22Noon + 13 * 3600)).indicator,
            FeedIndicator::kNone);
}

TEST(StatusFeed, RssResolvedEntryMeansNone) {
  const char feed[] = R"(<rss version="2.0"><channel>
    <item><title>Resolved: API errors</title><pubDate>Sun, 22 Nov 2026 11:00:00 GMT</pubDate></item>
    <item><title>API errors</title><pubDate>Sun, 22 Nov 2026 09:00:00 +0000</pubDate></item>
    </channel></rss>)";
  auto r = ParseStatusFeed(Spec(FeedFormat::kRss), feed, At(kNov22Noon));
  EXPECT_EQ(r.indicator, FeedIndicator::kNone);
}

}  // namespace
}  // namespace faro
