#pragma once
// `faro check --json`: one document, schema in docs/check.schema.json (version 1).
#include <nlohmann/json.hpp>

#include "check/check_run.hpp"

namespace faro {

nlohmann::json CheckReportToJson(const CheckReport& report, Lang lang);

// 0 all up or degraded; 1 something down, partial or unknown; 2 the problem is local;
// 3 a vantage could not be asked (unless the problem is local). docs/cli.md, "Exit codes".
int CheckExitCode(const CheckReport& report);

}  // namespace faro
