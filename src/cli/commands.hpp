#pragma once
// Subcommands of `faro`: each registers its options on the CLI11 app and returns the
// function that runs it (parse, call the libraries, print; nothing else).
#include <CLI/CLI.hpp>

#include <functional>

namespace faro::cli {

using Runner = std::function<int()>;

Runner AddCheckCommand(CLI::App& app);
Runner AddAgentCommand(CLI::App& app);

// Exit code for usage and configuration errors (docs/cli.md).
inline constexpr int kUsageError = 3;

}  // namespace faro::cli
