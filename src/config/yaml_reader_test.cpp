#include "config/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace faro {
namespace {

TEST(ParseDuration, UnitsAndErrors) {
  EXPECT_EQ(ParseDuration("250ms")->count(), 250);
  EXPECT_EQ(ParseDuration("30s")->count(), 30000);
  EXPECT_EQ(ParseDuration("5m")->count(), 300000);
  EXPECT_EQ(ParseDuration("2h")->count(), 7200000);
  EXPECT_EQ(ParseDuration("1.5s")->count(), 1500);
  EXPECT_FALSE(ParseDuration("30").ok());
  EXPECT_FALSE(ParseDuration("s").ok());
  EXPECT_FALSE(ParseDuration("3 weeks").ok());
}

TEST(ParseRate, Forms) {
  EXPECT_DOUBLE_EQ(ParseRate("30/s")->PerSecond(), 30.0);
  EXPECT_DOUBLE_EQ(ParseRate("20/min")->PerSecond(), 20.0 / 60);
  EXPECT_NEAR(ParseRate("1/6s")->PerSecond(), 1.0 / 6, 1e-9);
  EXPECT_FALSE(ParseRate("30").ok());
  EXPECT_FALSE(ParseRate("0/s").ok());
  EXPECT_FALSE(ParseRate("x/s").ok());
}

TEST(YamlReader, ErrorsCarryFileLineAndKey) {
  const YAML::Node root = YAML::Load("a: 1\nb:\n  c: nope\n");
  YamlReader reader("faro.yaml");
  const auto bad = reader.Int(root["b"], "c", "b", 0, 0, 10);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Message(bad.status()), "faro.yaml:3:6: b.c: expected a whole number, got \"nope\"");
  const auto range = reader.Int(root, "a", "", 5, 2, 10);
  EXPECT_FALSE(range.ok());
  const auto keys = reader.OnlyKeys(root, "root", {"a"});
  EXPECT_NE(Message(keys).find("unknown key; expected one of: a"), std::string::npos);
}

TEST(YamlReader, SecretFileIsReadRelativeAndTrimmed) {
  const auto dir = std::filesystem::temp_directory_path() / "faro_yaml_reader_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "token") << "s3cret\n";
  std::ofstream(dir / "empty") << "\n";
  const YAML::Node root = YAML::Load("token_file: token\nempty_file: empty\nmissing_file: nope\n");
  YamlReader reader("faro.yaml", dir);
  EXPECT_EQ(*reader.SecretFile(root, "token_file", "x", true), "s3cret");
  const auto empty = reader.SecretFile(root, "empty_file", "x", true);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(Message(empty.status()).find("is empty"), std::string::npos);
  const auto missing = reader.SecretFile(root, "missing_file", "x", true);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(Message(missing.status()).find("cannot read the secret file"), std::string::npos);
  EXPECT_EQ(Message(missing.status()).find("s3cret"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faro
