// `faro check`: is it down for everyone, or just me? (docs/cli.md)
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "catalog/catalog.hpp"
#include "check/check_run.hpp"
#include "check/report_json.hpp"
#include "check/report_table.hpp"
#include "check/targets.hpp"
#include "cli/commands.hpp"
#include "core/strings.hpp"

namespace faro::cli {
namespace {

struct CheckFlags {
  std::vector<std::string> targets, references, alt_resolvers, vantages;
  std::string catalog, resolver, ca_file, lang;
  int attempts = 2;
  double timeout_s = 15;
  double slow_ms = 2000;
  std::size_t concurrency = 2000;
  bool tls_resume = false, skip_local = false, json = false, no_color = false;
};

int UsageError(const std::string& message) {
  std::cerr << "faro check: " << message << "\n";
  return kUsageError;
}

// Thousands of checks in flight need as many descriptors; take what the hard limit allows.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

absl::StatusOr<VantageSpec> ParseVantage(const std::string& text) {
  VantageSpec v;
  std::string url = text;
  const auto eq = text.find('=');
  if (eq != std::string::npos && text.find("://") > eq) {
    v.name = text.substr(0, eq);
    url = text.substr(eq + 1);
  }
  auto parsed = ParseProbeUrl(url);
  if (!parsed.ok() || !parsed->SpeaksHttp())
    return absl::InvalidArgumentError(StrCat("--vantage \"", text, "\": expected [NAME=]http://HOST:PORT of a faro agent"));
  if (v.name.empty()) v.name = StrCat(parsed->host, ":", parsed->port);
  v.url = url;
  return v;
}

int RunCheckCommand(const CheckFlags& f) {
  const Lang lang = f.lang.empty() ? LangFromEnvironment() : f.lang == "es" ? Lang::kEs : Lang::kEn;
  auto catalog = f.catalog.empty() ? EmbeddedCatalog() : LoadCatalogFile(f.catalog);
  if (!catalog.ok()) return UsageError(StrCat("bad catalog: ", Message(catalog.status())));
  auto targets = ResolveTargets(*catalog, f.targets);
  if (!targets.ok()) return UsageError(Message(targets.status()));

  CheckOptions o;
  o.lang = lang;
  o.attempts = f.attempts;
  o.timeout = Millis(static_cast<long>(f.timeout_s * 1000));
  o.slow_ms = f.slow_ms;
  o.concurrency = f.concurrency;
  o.tls_resume = f.tls_resume;
  o.skip_local = f.skip_local;
  if (f.references.empty()) {
    o.references = catalog->references;
  } else {
    for (const std::string& r : f.references) {
      auto url = ParseProbeUrl(r);
      if (!url.ok() || !url->SpeaksHttp())
        return UsageError(StrCat("--reference \"", r, "\": expected an http:// or https:// URL"));
      o.references.push_back(EndpointSpec{*url, Layer::kReference, "", {}});
    }
  }
  for (const std::string& text : f.alt_resolvers.empty() ? catalog->alt_resolvers : f.alt_resolvers) {
    auto addr = ParseResolverAddress(text);
    if (!addr.ok()) return UsageError(StrCat("--alt-resolver: ", Message(addr.status())));
    o.alt_resolvers.push_back(*addr);
  }
  if (!f.resolver.empty()) {
    auto addr = ParseResolverAddress(f.resolver);
    if (!addr.ok()) return UsageError(StrCat("--resolver: ", Message(addr.status())));
    o.resolver = *addr;
  }
  for (const std::string& text : f.vantages) {
    auto v = ParseVantage(text);
    if (!v.ok()) return UsageError(Message(v.status()));
    o.vantages.push_back(*v);
  }
  if (!o.vantages.empty()) {
    const char* token = std::getenv("FARO_AGENT_TOKEN");
    if (token == nullptr || *token == '\0')
      return UsageError("--vantage needs the agents' token in FARO_AGENT_TOKEN");
    o.agent_token = token;
  }
  if (!f.ca_file.empty()) {
    if (!std::ifstream(f.ca_file)) return UsageError(StrCat("--ca-file ", f.ca_file, ": cannot read it"));
    o.ca_file = f.ca_file;
  }
  RaiseOpenFileLimit();

  const bool color = !f.json && !f.no_color && std::getenv("NO_COLOR") == nullptr && isatty(STDOUT_FILENO);
  std::size_t width = 0;
  for (const CheckTarget& t : *targets) width = std::max(width, DisplayWidth(t.target));
  TablePrinter table(std::cout, lang, color, width);
  CheckCallbacks callbacks;
  if (!f.json) {
    callbacks.on_local = [&](const LocalEvidence& l, const LocalAssessment& a) {
      table.PrintLocal(l, a);
      std::cout.flush();
    };
    callbacks.on_target = [&](const TargetReport& t) {
      table.PrintTarget(t);
      std::cout.flush();
    };
  }
  auto report = RunCheck(o, *targets, callbacks);
  if (!report.ok()) return UsageError(Message(report.status()));
  if (f.json) {
    WriteCheckReportJson(std::cout, *report, lang);
  } else {
    table.PrintEnd(*report);
  }
  for (const std::string& e : report->errors) std::cerr << "faro check: " << e << "\n";
  return CheckExitCode(*report);
}

}  // namespace

Runner AddCheckCommand(CLI::App& app) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand("check", "Is it down for everyone, or just me? / ¿Está caído para todos o solo para mí?");
  cmd->add_option("targets", flags->targets, "platforms (whatsapp, ig, ...), URLs, host names, or @FILE; none: the default platforms");
  cmd->add_option("--catalog", flags->catalog, "platform catalog file (default: the shipped one)");
  cmd->add_option("--reference", flags->references, "reference URL that tells 'my connection works' (repeatable)")->allow_extra_args(false);
  cmd->add_option("--alt-resolver", flags->alt_resolvers, "resolver IP[:PORT] to compare yours with (repeatable)")->allow_extra_args(false);
  cmd->add_option("--resolver", flags->resolver, "the resolver Faro treats as yours (default: /etc/resolv.conf)");
  cmd->add_option("--vantage", flags->vantages, "[NAME=]URL of a faro agent elsewhere (repeatable; token in FARO_AGENT_TOKEN)")->allow_extra_args(false);
  cmd->add_option("--ca-file", flags->ca_file, "PEM file of extra trust anchors");
  cmd->add_option("--attempts", flags->attempts, "attempts per check before a failure counts")->check(CLI::Range(1, 10));
  cmd->add_option("--timeout", flags->timeout_s, "seconds the whole run may take")->check(CLI::Range(1.0, 300.0));
  cmd->add_option("--slow", flags->slow_ms, "an answer slower than this many ms means degraded")->check(CLI::PositiveNumber);
  cmd->add_option("--concurrency", flags->concurrency, "checks in flight at once")->check(CLI::Range(1, 200000));
  cmd->add_flag("--tls-resume", flags->tls_resume, "share TLS sessions between checks");
  cmd->add_flag("--skip-local", flags->skip_local, "do not check your own side");
  cmd->add_flag("--json", flags->json, "print one JSON document (docs/check-json.md)");
  cmd->add_flag("--no-color", flags->no_color, "never colour the table");
  cmd->add_option("--lang", flags->lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
  return [flags] { return RunCheckCommand(*flags); };
}

}  // namespace faro::cli
