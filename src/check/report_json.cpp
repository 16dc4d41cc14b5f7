#include "check/report_json.hpp"

#include <cmath>
#include <ctime>

#include "verdict/evidence_json.hpp"

namespace faro {
namespace {

nlohmann::json NullIf(std::string_view s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json ResolverToJson(const ResolverEvidence& r) {
  return {{"resolver", r.resolver}, {"result", r.ok ? "ok" : "fail"}, {"cause", NullIf(CauseName(r.cause))},
          {"name", r.name}, {"ms", std::round(r.ms * 1000) / 1000}};
}

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json TargetToJson(const TargetReport& r) {
  const TargetEvidence& ev = r.evidence;
  const Verdict& v = r.verdict;
  nlohmann::json endpoints = nlohmann::json::array();
  for (const EndpointEvidence& e : ev.endpoints) endpoints.push_back(EndpointToJson(e));
  nlohmann::json vantages = nlohmann::json::array();
  for (const VantageEvidence& vantage : ev.vantages) {
    nlohmann::json items = nlohmann::json::array();
    for (const EndpointEvidence& e : vantage.endpoints) items.push_back(EndpointToJson(e));
    nlohmann::json result = nullptr;
    if (vantage.reachable && !vantage.endpoints.empty()) {
      const UnitSummary s = SummariseEndpoints(vantage.endpoints);
      result = s.AllFailed() ? "fail" : s.AnyFailed() ? "partial" : "ok";
    }
    vantages.push_back({{"name", vantage.name}, {"url", vantage.url}, {"reachable", vantage.reachable},
                        {"error", NullIf(vantage.error)}, {"result", result}, {"endpoints", std::move(items)}});
  }
  nlohmann::json feed = nullptr;
  if (ev.feed) {
    feed = {{"url", ev.feed->url}, {"reachable", ev.feed->reachable},
            {"indicator", FeedIndicatorName(ev.feed->reading.indicator)},
            {"description", NullIf(ev.feed->reading.description)}};
  }
  return {{"target", ev.target},
          {"name", ev.name},
          {"kind", ev.kind == TargetKind::kPlatform ? "platform" : "url"},
          {"verdict", VerdictName(v.kind)},
          {"scope", NullIf(ScopeName(v.scope))},
          {"cause", NullIf(CauseName(v.cause))},
          {"confidence", std::round(v.confidence * 100) / 100},
          {"summary", v.summary},
          {"advice", v.advice},
          {"endpoints", std::move(endpoints)},
          {"vantages", std::move(vantages)},
          {"status_feed", std::move(feed)}};
}

}  // namespace

namespace {

nlohmann::json ReportWithoutTargets(const CheckReport& report, Lang lang) {
  const LocalEvidence& l = report.local;
  nlohmann::json references = nlohmann::json::array();
  for (const EndpointEvidence& e : l.references) references.push_back(EndpointToJson(e));
  nlohmann::json alternatives = nlohmann::json::array();
  for (const ResolverEvidence& r : l.alternatives) alternatives.push_back(ResolverToJson(r));
  auto optional_bool = [](const std::optional<bool>& b) { return b ? nlohmann::json(*b) : nlohmann::json(nullptr); };
  return {
      {"schema", 1},
      {"faro_version", FARO_VERSION},
      {"started_at", Rfc3339(report.started_at)},
      {"duration_ms", std::round(report.duration_ms * 10) / 10},
      {"lang", LangCode(lang)},
      {"errors", report.errors},
      {"local",
       {{"network",
         {{"status", NetworkStateName(report.assessment.network)},
          {"link", optional_bool(l.link)},
          {"default_route", optional_bool(l.default_route)},
          {"references", std::move(references)}}},
        {"dns",
         {{"status", DnsStateName(report.assessment.dns)},
          {"system", l.system ? ResolverToJson(*l.system) : nlohmann::json(nullptr)},
          {"alternatives", std::move(alternatives)}}}}},
      {"targets", nlohmann::json::array()},
  };
}

}  // namespace

nlohmann::json CheckReportToJson(const CheckReport& report, Lang lang) {
  nlohmann::json doc = ReportWithoutTargets(report, lang);
  for (const TargetReport& t : report.targets) doc["targets"].push_back(TargetToJson(t));
  return doc;
}

void WriteCheckReportJson(std::ostream& out, const CheckReport& report, Lang lang) {
  const std::string head = ReportWithoutTargets(report, lang).dump(2);
  constexpr std::string_view kEmpty = "\"targets\": []";
  const std::size_t at = head.rfind(kEmpty);
  out << head.substr(0, at) << "\"targets\": [";
  for (std::size_t i = 0; i < report.targets.size(); ++i) {
    std::string item = TargetToJson(report.targets[i]).dump(2);
    // Indent the item to its depth (4 spaces); JSON strings never hold a raw newline.
    std::string indented = "    ";
    for (char c : item) {
      indented.push_back(c);
      if (c == '\n') indented.append("    ");
    }
    out << (i == 0 ? "\n" : ",\n") << indented;
  }
  out << (report.targets.empty() ? "" : "\n  ") << "]" << head.substr(at + kEmpty.size()) << "\n";
}

int CheckExitCode(const CheckReport& report) {
  bool local = false, bad = false;
  for (const TargetReport& t : report.targets) {
    switch (t.verdict.kind) {
      case VerdictKind::kUp:
      case VerdictKind::kDegraded: break;
      case VerdictKind::kLocalNetwork:
      case VerdictKind::kLocalDns: local = true; break;
      default: bad = true;
    }
  }
  if (report.assessment.network == NetworkState::kDown) local = true;
  if (local) return 2;
  if (report.vantage_failed) return 3;
  return bad ? 1 : 0;
}

}  // namespace faro
