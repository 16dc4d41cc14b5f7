#pragma once
// For the connector tests: sample payloads in src/sources/testdata and golden files next to
// them. FARO_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/strings.hpp"
#include "sources/connector.hpp"

namespace faro::sources::testing {

inline std::string TestdataPath(const std::string& name) {
  return std::string(FARO_SOURCE_DIR) + "/src/sources/testdata/" + name;
}

inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(TestdataPath(name), std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void ExpectGolden(const std::string& name, const std::string& actual) {
  const char* update = std::getenv("FARO_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(TestdataPath(name), std::ios::binary) << actual;
    return;
  }
  const std::string expected = ReadTestdata(name);
  ASSERT_FALSE(expected.empty()) << name << " is missing; run with FARO_UPDATE_GOLDEN=1 and review it";
  EXPECT_EQ(expected, actual) << "output differs from testdata/" << name;
}

// What a payload gave besides its mentions: rejections in order, then skipped kinds.
inline std::string Report(const ConvertResult& result) {
  std::string out = StrCat("mentions: ", result.mentions.size(), "\n");
  for (const ItemRejection& r : result.rejections) StrAppend(out, "rejected: ", Describe(r), "\n");
  for (const auto& [kind, n] : result.skipped) StrAppend(out, "skipped: ", kind, " = ", n, "\n");
  return out;
}

// Appends `more` to `into` (mentions, rejections, skipped counts).
inline void Merge(ConvertResult& into, ConvertResult more) {
  for (auto& m : more.mentions) into.mentions.push_back(std::move(m));
  for (auto& r : more.rejections) into.rejections.push_back(std::move(r));
  for (const auto& [kind, n] : more.skipped) into.skipped[kind] += n;
}

}  // namespace faro::sources::testing
