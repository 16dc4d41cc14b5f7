// faro: one binary, subcommands. Thin: parse, call, print.
#include <csignal>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/drill_command.hpp"
#include "cli/listen_command.hpp"
#include "cli/plan_command.hpp"
#include "cli/record_commands.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Faro keeps a business in touch with its customers when a social platform fails.\n"
               "Faro mantiene a un negocio en contacto con sus clientes cuando falla una red social.",
               "faro"};
  app.set_version_flag("--version", FARO_VERSION);
  app.require_subcommand(1);
  const faro::cli::Runner check = faro::cli::AddCheckCommand(app);
  const faro::cli::Runner agent = faro::cli::AddAgentCommand(app);
  const auto messaging = faro::cli::AddMessagingCommands(app);
  const faro::cli::Runner serve = faro::cli::AddServeCommand(app);
  const faro::cli::Runner listen = faro::cli::AddListenCommand(app);
  const faro::cli::Runner plan = faro::cli::AddPlanCommand(app);
  const faro::cli::Runner manual = faro::cli::AddManualCommand(app);
  const faro::cli::Runner log = faro::cli::AddLogCommand(app);
  const faro::cli::Runner drill = faro::cli::AddDrillCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return faro::cli::kUsageError;
  }
  if (app.got_subcommand("check")) return check();
  if (app.got_subcommand("agent")) return agent();
  if (app.got_subcommand("serve")) return serve();
  if (app.got_subcommand("listen")) return listen();
  if (app.got_subcommand("plan")) return plan();
  if (app.got_subcommand("manual")) return manual();
  if (app.got_subcommand("log")) return log();
  if (app.got_subcommand("drill")) return drill();
  for (const auto& [command, run] : messaging)
    if (command->parsed()) return run();
  return faro::cli::kUsageError;
}
