// Steps of a playbook (docs/plans.md, "Steps"): exactly one kind key per step, plus optional
// `id:` and `when:`. Every reference is checked against what the plan defines.
#include <algorithm>
#include <array>

#include "core/strings.hpp"
#include "plan/plan_file.hpp"
#include "plan/plan_reader.hpp"

namespace faro::plan::detail {
namespace {

constexpr std::array<std::string_view, 14> kStepKinds = {
    "notify",        "approve",        "failover",       "undo_failover", "broadcast",
    "pause_ads",     "resume_ads",     "move_campaign",  "holding_statement", "assign_replies",
    "status_updates", "remind",        "wait",           "restoration_check"};

std::optional<StepKind> KindFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(StepKind::kRestorationCheck); ++i)
    if (StepKindName(static_cast<StepKind>(i)) == name) return static_cast<StepKind>(i);
  return std::nullopt;
}

// Steps that may carry their own `approval:` (the ones that change something outside Faro).
bool MayNeedApproval(StepKind kind) {
  switch (kind) {
    case StepKind::kFailover:
    case StepKind::kUndoFailover:
    case StepKind::kBroadcast:
    case StepKind::kPauseAds:
    case StepKind::kResumeAds:
    case StepKind::kMoveCampaign:
    case StepKind::kHoldingStatement:
    case StepKind::kAssignReplies:
      return true;
    default:
      return false;
  }
}

// `escalate:` of an approval: each after the one before, all before `within`.
std::vector<Escalation> ReadEscalations(PlanReader& r, const YAML::Node& body, const std::string& at,
                                        milliseconds within, const PlanIndex& index) {
  std::vector<Escalation> out;
  const YAML::Node list = body["escalate"];
  if (!list) return out;
  const std::string path = Sub(at, "escalate");
  if (!list.IsSequence()) {
    r.Err(list, path, "expected a list such as [{ after: 10m, to: [community-manager] }]");
    return out;
  }
  milliseconds last{0};
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string item = StrCat(path, "[", i, "]");
    if (!r.Map(list[i], item, {"after", "to"})) continue;
    Escalation escalation;
    auto after = r.Duration(list[i], "after", item, std::nullopt);
    escalation.to = r.IdList(list[i], "to", item, true, &index.roles, "role");
    if (!after) continue;
    escalation.after = *after;
    if (within.count() > 0 && *after >= within)
      r.Err(list[i]["after"], Sub(item, "after"),
            "must be shorter than the approval's `within`: escalations happen while the answer is still awaited");
    else if (*after <= last)
      r.Err(list[i]["after"], Sub(item, "after"), "must be later than the escalation before it");
    last = *after;
    out.push_back(std::move(escalation));
  }
  return out;
}

class StepReader {
 public:
  StepReader(PlanReader& r, const PlanIndex& index, const Plan& plan, const std::set<TriggerKind>& families,
             const std::set<std::string>& failing)
      : r_(r), index_(index), plan_(plan), families_(families), failing_(failing) {}

  std::optional<Step> Read(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) {
      r_.Err(node, path, "expected a step such as { notify: { roles: [community-manager] } }");
      return std::nullopt;
    }
    Step step;
    step.line = node.Mark().line + 1;
    std::string kind_name;
    YAML::Node body, kind_key;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key == "id" || key == "when") continue;
      if (!KindFromName(key)) {
        r_.Err(kv.first, Sub(path, key),
               StrCat("unknown step kind; expected one of: ",
                      Join(std::vector<std::string>(kStepKinds.begin(), kStepKinds.end()), ", ")));
        continue;
      }
      if (!kind_name.empty()) {
        r_.Err(kv.first, Sub(path, key), StrCat("one kind per step: this step is already a ", kind_name, " step"));
        continue;
      }
      kind_name = key;
      kind_key = kv.first;
      body = kv.second;
    }
    if (auto id = r_.Id(node, "id", path, false)) step.id = *id;
    if (node["when"]) ReadCondition(node["when"], Sub(path, "when"), step.when);
    if (kind_name.empty()) {
      if (!HasUnknownKind(node)) r_.Err(node, path, "the step has no kind; give one of notify, approve, failover, …");
      return std::nullopt;
    }
    step.kind = *KindFromName(kind_name);
    const std::string at = Sub(path, kind_name);
    if (!body || body.IsNull()) body = YAML::Node(YAML::NodeType::Map);
    if (!body.IsMap()) {
      r_.Err(body, at, "expected the step's settings as a mapping, such as { channel: whatsapp }");
      return std::nullopt;
    }
    ReadBody(step, body, at, kind_key);
    return step;
  }

 private:
  bool HasUnknownKind(const YAML::Node& node) {
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key != "id" && key != "when") return true;
    }
    return false;
  }

  void ReadCondition(const YAML::Node& node, const std::string& path, Condition& when) {
    if (!r_.Map(node, path, {"scope", "platforms", "crisis", "min_share", "min_per_minute", "min_negative_share"})) return;
    when.scope = r_.IdList(node, "scope", path, false);
    for (const std::string& scope : when.scope)
      if (scope != "global" && scope != "regional" && scope != "unconfirmed")
        r_.Err(node["scope"], Sub(path, "scope"), StrCat("unknown scope \"", scope, "\"; expected global, regional or unconfirmed"));
    when.platforms = r_.IdList(node, "platforms", path, false);
    when.crisis = r_.IdList(node, "crisis", path, false);
    for (const std::string& kind : when.crisis)
      if (kind != "volume-spike" && kind != "negative-wave" && kind != "both")
        r_.Err(node["crisis"], Sub(path, "crisis"),
               StrCat("unknown crisis kind \"", kind, "\"; expected volume-spike, negative-wave or both"));
    when.min_share = r_.Share(node, "min_share", path, 0).value_or(0);
    when.min_per_minute = r_.Number(node, "min_per_minute", path, 0).value_or(0);
    when.min_negative_share = r_.Share(node, "min_negative_share", path, 0).value_or(0);
  }

  // Keys per kind; `approval` where the kind may carry one.
  bool Keys(const YAML::Node& body, const std::string& at, StepKind kind) {
    switch (kind) {
      case StepKind::kNotify: return r_.Map(body, at, {"roles", "text"});
      case StepKind::kApprove: return r_.Map(body, at, {"role", "ask", "within", "escalate", "if_no_answer"});
      case StepKind::kFailover:
      case StepKind::kUndoFailover: return r_.Map(body, at, {"channel", "approval"});
      case StepKind::kBroadcast:
      case StepKind::kHoldingStatement: return r_.Map(body, at, {"channels", "text", "approval"});
      case StepKind::kPauseAds:
      case StepKind::kResumeAds: return r_.Map(body, at, {"account", "platforms", "approval"});
      case StepKind::kMoveCampaign: return r_.Map(body, at, {"account", "campaign", "to", "budget_cap", "approval"});
      case StepKind::kAssignReplies: return r_.Map(body, at, {"role", "from", "text", "approval"});
      case StepKind::kStatusUpdates: return r_.Map(body, at, {"to", "first_within", "every", "text"});
      case StepKind::kRemind: return r_.Map(body, at, {"roles", "every", "text"});
      case StepKind::kWait: return r_.Map(body, at, {"for"});
      case StepKind::kRestorationCheck: return r_.Map(body, at, {"watch_for", "ad_tolerance"});
    }
    return false;
  }

  void ReadBody(Step& step, const YAML::Node& body, const std::string& at, const YAML::Node& kind_key) {
    if (!Keys(body, at, step.kind)) return;
    switch (step.kind) {
      case StepKind::kNotify:
        step.roles = r_.IdList(body, "roles", at, true, &index_.roles, "role");
        step.text = r_.TextAt(body, "text", at, false).value_or(Text{});
        break;
      case StepKind::kApprove: {
        step.approval.role = r_.Ref(body, "role", at, true, index_.roles, "role").value_or("");
        step.ask = r_.TextAt(body, "ask", at, true).value_or(Text{});
        if (auto within = r_.Duration(body, "within", at, std::nullopt)) step.approval.within = *within;
        step.approval.escalate = ReadEscalations(r_, body, at, step.approval.within, index_);
        auto if_no_answer = r_.OneOf(body, "if_no_answer", at, {"stop", "continue"}, "stop");
        step.stop_if_no_answer = !if_no_answer || *if_no_answer == "stop";
        break;
      }
      case StepKind::kFailover:
      case StepKind::kUndoFailover:
        step.channel = r_.Ref(body, "channel", at, true, index_.channels, "customer channel", true).value_or("");
        break;
      case StepKind::kBroadcast:
      case StepKind::kHoldingStatement:
        step.channels = r_.IdList(body, "channels", at, true, &index_.channels, "customer channel", true);
        step.text = r_.TextAt(body, "text", at, true).value_or(Text{});
        CheckWorkingChannels(body, at, step.channels);
        break;
      case StepKind::kPauseAds:
      case StepKind::kResumeAds:
        step.account = r_.Ref(body, "account", at, true, index_.accounts, "ad account", true).value_or("");
        step.platforms = r_.IdList(body, "platforms", at, false);
        CheckAdPlatforms(body, at, step);
        break;
      case StepKind::kMoveCampaign: {
        step.account = r_.Ref(body, "account", at, true, index_.accounts, "ad account", true).value_or("");
        step.campaign = r_.Scalar(body, "campaign", at, true).value_or("");
        step.to_account = r_.Ref(body, "to", at, true, index_.accounts, "ad account", true).value_or("");
        if (!step.account.empty() && step.account == step.to_account)
          r_.Err(body["to"], Sub(at, "to"), "the campaign must move to another ad account than the one it runs on");
        if (!body["budget_cap"])
          r_.Err(kind_key, Sub(at, "budget_cap"),
                 "missing; moving a campaign needs a budget cap such as \"150.00 USD\" (the most the copy may spend)");
        else if (auto cap = r_.Scalar(body, "budget_cap", at, true))
          if (absl::Status s = ParseMoney(*cap, step.cap_amount, step.cap_currency); !s.ok())
            r_.Err(body["budget_cap"], Sub(at, "budget_cap"), Message(s));
        if (!body["approval"])
          r_.Err(kind_key, Sub(at, "approval"),
                 "missing; moving a campaign always needs an approval such as { role: approver, within: 30m }");
        break;
      }
      case StepKind::kAssignReplies:
        step.role = r_.Ref(body, "role", at, true, index_.roles, "role").value_or("");
        step.from = r_.Ref(body, "from", at, true, index_.channels, "customer channel", true).value_or("");
        step.text = r_.TextAt(body, "text", at, false).value_or(Text{});
        break;
      case StepKind::kStatusUpdates:
        step.roles = r_.IdList(body, "to", at, true, &index_.roles, "role");
        step.first_within = r_.Duration(body, "first_within", at, std::chrono::minutes(5)).value_or(std::chrono::minutes(5));
        step.every = r_.Duration(body, "every", at, std::chrono::minutes(20)).value_or(std::chrono::minutes(20));
        step.text = r_.TextAt(body, "text", at, false).value_or(Text{});
        break;
      case StepKind::kRemind:
        step.roles = r_.IdList(body, "roles", at, true, &index_.roles, "role");
        if (auto every = r_.Duration(body, "every", at, std::nullopt)) step.every = *every;
        step.text = r_.TextAt(body, "text", at, true).value_or(Text{});
        break;
      case StepKind::kWait:
        ReadWait(body, at, step);
        break;
      case StepKind::kRestorationCheck:
        step.watch_for = r_.Duration(body, "watch_for", at, std::chrono::hours(4)).value_or(std::chrono::hours(4));
        step.ad_tolerance = r_.Share(body, "ad_tolerance", at, 2500).value_or(2500);
        break;
    }
    if (MayNeedApproval(step.kind) && body["approval"])
      step.step_approval = ReadApproval(r_, body["approval"], Sub(at, "approval"), index_);
  }

  // A statement posted on the platform whose failure runs this playbook would not arrive.
  void CheckWorkingChannels(const YAML::Node& body, const std::string& at, const std::vector<std::string>& channels) {
    for (size_t i = 0; i < channels.size(); ++i) {
      const CustomerChannel* channel = plan_.FindChannel(channels[i]);
      if (channel && failing_.count(channel->platform))
        r_.Err(body["channels"], Sub(at, "channels"),
               StrCat("\"", channels[i], "\" is on ", channel->platform,
                      ", whose failure runs this playbook; post on a channel that still works"));
    }
  }

  void CheckAdPlatforms(const YAML::Node& body, const std::string& at, const Step& step) {
    const AdAccount* account = plan_.FindAccount(step.account);
    if (!account) return;
    for (const std::string& platform : step.platforms)
      if (std::find(account->platforms.begin(), account->platforms.end(), platform) == account->platforms.end())
        r_.Err(body["platforms"], Sub(at, "platforms"),
               StrCat("the ad account \"", account->id, "\" does not run ads on ", platform, "; its platforms: ",
                      Join(account->platforms, ", ")));
  }

  void ReadWait(const YAML::Node& body, const std::string& at, Step& step) {
    auto what = r_.Scalar(body, "for", at, true);
    if (!what) return;
    if (*what == "platform-restored" || *what == "crisis-over") {
      step.wait_event = *what;
      const bool crisis_wait = *what == "crisis-over";
      const bool runs_on_crisis = families_.count(TriggerKind::kCrisisSuspected) > 0;
      const bool runs_on_platform = families_.count(TriggerKind::kPlatformDown) + families_.count(TriggerKind::kPlatformPartial) > 0;
      if (!families_.empty() && (crisis_wait ? !runs_on_crisis : !runs_on_platform))
        r_.Err(body["for"], Sub(at, "for"),
               StrCat("this playbook runs on ", runs_on_crisis ? "a crisis" : "a platform failure", " and would never see ",
                      *what, "; wait for ", crisis_wait ? "platform-restored" : "crisis-over", " or a duration such as 2h"));
      return;
    }
    auto duration = ParseDuration(*what);
    if (!duration.ok() || duration->count() <= 0) {
      r_.Err(body["for"], Sub(at, "for"),
             StrCat("expected platform-restored, crisis-over or a duration such as 2h, got \"", *what, "\""));
      return;
    }
    step.wait_for = *duration;
  }

  PlanReader& r_;
  const PlanIndex& index_;
  const Plan& plan_;
  const std::set<TriggerKind>& families_;
  const std::set<std::string>& failing_;
};

}  // namespace

std::optional<Approval> ReadApproval(PlanReader& r, const YAML::Node& node, const std::string& path,
                                     const PlanIndex& index) {
  if (!r.Map(node, path, {"role", "within", "escalate"})) return std::nullopt;
  Approval approval;
  approval.role = r.Ref(node, "role", path, true, index.roles, "role").value_or("");
  approval.within = r.Duration(node, "within", path, std::nullopt).value_or(milliseconds(0));
  approval.escalate = ReadEscalations(r, node, path, approval.within, index);
  return approval;
}

std::optional<Step> ReadStep(PlanReader& r, const YAML::Node& node, const std::string& path, const PlanIndex& index,
                             const Plan& plan, const std::set<TriggerKind>& families,
                             const std::set<std::string>& failing_platforms) {
  return StepReader(r, index, plan, families, failing_platforms).Read(node, path);
}

}  // namespace faro::plan::detail
