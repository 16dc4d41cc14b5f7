#include "record/charts.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "record/markup.hpp"
#include "record/words.hpp"

namespace faro::record {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
constexpr int64_t kMinuteMs = 60000;

// Geometry, in tenths of a pixel so the SVG text is exact and the same on every machine.
constexpr int64_t kWidth = 7600;
constexpr int64_t kLeft = 1300;  // platform names and the y axis
constexpr int64_t kRight = 200;
constexpr int64_t kPlotWidth = kWidth - kLeft - kRight;

std::string Px(int64_t tenths) {
  const std::string_view sign = tenths < 0 ? "-" : "";
  if (tenths < 0) tenths = -tenths;
  return tenths % 10 == 0 ? StrCat(sign, tenths / 10) : StrCat(sign, tenths / 10, ".", tenths % 10);
}

int64_t Ms(TimePoint t) { return ToUnixMillis(t); }

int64_t XOf(const TimeSpan& span, TimePoint t) {
  const int64_t total = Ms(span.until) - Ms(span.from);
  const int64_t at = std::clamp<int64_t>(Ms(t) - Ms(span.from), 0, total);
  return kLeft + static_cast<int64_t>(static_cast<__int128>(at) * kPlotWidth / total);
}

// The tick step: the smallest of these that puts at most 8 ticks on the axis.
int64_t TickStepMs(const TimeSpan& span) {
  static constexpr std::array<int64_t, 13> kSteps{1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 10080};
  const int64_t total = Ms(span.until) - Ms(span.from);
  for (int64_t m : kSteps)
    if (total / (m * kMinuteMs) <= 8) return m * kMinuteMs;
  return kSteps.back() * kMinuteMs * (total / (kSteps.back() * kMinuteMs * 8) + 1);
}

// Ticks and their labels ("16:00"; "10-05" at midnight when the span crosses days) along y.
void Axis(std::string& svg, const TimeSpan& span, int64_t y) {
  StrAppend(svg, "<line x1=\"", Px(kLeft), "\" y1=\"", Px(y), "\" x2=\"", Px(kLeft + kPlotWidth), "\" y2=\"", Px(y),
            "\" stroke=\"#57606a\" stroke-width=\"1\"/>\n");
  const int64_t step = TickStepMs(span);
  const int64_t first = (Ms(span.from) + step - 1) / step * step;
  const bool days = DateOnly(span.from) != DateOnly(span.until);
  for (int64_t t = first; t <= Ms(span.until); t += step) {
    const int64_t x = XOf(span, FromUnixMillis(t));
    const std::string stamp = Rfc3339(FromUnixMillis(t));
    const std::string label = days && stamp.substr(11, 5) == "00:00" ? stamp.substr(5, 5) : stamp.substr(11, 5);
    StrAppend(svg, "<line x1=\"", Px(x), "\" y1=\"", Px(y), "\" x2=\"", Px(x), "\" y2=\"", Px(y + 50),
              "\" stroke=\"#57606a\" stroke-width=\"1\"/>\n", "<text x=\"", Px(x), "\" y=\"", Px(y + 180),
              "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#57606a\">", label, "</text>\n");
  }
}

// Dashed lines where the incident opened and became stable, labelled along the top.
void Markers(std::string& svg, const IncidentRecord& r, const TimeSpan& span, int64_t top, int64_t bottom, Lang lang) {
  struct Mark {
    TimePoint at;
    std::string_view es, en;
  };
  std::vector<Mark> marks = {{r.opened_at, "abierto", "opened"}};
  if (r.stable_at) marks.push_back({*r.stable_at, "estable", "stable"});
  for (const Mark& m : marks) {
    const int64_t x = XOf(span, m.at);
    StrAppend(svg, "<line x1=\"", Px(x), "\" y1=\"", Px(top - 40), "\" x2=\"", Px(x), "\" y2=\"", Px(bottom),
              "\" stroke=\"#1b1f24\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n", "<text x=\"", Px(x + 30),
              "\" y=\"", Px(top - 60), "\" font-size=\"11\" fill=\"#1b1f24\">", lang == Lang::kEs ? m.es : m.en, " ",
              ClockTime(m.at).substr(0, 5), "</text>\n");
  }
}

void LegendEntry(std::string& svg, int64_t& x, int64_t y, std::string_view colour, std::string_view label) {
  StrAppend(svg, "<rect x=\"", Px(x), "\" y=\"", Px(y - 90), "\" width=\"10\" height=\"10\" fill=\"", colour,
            "\"/>\n<text x=\"", Px(x + 140), "\" y=\"", Px(y), "\" font-size=\"11\" fill=\"#1b1f24\">",
            HtmlText(label), "</text>\n");
  x += 140 + 70 * static_cast<int64_t>(CountCodePoints(label)) + 200;
}

std::string SvgOpen(int64_t height, std::string_view label) {
  return StrCat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", Px(kWidth), " ", Px(height),
                "\" width=\"", Px(kWidth), "\" height=\"", Px(height), "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"",
                HtmlText(label), "\">\n");
}

// Minute counts with the leftover mentions counted as unknown.
MentionMinute Normalised(const MentionMinute& m) {
  MentionMinute n = m;
  const int64_t sum = m.negative + m.neutral + m.positive + m.unknown;
  if (m.mentions > sum) n.unknown += m.mentions - sum;
  n.mentions = std::max(m.mentions, sum);
  return n;
}

// The top of the y axis: v rounded up to 10, 12, 15, 20, 25, 30, 40, 50, 60 or 80 times a power
// of ten (small values: up to the next even number, so the half-way guide is whole).
int64_t NiceCeiling(int64_t v) {
  if (v <= 10) return v + v % 2;
  int64_t scale = 1;
  while (true) {
    for (int64_t f : {10, 12, 15, 20, 25, 30, 40, 50, 60, 80})
      if (f * scale >= v) return f * scale;
    scale *= 10;
  }
}

std::string Count(int64_t n, Lang lang) { return FormatCount(n, lang); }

}  // namespace

std::string_view HealthColour(std::string_view health) {
  if (health == "up") return "#2e7d32";
  if (health == "degraded") return "#f2b705";
  if (health == "partial") return "#ef6c00";
  if (health == "down") return "#c62828";
  if (health == "local-network" || health == "local-dns") return "#6a1b9a";
  return "#9e9e9e";
}

TimeSpan ChartSpan(const IncidentRecord& r) {
  TimeSpan span{r.opened_at, r.End()};
  if (!r.platform_series.empty()) span.from = std::min(span.from, r.platform_series.front().at);
  if (!r.mention_series.empty()) span.from = std::min(span.from, r.mention_series.front().minute);
  if (span.until <= span.from) span.until = span.from + minutes(1);
  return span;
}

std::vector<StatusPeriod> PlatformPeriods(const IncidentRecord& r) {
  const TimeSpan span = ChartSpan(r);
  std::vector<std::string> order;  // platforms in order of first appearance
  std::map<std::string, std::vector<const PlatformPoint*>> by_platform;
  for (const PlatformPoint& p : r.platform_series) {
    if (!by_platform.count(p.platform)) order.push_back(p.platform);
    by_platform[p.platform].push_back(&p);
  }
  std::vector<StatusPeriod> periods;
  for (const std::string& platform : order) {
    const auto& points = by_platform[platform];
    for (std::size_t i = 0; i < points.size(); ++i) {
      const TimePoint until = i + 1 < points.size() ? points[i + 1]->at : span.until;
      if (!periods.empty() && periods.back().platform == platform && periods.back().health == points[i]->health) {
        periods.back().until = until;
        continue;
      }
      periods.push_back({platform, points[i]->health, points[i]->at, until});
    }
  }
  return periods;
}

MentionTotals SumMentions(const std::vector<MentionMinute>& minutes) {
  MentionTotals t;
  for (const MentionMinute& raw : minutes) {
    const MentionMinute m = Normalised(raw);
    t.mentions += m.mentions;
    t.negative += m.negative;
    t.neutral += m.neutral;
    t.positive += m.positive;
    t.unknown += m.unknown;
    if (m.mentions > t.peak) t.peak = m.mentions, t.peak_minute = m.minute;
  }
  return t;
}

std::vector<MentionBucket> MentionBuckets(const IncidentRecord& r, int max_rows, minutes* bucket) {
  std::vector<MentionBucket> out;
  if (r.mention_series.empty()) return out;
  const int64_t first = Ms(r.mention_series.front().minute), last = Ms(r.mention_series.back().minute);
  int64_t step = 1;
  for (int64_t m : {1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440}) {
    step = m;
    if ((last / (m * kMinuteMs)) - (first / (m * kMinuteMs)) + 1 <= max_rows) break;
  }
  if (bucket != nullptr) *bucket = minutes(step);
  const int64_t step_ms = step * kMinuteMs;
  std::map<int64_t, std::vector<MentionMinute>> grouped;
  for (const MentionMinute& m : r.mention_series) grouped[Ms(m.minute) / step_ms * step_ms].push_back(m);
  for (const auto& [from, list] : grouped) out.push_back({FromUnixMillis(from), SumMentions(list)});
  return out;
}

std::string PlatformStatusSvg(const IncidentRecord& r, Lang lang) {
  const std::vector<StatusPeriod> periods = PlatformPeriods(r);
  if (periods.empty()) return "";
  const TimeSpan span = ChartSpan(r);
  std::vector<std::string> platforms;
  for (const StatusPeriod& p : periods)
    if (std::find(platforms.begin(), platforms.end(), p.platform) == platforms.end()) platforms.push_back(p.platform);
  constexpr int64_t kTop = 240, kBand = 220, kGap = 80;
  const int64_t bottom = kTop + static_cast<int64_t>(platforms.size()) * (kBand + kGap) - kGap;
  const int64_t axis_y = bottom + 60;
  const int64_t legend_y = axis_y + 400;
  const bool es = lang == Lang::kEs;
  std::string svg = SvgOpen(legend_y + 80, es ? "Estado de las plataformas a lo largo del incidente"
                                              : "Platform status over the incident");
  for (std::size_t i = 0; i < platforms.size(); ++i) {
    const int64_t y = kTop + static_cast<int64_t>(i) * (kBand + kGap);
    StrAppend(svg, "<text x=\"", Px(kLeft - 80), "\" y=\"", Px(y + 150), "\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f24\">",
              HtmlText(platforms[i]), "</text>\n");
    for (const StatusPeriod& p : periods) {
      if (p.platform != platforms[i]) continue;
      const int64_t x0 = XOf(span, p.from), x1 = std::max(XOf(span, p.until), x0 + 5);
      const std::string health = HealthName(p.health, lang);
      StrAppend(svg, "<rect x=\"", Px(x0), "\" y=\"", Px(y), "\" width=\"", Px(x1 - x0), "\" height=\"", Px(kBand),
                "\" fill=\"", HealthColour(p.health), "\"><title>", HtmlText(p.platform), ": ", HtmlText(health), ", ",
                ClockTime(p.from).substr(0, 5), "–", ClockTime(p.until), " (",
                FormatDuration(std::chrono::duration_cast<milliseconds>(p.until - p.from), lang), ")</title></rect>\n");
      const int64_t label_width = 70 * static_cast<int64_t>(CountCodePoints(health)) + 80;
      if (x1 - x0 >= label_width)
        StrAppend(svg, "<text x=\"", Px(x0 + 40), "\" y=\"", Px(y + 150), "\" font-size=\"11\" fill=\"#ffffff\">",
                  HtmlText(health), "</text>\n");
    }
  }
  Markers(svg, r, span, kTop, bottom + 20, lang);
  Axis(svg, span, axis_y);
  int64_t x = kLeft;
  std::vector<std::string> seen;
  for (const StatusPeriod& p : periods) {
    if (std::find(seen.begin(), seen.end(), p.health) != seen.end()) continue;
    seen.push_back(p.health);
  }
  for (std::string_view h : {"up", "degraded", "partial", "down", "local-network", "local-dns", "unknown"})
    if (std::find(seen.begin(), seen.end(), h) != seen.end()) LegendEntry(svg, x, legend_y, HealthColour(h), HealthName(h, lang));
  for (const std::string& h : seen)  // words outside the shared vocabulary, in grey
    if (HealthColour(h) == HealthColour("unknown") && h != "unknown") LegendEntry(svg, x, legend_y, HealthColour(h), h);
  svg += "</svg>\n";
  return svg;
}

std::string MentionsSvg(const IncidentRecord& r, Lang lang) {
  if (r.mention_series.empty()) return "";
  const TimeSpan span = ChartSpan(r);
  const bool es = lang == Lang::kEs;
  const MentionTotals totals = SumMentions(r.mention_series);
  const int64_t y_max = NiceCeiling(std::max<int64_t>(totals.peak, 1));
  constexpr int64_t kTop = 240, kPlotHeight = 1600;
  const int64_t bottom = kTop + kPlotHeight;
  const int64_t axis_y = bottom;
  const int64_t legend_y = axis_y + 400;
  std::string svg = SvgOpen(legend_y + 80, es ? "Menciones por minuto y su sentimiento" : "Mentions per minute and their sentiment");
  // Horizontal guides at 0, half and the top, labelled on the left.
  for (int64_t v : {y_max / 2, y_max}) {
    const int64_t y = bottom - v * kPlotHeight / y_max;
    StrAppend(svg, "<line x1=\"", Px(kLeft), "\" y1=\"", Px(y), "\" x2=\"", Px(kLeft + kPlotWidth), "\" y2=\"", Px(y),
              "\" stroke=\"#d0d7de\" stroke-width=\"1\"/>\n<text x=\"", Px(kLeft - 60), "\" y=\"", Px(y + 40),
              "\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">", Count(v, lang), "</text>\n");
  }
  StrAppend(svg, "<text x=\"", Px(kLeft - 60), "\" y=\"", Px(kTop - 100), "\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">",
            es ? "menciones/min" : "mentions/min", "</text>\n");
  struct Layer {
    int64_t MentionMinute::*count;
    std::string_view colour, es, en;
  };
  static constexpr std::array<Layer, 4> kLayers{{
      {&MentionMinute::negative, "#c62828", "negativas", "negative"},
      {&MentionMinute::neutral, "#9e9e9e", "neutras", "neutral"},
      {&MentionMinute::positive, "#2e7d32", "positivas", "positive"},
      {&MentionMinute::unknown, "#cfd8dc", "sin clasificar", "unclassified"},
  }};
  for (const MentionMinute& raw : r.mention_series) {
    const MentionMinute m = Normalised(raw);
    if (m.mentions == 0) continue;
    const int64_t x0 = XOf(span, m.minute), x1 = std::max(XOf(span, m.minute + minutes(1)), x0 + 5);
    StrAppend(svg, "<g><title>", ClockTime(m.minute), ": ", Count(m.mentions, lang), es ? " menciones" : " mentions");
    for (const Layer& l : kLayers) StrAppend(svg, ", ", Count(m.*l.count, lang), " ", es ? l.es : l.en);
    svg += "</title>";
    int64_t stacked = 0;
    for (const Layer& l : kLayers) {
      const int64_t n = m.*l.count;
      if (n == 0) continue;
      const int64_t y_low = bottom - stacked * kPlotHeight / y_max;
      stacked += n;
      const int64_t y_high = bottom - stacked * kPlotHeight / y_max;
      StrAppend(svg, "<rect x=\"", Px(x0), "\" y=\"", Px(y_high), "\" width=\"", Px(x1 - x0), "\" height=\"",
                Px(std::max<int64_t>(y_low - y_high, 1)), "\" fill=\"", l.colour, "\"/>");
    }
    svg += "</g>\n";
  }
  Markers(svg, r, span, kTop, bottom, lang);
  Axis(svg, span, axis_y);
  int64_t x = kLeft;
  for (const Layer& l : kLayers) LegendEntry(svg, x, legend_y, l.colour, es ? l.es : l.en);
  svg += "</svg>\n";
  return svg;
}

}  // namespace faro::record
