#pragma once
// Subcommands of `faro`: each registers its options on the CLI11 app and returns the
// function that runs it (parse, call the libraries, print; nothing else).
#include <CLI/CLI.hpp>

#include <functional>
#include <utility>
#include <vector>

namespace faro::cli {

using Runner = std::function<int()>;

Runner AddCheckCommand(CLI::App& app);
Runner AddAgentCommand(CLI::App& app);
// Messaging (messaging_commands.cpp): contacts, send, broadcast, outbox, channels, inbox, template.
// Each adds its subcommand and returns the runner used when that subcommand was given.
std::vector<std::pair<CLI::App*, Runner>> AddMessagingCommands(CLI::App& app);
// `faro serve` (serve_command.cpp): webhooks, HTTP API and the outbox's sending, always on.
Runner AddServeCommand(CLI::App& app);

// Exit code for usage and configuration errors (docs/cli.md).
inline constexpr int kUsageError = 3;

}  // namespace faro::cli
