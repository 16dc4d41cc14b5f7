#pragma once
// The health of a watched platform (or of this node's own link), as the always-on watch sees it.
// The same vocabulary as the check verdicts (DESIGN.md, "Verdicts"), with one difference: the
// watch says `local` where a one-off check says `local-network` — while our own connection is
// down, nothing can be said about the platform from here.
#include <optional>
#include <string_view>

#include "core/lang.hpp"
#include "verdict/verdict.hpp"

namespace faro::watch {

enum class Health { kUp, kDegraded, kPartial, kDown, kLocal, kUnknown };

// "up", "degraded", "partial", "down", "local", "unknown".
std::string_view HealthName(Health health);
std::optional<Health> HealthFromName(std::string_view name);

// What a person reads: "caído para todos" / "down for everyone", "es nuestra conexión" /
// "our connection is down". The scope only matters for kDown.
std::string_view HealthWords(Health health, Scope scope, Lang lang);

// The ladder of bad states a platform climbs and descends: up 0, degraded 1, partial 2, down 3.
// kLocal and kUnknown are off the ladder (we cannot see the platform): -1.
int Severity(Health health);
// The ladder state of a severity 0..3.
Health HealthAtSeverity(int severity);

}  // namespace faro::watch
