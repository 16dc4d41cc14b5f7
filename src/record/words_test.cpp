#include <gtest/gtest.h>

#include "record/html_check.hpp"
#include "plan/plan.hpp"
#include "record/markup.hpp"
#include "record/words.hpp"

namespace faro::record {
namespace {

TEST(Words, NumbersDurationsAndTimes) {
  EXPECT_EQ(FormatCount(9800, Lang::kEs), "9.800");
  EXPECT_EQ(FormatCount(1234567, Lang::kEn), "1,234,567");
  EXPECT_EQ(FormatCount(-1234, Lang::kEn), "-1,234");
  EXPECT_EQ(FormatCount(999, Lang::kEs), "999");
  EXPECT_EQ(FormatCount(INT64_MIN, Lang::kEn), "-9,223,372,036,854,775,808");
  EXPECT_EQ(FormatDecimal(1234500000, 2, Lang::kEs), "1.234,50");
  EXPECT_EQ(FormatDecimal(-1234500000, 1, Lang::kEn), "-1,234.5");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(41), Lang::kEn), "41 s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(7 * 60 + 59), Lang::kEn), "7 min");
  EXPECT_EQ(FormatDuration(std::chrono::minutes(362), Lang::kEs), "6 h 2 min");
  EXPECT_EQ(FormatDuration(std::chrono::hours(3), Lang::kEs), "3 h");
  EXPECT_EQ(FormatDuration(std::chrono::hours(51), Lang::kEn), "2 d 3 h");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(-5), Lang::kEn), "0 s");
  EXPECT_EQ(TimelineKindName("approval-asked", Lang::kEs), "Aprobación pedida");
  EXPECT_EQ(TimelineKindName("something-new", Lang::kEs), "something-new");
  EXPECT_EQ(HealthName("down", Lang::kEs), "caído");
  EXPECT_EQ(ChecklistItemName("outbox-drained", Lang::kEn), "Outbox drained");
}

// The manual names every kind of action the engine can make in words; a new step kind without
// words here fails (the loop walks the step kinds until the plan no longer knows one).
TEST(Words, EveryActionKindHasANameInBothLanguages) {
  std::vector<std::string> kinds = {"escalate"};
  for (int k = 0; plan::ActionKindName(static_cast<plan::StepKind>(k)) != "?"; ++k)
    kinds.emplace_back(plan::ActionKindName(static_cast<plan::StepKind>(k)));
  for (const std::string& kind : kinds) {
    EXPECT_NE(ActionKindName(kind, Lang::kEs), kind);
    EXPECT_NE(ActionKindName(kind, Lang::kEn), kind);
  }
}

TEST(Markup, MarkdownEscaping) {
  EXPECT_EQ(MdText("a|b *c* _d_ [e](f) `g` \\ ~h~"), "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` \\\\ \\~h\\~");
  EXPECT_EQ(MdText("<b>&amp; & 5"), "&lt;b&gt;&amp;amp; & 5");
  EXPECT_EQ(MdText("# title"), "\\# title");
  EXPECT_EQ(MdText("incident #7"), "incident #7");
  EXPECT_EQ(MdText("closing ##"), "closing \\#\\#");
  EXPECT_EQ(MdText("two\nlines\r\n"), "two lines ");
}

// The checker the report tests rely on must itself catch what it claims to.
TEST(HtmlCheck, CatchesBrokenOrUnsafeMarkup) {
  using testing::HtmlProblem;
  EXPECT_EQ(HtmlProblem("<!DOCTYPE html><p>a <b>b</b><br></p><svg><rect x=\"1\"/></svg>"), "");
  EXPECT_NE(HtmlProblem("<p><b>x</p>"), "");
  EXPECT_NE(HtmlProblem("<p>x"), "");
  EXPECT_NE(HtmlProblem("<p>x</p></p>"), "");
  EXPECT_NE(HtmlProblem("<p><script>alert(1)</script></p>"), "");
  EXPECT_NE(HtmlProblem("<p><img src=x></p>"), "");
  EXPECT_NE(HtmlProblem("<p onclick=\"x\">y</p>"), "");
  EXPECT_NE(HtmlProblem("<a href=\"https://example.com/\">y</a>"), "");
  EXPECT_NE(HtmlProblem("<a href=\"javascript:alert(1)\">y</a>"), "");
  EXPECT_NE(HtmlProblem("<style>body{background:url(x.png)}</style>"), "");
  EXPECT_NE(HtmlProblem("<p>a < b</p>"), "");
  EXPECT_NE(HtmlProblem("<p title=\"<b>\">y</p>"), "");
}

}  // namespace
}  // namespace faro::record
