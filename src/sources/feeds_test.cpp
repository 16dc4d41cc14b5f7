// RSS 2.0 and Atom feeds, HTML to text, RFC 822 dates.
#include "sources/feeds.hpp"

#include <gtest/gtest.h>

#include "core/time_text.hpp"
#include "sources/feed_text.hpp"
#include "sources/test_util.hpp"

namespace faro::sources {
namespace {

using testing::ExpectGolden;
using testing::ReadTestdata;
using testing::Report;

TEST(Feeds, RssSampleMatchesGoldenFiles) {
  FeedConnector connector("donfaro");
  const ConvertResult r = connector.Convert(ReadTestdata("rss_sample.xml"));
  ExpectGolden("rss_sample.expected.jsonl", ToJsonLines(r));
  ExpectGolden("rss_sample.report.txt", Report(r));
}

TEST(Feeds, AtomSampleMatchesGoldenFiles) {
  FeedConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("atom_sample.xml"));
  ExpectGolden("atom_sample.expected.jsonl", ToJsonLines(r));
  ExpectGolden("atom_sample.report.txt", Report(r));
}

TEST(Feeds, RssItemsBecomePlainTextMentions) {
  FeedConnector connector("donfaro");
  const ConvertResult r = connector.Convert(ReadTestdata("rss_sample.xml"));
  ASSERT_EQ(r.mentions.size(), 2u);
  EXPECT_EQ(r.mentions[0].text,
            "Don Faro: ¿qué pasó con el delivery? — Varios lectores nos escribieron: pedidos demorados más de dos "
            "horas… Leer más");
  EXPECT_EQ(r.mentions[0].id, "resenas-2026-11-20-don-faro");
  EXPECT_EQ(Rfc3339(r.mentions[0].at), "2026-11-20T21:30:00.000Z");  // -0300
  EXPECT_EQ(r.mentions[0].channel, "Reseñas gastronómicas & más");
  EXPECT_EQ(r.mentions[0].brand, "donfaro");
  // CDATA with HTML: the script is dropped, &mdash; decoded; no guid: the link is the id.
  EXPECT_EQ(r.mentions[1].text, "La mejor fugazzeta de Palermo — Probamos cinco pizzerías. Ganó Don Faro — otra vez.");
  EXPECT_EQ(r.mentions[1].id, "https://resenas.example.com/2026/11/fugazzeta");
  EXPECT_EQ(r.mentions[1].author_handle, "Marina Sosa");
  EXPECT_EQ(r.mentions[0].author_handle, "Redacción");  // "mail@example.com (Redacción)"
  ASSERT_EQ(r.rejections.size(), 3u);
  EXPECT_EQ(r.rejections[0].where, "item[2]");
  EXPECT_EQ(r.rejections[0].field, "pubDate");
  EXPECT_EQ(r.rejections[1].reason, "bad-time");
  EXPECT_EQ(r.rejections[2].field, "title");
}

TEST(Feeds, AtomEntriesPreferPublishedAndTheAlternateLink) {
  FeedConnector connector;
  const ConvertResult r = connector.Convert(ReadTestdata("atom_sample.xml"));
  ASSERT_EQ(r.mentions.size(), 2u);
  EXPECT_EQ(Rfc3339(r.mentions[0].at), "2026-11-21T00:45:00.000Z");
  EXPECT_EQ(r.mentions[0].url, "https://clientes.example.org/posts/cobro-duplicado");
  EXPECT_EQ(r.mentions[0].text, "Cobro duplicado en Don Faro — Me cobraron dos veces el mismo pedido — ¿a alguien más?");
  EXPECT_EQ(r.mentions[0].author_handle, "Pablo R.");
  EXPECT_EQ(r.mentions[1].text, "Gracias al equipo — Resolvieron todo en 5 minutos. ¡Excelente atención!");
  EXPECT_EQ(Rfc3339(r.mentions[1].at), "2026-11-20T20:00:00.500Z");
  ASSERT_EQ(r.rejections.size(), 2u);
  EXPECT_EQ(r.rejections[0].where, "entry[2]");
  EXPECT_EQ(r.rejections[1].field, "title");
}

TEST(Feeds, DocumentsThatAreNotFeedsAreOneRejection) {
  FeedConnector connector;
  for (const auto& [doc, reason] : std::vector<std::pair<std::string, std::string>>{
           {"<rss><channel><item>", "malformed-xml"},
           {"<html><body>hola</body></html>", "unsupported-feed"},
           {"<rss version=\"2.0\"/>", "missing-field"},
           {"", "malformed-xml"}}) {
    const ConvertResult r = connector.Convert(doc);
    ASSERT_EQ(r.rejections.size(), 1u) << doc;
    EXPECT_EQ(r.rejections[0].reason, reason) << doc;
  }
}

TEST(Feeds, DeepOrHostileDocumentsDoNotCrash) {
  FeedConnector connector;
  std::string deep = "<rss><channel><item><title>t</title><pubDate>Fri, 20 Nov 2026 18:30:00 GMT</pubDate><description>";
  for (int i = 0; i < 200000; ++i) deep += "<b>";
  const ConvertResult r = connector.Convert(deep);
  EXPECT_EQ(r.rejections.size(), 1u);
  const std::string billion =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
      "<rss><channel><item><title>&b;</title><pubDate>Fri, 20 Nov 2026 18:30:00 GMT</pubDate></item></channel></rss>";
  const ConvertResult b = connector.Convert(billion);
  ASSERT_EQ(b.mentions.size(), 1u);
  EXPECT_EQ(b.mentions[0].text, "&b;");  // entities of a DTD are never expanded
  const ConvertResult bad_utf8 = connector.Convert(
      "<rss><channel><item><title>caf\xe9</title><guid>g\xff</guid><pubDate>Fri, 20 Nov 2026 18:30:00 GMT</pubDate>"
      "</item></channel></rss>");
  ASSERT_EQ(bad_utf8.rejections.size(), 1u);
  EXPECT_EQ(bad_utf8.rejections[0].reason, "invalid-utf8");
}

TEST(HtmlToText, StripsTagsDecodesEntitiesAndCollapsesSpace) {
  EXPECT_EQ(HtmlToText("<p>Hola&nbsp;<b>mundo</b></p><p>chau</p>"), "Hola mundo chau");
  EXPECT_EQ(HtmlToText("a &lt; b &amp;&amp; c &gt; d"), "a < b && c > d");
  EXPECT_EQ(HtmlToText("caf&eacute; &#233; &#xE9; &#XE9;"), "café é é é");
  EXPECT_EQ(HtmlToText("&unknown; & &#xZZ; &#1114112;"), "&unknown; & &#xZZ; \xEF\xBF\xBD");
  EXPECT_EQ(HtmlToText("x<script>var a = '<p>no</p>';</script>y<style>p{}</style>z"), "x y z");
  EXPECT_EQ(HtmlToText("1 < 2 and <!-- hidden --> shown"), "1 < 2 and shown");
  EXPECT_EQ(HtmlToText("ro\xff" "to"), "ro\xEF\xBF\xBDto");
  EXPECT_EQ(HtmlToText("<a href=\"x\">unterminated"), "unterminated");
  EXPECT_EQ(HtmlToText("<b"), "");
}

TEST(Rfc822, ReadsTheFormsFeedsUse) {
  auto at = [](std::string_view text) {
    const auto t = ParseRfc822(text);
    return t ? Rfc3339(*t) : std::string("none");
  };
  EXPECT_EQ(at("Fri, 20 Nov 2026 18:30:00 -0300"), "2026-11-20T21:30:00.000Z");
  EXPECT_EQ(at("20 Nov 2026 18:30 GMT"), "2026-11-20T18:30:00.000Z");
  EXPECT_EQ(at("Fri, 20 Nov 26 18:30:00 +0130"), "2026-11-20T17:00:00.000Z");
  EXPECT_EQ(at("Fri, 20 Nov 2026 18:30:00 EST"), "2026-11-20T23:30:00.000Z");
  EXPECT_EQ(at("Fri, 20 Nov 2026 18:30:00 Z"), "2026-11-20T18:30:00.000Z");
  EXPECT_EQ(at("Sat, 01 Jan 2000 00:00:00"), "2000-01-01T00:00:00.000Z");  // no zone: UTC
  EXPECT_EQ(at("31 Apr 2026 10:00:00 GMT"), "none");
  EXPECT_EQ(at("20 Nov 2026 25:00:00 GMT"), "none");
  EXPECT_EQ(at("20 Nov 2026 18:30:00 XYZ"), "none");
  EXPECT_EQ(at("2026-11-20T18:30:00Z"), "none");
  EXPECT_EQ(at(""), "none");
}

}  // namespace
}  // namespace faro::sources
