#include "watch/health.hpp"

#include <array>
#include <utility>

namespace faro::watch {
namespace {
constexpr std::array<std::pair<Health, std::string_view>, 6> kNames{{
    {Health::kUp, "up"},
    {Health::kDegraded, "degraded"},
    {Health::kPartial, "partial"},
    {Health::kDown, "down"},
    {Health::kLocal, "local"},
    {Health::kUnknown, "unknown"},
}};
}  // namespace

std::string_view HealthName(Health health) {
  for (const auto& [h, name] : kNames)
    if (h == health) return name;
  return "unknown";
}

std::optional<Health> HealthFromName(std::string_view name) {
  for (const auto& [h, n] : kNames)
    if (n == name) return h;
  return std::nullopt;
}

std::string_view HealthWords(Health health, Scope scope, Lang lang) {
  const bool es = lang == Lang::kEs;
  switch (health) {
    case Health::kUp: return VerdictWords(VerdictKind::kUp, scope, lang);
    case Health::kDegraded: return VerdictWords(VerdictKind::kDegraded, scope, lang);
    case Health::kPartial: return VerdictWords(VerdictKind::kPartial, scope, lang);
    case Health::kDown: return VerdictWords(VerdictKind::kDown, scope, lang);
    case Health::kLocal: return es ? "es nuestra conexión" : "our connection is down";
    case Health::kUnknown: return es ? "no se sabe" : "unknown";
  }
  return "";
}

int Severity(Health health) {
  switch (health) {
    case Health::kUp: return 0;
    case Health::kDegraded: return 1;
    case Health::kPartial: return 2;
    case Health::kDown: return 3;
    case Health::kLocal:
    case Health::kUnknown: return -1;
  }
  return -1;
}

Health HealthAtSeverity(int severity) {
  switch (severity) {
    case 0: return Health::kUp;
    case 1: return Health::kDegraded;
    case 2: return Health::kPartial;
    default: return severity > 2 ? Health::kDown : Health::kUp;
  }
}

}  // namespace faro::watch
