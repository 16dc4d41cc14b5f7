#include "plan/plan_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/strings.hpp"
#include "plan/plan_reader.hpp"

namespace faro::plan {
namespace {

using detail::PlanIndex;
using detail::PlanReader;

// The platforms ads usually run on, per account type, when the plan does not say.
std::vector<std::string> DefaultAdPlatforms(const std::string& type) {
  if (type == "meta_marketing") return {"facebook", "instagram"};
  if (type == "google_ads") return {"google"};
  return {"tiktok"};
}

class PlanFileReader {
 public:
  PlanFileReader(const std::string& file, std::string_view yaml) : r_(file, yaml) { plan_.file = file; }

  PlanLoad Read(std::string_view yaml) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      return Failed({StrCat(r_.file(), ":", e.mark.line + 1, ":", r_.Column(e.mark), ": not valid YAML: ", e.msg)});
    }
    if (!root || root.IsNull()) return Failed({StrCat(r_.file(), ": the plan is empty")});
    if (!root.IsMap())
      r_.Err(root, "plan", "expected a mapping with plan, business, roles, triggers and playbooks");
    else if (r_.Map(root, "", {"plan", "name", "business", "lang", "roles", "brands", "customer_channels",
                              "ad_accounts", "triggers", "playbooks"}))
      try {
        ReadRoot(root);
      } catch (const YAML::Exception& e) {
        // Every read checks the node's shape first; this is a safety net, never a crash.
        r_.Err(root, "plan", StrCat("unexpected YAML structure: ", e.what()));
      }
    auto& errors = r_.errors();
    std::stable_sort(errors.begin(), errors.end(), [](const detail::PlanError& a, const detail::PlanError& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    PlanLoad load;
    for (const auto& error : errors) load.errors.push_back(error.message);
    if (load.errors.empty()) load.plan = std::make_shared<const Plan>(std::move(plan_));
    return load;
  }

 private:
  static PlanLoad Failed(std::vector<std::string> errors) {
    PlanLoad load;
    load.errors = std::move(errors);
    return load;
  }

  void ReadRoot(const YAML::Node& root) {
    // Sections are read in the order references need them (roles and channels before the
    // steps naming them), not in file order; errors are sorted by position at the end.
    if (auto id = r_.Id(root, "plan", "", true)) plan_.id = *id;
    if (auto name = r_.TextAt(root, "name", "", false)) plan_.name = *name;
    if (auto business = r_.Scalar(root, "business", "", true)) plan_.business = *business;
    if (plan_.name.empty()) plan_.name = Text::Both(plan_.business.empty() ? plan_.id : plan_.business);
    if (auto lang = r_.OneOf(root, "lang", "", {"es", "en"}, "es")) plan_.lang = *lang == "en" ? Lang::kEn : Lang::kEs;
    ReadRoles(root["roles"], root);
    ReadBrands(root["brands"]);
    ReadChannels(root["customer_channels"]);
    ReadAccounts(root["ad_accounts"]);
    const YAML::Node playbooks = root["playbooks"];
    if (playbooks && playbooks.IsMap())
      for (const auto& kv : playbooks) index_.playbooks.insert(kv.first.Scalar());
    ReadTriggers(root["triggers"], root);
    ReadPlaybooks(playbooks, root);
  }

  void ReadRoles(const YAML::Node& roles, const YAML::Node& root) {
    if (!roles) return r_.Err(root, "roles", "missing; a plan names its roles and their people");
    if (!r_.IsMap(roles, "roles", "expected a mapping of role id → { title, people }")) return;
    if (roles.size() == 0) return r_.Err(roles, "roles", "a plan needs at least one role, such as community-manager");
    for (const auto& kv : roles) {
      const std::string id = kv.first.Scalar();
      const std::string path = StrCat("roles.", id);
      if (!r_.CheckId(kv.first, path, id)) continue;
      index_.roles.insert(id);
      if (!r_.Map(kv.second, path, {"title", "people"})) continue;
      Role role;
      role.id = id;
      role.title = r_.TextAt(kv.second, "title", path, false).value_or(Text::Both(id));
      const YAML::Node people = kv.second["people"];
      if (!people || !people.IsSequence() || people.size() == 0) {
        r_.Err(people ? people : kv.second, StrCat(path, ".people"),
               "expected a list of people, each { name, lang, reach: [...] }; a role needs at least one person");
      } else {
        for (size_t i = 0; i < people.size(); ++i)
          if (auto person = ReadPerson(people[i], StrCat(path, ".people[", i, "]"))) role.people.push_back(*person);
      }
      plan_.roles.push_back(std::move(role));
    }
  }

  std::optional<Person> ReadPerson(const YAML::Node& node, const std::string& path) {
    if (!r_.Map(node, path, {"name", "lang", "reach"})) return std::nullopt;
    Person person;
    if (auto name = r_.Scalar(node, "name", path, true)) person.name = *name;
    auto lang = r_.OneOf(node, "lang", path, {"es", "en"}, plan_.lang == Lang::kEn ? "en" : "es");
    person.lang = lang && *lang == "en" ? Lang::kEn : Lang::kEs;
    const YAML::Node reach = node["reach"];
    if (!reach || !reach.IsSequence() || reach.size() == 0) {
      r_.Err(reach ? reach : node, StrCat(path, ".reach"),
             "expected a list such as [{ channel: telegram, chat_id: \"123\" }]: how to reach this person");
      return person;
    }
    for (size_t j = 0; j < reach.size(); ++j) {
      const std::string at = StrCat(path, ".reach[", j, "]");
      if (!r_.Map(reach[j], at, {"channel", "chat_id", "phone", "address", "id", "handle"})) continue;
      Reach item;
      if (auto channel = r_.Id(reach[j], "channel", at, true, true)) item.channel = *channel;
      for (const char* key : {"chat_id", "phone", "address", "id", "handle"}) {
        if (!reach[j][key]) continue;
        if (!item.kind.empty()) {
          r_.Err(reach[j][key], StrCat(at, ".", key),
                 StrCat("give one of chat_id, phone, address, id, handle (", item.kind, " is already given)"));
          continue;
        }
        item.kind = key;
        item.value = r_.Scalar(reach[j], key, at, true).value_or("");
      }
      if (item.kind.empty())
        r_.Err(reach[j], at, "how to reach this person there: add chat_id, phone, address, id or handle");
      person.reach.push_back(std::move(item));
    }
    return person;
  }

  void ReadBrands(const YAML::Node& brands) {
    if (!brands) return;
    index_.has_brands = true;
    if (!brands.IsSequence()) return r_.Err(brands, "brands", "expected a list of { id, name }");
    for (size_t i = 0; i < brands.size(); ++i) {
      const std::string path = StrCat("brands[", i, "]");
      if (!r_.Map(brands[i], path, {"id", "name"})) continue;
      Brand brand;
      auto id = r_.Id(brands[i], "id", path, true);
      if (!id) continue;
      if (!index_.brands.insert(*id).second) {
        r_.Err(brands[i]["id"], StrCat(path, ".id"), StrCat("\"", *id, "\" names two brands"));
        continue;
      }
      brand.id = *id;
      brand.name = r_.TextAt(brands[i], "name", path, false).value_or(Text::Both(*id));
      plan_.brands.push_back(std::move(brand));
    }
  }

  void ReadChannels(const YAML::Node& channels) {
    if (!channels) return;
    if (!channels.IsSequence())
      return r_.Err(channels, "customer_channels", "expected a list of { id, platform, share }");
    int total = 0;
    for (size_t i = 0; i < channels.size(); ++i) {
      const std::string path = StrCat("customer_channels[", i, "]");
      if (!r_.Map(channels[i], path, {"id", "platform", "share"})) continue;
      CustomerChannel channel;
      auto id = r_.Id(channels[i], "id", path, true, true);
      if (id && !index_.channels.insert(*id).second) {
        r_.Err(channels[i]["id"], StrCat(path, ".id"), StrCat("\"", *id, "\" names two channels"));
        id.reset();
      }
      channel.platform = r_.Id(channels[i], "platform", path, false).value_or(id.value_or(""));
      channel.share = r_.Share(channels[i], "share", path, 0).value_or(0);
      total += channel.share;
      if (!id) continue;
      channel.id = *id;
      plan_.customer_channels.push_back(std::move(channel));
    }
    if (total > kWholeShare)
      r_.Err(channels, "customer_channels",
             StrCat("the shares add up to ", ShareText(total), "; together they can be at most 100%"));
  }

  void ReadAccounts(const YAML::Node& accounts) {
    if (!accounts) return;
    if (!accounts.IsSequence()) return r_.Err(accounts, "ad_accounts", "expected a list of { id, type, platforms }");
    for (size_t i = 0; i < accounts.size(); ++i) {
      const std::string path = StrCat("ad_accounts[", i, "]");
      if (!r_.Map(accounts[i], path, {"id", "type", "platforms"})) continue;
      AdAccount account;
      auto id = r_.Id(accounts[i], "id", path, true, true);
      if (id && !index_.accounts.insert(*id).second) {
        r_.Err(accounts[i]["id"], StrCat(path, ".id"), StrCat("\"", *id, "\" names two ad accounts"));
        id.reset();
      }
      auto type = r_.OneOf(accounts[i], "type", path, {"meta_marketing", "google_ads", "tiktok_ads"}, "");
      if (type && type->empty()) {
        r_.Err(accounts[i], StrCat(path, ".type"), "missing; expected meta_marketing, google_ads or tiktok_ads");
        type.reset();
      }
      account.platforms = r_.IdList(accounts[i], "platforms", path, false);
      if (!id || !type) continue;
      account.id = *id;
      account.type = *type;
      if (account.platforms.empty()) account.platforms = DefaultAdPlatforms(account.type);
      plan_.ad_accounts.push_back(std::move(account));
    }
  }

  void ReadTriggers(const YAML::Node& triggers, const YAML::Node& root) {
    if (!triggers) return r_.Err(root, "triggers", "missing; a plan needs at least one trigger (what starts a playbook)");
    if (!triggers.IsSequence() || triggers.size() == 0)
      return r_.Err(triggers, "triggers", "expected a list of triggers such as { on: platform-down, platforms: [whatsapp], run: outage }");
    for (size_t i = 0; i < triggers.size(); ++i) {
      const std::string path = StrCat("triggers[", i, "]");
      const YAML::Node node = triggers[i];
      if (!r_.Map(node, path, {"on", "platforms", "scope", "min_share", "min_per_minute", "min_negative_share",
                               "brands", "topics", "run"}))
        continue;
      Trigger trigger;
      trigger.line = node.Mark().line + 1;
      auto on = r_.OneOf(node, "on", path, {"platform-down", "platform-partial", "crisis-suspected"}, "");
      if (on && on->empty()) {
        r_.Err(node, StrCat(path, ".on"), "missing; expected platform-down, platform-partial or crisis-suspected");
        on.reset();
      }
      auto run = r_.Ref(node, "run", path, true, index_.playbooks, "playbook");
      if (!on) continue;
      const bool crisis = *on == "crisis-suspected";
      trigger.on = crisis ? TriggerKind::kCrisisSuspected
                          : *on == "platform-partial" ? TriggerKind::kPlatformPartial : TriggerKind::kPlatformDown;
      // Keys of the other family are a mistake worth saying: they would be ignored.
      static const std::vector<const char*> kPlatformKeys = {"platforms", "scope", "min_share"};
      static const std::vector<const char*> kCrisisKeys = {"min_per_minute", "min_negative_share", "brands", "topics"};
      for (const char* key : crisis ? kPlatformKeys : kCrisisKeys)
        if (node[key])
          r_.Err(node[key], StrCat(path, ".", key),
                 StrCat("does not apply to ", *on, crisis ? "; it is for platform triggers" : "; it is for crisis-suspected"));
      if (crisis) {
        trigger.min_per_minute = r_.Number(node, "min_per_minute", path, 0).value_or(0);
        trigger.min_negative_share = r_.Share(node, "min_negative_share", path, 0).value_or(0);
        trigger.brands = r_.IdList(node, "brands", path, false, index_.has_brands ? &index_.brands : nullptr, "brand");
        trigger.topics = IdListLoose(node, "topics", path);
      } else {
        trigger.platforms = r_.IdList(node, "platforms", path, true);
        if (node["scope"] && trigger.on == TriggerKind::kPlatformPartial)
          r_.Err(node["scope"], StrCat(path, ".scope"), "a partial failure has no scope; scope is for platform-down");
        trigger.scope = r_.IdList(node, "scope", path, false);
        for (size_t s = 0; s < trigger.scope.size(); ++s)
          if (trigger.scope[s] != "global" && trigger.scope[s] != "regional" && trigger.scope[s] != "unconfirmed")
            r_.Err(node["scope"], StrCat(path, ".scope"),
                   StrCat("unknown scope \"", trigger.scope[s], "\"; expected global, regional or unconfirmed"));
        if (trigger.scope.empty() && trigger.on == TriggerKind::kPlatformDown) trigger.scope = {"global", "regional"};
        trigger.min_share = r_.Share(node, "min_share", path, 0).value_or(0);
        // The plan's shares are fixed, so min_share picks which of the platforms can trigger; a
        // trigger none of whose platforms carries that much would never run.
        if (trigger.min_share > 0 && !trigger.platforms.empty() &&
            std::none_of(trigger.platforms.begin(), trigger.platforms.end(),
                         [&](const std::string& p) { return plan_.ShareOn(p) >= trigger.min_share; })) {
          std::vector<std::string> shares;
          for (const std::string& p : trigger.platforms) shares.push_back(StrCat(p, " ", ShareText(plan_.ShareOn(p))));
          r_.Err(node["min_share"], StrCat(path, ".min_share"),
                 StrCat("customers use these platforms for less than ", ShareText(trigger.min_share), " of their conversations (",
                        Join(shares, ", "), " in customer_channels), so this trigger would never run"));
        }
      }
      if (!run) continue;
      trigger.run = *run;
      families_[*run].insert(trigger.on);
      if (!crisis)
        for (const std::string& platform : trigger.platforms)
          if (plan_.ShareOn(platform) >= trigger.min_share) failing_[*run].insert(platform);
      plan_.triggers.push_back(std::move(trigger));
    }
  }

  // Topic ids of the listening rules may be "brand/topic": checked loosely.
  std::vector<std::string> IdListLoose(const YAML::Node& node, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const YAML::Node list = node[key];
    if (!list) return out;
    if (!list.IsSequence()) {
      r_.Err(list, StrCat(path, ".", key), "expected a list of topic ids of the listening rules");
      return out;
    }
    for (const auto& item : list)
      if (item.IsScalar()) out.push_back(item.as<std::string>());
    return out;
  }

  void ReadPlaybooks(const YAML::Node& playbooks, const YAML::Node& root) {
    if (!playbooks) return r_.Err(root, "playbooks", "missing; a plan needs at least one playbook");
    if (!r_.IsMap(playbooks, "playbooks", "expected a mapping of playbook id → { title, kind, steps }")) return;
    if (playbooks.size() == 0) return r_.Err(playbooks, "playbooks", "a plan needs at least one playbook");
    for (const auto& kv : playbooks) {
      const std::string id = kv.first.Scalar();
      const std::string path = StrCat("playbooks.", id);
      if (!r_.CheckId(kv.first, path, id)) continue;
      if (!r_.Map(kv.second, path, {"title", "kind", "steps"})) continue;
      Playbook playbook;
      playbook.id = id;
      playbook.title = r_.TextAt(kv.second, "title", path, true).value_or(Text::Both(id));
      const std::set<TriggerKind>& families = families_[id];
      const bool only_crisis = !families.empty() && families.size() == families.count(TriggerKind::kCrisisSuspected);
      auto kind = r_.OneOf(kv.second, "kind", path, {"outage", "crisis"}, only_crisis ? "crisis" : "outage");
      playbook.kind = kind && *kind == "crisis" ? PlaybookKind::kCrisis : PlaybookKind::kOutage;
      const YAML::Node steps = kv.second["steps"];
      if (!steps || !steps.IsSequence() || steps.size() == 0) {
        r_.Err(steps ? steps : kv.second, StrCat(path, ".steps"), "expected a list of steps; a playbook needs at least one");
      } else {
        std::set<std::string> step_ids;
        // Until the playbook has waited for the platform to come back, its channels there fail.
        const std::set<std::string> none;
        bool restored = false;
        for (size_t i = 0; i < steps.size(); ++i) {
          const std::string at = StrCat(path, ".steps[", i, "]");
          auto step = detail::ReadStep(r_, steps[i], at, index_, plan_, families, restored ? none : failing_[id]);
          if (!step) continue;
          restored |= step->kind == StepKind::kWait && step->wait_event == "platform-restored";
          if (!step->id.empty() && !step_ids.insert(step->id).second)
            r_.Err(steps[i]["id"], StrCat(at, ".id"), StrCat("\"", step->id, "\" names two steps of this playbook"));
          playbook.steps.push_back(std::move(*step));
        }
      }
      plan_.playbooks.push_back(std::move(playbook));
    }
  }

  PlanReader r_;
  Plan plan_;
  PlanIndex index_;
  std::map<std::string, std::set<TriggerKind>> families_;
  std::map<std::string, std::set<std::string>> failing_;
};

}  // namespace

PlanLoad ReadPlanYaml(std::string_view yaml, const std::string& file) { return PlanFileReader(file, yaml).Read(yaml); }

PlanLoad ReadPlanFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    PlanLoad load;
    load.errors.push_back(StrCat(path, ": cannot read the plan file"));
    return load;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ReadPlanYaml(text.str(), path);
}

absl::StatusOr<std::shared_ptr<const Plan>> LoadPlanFile(const std::string& path) {
  PlanLoad load = ReadPlanFile(path);
  if (!load.ok()) return absl::InvalidArgumentError(Join(load.errors, "\n"));
  return load.plan;
}

}  // namespace faro::plan
