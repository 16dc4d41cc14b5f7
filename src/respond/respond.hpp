#pragma once
// What Faro does about an event, decided without I/O: which people to alert (by role, with
// escalation when nobody acknowledges), and which customer channels to fail over (mark down
// and broadcast) or restore. The server carries the decisions out through the outbox and
// records them. Time comes in as arguments, so every scenario replays at simulated speed.
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/event.hpp"
#include "core/lang.hpp"

namespace faro::respond {

// A person of the team (faro.yaml `team:`), known to the contact book as `contact_id`.
struct TeamMember {
  std::string name;
  std::string role;  // "owner", "community-manager", ...
  Lang lang = Lang::kEs;
  int64_t contact_id = 0;
};

struct EscalationStep {
  std::chrono::milliseconds after{std::chrono::minutes(10)};  // since the alert opened
  std::vector<std::string> roles;
};

// faro.yaml `alerts:`.
struct AlertRules {
  std::vector<std::string> notify = {"community-manager"};  // roles told first (level 0)
  std::vector<EscalationStep> escalate;                    // level 1, 2, ... in order
  // Event kinds that open an alert. A suppressed event never does.
  std::set<std::string> kinds = {"platform-down", "platform-partial", "link-down", "vantage-silent", "flapping"};
  bool tell_recovery = true;  // tell the people alerted when the subject recovers
};

// The kinds that end the trouble an alert was about.
bool IsRecovery(const std::string& kind);  // platform-restored, link-restored, vantage-back, flapping-over

// An alert as the policy needs it (the store keeps the rest).
struct AlertView {
  int64_t id = 0;
  std::string subject, kind;
  int level = 0;
  TimePoint created_at;
  bool acknowledged = false;
  std::set<int64_t> told;  // contact ids already told
  std::string words_en, words_es;  // what the first notice said (AlertText of its event)
};

// One message to one person.
struct Notice {
  TeamMember person;
  int level = 0;
  std::string subject;  // email subject line
  std::string text;
  bool recovery = false;  // tells that the trouble is over
};

struct AlertDecision {
  bool open = false;                    // open a new alert for the event's subject
  std::optional<int64_t> resolve;       // the alert this event resolves
  std::optional<int64_t> update;        // an alert already open for the subject (no new messages)
  std::vector<Notice> notices;
};

// `open_for_subject`: the unresolved alert of the event's subject, if any.
AlertDecision DecideAlert(const Event& event, const std::optional<AlertView>& open_for_subject,
                          const AlertRules& rules, const std::vector<TeamMember>& team,
                          const std::string& business);

struct Escalation {
  int64_t alert_id = 0;
  int level = 0;  // the level reached
  std::vector<Notice> notices;
};
// Unacknowledged alerts whose next escalation step is due at `now`; people already told are
// not told again.
std::vector<Escalation> DueEscalations(const std::vector<AlertView>& open, TimePoint now, const AlertRules& rules,
                                       const std::vector<TeamMember>& team, const std::string& business);

// --- Failover --------------------------------------------------------------------------

// faro.yaml `failover.<channel>`: the customer channel built on `platform`.
struct FailoverRule {
  std::string channel;
  std::string platform;
  bool automatic = true;
  std::string broadcast_template;  // "" → no broadcast
  // Scopes that act. "regional" acts only when the outage covers this node.
  std::set<std::string> scopes = {"global", "regional", "unconfirmed"};
};

struct FailoverAction {
  enum class Kind { kFail, kRestore } kind = Kind::kFail;
  std::string channel, platform;
  std::string broadcast_template;  // kFail only
  std::string reason;              // recorded with the health change
};

// `active`: channels Faro failed over and has not restored yet.
std::vector<FailoverAction> DecideFailover(const Event& event, const std::vector<FailoverRule>& rules,
                                           const std::set<std::string>& active);

// The alert text, in the person's language: what, since when, what Faro did, how to acknowledge.
std::string AlertText(const Event& event, Lang lang, const std::string& business);
std::string AlertSubject(const Event& event, Lang lang);
// What happened, in a few words ("WhatsApp is down for everyone"): the detector's summary.
std::string AlertWords(const Event& event, Lang lang);

}  // namespace faro::respond
