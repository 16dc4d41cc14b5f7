#include "check/report_table.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/strings.hpp"

namespace faro {
namespace {

TargetReport Report(const std::string& target, VerdictKind kind, Scope scope, Cause cause) {
  TargetReport r;
  r.evidence.target = target;
  r.evidence.name = target;
  EndpointEvidence e;
  e.url = "https://" + target + "/";
  e.result.outcome = kind == VerdictKind::kUp ? Outcome::kOk : Outcome::kFail;
  e.result.cause = cause;
  e.result.phases.connect = 1.5;
  e.result.phases.total = 12;
  r.evidence.endpoints = {e};
  r.verdict.kind = kind;
  r.verdict.scope = scope;
  r.verdict.cause = cause;
  r.verdict.confidence = 0.9;
  r.verdict.summary = "summary line";
  r.verdict.advice = {"do this"};
  return r;
}

TEST(DisplayWidth, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth("caído"), 5u);
  EXPECT_EQ(DisplayWidth("→"), 1u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(TablePrinter, RowsAlignWhateverTheAccentsAndOnlyProblemsGetAdvice) {
  std::ostringstream out;
  TablePrinter table(out, Lang::kEs, false, 8);
  table.PrintTarget(Report("whatsapp", VerdictKind::kDown, Scope::kGlobal, Cause::kDnsServfail));
  table.PrintTarget(Report("telegram", VerdictKind::kUp, Scope::kNone, Cause::kNone));
  const std::string text = out.str();
  const std::vector<std::string_view> lines = Split(text, "\n", true);
  ASSERT_EQ(lines.size(), 5u) << out.str();  // header, row, summary, advice, row
  EXPECT_TRUE(Contains(lines[0], "ESTADO"));
  EXPECT_TRUE(Contains(lines[1], "caído para todos"));
  EXPECT_TRUE(Contains(lines[3], "→ do this"));
  EXPECT_TRUE(Contains(lines[4], "funciona"));
  // The cause column starts at the same display column on both rows.
  auto column = [](std::string_view line, std::string_view what) { return DisplayWidth(line.substr(0, line.find(what))); };
  EXPECT_EQ(column(lines[1], "dns-servfail"), column(lines[4], "—"));
  EXPECT_EQ(out.str().find("\033["), std::string::npos);  // no colour when not asked
}

TEST(TablePrinter, EveryVerdictFitsItsColumn) {
  for (Lang lang : {Lang::kEn, Lang::kEs})
    for (VerdictKind kind : {VerdictKind::kUp, VerdictKind::kDegraded, VerdictKind::kPartial, VerdictKind::kDown,
                             VerdictKind::kLocalNetwork, VerdictKind::kLocalDns, VerdictKind::kUnknown})
      for (Scope scope : {Scope::kNone, Scope::kGlobal, Scope::kRegional, Scope::kUnconfirmed})
        EXPECT_LE(DisplayWidth(VerdictWords(kind, scope, lang)), kVerdictColumnWidth) << VerdictWords(kind, scope, lang);
}

TEST(TablePrinter, ColourOnlyWhenAsked) {
  std::ostringstream out;
  TablePrinter table(out, Lang::kEn, true, 8);
  table.PrintTarget(Report("x", VerdictKind::kDown, Scope::kUnconfirmed, Cause::kHttp5xx));
  EXPECT_NE(out.str().find("\033[31m"), std::string::npos);
}

}  // namespace
}  // namespace faro
