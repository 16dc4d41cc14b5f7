#pragma once
// Words people read in checklists, reports, the crisis log and the manual, in Spanish and
// English: names of timeline kinds, platform health, incident states, checklist items; numbers,
// durations and times. Times are written in UTC, the time zone of the incident record.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/lang.hpp"

namespace faro::record {

// 9800 → "9.800" (es) / "9,800" (en).
std::string FormatCount(int64_t n, Lang lang);
// Millionths written with `decimals` fraction digits and thousands separators:
// 412500000 → "412,50" (es) / "412.50" (en).
std::string FormatDecimal(int64_t micros, int decimals, Lang lang);
// A length of time, to the minute above one minute: "41 s", "7 min", "6 h 2 min", "2 d 3 h".
std::string FormatDuration(std::chrono::milliseconds length, Lang lang);
// "15:39 UTC" and "2021-10-04 15:39 UTC".
std::string ClockTime(TimePoint at);
std::string DateTime(TimePoint at);
std::string DateOnly(TimePoint at);  // "2021-10-04"

// Names of things in the record; unknown names come back as they are, so new kinds still show.
std::string TimelineKindName(std::string_view kind, Lang lang);     // "approval-asked" → "Aprobación pedida"
std::string HealthName(std::string_view health, Lang lang);         // "down" → "caído"
std::string IncidentStateName(std::string_view state, Lang lang);   // "stable" → "estable"
std::string IncidentKindName(std::string_view kind, Lang lang);     // "outage" → "Caída de plataforma"
std::string ChecklistItemName(std::string_view item, Lang lang);    // "outbox-drained" → "Cola de envíos vacía"
std::string ActionKindName(std::string_view kind, Lang lang);       // "pause-ads" → "Anuncios pausados"

// «text» in Spanish, “text” in English.
std::string Quoted(std::string_view text, Lang lang);

}  // namespace faro::record
