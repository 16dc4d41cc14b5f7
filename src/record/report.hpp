#pragma once
// Incident reports: an incident record made into a document people read, print and keep, in
// Markdown or as one self-contained HTML file (inline CSS with print styles, inline SVG charts,
// no scripts, nothing fetched), in Spanish or English. Pure: record in, text out.
//
// Sections, in order: title and summary (what happened, when, for how long, impact); the
// timeline; the platform-status chart; mention volume and sentiment; figures (messages
// re-routed, contacts told, campaigns paused, spend protected); approvals; the restoration
// checklist with its overrides; what worked and what to change; roles and who held them.
// docs/crisis-log.md describes the report for users.
#include <string>
#include <string_view>

#include "core/lang.hpp"
#include "core/status.hpp"
#include "record/incident_record.hpp"

namespace faro::record {

enum class ReportFormat { kMarkdown, kHtml };

std::string WriteReport(const IncidentRecord& record, ReportFormat format, Lang lang);

// From the text of an INCIDENT.json; a bad record is an error naming the field.
absl::StatusOr<std::string> WriteReportFromJson(std::string_view incident_json, ReportFormat format, Lang lang);

// "report.es.md", "report.en.html".
std::string ReportFileName(ReportFormat format, Lang lang);

}  // namespace faro::record
