#pragma once
// The --config option shared by the messaging commands and `faro serve`: the file named, else
// $FARO_CONFIG, else ./faro.yaml when it exists, else the embedded defaults (no channels).
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "setup/app.hpp"

namespace faro::cli {

void AddConfigOption(CLI::App& command, std::string& path);
// Loads the configuration and opens the app; on error prints "faro COMMAND: message" and
// returns null. Without any file, `defaults` (YAML) is the configuration.
std::unique_ptr<setup::App> OpenApp(const std::string& command, const std::string& config_path,
                                    const std::string& defaults = "");

}  // namespace faro::cli
