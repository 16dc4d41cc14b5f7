// `faro agent`: a vantage point for other Faros (docs/cli.md).
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "agent/agent_server.hpp"
#include "cli/commands.hpp"
#include "cli/stop_signals.hpp"
#include "core/resolver_address.hpp"
#include "core/strings.hpp"

namespace faro::cli {
namespace {

struct AgentFlags {
  std::string listen, name, ca_file, resolver;
};

int RunAgentCommand(const AgentFlags& f) {
  auto fail = [](const std::string& message) {
    std::cerr << "faro agent: " << message << "\n";
    return kUsageError;
  };
  // HOST:PORT with an IP literal host; the port is required.
  const auto colon = f.listen.rfind(':');
  auto addr = ParseResolverAddress(f.listen);
  if (colon == std::string::npos || !addr.ok() || f.listen.back() == ']')
    return fail(StrCat("--listen \"", f.listen, "\": expected IP:PORT, e.g. 127.0.0.1:8700 or [::1]:8700"));
  const int port = std::atoi(f.listen.c_str() + colon + 1);

  AgentOptions options;
  const char* token = std::getenv("FARO_AGENT_TOKEN");
  options.token = token ? token : "";
  if (options.token.empty()) return fail("FARO_AGENT_TOKEN is not set: the agent refuses to run without a token");
  char host[256] = "agent";
  gethostname(host, sizeof host - 1);
  options.name = f.name.empty() ? host : f.name;
  options.engine.ca_file = f.ca_file;
  if (!f.resolver.empty()) {
    auto r = ParseResolverAddress(f.resolver);
    if (!r.ok()) return fail(StrCat("--resolver: ", Message(r.status())));
    options.engine.resolver = *r;
  }

  // SIGINT/SIGTERM stop the server cleanly; blocked before the server starts any thread.
  BlockStopSignals();

  AgentServer server(options);
  if (absl::Status st = server.Bind(addr->ip, port); !st.ok()) return fail(Message(st));
  std::cerr << "faro agent " << options.name << " listening on " << (addr->ipv6 ? "[" + addr->ip + "]" : addr->ip)
            << ":" << server.port() << std::endl;
  ServeUntilStopSignal([&] { server.Serve(); }, [&] { server.Stop(); });
  return 0;
}

}  // namespace

Runner AddAgentCommand(CLI::App& app) {
  auto flags = std::make_shared<AgentFlags>();
  CLI::App* cmd = app.add_subcommand("agent", "Serve as a vantage point for other Faros / Punto de vista para otros Faro");
  cmd->add_option("--listen", flags->listen, "IP:PORT to listen on")->required();
  cmd->add_option("--name", flags->name, "how results from here are labelled (default: host name)");
  cmd->add_option("--ca-file", flags->ca_file, "PEM file of extra trust anchors");
  cmd->add_option("--resolver", flags->resolver, "resolver IP[:PORT] (default: /etc/resolv.conf)");
  return [flags] { return RunAgentCommand(*flags); };
}

}  // namespace faro::cli
