#pragma once
// Golden files for tests: compare output with a committed file; FARO_UPDATE_GOLDEN=1 rewrites
// the file instead (then review the diff by hand before committing it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace faro::testing {

inline std::string SourcePath(const std::string& relative) { return std::string(FARO_SOURCE_DIR) + "/" + relative; }

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void ExpectGolden(const std::string& relative, const std::string& actual) {
  const std::string path = SourcePath(relative);
  const char* update = std::getenv("FARO_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  const std::string expected = ReadFileOrEmpty(path);
  ASSERT_FALSE(expected.empty()) << relative << " is missing; run with FARO_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(expected, actual) << "output differs from " << relative
                              << " (FARO_UPDATE_GOLDEN=1 rewrites it; review the diff)";
}

}  // namespace faro::testing
