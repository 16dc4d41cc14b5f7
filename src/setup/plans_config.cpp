#include "setup/plans_config.hpp"

#include <filesystem>
#include <set>

#include "contacts/identity.hpp"
#include "core/strings.hpp"
#include "plan/plan_file.hpp"

namespace faro::setup {
namespace {

std::string Known(const std::map<std::string, channels::AddressKind>& channels) {
  std::vector<std::string> ids;
  for (const auto& [id, kind] : channels) ids.push_back(id);
  return ids.empty() ? "none" : Join(ids, ", ");
}

std::string KnownAccounts(const AdsConfig* ads) {
  std::vector<std::string> ids;
  if (ads != nullptr)
    for (const ads::AdAccountInfo& a : ads->accounts) ids.push_back(a.id);
  return ids.empty() ? "none" : Join(ids, ", ");
}

}  // namespace

const ads::AdAccountInfo* AdsConfig::Find(const std::string& id) const {
  for (const ads::AdAccountInfo& a : accounts)
    if (a.id == id) return &a;
  return nullptr;
}

absl::Status ReadAds(const YamlReader& r, const YAML::Node& list, AdsConfig& ads) {
  if (!list.IsSequence()) return r.Error(list, "ads", "expected a list of ad accounts (- { id: …, type: … })");
  // Validated twice on purpose: the info (type, remote id) without secrets, then the adapter.
  for (size_t i = 0; i < list.size(); ++i) {
    FARO_ASSIGN_OR_RETURN(ads::AdAccountInfo info, ads::ReadAdAccountInfo(list[i], StrCat("ads[", i, "]"), r));
    ads.accounts.push_back(std::move(info));
  }
  FARO_ASSIGN_OR_RETURN(ads.platforms, ads::CreateAdPlatforms(list, r));
  return absl::OkStatus();
}

std::vector<std::string> CheckPlanAgainst(const plan::Plan& p, const PlanContext& context) {
  std::vector<std::string> errors;
  auto at = [&](int line, const std::string& path, const std::string& what) {
    errors.push_back(line > 0 ? StrCat(p.file, ":", line, ": ", path, ": ", what) : StrCat(p.file, ": ", path, ": ", what));
  };
  auto channel = [&](int line, const std::string& path, const std::string& id) {
    if (!context.channels.contains(id))
      at(line, path, StrCat("no channel \"", id, "\" in faro.yaml (channels: ", Known(context.channels), ")"));
  };
  auto account = [&](int line, const std::string& path, const std::string& id) {
    if (context.ads == nullptr || context.ads->Find(id) == nullptr)
      at(line, path, StrCat("no ad account \"", id, "\" in faro.yaml's ads: (accounts: ", KnownAccounts(context.ads), ")"));
  };
  // People: every way to reach them must be a faro.yaml channel that writes to a person, with
  // an address that channel can use.
  for (const plan::Role& role : p.roles) {
    for (size_t k = 0; k < role.people.size(); ++k) {
      const plan::Person& person = role.people[k];
      for (size_t j = 0; j < person.reach.size(); ++j) {
        const plan::Reach& reach = person.reach[j];
        const std::string path = StrCat("roles.", role.id, ".people[", k, "] (", person.name, ").reach[", j, "]");
        auto found = context.channels.find(reach.channel);
        if (found == context.channels.end()) {
          at(0, StrCat(path, ".channel"),
             StrCat("no channel \"", reach.channel, "\" in faro.yaml (channels: ", Known(context.channels), ")"));
          continue;
        }
        if (found->second == channels::AddressKind::kNone) {
          at(0, StrCat(path, ".channel"), StrCat("channel \"", reach.channel, "\" cannot write to a person"));
          continue;
        }
        auto normal = contacts::NormalizeAddress(found->second, reach.value, context.region);
        if (!normal.ok()) at(0, StrCat(path, ".", reach.kind), Message(normal.status()));
      }
    }
  }
  for (const plan::AdAccount& a : p.ad_accounts) {
    const ads::AdAccountInfo* info = context.ads != nullptr ? context.ads->Find(a.id) : nullptr;
    if (info == nullptr) {
      account(0, StrCat("ad_accounts.", a.id), a.id);
    } else if (!a.type.empty() && a.type != info->type) {
      at(0, StrCat("ad_accounts.", a.id, ".type"),
         StrCat("the plan says ", a.type, " but faro.yaml's ads: entry \"", a.id, "\" is ", info->type));
    }
  }
  for (const plan::Playbook& playbook : p.playbooks) {
    for (size_t i = 0; i < playbook.steps.size(); ++i) {
      const plan::Step& step = playbook.steps[i];
      const std::string path = StrCat("playbooks.", playbook.id, ".steps[", i, "].", plan::StepKindName(step.kind));
      switch (step.kind) {
        case plan::StepKind::kFailover:
        case plan::StepKind::kUndoFailover:
          channel(step.line, StrCat(path, ".channel"), step.channel);
          break;
        // Broadcasts, holding statements and assigned replies may name customer channels Faro
        // does not write on (Instagram direct messages): people do those parts by hand, and the
        // step's outcome says so.
        case plan::StepKind::kPauseAds:
        case plan::StepKind::kResumeAds:
          account(step.line, StrCat(path, ".account"), step.account);
          break;
        case plan::StepKind::kMoveCampaign:
          account(step.line, StrCat(path, ".account"), step.account);
          account(step.line, StrCat(path, ".to"), step.to_account);
          break;
        default:
          break;
      }
    }
  }
  return errors;
}

absl::Status ReadPlans(const YamlReader& r, const YAML::Node& list, const std::string& base_dir,
                       const PlanContext& context, PlansConfig& plans) {
  if (!list.IsSequence()) return r.Error(list, "plans", "expected a list of plan files, e.g. [plans/small-business.yaml]");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = StrCat("plans[", i, "]");
    if (!list[i].IsScalar() || list[i].as<std::string>().empty())
      return r.Error(list[i], path, "expected the path of a plan file");
    std::string file = list[i].as<std::string>();
    if (std::filesystem::path(file).is_relative() && !base_dir.empty())
      file = (std::filesystem::path(base_dir) / file).lexically_normal().string();
    const plan::PlanLoad load = plan::ReadPlanFile(file);
    std::vector<std::string> errors = load.errors;
    if (load.ok()) errors = CheckPlanAgainst(*load.plan, context);
    if (!errors.empty())
      return r.Error(list[i], path,
                     StrCat("the plan ", file, " has ", errors.size(), errors.size() == 1 ? " error" : " errors",
                            ":\n  ", Join(errors, "\n  ")));
    if (!ids.insert(load.plan->id).second)
      return r.Error(list[i], path, StrCat("two plans are called \"", load.plan->id, "\"; each plan needs its own id"));
    plans.files.push_back(file);
    plans.plans.push_back(load.plan);
  }
  return absl::OkStatus();
}

}  // namespace faro::setup
