#include "probe/status_feed.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <ctime>
#include <optional>

#include "core/strings.hpp"

namespace faro {
namespace {

using Clock = std::chrono::system_clock;

FeedIndicator FromStatuspageIndicator(std::string_view s) {
  if (s == "none") return FeedIndicator::kNone;
  if (s == "minor") return FeedIndicator::kMinor;
  if (s == "major") return FeedIndicator::kMajor;
  if (s == "critical") return FeedIndicator::kCritical;
  if (s == "maintenance") return FeedIndicator::kMaintenance;
  return FeedIndicator::kUnknown;
}

FeedIndicator FromComponentStatus(std::string_view s) {
  if (s == "operational") return FeedIndicator::kNone;
  if (s == "degraded_performance") return FeedIndicator::kMinor;
  if (s == "partial_outage") return FeedIndicator::kMajor;
  if (s == "major_outage") return FeedIndicator::kCritical;
  if (s == "under_maintenance") return FeedIndicator::kMaintenance;
  return FeedIndicator::kUnknown;
}

// Meta writes free text: "No known issues", "Low disruptions", "Medium disruptions",
// "High disruptions", "Major disruption", "Resolved".
FeedIndicator FromMetaText(std::string_view text) {
  const std::string s = ToLower(text);
  if (Contains(s, "no known issues") || Contains(s, "resolved")) return FeedIndicator::kNone;
  if (Contains(s, "maintenance")) return FeedIndicator::kMaintenance;
  if (Contains(s, "high") || Contains(s, "major")) return FeedIndicator::kCritical;
  if (Contains(s, "medium")) return FeedIndicator::kMajor;
  if (Contains(s, "low") || Contains(s, "disruption")) return FeedIndicator::kMinor;
  return FeedIndicator::kUnknown;
}

int Severity(FeedIndicator i) {
  switch (i) {
    case FeedIndicator::kNone: return 1;
    case FeedIndicator::kMaintenance: return 2;
    case FeedIndicator::kMinor: return 3;
    case FeedIndicator::kMajor: return 4;
    case FeedIndicator::kCritical: return 5;
    case FeedIndicator::kUnknown: return 0;
  }
  return 0;
}

FeedReading Statuspage(const StatusFeedSpec& spec, std::string_view body) {
  FeedReading out;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    out.description = "not a Statuspage JSON document";
    return out;
  }
  if (!spec.component.empty()) {
    if (json.contains("components") && json["components"].is_array()) {
      for (const auto& c : json["components"]) {
        if (c.value("name", "") == spec.component) {
          out.indicator = FromComponentStatus(c.value("status", ""));
          out.description = StrCat(spec.component, ": ", c.value("status", ""));
          return out;
        }
      }
    }
    out.description = StrCat("component \"", spec.component, "\" not in the feed");
    return out;
  }
  if (json.contains("status") && json["status"].is_object()) {
    out.indicator = FromStatuspageIndicator(json["status"].value("indicator", ""));
    out.description = json["status"].value("description", "");
  }
  return out;
}

FeedReading Metastatus(const StatusFeedSpec& spec, std::string_view body) {
  FeedReading out;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_array()) {
    out.description = "not a metastatus orgs document";
    return out;
  }
  for (const auto& org : json) {
    if (!org.is_object() || org.value("id", "") != spec.component) continue;
    FeedIndicator worst = FeedIndicator::kUnknown;
    if (org.contains("services") && org["services"].is_array()) {
      for (const auto& service : org["services"]) {
        if (!service.is_object()) continue;
        const std::string status = service.value("status", "");
        const FeedIndicator i = FromMetaText(status);
        if (Severity(i) > Severity(worst)) {
          worst = i;
          out.description = StrCat(service.value("name", ""), ": ", status);
        }
      }
    }
    out.indicator = worst;
    return out;
  }
  out.description = StrCat("org \"", spec.component, "\" not in the feed");
  return out;
}

std::optional<Clock::time_point> ParseFeedTime(std::string text, bool rfc822) {
  std::tm tm{};
  const char* end = nullptr;
  if (rfc822) {
    end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
    if (end == nullptr) end = strptime(text.c_str(), "%d %b %Y %H:%M:%S", &tm);
  } else {
    end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  }
  if (end == nullptr) return std::nullopt;
  std::time_t t = timegm(&tm);
  // Offsets: "Z", "GMT", "+00:00", "-0300".
  std::string zone(end);
  if (!zone.empty() && zone[0] == '.') zone = zone.substr(zone.find_first_not_of(".0123456789"));
  zone = std::string(Trim(zone));
  if (zone.size() >= 5 && (zone[0] == '+' || zone[0] == '-')) {
    const int hh = std::atoi(zone.substr(1, 2).c_str());
    const int mm = std::atoi(zone.substr(zone[3] == ':' ? 4 : 3, 2).c_str());
    const int offset = (hh * 3600 + mm * 60) * (zone[0] == '+' ? 1 : -1);
    t -= offset;
  }
  return Clock::from_time_t(t);
}

FeedReading AtomOrRss(const StatusFeedSpec& spec, std::string_view body, Clock::time_point now) {
  FeedReading out;
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) {
    out.description = "not an XML feed";
    return out;
  }
  const bool atom = spec.format == FeedFormat::kAtom;
  const pugi::xml_node root = atom ? doc.child("feed") : doc.child("rss").child("channel");
  if (!root) {
    out.description = atom ? "no <feed> element" : "no <rss><channel> element";
    return out;
  }
  std::optional<Clock::time_point> newest;
  std::string newest_text, newest_title;
  for (pugi::xml_node entry : root.children(atom ? "entry" : "item")) {
    const std::string title = entry.child_value("title");
    const std::string text = StrCat(
        title, " ", entry.child_value(atom ? "summary" : "description"), " ", entry.child_value("content"));
    if (!spec.component.empty() && !ContainsIgnoreCase(text, spec.component)) continue;
    auto when = ParseFeedTime(entry.child_value(atom ? "updated" : "pubDate"), !atom);
    if (!when) continue;
    if (!newest || *when > *newest) {
      newest = when;
      newest_text = ToLower(text);
      newest_title = title;
    }
  }
  if (!newest || now - *newest > std::chrono::hours(12) || Contains(newest_text, "resolved") ||
      Contains(newest_text, "resuelto")) {
    out.indicator = FeedIndicator::kNone;
    out.description = newest ? StrCat("last entry: ", newest_title) : "no recent entries";
    return out;
  }
  const bool severe = Contains(newest_text, "outage") || Contains(newest_text, "disruption") ||
                      Contains(newest_text, "unavailable") || Contains(newest_text, "down");
  out.indicator = severe ? FeedIndicator::kMajor : FeedIndicator::kMinor;
  out.description = newest_title;
  return out;
}

}  // namespace

std::string_view FeedIndicatorName(FeedIndicator indicator) {
  switch (indicator) {
    case FeedIndicator::kNone: return "none";
    case FeedIndicator::kMinor: return "minor";
    case FeedIndicator::kMajor: return "major";
    case FeedIndicator::kCritical: return "critical";
    case FeedIndicator::kMaintenance: return "maintenance";
    case FeedIndicator::kUnknown: return "unknown";
  }
  return "unknown";
}

FeedReading ParseStatusFeed(const StatusFeedSpec& spec, std::string_view body, Clock::time_point now) {
  switch (spec.format) {
    case FeedFormat::kStatuspage: return Statuspage(spec, body);
    case FeedFormat::kMetastatus: return Metastatus(spec, body);
    case FeedFormat::kAtom:
    case FeedFormat::kRss: return AtomOrRss(spec, body, now);
  }
  return {};
}

}  // namespace faro
