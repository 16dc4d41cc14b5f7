#pragma once
// The two charts of an incident report, drawn from the record's series as inline SVG (no
// scripts, no fonts or images fetched), and the same facts as rows for the Markdown report.
// Both charts share one time axis (ChartSpan), so a platform's fall and the wave of mentions
// line up when printed one above the other. Times are UTC.
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "record/incident_record.hpp"

namespace faro::record {

struct TimeSpan {
  TimePoint from, until;  // until > from
};
// From the earliest of opened_at and the first series point to IncidentRecord::End().
TimeSpan ChartSpan(const IncidentRecord& r);

// A platform's health over one stretch of time; consecutive points with the same health are
// one period, and each platform's last period lasts until the end of the chart span.
struct StatusPeriod {
  std::string platform, health;
  TimePoint from, until;
};
std::vector<StatusPeriod> PlatformPeriods(const IncidentRecord& r);

// Mentions added up. A minute whose `mentions` exceeds the sum of its four sentiments counts the
// difference as unknown, so every mention is drawn once.
struct MentionTotals {
  int64_t mentions = 0, negative = 0, neutral = 0, positive = 0, unknown = 0;
  int64_t peak = 0;  // the busiest minute's mentions
  TimePoint peak_minute;
};
MentionTotals SumMentions(const std::vector<MentionMinute>& minutes);
// The mention series in at most `max_rows` equal time buckets (1, 5, 15 min, 1 h, ...) aligned
// to the clock, for the Markdown report's table. `bucket` receives the bucket length. Buckets
// without mentions are left out.
struct MentionBucket {
  TimePoint from;
  MentionTotals totals;
};
std::vector<MentionBucket> MentionBuckets(const IncidentRecord& r, int max_rows, std::chrono::minutes* bucket);

// "" when the record has no such series.
std::string PlatformStatusSvg(const IncidentRecord& r, Lang lang);
std::string MentionsSvg(const IncidentRecord& r, Lang lang);

// The colour a health word is drawn in (also used by the HTML tables).
std::string_view HealthColour(std::string_view health);

}  // namespace faro::record
