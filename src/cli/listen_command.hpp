#pragma once
// `faro listen`: mentions from JSON Lines, annotated or summarised per brand and topic
// (docs/listening.md). Registered in main.cpp like the other subcommands.
#include "cli/commands.hpp"

namespace faro::cli {

Runner AddListenCommand(CLI::App& app);

}  // namespace faro::cli
