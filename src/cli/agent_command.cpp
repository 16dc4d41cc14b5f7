// `faro agent`: a vantage point for other Faros (docs/cli.md). Two modes, exactly one:
//   --listen IP:PORT  answers `faro check --vantage` requests (pull);
//   --server URL      fetches its assignment from a `faro serve` and pushes readings (push).
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
#include "patrol/push_agent.hpp"

namespace faro::cli {
namespace {

struct AgentFlags {
  std::string listen, server, token_file, name, ca_file, resolver;
};

int Fail(const std::string& message) {
  std::cerr << "faro agent: " << message << "\n";
  return kUsageError;
}

// The token: from --token-file, else FARO_AGENT_TOKEN. Never from the command line, where
// every user of the machine could read it.
absl::StatusOr<std::string> AgentToken(const AgentFlags& f) {
  if (!f.token_file.empty()) {
    auto token = patrol::ReadTokenFile(f.token_file);
    if (!token.ok()) return absl::InvalidArgumentError(StrCat("--token-file ", Message(token.status())));
    return token;
  }
  const char* token = std::getenv("FARO_AGENT_TOKEN");
  if (token == nullptr || *token == '\0')
    return absl::InvalidArgumentError(
        "no token: give --token-file FILE or set FARO_AGENT_TOKEN; the agent refuses to run without one");
  return std::string(token);
}

std::string HostName() {
  char host[256] = "agent";
  gethostname(host, sizeof host - 1);
  return host;
}

int RunListen(const AgentFlags& f, const std::string& token) {
  // HOST:PORT with an IP literal host; the port is required.
  const auto colon = f.listen.rfind(':');
  auto addr = ParseResolverAddress(f.listen);
  if (colon == std::string::npos || !addr.ok() || f.listen.back() == ']')
    return Fail(StrCat("--listen \"", f.listen, "\": expected IP:PORT, e.g. 127.0.0.1:8700 or [::1]:8700"));
  const int port = std::atoi(f.listen.c_str() + colon + 1);

  AgentOptions options;
  options.token = token;
  options.name = f.name.empty() ? HostName() : f.name;
  options.engine.ca_file = f.ca_file;
  if (!f.resolver.empty()) {
    auto r = ParseResolverAddress(f.resolver);
    if (!r.ok()) return Fail(StrCat("--resolver: ", Message(r.status())));
    options.engine.resolver = *r;
  }

  // SIGINT/SIGTERM stop the server cleanly; blocked before the server starts any thread.
  BlockStopSignals();

  AgentServer server(options);
  if (absl::Status st = server.Bind(addr->ip, port); !st.ok()) return Fail(Message(st));
  std::cerr << "faro agent " << options.name << " listening on " << (addr->ipv6 ? "[" + addr->ip + "]" : addr->ip)
            << ":" << server.port() << std::endl;
  ServeUntilStopSignal([&] { server.Serve(); }, [&] { server.Stop(); });
  return 0;
}

int RunPush(const AgentFlags& f, const std::string& token) {
  if (!f.server.starts_with("https://") && !f.server.starts_with("http://"))
    return Fail(StrCat("--server \"", f.server, "\": expected an http(s) URL, e.g. https://faro.example.com"));
  patrol::PushAgentOptions options;
  options.server.url = f.server;
  options.server.token = token;
  options.server.ca_file = f.ca_file;
  options.token_file = f.token_file;
  options.name = f.name.empty() ? HostName() : f.name;
  options.engine.ca_file = f.ca_file;
  if (!f.resolver.empty()) {
    auto r = ParseResolverAddress(f.resolver);
    if (!r.ok()) return Fail(StrCat("--resolver: ", Message(r.status())));
    options.engine.resolver = *r;
  }

  BlockStopSignals();  // before the patrol starts its thread

  patrol::PushAgent agent(std::move(options));
  std::cerr << "faro agent: asking " << f.server << " for this vantage's assignment" << std::endl;
  absl::Status result;
  ServeUntilStopSignal([&] { result = agent.Run(); }, [&] { agent.Stop(); });
  if (!result.ok()) {
    std::cerr << "faro agent: " << Message(result) << "\n";
    return 1;
  }
  const patrol::PushAgentStats stats = agent.Stats();
  std::cerr << "faro agent: stopped; " << stats.readings_posted << " readings posted" << std::endl;
  return 0;
}

int RunAgentCommand(const AgentFlags& f) {
  if (f.listen.empty() == f.server.empty())
    return Fail("give exactly one of --listen IP:PORT (answer other Faros) or --server URL (push to a faro serve)");
  auto token = AgentToken(f);
  if (!token.ok()) return Fail(Message(token.status()));
  return f.listen.empty() ? RunPush(f, *token) : RunListen(f, *token);
}

}  // namespace

Runner AddAgentCommand(CLI::App& app) {
  auto flags = std::make_shared<AgentFlags>();
  CLI::App* cmd = app.add_subcommand("agent", "Serve as a vantage point for other Faros / Punto de vista para otros Faro");
  auto* listen = cmd->add_option("--listen", flags->listen, "IP:PORT to answer `faro check --vantage` on (pull mode)");
  auto* server = cmd->add_option("--server", flags->server, "URL of a faro serve to fetch work from and push readings to");
  listen->excludes(server);
  cmd->add_option("--token-file", flags->token_file, "file holding this vantage's token (default: $FARO_AGENT_TOKEN)");
  cmd->add_option("--name", flags->name, "how results from here are labelled (default: host name)");
  cmd->add_option("--ca-file", flags->ca_file, "PEM file of extra trust anchors");
  cmd->add_option("--resolver", flags->resolver, "resolver IP[:PORT] (default: /etc/resolv.conf)");
  return [flags] { return RunAgentCommand(*flags); };
}

}  // namespace faro::cli
