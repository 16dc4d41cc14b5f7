// The guard's record as JSON (it goes on the incident timeline and is read back after a
// restart), the names of its states, and the one-line summaries people read.
#include <nlohmann/json.hpp>

#include "ads/guard.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

constexpr GuardState kGuardStates[] = {GuardState::kPausedByFaro, GuardState::kAlreadyPaused,
                                       GuardState::kLeftAlone,    GuardState::kPauseFailed,
                                       GuardState::kResumed,      GuardState::kResumeFailed,
                                       GuardState::kChangedByPerson};
constexpr MoveState kMoveStates[] = {MoveState::kCopyFailed, MoveState::kCopied, MoveState::kActive,
                                     MoveState::kStopped, MoveState::kChangedByPerson};

json Time(const std::optional<TimePoint>& t) { return t ? json(Rfc3339(*t)) : json(nullptr); }

// Reads the fields of one JSON object, remembering the first error with its path.
class Reader {
 public:
  Reader(const json& object, std::string path) : o_(object), path_(std::move(path)) {
    if (!o_.is_object()) Fail("", "expected an object");
  }

  std::string Text(const char* key, bool required = true) {
    if (!o_.is_object()) return {};
    const auto it = o_.find(key);
    if (it == o_.end() || it->is_null()) {
      if (required) Fail(key, "missing");
      return {};
    }
    if (!it->is_string()) {
      Fail(key, "expected text");
      return {};
    }
    return it->get<std::string>();
  }

  std::optional<TimePoint> At(const char* key) {
    const std::string text = Text(key, false);
    if (text.empty()) return std::nullopt;
    absl::StatusOr<TimePoint> t = ParseRfc3339(text);
    if (!t.ok()) {
      Fail(key, StrCat("\"", text, "\" is not an RFC 3339 time"));
      return std::nullopt;
    }
    return *t;
  }

  const json& Object(const char* key) {
    static const json kNull;
    if (!o_.is_object() || !o_.contains(key) || !o_[key].is_object()) {
      Fail(key, "expected an object");
      return kNull;
    }
    return o_[key];
  }

  void Fail(std::string_view key, std::string_view what) {
    if (!status_.ok()) return;
    status_ = absl::InvalidArgumentError(StrCat(path_, key.empty() ? "" : ".", key, ": ", what));
  }
  void Merge(const absl::Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }
  const absl::Status& status() const { return status_; }
  const std::string& path() const { return path_; }

 private:
  const json& o_;
  std::string path_;
  absl::Status status_;
};

}  // namespace

std::string_view GuardStateName(GuardState state) {
  switch (state) {
    case GuardState::kPausedByFaro: return "paused-by-faro";
    case GuardState::kAlreadyPaused: return "already-paused";
    case GuardState::kLeftAlone: return "left-alone";
    case GuardState::kPauseFailed: return "pause-failed";
    case GuardState::kResumed: return "resumed";
    case GuardState::kResumeFailed: return "resume-failed";
    case GuardState::kChangedByPerson: return "changed-by-person";
  }
  return "left-alone";
}

std::string_view MoveStateName(MoveState state) {
  switch (state) {
    case MoveState::kCopyFailed: return "copy-failed";
    case MoveState::kCopied: return "copied";
    case MoveState::kActive: return "active";
    case MoveState::kStopped: return "stopped";
    case MoveState::kChangedByPerson: return "changed-by-person";
  }
  return "copy-failed";
}

bool operator==(const GuardRecord& a, const GuardRecord& b) { return GuardRecordToJson(a) == GuardRecordToJson(b); }

json GuardRecordToJson(const GuardRecord& record) {
  json campaigns = json::array();
  for (const GuardEntry& e : record.campaigns)
    campaigns.push_back({{"account", e.account},
                         {"platform", e.platform},
                         {"id", e.campaign_id},
                         {"name", e.campaign_name},
                         {"prior_status", StatusName(e.prior)},
                         {"prior_raw_status", e.prior_raw},
                         {"state", GuardStateName(e.state)},
                         {"note", e.note},
                         {"error_class", e.error_class},
                         {"paused_at", Time(e.paused_at)},
                         {"resumed_at", Time(e.resumed_at)},
                         {"held_by", e.held_by}});
  json moves = json::array();
  for (const MovedCampaign& m : record.moves)
    moves.push_back({{"from",
                      {{"account", m.from_account},
                       {"platform", m.from_platform},
                       {"id", m.from_campaign_id},
                       {"name", m.from_campaign_name}}},
                     {"to", {{"account", m.to_account}, {"platform", m.to_platform}, {"id", m.copy_id}, {"name", m.copy_name}}},
                     {"budget_cap", FormatMoney(m.budget_cap)},
                     {"state", MoveStateName(m.state)},
                     {"note", m.note},
                     {"error_class", m.error_class},
                     {"copied_at", Time(m.copied_at)},
                     {"activated_at", Time(m.activated_at)},
                     {"stopped_at", Time(m.stopped_at)}});
  return {{"version", 1}, {"campaigns", campaigns}, {"moves", moves}};
}

absl::StatusOr<GuardRecord> GuardRecordFromJson(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("guard record: expected a JSON object");
  if (!j.contains("version") || j["version"] != 1)
    return absl::InvalidArgumentError("guard record: version: expected 1");
  GuardRecord record;
  const json campaigns = j.value("campaigns", json::array());
  const json moves = j.value("moves", json::array());
  if (!campaigns.is_array()) return absl::InvalidArgumentError("guard record: campaigns: expected a list");
  if (!moves.is_array()) return absl::InvalidArgumentError("guard record: moves: expected a list");
  for (size_t i = 0; i < campaigns.size(); ++i) {
    Reader r(campaigns[i], StrCat("campaigns[", i, "]"));
    GuardEntry e;
    e.account = r.Text("account");
    e.platform = r.Text("platform");
    e.campaign_id = r.Text("id");
    e.campaign_name = r.Text("name", false);
    const std::string prior = r.Text("prior_status");
    if (r.status().ok()) {
      if (std::optional<CampaignStatus> s = ParseStatusName(prior)) e.prior = *s;
      else r.Fail("prior_status", StrCat("\"", prior, "\" is not active, paused, removed or other"));
    }
    e.prior_raw = r.Text("prior_raw_status", false);
    const std::string state = r.Text("state");
    bool known = false;
    for (GuardState s : kGuardStates)
      if (GuardStateName(s) == state) {
        e.state = s;
        known = true;
      }
    if (r.status().ok() && !known) r.Fail("state", StrCat("\"", state, "\" is not a guard state"));
    e.note = r.Text("note", false);
    e.error_class = r.Text("error_class", false);
    e.paused_at = r.At("paused_at");
    e.resumed_at = r.At("resumed_at");
    if (const json held = campaigns[i].value("held_by", json::array()); held.is_array()) {
      for (const json& h : held) {
        if (h.is_string()) e.held_by.push_back(h.get<std::string>());
        else if (r.status().ok()) r.Fail("held_by", "expected a list of texts");
      }
    } else if (r.status().ok()) {
      r.Fail("held_by", "expected a list of texts");
    }
    if (r.status().ok() && e.campaign_id.empty()) r.Fail("id", "must not be empty");
    FARO_RETURN_IF_ERROR(r.status());
    record.campaigns.push_back(std::move(e));
  }
  for (size_t i = 0; i < moves.size(); ++i) {
    Reader r(moves[i], StrCat("moves[", i, "]"));
    MovedCampaign m;
    Reader from(r.Object("from"), StrCat(r.path(), ".from"));
    Reader to(r.Object("to"), StrCat(r.path(), ".to"));
    FARO_RETURN_IF_ERROR(r.status());
    m.from_account = from.Text("account");
    m.from_platform = from.Text("platform");
    m.from_campaign_id = from.Text("id");
    m.from_campaign_name = from.Text("name", false);
    m.to_account = to.Text("account");
    m.to_platform = to.Text("platform");
    m.copy_id = to.Text("id", false);
    m.copy_name = to.Text("name", false);
    FARO_RETURN_IF_ERROR(from.status());
    FARO_RETURN_IF_ERROR(to.status());
    const std::string cap = r.Text("budget_cap");
    if (r.status().ok()) {
      absl::StatusOr<Money> money = ParseMoney(cap, StrCat(r.path(), ".budget_cap"));
      if (money.ok()) m.budget_cap = *money;
      else r.Merge(money.status());
    }
    const std::string state = r.Text("state");
    bool known = false;
    for (MoveState s : kMoveStates)
      if (MoveStateName(s) == state) {
        m.state = s;
        known = true;
      }
    if (r.status().ok() && !known) r.Fail("state", StrCat("\"", state, "\" is not a move state"));
    m.note = r.Text("note", false);
    m.error_class = r.Text("error_class", false);
    m.copied_at = r.At("copied_at");
    m.activated_at = r.At("activated_at");
    m.stopped_at = r.At("stopped_at");
    FARO_RETURN_IF_ERROR(r.status());
    record.moves.push_back(std::move(m));
  }
  return record;
}

std::string Summary(const GuardOutcome& o, Lang lang) {
  const bool es = lang == Lang::kEs;
  std::vector<std::string> parts;
  const auto add = [&](int n, std::string_view es_one, std::string_view es_many, std::string_view en_one,
                       std::string_view en_many) {
    if (n == 0) return;
    parts.push_back(StrCat(n, " ", es ? (n == 1 ? es_one : es_many) : (n == 1 ? en_one : en_many)));
  };
  add(o.paused, "campaña pausada", "campañas pausadas", "campaign paused", "campaigns paused");
  add(o.resumed, "campaña reanudada", "campañas reanudadas", "campaign resumed", "campaigns resumed");
  add(o.already_paused, "ya estaba pausada (sigue pausada)", "ya estaban pausadas (siguen pausadas)",
      "was already paused (stays paused)", "were already paused (stay paused)");
  add(o.held, "pausada también por otro incidente (sigue pausada hasta que termine)",
      "pausadas también por otro incidente (siguen pausadas hasta que termine)",
      "held paused for another incident too (stays paused until it ends)",
      "held paused for another incident too (stay paused until it ends)");
  add(o.changed_by_person, "cambiada por una persona (no se toca)", "cambiadas por una persona (no se tocan)",
      "changed by a person (left alone)", "changed by a person (left alone)");
  add(o.left_alone, "no estaba activa (no se toca)", "no estaban activas (no se tocan)", "was not active (left alone)",
      "were not active (left alone)");
  add(o.copied, "copia creada en pausa", "copias creadas en pausa", "paused copy created", "paused copies created");
  add(o.activated, "copia activada", "copias activadas", "copy activated", "copies activated");
  add(o.stopped, "copia pausada al terminar", "copias pausadas al terminar", "copy paused at the end",
      "copies paused at the end");
  add(static_cast<int>(o.not_found.size()), "no encontrada", "no encontradas", "not found", "not found");
  add(static_cast<int>(o.errors.size()), "error", "errores", "error", "errors");
  std::string line = parts.empty() ? std::string(es ? "ninguna campaña para cambiar" : "no campaign to change")
                                   : Join(parts, ", ");
  if (o.retry_after.count() > 0)
    StrAppend(line, es ? "; la plataforma pide esperar " : "; the platform asks to wait ",
              (o.retry_after.count() + 999) / 1000, " s");
  return line;
}

}  // namespace faro::ads
