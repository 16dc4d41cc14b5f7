#include "core/lang.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(Lang, SpanishLocalesPickSpanish) {
  EXPECT_EQ(LangFromLocale("es_AR.UTF-8"), Lang::kEs);
  EXPECT_EQ(LangFromLocale("es"), Lang::kEs);
  EXPECT_EQ(LangFromLocale("en_US.UTF-8"), Lang::kEn);
  EXPECT_EQ(LangFromLocale("C.UTF-8"), Lang::kEn);
  EXPECT_EQ(LangFromLocale(""), Lang::kEn);
}

TEST(Lang, CodesAreWhatTheJsonSays) {
  EXPECT_EQ(LangCode(Lang::kEs), "es");
  EXPECT_EQ(LangCode(Lang::kEn), "en");
}

}  // namespace
}  // namespace faro
