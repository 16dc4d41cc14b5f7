#pragma once
// `faro plan check FILE [--lang es|en]` (docs/plans.md). Registered in main.cpp like the other
// subcommands.
#include "cli/commands.hpp"

namespace faro::cli {

Runner AddPlanCommand(CLI::App& app);

}  // namespace faro::cli
