#include "cli/config_flag.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/strings.hpp"

namespace faro::cli {

void AddConfigOption(CLI::App& command, std::string& path) {
  command.add_option("--config", path, "faro.yaml (default: $FARO_CONFIG, else ./faro.yaml if present)");
}

std::unique_ptr<setup::App> OpenApp(const std::string& command, const std::string& config_path,
                                    const std::string& defaults) {
  std::string path = config_path;
  if (path.empty()) {
    if (const char* env = std::getenv("FARO_CONFIG"); env != nullptr && *env != '\0') path = env;
    else if (std::filesystem::exists("faro.yaml")) path = "faro.yaml";
  }
  absl::StatusOr<setup::FaroConfig> config =
      path.empty() ? setup::LoadFaroConfigFromString(defaults, "(defaults)", std::filesystem::current_path().string())
                   : setup::LoadFaroConfig(path);
  if (!config.ok()) {
    std::cerr << "faro " << command << ": " << Message(config.status()) << "\n";
    return nullptr;
  }
  auto app = setup::App::Open(std::move(*config));
  if (!app.ok()) {
    std::cerr << "faro " << command << ": " << Message(app.status()) << "\n";
    return nullptr;
  }
  return std::move(*app);
}

}  // namespace faro::cli
