#include "record/incident_record.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/decimal.hpp"

namespace faro::record {
namespace {

using nlohmann::json;

// A short picture of a JSON value for error messages: strings quoted and clipped.
std::string Shown(const json& value) {
  std::string s = value.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

absl::Status Wrong(std::string_view path, std::string_view expected, const json& got) {
  return absl::InvalidArgumentError(StrCat(path, ": expected ", expected, ", got ", Shown(got)));
}
absl::Status Missing(std::string_view path) {
  return absl::InvalidArgumentError(StrCat(path, ": missing (it is required)"));
}

std::string Path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : StrCat(parent, ".", key);
}
std::string Index(std::string_view parent, std::size_t i) { return StrCat(parent, "[", static_cast<int64_t>(i), "]"); }

// Reads the fields of one JSON object, each error naming the field's full path.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const json* Get(std::string_view key) const {
    auto it = object_.find(std::string(key));
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string PathOf(std::string_view key) const { return Path(path_, key); }

  absl::Status String(std::string_view key, std::string& out, bool required) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(PathOf(key)) : absl::OkStatus();
    if (!v->is_string()) return Wrong(PathOf(key), "a string", *v);
    out = v->get<std::string>();
    if (required && Trim(out).empty()) return Wrong(PathOf(key), "a non-empty string", *v);
    return absl::OkStatus();
  }
  absl::Status Int(std::string_view key, int64_t& out, bool required, bool non_negative) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(PathOf(key)) : absl::OkStatus();
    if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<uint64_t>() > INT64_MAX))
      return Wrong(PathOf(key), "an integer", *v);
    out = v->get<int64_t>();
    if (non_negative && out < 0) return Wrong(PathOf(key), "a whole number, 0 or more", *v);
    return absl::OkStatus();
  }
  absl::Status OptionalInt(std::string_view key, std::optional<int64_t>& out) const {
    if (Get(key) == nullptr) return absl::OkStatus();
    int64_t v = 0;
    FARO_RETURN_IF_ERROR(Int(key, v, true, true));
    out = v;
    return absl::OkStatus();
  }
  absl::Status Bool(std::string_view key, bool& out) const {
    const json* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_boolean()) return Wrong(PathOf(key), "true or false", *v);
    out = v->get<bool>();
    return absl::OkStatus();
  }
  absl::Status Time(std::string_view key, TimePoint& out, bool required) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(PathOf(key)) : absl::OkStatus();
    auto t = v->is_string() ? ParseRfc3339(v->get<std::string>()) : absl::InvalidArgumentError("");
    if (!t.ok()) return Wrong(PathOf(key), "an RFC 3339 time such as \"2021-10-04T15:39:00.000Z\"", *v);
    out = *t;
    return absl::OkStatus();
  }
  absl::Status OptionalTime(std::string_view key, std::optional<TimePoint>& out) const {
    if (Get(key) == nullptr) return absl::OkStatus();
    TimePoint t;
    FARO_RETURN_IF_ERROR(Time(key, t, true));
    out = t;
    return absl::OkStatus();
  }
  absl::Status TextField(std::string_view key, Text& out, bool required) const {
    const json* v = Get(key);
    if (v == nullptr) return required ? Missing(PathOf(key)) : absl::OkStatus();
    return ReadText(*v, PathOf(key), out, required);
  }
  absl::Status Object(std::string_view key, json& out) const {
    const json* v = Get(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_object()) return Wrong(PathOf(key), "an object", *v);
    out = *v;
    return absl::OkStatus();
  }
  // The array under `key` (nullptr when absent and not required).
  absl::StatusOr<const json*> Array(std::string_view key, bool required) const {
    const json* v = Get(key);
    if (v == nullptr) {
      if (required) return Missing(PathOf(key));
      return nullptr;
    }
    if (!v->is_array()) return Wrong(PathOf(key), "an array", *v);
    return v;
  }

  // {"es": "…", "en": "…"} (one may be missing) or a plain string used for both.
  static absl::Status ReadText(const json& v, const std::string& path, Text& out, bool required) {
    if (v.is_string()) {
      out = {v.get<std::string>(), v.get<std::string>()};
    } else if (v.is_object()) {
      Fields f(v, path);
      FARO_RETURN_IF_ERROR(f.String("es", out.es, false));
      FARO_RETURN_IF_ERROR(f.String("en", out.en, false));
    } else {
      return Wrong(path, "a text: {\"es\": \"…\", \"en\": \"…\"} or a string", v);
    }
    if (required && out.empty()) return Wrong(path, "a text in Spanish or English, not empty", v);
    return absl::OkStatus();
  }

 private:
  const json& object_;
  std::string path_;
};

absl::StatusOr<Fields> ObjectAt(const json& v, const std::string& path) {
  if (!v.is_object()) return Wrong(path, "an object", v);
  return Fields(v, path);
}

absl::Status ReadRoles(const Fields& top, IncidentRecord& r) {
  FARO_ASSIGN_OR_RETURN(const json* roles, top.Array("roles", false));
  if (roles == nullptr) return absl::OkStatus();
  for (std::size_t i = 0; i < roles->size(); ++i) {
    FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*roles)[i], Index("roles", i)));
    RoleHeld h;
    FARO_RETURN_IF_ERROR(f.String("role", h.role, true));
    FARO_RETURN_IF_ERROR(f.TextField("title", h.title, false));
    FARO_RETURN_IF_ERROR(f.String("person", h.person, true));
    FARO_RETURN_IF_ERROR(f.Time("from", h.from, true));
    FARO_RETURN_IF_ERROR(f.OptionalTime("until", h.until));
    r.roles.push_back(std::move(h));
  }
  return absl::OkStatus();
}

absl::Status ReadTimeline(const Fields& top, IncidentRecord& r) {
  FARO_ASSIGN_OR_RETURN(const json* timeline, top.Array("timeline", true));
  for (std::size_t i = 0; i < timeline->size(); ++i) {
    FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*timeline)[i], Index("timeline", i)));
    TimelineEntry e;
    FARO_RETURN_IF_ERROR(f.Int("seq", e.seq, true, false));
    FARO_RETURN_IF_ERROR(f.Time("at", e.at, true));
    FARO_RETURN_IF_ERROR(f.String("kind", e.kind, true));
    FARO_RETURN_IF_ERROR(f.String("who", e.who, false));
    FARO_RETURN_IF_ERROR(f.TextField("text", e.text, false));
    FARO_RETURN_IF_ERROR(f.Object("details", e.details));
    r.timeline.push_back(std::move(e));
  }
  return absl::OkStatus();
}

absl::Status ReadChecklist(const Fields& top, IncidentRecord& r) {
  FARO_ASSIGN_OR_RETURN(const json* list, top.Array("checklist", false));
  if (list != nullptr) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*list)[i], Index("checklist", i)));
      CheckItem c;
      std::string state;
      FARO_RETURN_IF_ERROR(f.String("item", c.item, true));
      FARO_RETURN_IF_ERROR(f.String("state", state, true));
      const auto parsed = ItemStateFromName(state);
      if (!parsed) return Wrong(f.PathOf("state"), "\"green\", \"red\" or \"pending\"", *f.Get("state"));
      c.state = *parsed;
      FARO_RETURN_IF_ERROR(f.TextField("text", c.text, false));
      FARO_RETURN_IF_ERROR(f.Object("details", c.details));
      r.checklist.push_back(std::move(c));
    }
  }
  FARO_ASSIGN_OR_RETURN(const json* overrides, top.Array("overrides", false));
  if (overrides != nullptr) {
    for (std::size_t i = 0; i < overrides->size(); ++i) {
      FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*overrides)[i], Index("overrides", i)));
      Override o;
      FARO_RETURN_IF_ERROR(f.String("item", o.item, true));
      FARO_RETURN_IF_ERROR(f.String("by", o.by, true));
      FARO_RETURN_IF_ERROR(f.String("reason", o.reason, true));
      FARO_RETURN_IF_ERROR(f.Time("at", o.at, true));
      r.overrides.push_back(std::move(o));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadFigures(const Fields& top, IncidentRecord& r) {
  const json* v = top.Get("figures");
  if (v == nullptr) return absl::OkStatus();
  FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt(*v, "figures"));
  Figures& g = r.figures;
  FARO_RETURN_IF_ERROR(f.Int("contacts_told", g.contacts_told, false, true));
  FARO_RETURN_IF_ERROR(f.Int("messages_rerouted", g.messages_rerouted, false, true));
  FARO_RETURN_IF_ERROR(f.Int("campaigns_paused", g.campaigns_paused, false, true));
  FARO_RETURN_IF_ERROR(f.Int("approvals_asked", g.approvals_asked, false, true));
  FARO_RETURN_IF_ERROR(f.Int("approvals_granted", g.approvals_granted, false, true));
  FARO_RETURN_IF_ERROR(f.OptionalInt("unanswered_left", g.unanswered_left));
  FARO_RETURN_IF_ERROR(f.OptionalInt("first_message_after_s", g.first_message_after_s));
  FARO_RETURN_IF_ERROR(f.String("currency", g.currency, false));
  std::string spend;
  FARO_RETURN_IF_ERROR(f.String("spend_protected", spend, false));
  if (!spend.empty()) {
    auto micros = ParseDecimalMicros(spend, "");
    if (!micros.ok() || *micros < 0)
      return Wrong(f.PathOf("spend_protected"), "an amount such as \"412.50\"", *f.Get("spend_protected"));
    g.spend_protected_micros = *micros;
  }
  return absl::OkStatus();
}

absl::Status ReadSeries(const Fields& top, IncidentRecord& r) {
  const json* v = top.Get("series");
  if (v == nullptr) return absl::OkStatus();
  FARO_ASSIGN_OR_RETURN(Fields s, ObjectAt(*v, "series"));
  FARO_ASSIGN_OR_RETURN(const json* platform, s.Array("platform", false));
  if (platform != nullptr) {
    for (std::size_t i = 0; i < platform->size(); ++i) {
      FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*platform)[i], Index("series.platform", i)));
      PlatformPoint p;
      FARO_RETURN_IF_ERROR(f.Time("at", p.at, true));
      FARO_RETURN_IF_ERROR(f.String("platform", p.platform, true));
      FARO_RETURN_IF_ERROR(f.String("health", p.health, true));
      r.platform_series.push_back(std::move(p));
    }
  }
  FARO_ASSIGN_OR_RETURN(const json* mentions, s.Array("mentions", false));
  if (mentions != nullptr) {
    for (std::size_t i = 0; i < mentions->size(); ++i) {
      FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt((*mentions)[i], Index("series.mentions", i)));
      MentionMinute m;
      FARO_RETURN_IF_ERROR(f.Time("minute", m.minute, true));
      FARO_RETURN_IF_ERROR(f.Int("mentions", m.mentions, true, true));
      FARO_RETURN_IF_ERROR(f.Int("negative", m.negative, false, true));
      FARO_RETURN_IF_ERROR(f.Int("positive", m.positive, false, true));
      FARO_RETURN_IF_ERROR(f.Int("neutral", m.neutral, false, true));
      FARO_RETURN_IF_ERROR(f.Int("unknown", m.unknown, false, true));
      r.mention_series.push_back(m);
    }
  }
  // Charts draw in time order whatever order the writer used.
  std::stable_sort(r.platform_series.begin(), r.platform_series.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  std::stable_sort(r.mention_series.begin(), r.mention_series.end(),
                   [](const auto& a, const auto& b) { return a.minute < b.minute; });
  return absl::OkStatus();
}

absl::Status ReadLessons(const Fields& top, IncidentRecord& r) {
  const json* v = top.Get("lessons");
  if (v == nullptr) return absl::OkStatus();
  FARO_ASSIGN_OR_RETURN(Fields f, ObjectAt(*v, "lessons"));
  for (auto [key, out] : {std::pair<const char*, std::vector<Text>*>{"worked", &r.worked}, {"change", &r.change}}) {
    FARO_ASSIGN_OR_RETURN(const json* list, f.Array(key, false));
    if (list == nullptr) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      Text t;
      FARO_RETURN_IF_ERROR(Fields::ReadText((*list)[i], Index(Path("lessons", key), i), t, true));
      out->push_back(std::move(t));
    }
  }
  return absl::OkStatus();
}

}  // namespace

TimePoint IncidentRecord::End() const {
  if (closed_at) return *closed_at;
  TimePoint end = opened_at;
  if (stable_at) end = std::max(end, *stable_at);
  for (const TimelineEntry& e : timeline) end = std::max(end, e.at);
  for (const PlatformPoint& p : platform_series) end = std::max(end, p.at);
  for (const MentionMinute& m : mention_series) end = std::max(end, m.minute + std::chrono::minutes(1));
  return end;
}

std::chrono::milliseconds IncidentRecord::OutageLength() const {
  const TimePoint until = stable_at ? *stable_at : End();
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(until - opened_at));
}

absl::StatusOr<IncidentRecord> ParseIncident(const json& j) {
  if (!j.is_object()) return Wrong("incident record", "a JSON object", j);
  const Fields top(j, "");
  IncidentRecord r;
  FARO_RETURN_IF_ERROR(top.Int("id", r.id, true, false));
  FARO_RETURN_IF_ERROR(top.String("plan", r.plan, false));
  FARO_RETURN_IF_ERROR(top.String("playbook", r.playbook, true));
  FARO_RETURN_IF_ERROR(top.String("kind", r.kind, true));
  FARO_RETURN_IF_ERROR(top.TextField("title", r.title, true));
  FARO_RETURN_IF_ERROR(top.String("business", r.business, false));
  FARO_RETURN_IF_ERROR(top.String("subject", r.subject, false));
  FARO_RETURN_IF_ERROR(top.String("state", r.state, true));
  if (r.state != "active" && r.state != "stable" && r.state != "closed")
    return Wrong("state", "\"active\", \"stable\" or \"closed\"", *top.Get("state"));
  FARO_RETURN_IF_ERROR(top.Time("opened_at", r.opened_at, true));
  FARO_RETURN_IF_ERROR(top.OptionalTime("stable_at", r.stable_at));
  FARO_RETURN_IF_ERROR(top.OptionalTime("closed_at", r.closed_at));
  if (r.state == "closed" && !r.closed_at) return Missing("closed_at (the state is \"closed\")");
  FARO_RETURN_IF_ERROR(top.Bool("drill", r.drill));
  FARO_RETURN_IF_ERROR(ReadRoles(top, r));
  FARO_RETURN_IF_ERROR(ReadTimeline(top, r));
  FARO_RETURN_IF_ERROR(ReadChecklist(top, r));
  FARO_RETURN_IF_ERROR(ReadFigures(top, r));
  FARO_RETURN_IF_ERROR(ReadSeries(top, r));
  FARO_RETURN_IF_ERROR(ReadLessons(top, r));
  return r;
}

absl::StatusOr<IncidentRecord> ParseIncidentText(std::string_view text) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return absl::InvalidArgumentError(
        StrCat("incident record: not valid JSON near byte ", static_cast<int64_t>(e.byte), ": ", e.what()));
  }
  return ParseIncident(j);
}

}  // namespace faro::record
