#include "listen/annotate.hpp"

#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "listen/golden_test_util.hpp"
#include "listen/listen_run.hpp"
#include "listen/rules_file.hpp"

namespace faro {
namespace {

using faro::testing::ExpectGolden;
using faro::testing::ReadFileOrEmpty;
using faro::testing::SourcePath;

TEST(Annotate, AppendsBeforeTheClosingBraceAndEscapes) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\n\x01ñ");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001ñ\"");
}

// `faro listen --annotate --rules examples/listen/brand.yaml src/listen/testdata/mentions.jsonl`,
// run through the same function the command uses, compared with the golden output.
TEST(Annotate, GoldenEndToEnd) {
  auto rules = LoadRulesFile(SourcePath("examples/listen/brand.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  const std::string input = ReadFileOrEmpty(SourcePath("src/listen/testdata/mentions.jsonl"));
  MemoryByteSource source(input);
  std::string annotated, rejected;
  ListenRunOptions options;
  options.annotate = true;
  options.lang = Lang::kEn;
  const ListenRunResult result = RunListen(source, *rules, options,
                                           [&](std::string_view bytes) { annotated.append(bytes); },
                                           [&](std::string_view bytes) { rejected.append(bytes); });
  EXPECT_TRUE(result.status.ok());
  EXPECT_EQ(result.counts.accepted, 20);
  EXPECT_EQ(result.counts.RejectedTotal(), 8);
  ExpectGolden("src/listen/testdata/annotated.golden.jsonl", annotated);
  ExpectGolden("src/listen/testdata/rejected.golden.txt", rejected);
}

TEST(Annotate, WithoutRulesMatchedRulesIsEmpty) {
  MemoryByteSource source("{\"at\":1633361940,\"text\":\"whatsapp caído #WhatsAppDown @Soporte\"}  \n");
  std::string annotated;
  ListenRunOptions options;
  options.annotate = true;
  RunListen(source, nullptr, options, [&](std::string_view bytes) { annotated.append(bytes); },
            [](std::string_view) {});
  EXPECT_TRUE(annotated.starts_with("{\"at\":1633361940,\"text\":\"whatsapp caído #WhatsAppDown @Soporte\",\"lang\":"))
      << annotated;
  EXPECT_TRUE(annotated.ends_with(",\"hashtags\":[\"whatsappdown\"],\"mentions\":[\"soporte\"],\"matched_rules\":[]}\n"))
      << annotated;
}

}  // namespace
}  // namespace faro
