#pragma once
// `faro drill` (drill_command.cpp): a plan rehearsed against a scenario on a simulated clock.
#include "cli/commands.hpp"

namespace faro::cli {
Runner AddDrillCommand(CLI::App& app);
}  // namespace faro::cli
