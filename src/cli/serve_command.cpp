// `faro serve`: webhooks, one-click unsubscribe, the JSON API and the outbox's sending, always
// on (docs/cli.md, docs/api.md).
#include <fcntl.h>
#include <malloc.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/config_flag.hpp"
#include "cli/stop_signals.hpp"
#include "core/strings.hpp"
#include "server/api_tokens.hpp"
#include "server/listen_metrics.hpp"
#include "server/messaging_server.hpp"
#include "service/listen_service.hpp"
#include "service/listen_sources.hpp"
#include "service/plan_service.hpp"
#include "service/watch_service.hpp"

namespace faro::cli {
namespace {

struct ServeFlags {
  std::string config;
  std::string listen;
  std::string hash_role;
  std::string token_name;
};

// --hash-token ROLE: the token comes on stdin (never on the command line, where `ps` and the
// shell history would keep it); the line for the tokens file goes to stdout.
int HashToken(const ServeFlags& f) {
  const std::optional<server::Role> role = server::RoleFromName(f.hash_role);
  if (!role) {
    std::cerr << "faro serve: --hash-token " << f.hash_role << ": expected admin, manager or viewer\n";
    return kUsageError;
  }
  if (isatty(STDIN_FILENO)) std::cerr << "token (input is shown; end with Enter): " << std::flush;
  std::string token;
  std::getline(std::cin, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == '\n')) token.pop_back();
  auto line = server::TokenFileLine(*role, token, f.token_name);
  if (!line.ok()) {
    std::cerr << "faro serve: " << Message(line.status()) << "\n";
    return kUsageError;
  }
  std::cout << *line << "\n";
  return 0;
}

// A tokens file that does not exist yet gets one admin token, shown once, so the dashboard can
// be opened on the first start. An existing file is never touched.
int EnsureFirstToken(const std::string& file) {
  if (file.empty() || std::filesystem::exists(file)) return 0;
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return kUsageError;
  static const char* kHex = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  auto line = server::TokenFileLine(server::Role::kAdmin, token, "first admin");
  if (!line.ok()) return kUsageError;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::cerr << "faro serve: cannot create " << file << ": " << std::strerror(errno) << "\n";
    return kUsageError;
  }
  const std::string text = StrCat("# role sha256 name (faro serve --hash-token ROLE adds more)\n", *line, "\n");
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) return kUsageError;
  std::cerr << "faro serve: created " << file << " with an admin token for the dashboard; it is shown only now:\n"
            << "  " << token << "\n";
  return 0;
}

std::string WebhookState(const std::string& name, const std::string& secret, const std::string& key) {
  return secret.empty() ? StrCat(name, " off (no webhooks.", key, ")") : StrCat(name, " on");
}

int RunServe(const ServeFlags& f) {
  // The release binary allocates with jemalloc (src/cli/CMakeLists.txt), where this does
  // nothing. Built with glibc's malloc (the sanitizer builds), each thread that allocates gets
  // its own arena, and the HTTP workers building large answers would hold tens of megabytes
  // apiece: two arenas keep the resident size flat.
  mallopt(M_ARENA_MAX, 2);
  if (!f.hash_role.empty()) return HashToken(f);

  // SIGINT/SIGTERM are blocked before any thread starts (opening the app starts the outbox's).
  BlockStopSignals();

  // With no configuration file at all: watch the catalog's default platforms, with the
  // dashboard on 127.0.0.1:8080 (Faro's main job on its embedded defaults).
  std::unique_ptr<setup::App> app =
      OpenApp("serve", f.config, "watch: {}\nserver: { api_tokens_file: faro-api.tokens }\n");
  if (!app) return kUsageError;
  if (int rc = EnsureFirstToken(app->config().server.api_tokens_file); rc != 0) return rc;
  server::ServerOptions options;
  options.listen = f.listen;
  options.log = &std::cerr;
  std::unique_ptr<service::WatchService> watch;
  if (app->config().watch.enabled) {
    service::ServiceOptions so;
    so.log = &std::cerr;
    auto opened = service::WatchService::Open(*app, so);
    if (!opened.ok()) {
      std::cerr << "faro serve: " << app->config().file << ": " << Message(opened.status()) << "\n";
      return kUsageError;
    }
    watch = std::move(*opened);
    options.watch = watch.get();
  }
  std::unique_ptr<service::ListenService> listen;
  if (app->config().listen.enabled) {
    auto opened = service::ListenService::Open(*app, watch.get());
    if (!opened.ok()) {
      std::cerr << "faro serve: " << app->config().file << ": " << Message(opened.status()) << "\n";
      return kUsageError;
    }
    listen = std::move(*opened);
    options.listening = listen.get();
    std::cerr << "faro serve: listening with the rules of " << app->config().listen.rules_file
              << "; mentions go to POST /api/v1/mentions" << std::endl;
  }
  // listen.sources: the X stream and the feeds Faro pulls itself, into the same pipeline.
  std::unique_ptr<service::ListenSources> sources;
  if (listen && !app->config().listen.sources.empty()) {
    service::ListenSourcesOptions lo;
    lo.database = app->config().database;
    lo.durability = app->config().durability;
    lo.log = &std::cerr;
    service::ListenService* l = listen.get();
    const Lang lang = app->config().business.lang;
    auto opened = service::ListenSources::Open(app->config().listen.sources, lo, [l, lang](std::string_view lines) {
      const nlohmann::json answer = l->AcceptBatch(lines, lang);
      // Refusals are counted by listening (faro_listen_rejected_total); the first is shown.
      if (answer.value("rejected_total", int64_t{0}) > 0 && !answer["rejected"].empty())
        std::cerr << "faro serve: listen: " << answer["rejected_total"] << " pulled mention(s) refused, first: "
                  << answer["rejected"][0].value("detail", std::string()) << std::endl;
    });
    if (!opened.ok()) {
      std::cerr << "faro serve: " << app->config().file << ": listen.sources: " << Message(opened.status()) << "\n";
      return kUsageError;
    }
    sources = std::move(*opened);
    const setup::ListenSourcesConfig& sc = app->config().listen.sources;
    std::cerr << "faro serve: listening also pulls "
              << (sc.x_stream.enabled ? StrCat("the X stream (", sc.x_stream.url, ")") : std::string())
              << (sc.x_stream.enabled && !sc.feeds.empty() ? " and " : "")
              << (sc.feeds.empty() ? std::string() : StrCat(sc.feeds.size(), " feed(s)")) << std::endl;
  }
  // The contingency plans: every stored event (the watch's and listening's) goes to them.
  std::unique_ptr<service::PlanService> plans;
  if (!app->config().plans.plans.empty()) {
    service::PlanServiceOptions po;
    po.log = &std::cerr;
    if (watch) po.failover = &watch->failover();
    auto opened = service::PlanService::Open(*app, po);
    if (!opened.ok()) {
      std::cerr << "faro serve: " << app->config().file << ": plans: " << Message(opened.status()) << "\n";
      return kUsageError;
    }
    plans = std::move(*opened);
    options.plans = plans.get();
    service::PlanService* p = plans.get();
    if (watch) watch->OnEvent([p](const Event& e) { p->OnEvent(e); });
    if (listen) {
      listen->OnEvent([p](const Event& e) { p->OnEvent(e); });
      listen->OnSubjectMinute([p](const std::string& subject, const RuleMinute& m) {
        p->OnMentionMinute(subject, {FromUnixMillis(m.minute * 60000), m.mentions, m.negative, m.positive, m.neutral,
                                     m.unknown});
      });
    }
    std::vector<std::string> ids;
    for (const auto& plan : app->config().plans.plans) ids.push_back(plan->id);
    std::cerr << "faro serve: running the contingency plan(s) " << Join(ids, ", ")
              << "; incidents at /api/v1/incidents" << std::endl;
  }
  server::MessagingServer server(*app, options);
  if (absl::Status st = server.Bind(); !st.ok()) {
    std::cerr << "faro serve: " << Message(st) << "\n";
    return kUsageError;
  }
  const setup::FaroConfig& config = app->config();
  if (!server.api_enabled())
    std::cerr << "faro serve: warning: the API is off (server.api_tokens_file is not set or lists no token); "
                 "webhooks, unsubscribe links, /health and /metrics still work\n";
  std::cerr << "faro serve: webhooks: "
            << WebhookState("whatsapp", config.secrets.whatsapp_app_secret, "whatsapp_app_secret_file") << ", "
            << WebhookState("telegram", config.secrets.telegram_secret_token, "telegram_secret_token_file") << ", "
            << WebhookState("twilio", config.secrets.twilio_auth_token, "twilio_auth_token_file") << "; unsubscribe links "
            << (config.secrets.unsubscribe_key.empty() ? "off (no webhooks.unsubscribe_key_file)" : "on") << "\n";
  const bool ipv6 = server.host().find(':') != std::string::npos;
  std::cerr << "faro serve listening on " << (ipv6 ? StrCat("[", server.host(), "]") : server.host()) << ":"
            << server.port() << std::endl;

  if (plans) plans->Start();
  if (sources) {
    sources->Start();
    server::SetListenSources(sources.get());
  }
  if (watch) {
    watch->Start();
    std::cerr << "faro serve: watching "
              << (config.watch.targets.empty() ? StrCat("the catalog's ", watch->TargetCount(), " default platforms")
                                               : StrCat(watch->TargetCount(), " target(s)"))
              << ", every " << config.watch.interval.count() / 1000.0
              << " s; dashboard at /dashboard, status page at /status" << std::endl;
  } else {
    std::cerr << "faro serve: no watch: section in the configuration; platforms are not watched" << std::endl;
  }
  // SIGHUP: read the file again; a bad file keeps the running configuration and says why.
  auto reload = [&] {
    auto fresh = setup::LoadFaroConfig(app->config().file);
    if (!fresh.ok()) {
      std::cerr << "faro serve: reload refused, still running the previous configuration: " << Message(fresh.status())
                << std::endl;
      return;
    }
    if (sources) {
      if (!setup::SameSourcesApartFromToken(app->config().listen.sources, fresh->listen.sources))
        std::cerr << "faro serve: reload: listen.sources: changed; restart faro serve to pull from the new sources"
                  << std::endl;
      sources->SetBearerToken(fresh->listen.sources.x_stream.bearer_token);
    }
    if (!plans && !fresh->plans.plans.empty())
      std::cerr << "faro serve: reload: plans: were added; restart faro serve to run them" << std::endl;
    if (plans) {
      auto note = plans->Reload(*fresh);
      if (!note.ok())
        std::cerr << "faro serve: reload: " << Message(note.status()) << std::endl;
      else
        std::cerr << "faro serve: reload: " << *note << std::endl;
    }
    if (!watch) {
      if (!plans && !sources)
        std::cerr << "faro serve: reload: nothing to reload without a watch: or plans: section (restart for other changes)"
                  << std::endl;
      return;
    }
    auto note = watch->Reload(std::move(*fresh));
    if (!note.ok())
      std::cerr << "faro serve: reload refused, still running the previous configuration: " << Message(note.status())
                << std::endl;
    else
      std::cerr << "faro serve: reload: " << *note << std::endl;
  };
  // Serve returns once stopped, after the dispatcher recorded the sends in flight.
  ServeUntilStopSignal([&] { server.Serve(); }, [&] { server.Stop(); }, reload);
  if (sources) {
    server::SetListenSources(nullptr);
    sources->Stop();  // before listening goes: the last batch is handed on
  }
  if (plans) plans->Stop();
  if (watch) watch->Stop();
  return 0;
}

}  // namespace

Runner AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Webhooks, API and sending, always on / Webhooks, API y envíos, siempre en marcha");
  AddConfigOption(*cmd, flags->config);
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (default: server.listen, 127.0.0.1:8080)");
  cmd->add_option("--hash-token", flags->hash_role,
                  "print the tokens-file line for a token read from stdin, with this role (admin, manager, viewer)");
  cmd->add_option("--token-name", flags->token_name, "with --hash-token: who holds the token (shown in the log)");
  return [flags] { return RunServe(*flags); };
}

}  // namespace faro::cli
