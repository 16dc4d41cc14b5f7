#include "check/report_json.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace faro {
namespace {

CheckReport Sample(int targets) {
  CheckReport r;
  r.local.skipped = true;
  r.errors = {"vantage x unreachable"};
  for (int i = 0; i < targets; ++i) {
    TargetReport t;
    t.evidence.target = "https://site" + std::to_string(i) + ".example/";
    t.evidence.name = t.evidence.target;
    EndpointEvidence e;
    e.url = t.evidence.target;
    e.result.outcome = Outcome::kFail;
    e.result.cause = Cause::kHttp5xx;
    e.result.detail = "HTTP 503 \"quoted\"\nline";
    t.evidence.endpoints = {e};
    t.verdict.kind = VerdictKind::kDown;
    t.verdict.scope = Scope::kUnconfirmed;
    t.verdict.advice = {"a", "b"};
    r.targets.push_back(t);
  }
  return r;
}

TEST(ReportJson, StreamedDocumentEqualsTheTree) {
  for (int n : {0, 1, 3}) {
    const CheckReport report = Sample(n);
    std::ostringstream out;
    WriteCheckReportJson(out, report, Lang::kEs);
    const auto parsed = nlohmann::json::parse(out.str());
    EXPECT_EQ(parsed, CheckReportToJson(report, Lang::kEs)) << out.str();
    EXPECT_EQ(out.str(), CheckReportToJson(report, Lang::kEs).dump(2) + "\n") << "same layout as dump(2)";
  }
}

TEST(ReportJson, ExitCodes) {
  CheckReport r = Sample(1);
  EXPECT_EQ(CheckExitCode(r), 1);
  r.targets[0].verdict.kind = VerdictKind::kUp;
  EXPECT_EQ(CheckExitCode(r), 0);
  r.vantage_failed = true;
  EXPECT_EQ(CheckExitCode(r), 3);
  r.targets[0].verdict.kind = VerdictKind::kLocalDns;
  EXPECT_EQ(CheckExitCode(r), 2);  // local beats a vantage that could not be asked
}

}  // namespace
}  // namespace faro
