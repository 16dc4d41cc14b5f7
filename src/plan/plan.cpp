#include "plan/plan.hpp"

namespace faro::plan {
namespace {

template <typename T>
const T* FindById(const std::vector<T>& items, const std::string& id) {
  for (const T& item : items)
    if (item.id == id) return &item;
  return nullptr;
}

}  // namespace

const Role* Plan::FindRole(const std::string& id) const { return FindById(roles, id); }
const Playbook* Plan::FindPlaybook(const std::string& id) const { return FindById(playbooks, id); }
const AdAccount* Plan::FindAccount(const std::string& id) const { return FindById(ad_accounts, id); }
const CustomerChannel* Plan::FindChannel(const std::string& id) const { return FindById(customer_channels, id); }
const Brand* Plan::FindBrand(const std::string& id) const { return FindById(brands, id); }

const Person* Plan::FindPerson(const std::string& name) const {
  for (const Role& role : roles)
    for (const Person& person : role.people)
      if (person.name == name) return &person;
  return nullptr;
}

int Plan::ShareOn(const std::string& platform) const {
  int share = 0;
  for (const CustomerChannel& channel : customer_channels)
    if (channel.platform == platform) share += channel.share;
  return share;
}

std::string_view StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kNotify: return "notify";
    case StepKind::kApprove: return "approve";
    case StepKind::kFailover: return "failover";
    case StepKind::kUndoFailover: return "undo_failover";
    case StepKind::kBroadcast: return "broadcast";
    case StepKind::kPauseAds: return "pause_ads";
    case StepKind::kResumeAds: return "resume_ads";
    case StepKind::kMoveCampaign: return "move_campaign";
    case StepKind::kHoldingStatement: return "holding_statement";
    case StepKind::kAssignReplies: return "assign_replies";
    case StepKind::kStatusUpdates: return "status_updates";
    case StepKind::kRemind: return "remind";
    case StepKind::kWait: return "wait";
    case StepKind::kRestorationCheck: return "restoration_check";
  }
  return "?";
}

std::string_view ActionKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kNotify: return "notify";
    case StepKind::kApprove: return "ask-approval";
    case StepKind::kFailover: return "failover";
    case StepKind::kUndoFailover: return "undo-failover";
    case StepKind::kBroadcast: return "broadcast";
    case StepKind::kPauseAds: return "pause-ads";
    case StepKind::kResumeAds: return "resume-ads";
    case StepKind::kMoveCampaign: return "move-campaign";
    case StepKind::kHoldingStatement: return "holding-statement";
    case StepKind::kAssignReplies: return "assign-replies";
    case StepKind::kStatusUpdates: return "status-update";
    case StepKind::kRemind: return "remind";
    case StepKind::kWait: return "wait";
    case StepKind::kRestorationCheck: return "restoration-check";
  }
  return "?";
}

std::string_view TriggerKindName(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::kPlatformDown: return "platform-down";
    case TriggerKind::kPlatformPartial: return "platform-partial";
    case TriggerKind::kCrisisSuspected: return "crisis-suspected";
  }
  return "?";
}

std::string_view PlaybookKindName(PlaybookKind kind) {
  return kind == PlaybookKind::kCrisis ? "crisis" : "outage";
}

bool IsBackground(StepKind kind) { return kind == StepKind::kStatusUpdates || kind == StepKind::kRemind; }

}  // namespace faro::plan
