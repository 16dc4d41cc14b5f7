#pragma once
// `faro check --json`: one document, schema in docs/check.schema.json (version 1).
#include <nlohmann/json.hpp>

#include <ostream>

#include "check/check_run.hpp"

namespace faro {

nlohmann::json CheckReportToJson(const CheckReport& report, Lang lang);

// The same document, pretty-printed, written one target at a time: a run of 50,000 targets
// never holds the whole JSON tree in memory.
void WriteCheckReportJson(std::ostream& out, const CheckReport& report, Lang lang);

// 0 all up or degraded; 1 something down, partial or unknown; 2 the problem is local;
// 3 a vantage could not be asked (unless the problem is local). docs/cli.md, "Exit codes".
int CheckExitCode(const CheckReport& report);

}  // namespace faro
