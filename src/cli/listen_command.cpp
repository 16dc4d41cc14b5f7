// `faro listen [--annotate] [--rules FILE] [INPUT]` (docs/listening.md).
//   --annotate: each accepted record back as JSON Lines with lang, sentiment, score, hashtags,
//               mentions and matched_rules added (matched_rules empty without --rules);
//   otherwise:  a summary per brand and topic of the rules file (--rules required).
// Rejected records go to stderr, one line each, then a count. Exit 0 when at least one record
// was accepted, 1 when none could be read, 3 for usage and rules errors.
#include "cli/listen_command.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "core/lang.hpp"
#include "core/strings.hpp"
#include "crisis/crisis_card.hpp"
#include "crisis/crisis_watch.hpp"
#include "listen/listen_run.hpp"
#include "listen/rules_file.hpp"

namespace faro::cli {
namespace {

struct ListenFlags {
  std::string input, rules, lang;
  bool annotate = false;
  std::size_t max_line_bytes = 1 << 20;
};

int UsageError(const std::string& message) {
  std::cerr << "faro listen: " << message << "\n";
  return kUsageError;
}

void WriteAll(std::FILE* stream, std::string_view bytes) {
  std::fwrite(bytes.data(), 1, bytes.size(), stream);
  std::fflush(stream);
}

int RunListenCommand(const ListenFlags& f) {
  const Lang lang = f.lang.empty() ? LangFromEnvironment() : f.lang == "es" ? Lang::kEs : Lang::kEn;
  const bool es = lang == Lang::kEs;
  if (!f.annotate && f.rules.empty())
    return UsageError(es ? "sin --annotate hace falta --rules ARCHIVO (las marcas y temas a resumir)"
                         : "--rules FILE is needed without --annotate (the brands and topics to summarise)");
  std::shared_ptr<const RuleSet> rules;
  if (!f.rules.empty()) {
    auto loaded = LoadRulesFile(f.rules);
    if (!loaded.ok()) return UsageError(Message(loaded.status()));
    rules = *loaded;
  }
  int fd = STDIN_FILENO;
  if (!f.input.empty() && f.input != "-") {
    fd = ::open(f.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      std::cerr << "faro listen: " << f.input << ": " << (es ? "no se puede leer: " : "cannot read it: ")
                << std::strerror(errno) << "\n";
      return 1;
    }
  }
  FdByteSource source(fd);
  ListenRunOptions options;
  options.annotate = f.annotate;
  options.lang = lang;
  options.reader.max_line_bytes = f.max_line_bytes;
  // The summary opens with the crisis cards: the detectors watch the whole input, in time.
  std::unique_ptr<crisis::CrisisWatch> crises;
  if (!f.annotate && rules) {
    crisis::CrisisOptions co;
    co.lateness = options.pipeline.lateness;
    crises = std::make_unique<crisis::CrisisWatch>(rules, co);
    options.on_minute = [w = crises.get()](const RuleMinute& m) { w->OnMinute(m); };
    options.on_mention = [w = crises.get()](const Mention& m, const Annotation& a) { w->OnMention(m, a); };
    options.crisis_cards = [w = crises.get(), lang](const ListenPipeline&, std::string& out) {
      w->Finish();
      out += crisis::CrisisReport(*w, lang);
    };
  }
  const ListenRunResult result = RunListen(
      source, rules, options, [](std::string_view bytes) { WriteAll(stdout, bytes); },
      [](std::string_view bytes) { WriteAll(stderr, bytes); });
  if (fd != STDIN_FILENO) ::close(fd);
  return result.counts.accepted > 0 ? 0 : 1;
}

}  // namespace

Runner AddListenCommand(CLI::App& app) {
  auto flags = std::make_shared<ListenFlags>();
  CLI::App* cmd = app.add_subcommand(
      "listen", "Mentions: annotate them or summarise them per brand and topic / Menciones: anotarlas o resumirlas");
  cmd->add_option("input", flags->input, "JSON Lines file of mentions; '-' or none: standard input");
  cmd->add_option("--rules", flags->rules, "relevance rules (YAML): brands, topics, queries");
  cmd->add_flag("--annotate", flags->annotate,
                "write each record back with lang, sentiment, score, hashtags, mentions, matched_rules");
  cmd->add_option("--max-line-bytes", flags->max_line_bytes, "longer records are rejected (default 1 MiB)")
      ->check(CLI::Range(std::size_t{64}, std::size_t{64} << 20));
  cmd->add_option("--lang", flags->lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
  return [flags] { return RunListenCommand(*flags); };
}

}  // namespace faro::cli
