#include "plan/incident.hpp"

#include "core/time_text.hpp"
#include "plan/action.hpp"

namespace faro::plan {

std::vector<std::string> Incident::Holders(const std::string& role) const {
  std::vector<std::string> out;
  for (const RoleHolding& h : roles)
    if (h.role == role && !h.until) out.push_back(h.person);
  return out;
}

nlohmann::json ReachToJson(const Reach& reach) { return {{"channel", reach.channel}, {reach.kind, reach.value}}; }

nlohmann::json ActionToJson(const Action& action) {
  nlohmann::json to = nlohmann::json::array();
  for (const Recipient& r : action.to) {
    nlohmann::json reach = nlohmann::json::array();
    for (const Reach& x : r.reach) reach.push_back(ReachToJson(x));
    to.push_back({{"person", r.person}, {"role", r.role}, {"lang", std::string(LangCode(r.lang))}, {"reach", reach}});
  }
  return {{"id", action.id},     {"incident", action.incident}, {"playbook", action.playbook},
          {"step", action.step}, {"kind", action.kind},         {"at", Rfc3339(action.at)},
          {"to", to},            {"text", TextToJson(action.text)}, {"params", action.params}};
}

}  // namespace faro::plan
