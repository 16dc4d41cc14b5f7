#pragma once
// Plans and incidents in people's words, in Spanish and English: what a step does, what a
// trigger waits for, durations and lists. Used by `faro plan check`, the engine's timeline and
// the actions' texts.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/lang.hpp"
#include "plan/plan.hpp"
#include "plan/text.hpp"

namespace faro::plan {

// "15 min", "2 h", "1 h 30 min", "45 s", "1 d" (the same in both languages).
std::string DurationText(std::chrono::milliseconds duration);
// "WhatsApp", "Instagram", "X", "TikTok" …; an unknown id as written.
std::string PlatformName(std::string_view platform);
// What an incident is about: a platform's name, a brand's name (from the plan), a topic.
Text SubjectName(const Plan& plan, const std::string& subject);
// "a, b y c" / "a, b and c"; with `either`: "a, b o c" / "a, b or c".
std::string ListText(const std::vector<std::string>& items, Lang lang, bool either = false);
// Role titles in `lang`, as a list.
std::string RoleTitles(const Plan& plan, const std::vector<std::string>& roles, Lang lang);

// What a step does, with its approval and condition ("… (approved by …) — only if …").
Text StepInWords(const Plan& plan, const Step& step);
// Only what it does: "pause meta ads on Instagram".
Text StepWhat(const Plan& plan, const Step& step);
// What an action of `kind` does, in a few words for the timeline and reports, when the step
// cannot say more (actions the engine makes itself, such as escalations and the cadence's
// status updates): "enviar el informe de situación" / "send the status update". Every kind the
// engine emits has words (each step kind's ActionKindName and "escalate"); nullopt only for a
// kind Faro does not know.
std::optional<Text> ActionKindWords(std::string_view kind);
Text TriggerInWords(const Plan& plan, const Trigger& trigger);
Text ApprovalInWords(const Plan& plan, const Approval& approval);

// "15:56 UTC": a time of day for people (times in JSON stay RFC 3339).
std::string ClockText(TimePoint at);
// The words with a full stop, unless they already end in . ? ! or ….
std::string Sentence(std::string words);

// Pick the language: Spanish or English words.
inline std::string Pick(Lang lang, std::string_view es, std::string_view en) {
  return std::string(lang == Lang::kEs ? es : en);
}

}  // namespace faro::plan
