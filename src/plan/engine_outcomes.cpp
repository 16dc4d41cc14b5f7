// Outcomes of actions: on the timeline, into the figures, and into lessons when a step failed
// or customers heard from the business late.
#include "core/strings.hpp"
#include "plan/engine_internal.hpp"
#include "core/decimal.hpp"
#include "plan/words.hpp"

namespace faro::plan {
namespace {

constexpr int64_t kFirstMessageTarget = 5 * 60;  // PagerDuty: the first message within 5 minutes

absl::StatusOr<int64_t> Count(const nlohmann::json& details, const char* key) {
  if (!details.contains(key)) return 0;
  const auto& value = details[key];
  if (!value.is_number_integer() || value.get<int64_t>() < 0)
    return absl::InvalidArgumentError(StrCat("outcome details: \"", key, "\" must be a whole number of zero or more"));
  return value.get<int64_t>();
}

// What the outcome is about, in words: the step's own words when a step made the action; an
// approval names what it asks for; actions the engine makes itself (escalations, the cadence's
// status updates and reminders, the second restoration check) get their kind's words. Never the
// bare kind: people read this on the timeline and in the report.
Text OutcomeWhat(const Run& run, const ActionRef& ref) {
  const std::vector<Step>& steps = run.playbook->steps;
  const Step* step = ref.step >= 0 && ref.step < static_cast<int>(steps.size()) ? &steps[ref.step] : nullptr;
  if (step != nullptr && ref.kind == "ask-approval") {
    if (step->kind == StepKind::kApprove) {  // the playbook's approval: its question
      const Text ask = Expand(run, step->ask);
      return {StrCat("Pedir aprobación: «", ask.es, "»"), StrCat("Ask for approval: “", ask.en, "”")};
    }
    const Text what = StepWhat(*run.plan, *step);  // one step's own approval
    return {StrCat("Pedir aprobación para ", what.es), StrCat("Ask for approval to ", what.en)};
  }
  if (step != nullptr && ActionKindName(step->kind) == ref.kind) return Capitalised(StepWhat(*run.plan, *step));
  return Capitalised(ActionKindWords(ref.kind).value_or(
      Text{StrCat("acción «", ref.kind, "»"), StrCat("action “", ref.kind, "”")}));
}

}  // namespace

absl::StatusOr<Actions> Engine::State::OnOutcome(const Outcome& outcome) {
  auto ref = actions.find(outcome.action);
  if (ref == actions.end()) return absl::NotFoundError(StrCat("no action ", outcome.action, " made by this engine"));
  const nlohmann::json& details = outcome.details.is_null() ? nlohmann::json::object() : outcome.details;
  if (!details.is_object()) return absl::InvalidArgumentError("outcome details must be a JSON object");
  // Check everything before changing anything.
  FARO_ASSIGN_OR_RETURN(const int64_t told, Count(details, "contacts_told"));
  FARO_ASSIGN_OR_RETURN(const int64_t rerouted, Count(details, "messages_rerouted"));
  FARO_ASSIGN_OR_RETURN(const int64_t paused, Count(details, "campaigns_paused"));
  int64_t spend = 0;
  std::string currency;
  if (details.contains("spend_protected")) {
    if (!details["spend_protected"].is_string())
      return absl::InvalidArgumentError("outcome details: \"spend_protected\" must be a decimal text such as \"412.50\"");
    FARO_ASSIGN_OR_RETURN(spend, ParseDecimalMicros(details["spend_protected"].get<std::string>(), "outcome details: spend_protected"));
    if (!details.contains("currency") || !details["currency"].is_string() || details["currency"].get<std::string>().size() != 3)
      return absl::InvalidArgumentError("outcome details: \"spend_protected\" needs \"currency\" (a 3-letter code)");
    currency = details["currency"].get<std::string>();
  }
  std::optional<int64_t> unanswered;
  if (details.contains("unanswered_left")) {
    FARO_ASSIGN_OR_RETURN(unanswered, Count(details, "unanswered_left"));
  }

  Run& run = runs.at(ref->second.incident);
  Actions out;
  RunTimers(outcome.at, false, out);
  Incident& incident = run.incident;
  Figures& figures = incident.figures;
  const std::string& kind = ref->second.kind;
  const Text what = OutcomeWhat(run, ref->second);

  nlohmann::json recorded = details;
  recorded["action"] = outcome.action;
  recorded["action_kind"] = kind;
  recorded["ok"] = outcome.ok;
  figures.contacts_told += told;
  figures.messages_rerouted += rerouted;
  figures.campaigns_paused += paused;
  if (!currency.empty()) {
    if (figures.currency.empty() || figures.currency == currency) {
      figures.currency = currency;
      figures.spend_protected_micros += spend;
    } else {
      // One currency per incident report; a second one is kept on the timeline, not summed.
      recorded["not_summed"] = StrCat("spend in ", currency, " while the incident counts ", figures.currency);
    }
  }
  if (unanswered) figures.unanswered_left = *unanswered;

  Text text = outcome.ok ? Text{StrCat("Hecho: ", what.es), StrCat("Done: ", what.en)}
                         : Text{StrCat("Falló: ", what.es), StrCat("Failed: ", what.en)};
  if (!outcome.detail.empty()) {
    text.es += StrCat(" — ", outcome.detail.es);
    text.en += StrCat(" — ", outcome.detail.en);
  }
  text = {Sentence(text.es), Sentence(text.en)};
  Record(run, outcome.at, "outcome", "faro", text, recorded);

  if (!outcome.ok && kind != "ask-approval" && kind != "escalate")
    AddLesson(run, false,
              {Sentence(StrCat("Falló el paso «", what.es, "»", outcome.detail.empty() ? "" : StrCat(": ", outcome.detail.es))),
               Sentence(StrCat("The step “", what.en, "” failed", outcome.detail.empty() ? "" : StrCat(": ", outcome.detail.en)))});
  const bool to_customers = kind == "broadcast" || kind == "holding-statement";
  if (outcome.ok && to_customers && !figures.first_message_after_s) {
    const int64_t after = std::chrono::duration_cast<std::chrono::seconds>(outcome.at - incident.opened_at).count();
    figures.first_message_after_s = after;
    if (after > kFirstMessageTarget)
      AddLesson(run, false,
                {StrCat("El primer mensaje a los clientes salió ", DurationText(std::chrono::seconds(after)),
                        " después de abrir el incidente; conviene que salga antes de 5 min."),
                 StrCat("The first message to customers went out ", DurationText(std::chrono::seconds(after)),
                        " after the incident opened; aim for less than 5 min.")});
    else
      AddLesson(run, true,
                {StrCat("El primer mensaje a los clientes salió a los ", DurationText(std::chrono::seconds(after)), "."),
                 StrCat("The first message to customers went out after ", DurationText(std::chrono::seconds(after)), ".")});
  }
  RunTimers(outcome.at, true, out);
  return out;
}

}  // namespace faro::plan
