#pragma once
// The crisis log from the command line (docs/crisis-log.md):
//   faro manual --log DIR --out DIR [--lang es|en]      the crisis manual (manual_command.cpp)
//   faro log list|search TEXT|add FILE --log DIR …      the log itself (log_command.cpp)
// Registered in main.cpp like the other subcommands.
#include "cli/commands.hpp"

namespace faro::cli {

Runner AddManualCommand(CLI::App& app);
Runner AddLogCommand(CLI::App& app);

}  // namespace faro::cli
