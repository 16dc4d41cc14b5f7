#pragma once
// The crisis manual (`faro manual`): past cases from the crisis log compiled by kind, so the
// team learns from each one. Outages are grouped by platform ("Platform outage: whatsapp"),
// reputation crises together, any other kind by its name. For each group: how many times, the
// typical duration (median from opening to stable, with the shortest and longest), what was done
// (the steps that ran, in how many cases), what worked and what to change (the same lesson from
// several cases counted once, with its count; case and accents do not tell lessons apart), and
// each case with a link to its report. Drills are listed apart from real incidents.
// docs/crisis-log.md describes it for users.
#include <string>

#include "core/lang.hpp"
#include "core/status.hpp"
#include "record/crisis_log.hpp"
#include "record/report.hpp"

namespace faro::record {

// Where the manual links each case's report, relative to the manual:
// "cases/<folder>/report.<lang>.<md|html>".
std::string CaseReportLink(const LogEntry& entry, ReportFormat format, Lang lang);

// The manual as Markdown or HTML. Pure: the log in, text out.
std::string WriteManual(const CrisisLog& log, ReportFormat format, Lang lang);

// Writes OUT/manual.<lang>.md, OUT/manual.<lang>.html and, for every case, its report in that
// language under OUT/cases/<folder>/ (so the manual and its links travel together). Files are
// written durably.
absl::Status WriteManualFiles(const CrisisLog& log, const std::string& out_dir, Lang lang);

}  // namespace faro::record
