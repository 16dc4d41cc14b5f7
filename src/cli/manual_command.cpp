// `faro manual --log DIR --out DIR [--lang es|en]`: the crisis manual from the crisis log
// (docs/crisis-log.md). Writes OUT/manual.<lang>.md, OUT/manual.<lang>.html and each case's
// report under OUT/cases/. Records that cannot be read are named on stderr (and in the manual).
// Exit 0 when written, 1 when writing failed, 3 for usage errors and a log that is not there.
#include <iostream>
#include <memory>
#include <string>

#include "cli/record_commands.hpp"
#include "core/lang.hpp"
#include "core/strings.hpp"
#include "record/manual.hpp"

namespace faro::cli {
namespace {

struct ManualFlags {
  std::string log, out, lang;
};

int RunManual(const ManualFlags& f) {
  const Lang lang = f.lang.empty() ? LangFromEnvironment() : f.lang == "es" ? Lang::kEs : Lang::kEn;
  const bool es = lang == Lang::kEs;
  auto log = record::LoadCrisisLog(f.log);
  if (!log.ok()) {
    std::cerr << "faro manual: " << Message(log.status()) << "\n";
    return kUsageError;
  }
  for (const record::LogProblem& p : log->problems)
    std::cerr << "faro manual: " << (es ? "no se pudo leer " : "could not read ") << p.path << ": " << p.message << "\n";
  if (const absl::Status written = record::WriteManualFiles(*log, f.out, lang); !written.ok()) {
    std::cerr << "faro manual: " << Message(written) << "\n";
    return 1;
  }
  int64_t drills = 0;
  for (const record::LogEntry& e : log->entries) drills += e.record.drill ? 1 : 0;
  const int64_t real = static_cast<int64_t>(log->entries.size()) - drills;
  const std::string code(LangCode(lang));
  std::cout << (es ? "Manual escrito: " : "Manual written: ") << f.out << "/manual." << code << ".md, " << f.out
            << "/manual." << code << ".html (" << (es ? "incidentes reales: " : "real incidents: ") << real
            << (es ? ", simulacros: " : ", drills: ") << drills << ")\n";
  return 0;
}

}  // namespace

Runner AddManualCommand(CLI::App& app) {
  auto flags = std::make_shared<ManualFlags>();
  CLI::App* cmd = app.add_subcommand(
      "manual", "The crisis manual: past cases by kind / El manual de crisis: los casos pasados por tipo");
  cmd->add_option("--log", flags->log, "the crisis log folder")->required();
  cmd->add_option("--out", flags->out, "where to write the manual and its case reports")->required();
  cmd->add_option("--lang", flags->lang, "es or en (default: from LANG)")->check(CLI::IsMember({"es", "en"}));
  return [flags] { return RunManual(*flags); };
}

}  // namespace faro::cli
