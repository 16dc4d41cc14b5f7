#include "record/report.hpp"

#include <gtest/gtest.h>

#include <string>

#include "listen/golden_test_util.hpp"
#include "record/html_check.hpp"

namespace faro::record {
namespace {

using faro::testing::ExpectGolden;
using faro::testing::ReadFileOrEmpty;
using faro::testing::SourcePath;

const char* const kFixture = "src/record/testdata/incident-fb-2021.json";

IncidentRecord Fixture() {
  auto r = ParseIncidentText(ReadFileOrEmpty(SourcePath(kFixture)));
  EXPECT_TRUE(r.ok()) << r.status();
  return *r;
}

// Goldens: FARO_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
TEST(Report, MarkdownGoldens) {
  const IncidentRecord r = Fixture();
  ExpectGolden("src/record/testdata/report.es.md", WriteReport(r, ReportFormat::kMarkdown, Lang::kEs));
  ExpectGolden("src/record/testdata/report.en.md", WriteReport(r, ReportFormat::kMarkdown, Lang::kEn));
}

TEST(Report, HtmlGoldens) {
  const IncidentRecord r = Fixture();
  ExpectGolden("src/record/testdata/report.es.html", WriteReport(r, ReportFormat::kHtml, Lang::kEs));
  ExpectGolden("src/record/testdata/report.en.html", WriteReport(r, ReportFormat::kHtml, Lang::kEn));
}

TEST(Report, HtmlIsWellFormedAndSelfContained) {
  const IncidentRecord r = Fixture();
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    const std::string html = WriteReport(r, ReportFormat::kHtml, lang);
    EXPECT_EQ(testing::HtmlProblem(html), "");
    EXPECT_NE(html.find("@media print"), std::string::npos);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
  }
}

TEST(Report, GoldenComparisonNoticesAChange) {
  IncidentRecord r = Fixture();
  r.timeline[3].text.en += " (edited)";
  const std::string golden = ReadFileOrEmpty(SourcePath("src/record/testdata/report.en.md"));
  ASSERT_FALSE(golden.empty());
  EXPECT_NE(golden, WriteReport(r, ReportFormat::kMarkdown, Lang::kEn));
  EXPECT_EQ(golden, WriteReport(Fixture(), ReportFormat::kMarkdown, Lang::kEn));
}

// Everything a person or a platform wrote is text, never markup.
nlohmann::json Hostile() {
  const std::string evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;";
  return {{"id", 9},
          {"playbook", "p\"><b>x</b>"},
          {"kind", "crisis"},
          {"title", {{"es", evil}, {"en", evil}}},
          {"business", evil},
          {"subject", "brand:" + evil},
          {"state", "stable"},
          {"opened_at", "2021-10-04T15:00:00Z"},
          {"stable_at", "2021-10-04T16:00:00Z"},
          {"drill", true},
          {"roles", {{{"role", evil}, {"title", evil}, {"person", evil}, {"from", "2021-10-04T15:00:00Z"}}}},
          {"timeline",
           {{{"seq", 1}, {"at", "2021-10-04T15:00:00Z"}, {"kind", "note\"><i>"}, {"who", evil}, {"text", evil}},
            {{"seq", 2}, {"at", "2021-10-04T15:01:00Z"}, {"kind", "approved"}, {"who", evil}, {"text", evil}}}},
          {"checklist", {{{"item", evil}, {"state", "red"}, {"text", evil}}}},
          {"overrides", {{{"item", evil}, {"by", evil}, {"reason", evil}, {"at", "2021-10-04T16:00:00Z"}}}},
          {"figures", {{"currency", evil}, {"spend_protected", "1.00"}}},
          {"series",
           {{"platform", {{{"at", "2021-10-04T15:00:00Z"}, {"platform", evil}, {"health", evil}}}},
            {"mentions", {{{"minute", "2021-10-04T15:00:00Z"}, {"mentions", 3}, {"negative", 1}}}}}},
          {"lessons", {{"worked", {evil}}, {"change", {{{"es", evil}}}}}}};
}

TEST(Report, HtmlInjectionDoesNotWork) {
  auto r = ParseIncident(Hostile());
  ASSERT_TRUE(r.ok()) << r.status();
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    const std::string html = WriteReport(*r, ReportFormat::kHtml, lang);
    EXPECT_EQ(testing::HtmlProblem(html), "");
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>x"), std::string::npos);
    EXPECT_EQ(html.find("<i>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("&amp;amp;"), std::string::npos);  // an entity in the text stays text
    const std::string md = WriteReport(*r, ReportFormat::kMarkdown, lang);
    EXPECT_EQ(md.find("<script"), std::string::npos);
    EXPECT_EQ(md.find("<img"), std::string::npos);
    EXPECT_NE(md.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    // A table cell cannot be split by a '|' in the text.
    EXPECT_EQ(md.find("| x |"), std::string::npos);
  }
}

TEST(Report, MarkdownCellsStayOnOneRow) {
  nlohmann::json j = Hostile();
  j["timeline"][0]["text"] = "first line\n| second | line";
  auto r = ParseIncident(j);
  ASSERT_TRUE(r.ok());
  const std::string md = WriteReport(*r, ReportFormat::kMarkdown, Lang::kEn);
  EXPECT_NE(md.find("first line \\| second \\| line |"), std::string::npos) << md;
}

TEST(Report, ADrillAndAnOpenIncidentSaySo) {
  auto r = ParseIncident(Hostile());
  ASSERT_TRUE(r.ok());
  const std::string md = WriteReport(*r, ReportFormat::kMarkdown, Lang::kEs);
  EXPECT_NE(md.find(" (simulacro)\n"), std::string::npos);
  EXPECT_NE(md.find("sigue abierto"), std::string::npos);
  const std::string html = WriteReport(*r, ReportFormat::kHtml, Lang::kEn);
  EXPECT_NE(html.find("<span class=\"badge drill\">drill</span>"), std::string::npos);
  EXPECT_NE(html.find("still open"), std::string::npos);
}

TEST(Report, TheSmallestRecordStillMakesAReport) {
  const nlohmann::json j = {{"id", 1},          {"playbook", "reputation"}, {"kind", "crisis"},
                            {"title", "Crisis"}, {"state", "active"},        {"opened_at", "2021-10-04T15:00:00Z"},
                            {"timeline", nlohmann::json::array()}};
  auto r = ParseIncident(j);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string html = WriteReport(*r, ReportFormat::kHtml, Lang::kEn);
  EXPECT_EQ(testing::HtmlProblem(html), "");
  EXPECT_NE(html.find("The record has no platform status."), std::string::npos);
  EXPECT_NE(html.find("No restoration check was run."), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  // Unknown figures are not shown as zeros.
  const std::string md = WriteReport(*r, ReportFormat::kMarkdown, Lang::kEn);
  EXPECT_NE(md.find("| Conversations left unanswered at the end | — |"), std::string::npos) << md;
  EXPECT_EQ(md.find("left unanswered at the end."), std::string::npos);
}

// The Campaigns section reads the ad guard's record each pause and resume outcome carries: what
// this incident paused (not what another incident holds alone), what was already paused, and
// how its resume left each one.
TEST(Report, CampaignsNamesEachCampaignAndHowItWasLeft) {
  const auto campaign = [](const char* id, const char* name, const char* state, std::vector<std::string> held) {
    return nlohmann::json{{"account", "meta"}, {"id", id}, {"name", name}, {"state", state}, {"held_by", held}};
  };
  const auto outcome = [](int seq, const char* at, const char* kind, nlohmann::json campaigns) {
    return nlohmann::json{{"seq", seq},
                          {"at", at},
                          {"kind", "outcome"},
                          {"who", "faro"},
                          {"text", {{"es", "Hecho."}, {"en", "Done."}}},
                          {"details", {{"action_kind", kind}, {"ok", true}, {"guard", {{"campaigns", campaigns}}}}}};
  };
  nlohmann::json j = {{"id", 2},          {"playbook", "ig"}, {"kind", "outage"},
                      {"title", "Instagram"}, {"state", "active"}, {"opened_at", "2021-10-04T15:00:00Z"}};
  j["timeline"] = {
      outcome(1, "2021-10-04T15:01:00Z", "pause-ads",
              {campaign("c1", "Turnos", "paused-by-faro", {"incident:1", "incident:2"}),
               campaign("c2", "Promo", "already-paused", {}),
               campaign("c4", "Solo del 1", "paused-by-faro", {"incident:1"})}),
      outcome(2, "2021-10-04T17:30:00Z", "resume-ads",
              {campaign("c1", "Turnos", "paused-by-faro", {"incident:1"}), campaign("c2", "Promo", "already-paused", {}),
               campaign("c4", "Solo del 1", "paused-by-faro", {"incident:1"})})};
  auto r = ParseIncident(j);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string en = WriteReport(*r, ReportFormat::kMarkdown, Lang::kEn);
  EXPECT_NE(en.find("| meta | Turnos | still paused for another incident | 2021-10-04 17:30:00 |"), std::string::npos) << en;
  EXPECT_NE(en.find("| meta | Promo | already paused before; left so | 15:01:00 |"), std::string::npos) << en;
  EXPECT_EQ(en.find("Solo del 1"), std::string::npos) << "incident #1's campaign is not this incident's";
  // The last incident resumes it.
  j["timeline"][1] = outcome(2, "2021-10-04T17:30:00Z", "resume-ads", {campaign("c1", "Turnos", "resumed", {})});
  r = ParseIncident(j);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string es = WriteReport(*r, ReportFormat::kMarkdown, Lang::kEs);
  EXPECT_NE(es.find("| meta | Turnos | reanudada | 2021-10-04 17:30:00 |"), std::string::npos) << es;
  EXPECT_EQ(testing::HtmlProblem(WriteReport(*r, ReportFormat::kHtml, Lang::kEs)), "");
  // No ad outcome: the section says so.
  j["timeline"] = nlohmann::json::array();
  r = ParseIncident(j);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NE(WriteReport(*r, ReportFormat::kMarkdown, Lang::kEn).find("Faro paused and resumed no campaigns in this incident."),
            std::string::npos);
}

// Each bad record names the field that is wrong.
std::string ErrorOf(const std::string& text) {
  auto r = WriteReportFromJson(text, ReportFormat::kHtml, Lang::kEn);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(Report, BadRecordsNameTheField) {
  nlohmann::json good = nlohmann::json::parse(ReadFileOrEmpty(SourcePath(kFixture)));
  auto with = [&](auto change) {
    nlohmann::json j = good;
    change(j);
    return ErrorOf(j.dump());
  };
  EXPECT_EQ(with([](auto& j) { j.erase("title"); }), "title: missing (it is required)");
  EXPECT_EQ(with([](auto& j) { j.erase("timeline"); }), "timeline: missing (it is required)");
  EXPECT_EQ(with([](auto& j) { j["id"] = "7"; }), "id: expected an integer, got \"7\"");
  EXPECT_EQ(with([](auto& j) { j["timeline"][3]["at"] = 12; }),
            "timeline[3].at: expected an RFC 3339 time such as \"2021-10-04T15:39:00.000Z\", got 12");
  EXPECT_EQ(with([](auto& j) { j["timeline"][0].erase("kind"); }), "timeline[0].kind: missing (it is required)");
  EXPECT_EQ(with([](auto& j) { j["state"] = "open"; }),
            "state: expected \"active\", \"stable\" or \"closed\", got \"open\"");
  EXPECT_EQ(with([](auto& j) { j.erase("closed_at"); }), "closed_at (the state is \"closed\"): missing (it is required)");
  EXPECT_EQ(with([](auto& j) { j["figures"]["spend_protected"] = "412,50"; }),
            "figures.spend_protected: expected an amount such as \"412.50\", got \"412,50\"");
  EXPECT_EQ(with([](auto& j) { j["figures"]["contacts_told"] = -3; }),
            "figures.contacts_told: expected a whole number, 0 or more, got -3");
  EXPECT_EQ(with([](auto& j) { j["series"]["mentions"][2].erase("mentions"); }),
            "series.mentions[2].mentions: missing (it is required)");
  EXPECT_EQ(with([](auto& j) { j["series"]["platform"] = "down"; }),
            "series.platform: expected an array, got \"down\"");
  EXPECT_EQ(with([](auto& j) { j["checklist"][1]["state"] = "amber"; }),
            "checklist[1].state: expected \"green\", \"red\" or \"pending\", got \"amber\"");
  EXPECT_EQ(with([](auto& j) { j["overrides"][0]["reason"] = "  "; }),
            "overrides[0].reason: expected a non-empty string, got \"  \"");
  EXPECT_EQ(with([](auto& j) { j["lessons"]["change"][1] = 5; }),
            "lessons.change[1]: expected a text: {\"es\": \"…\", \"en\": \"…\"} or a string, got 5");
  EXPECT_EQ(with([](auto& j) { j["roles"][0]["until"] = "yesterday"; }),
            "roles[0].until: expected an RFC 3339 time such as \"2021-10-04T15:39:00.000Z\", got \"yesterday\"");
  EXPECT_EQ(ErrorOf("[1, 2]"), "incident record: expected a JSON object, got [1,2]");
  EXPECT_EQ(ErrorOf("").substr(0, 44), "incident record: not valid JSON near byte 1:");
  EXPECT_EQ(ErrorOf("{\"id\": 7,").substr(0, 45), "incident record: not valid JSON near byte 10:");
}

}  // namespace
}  // namespace faro::record
