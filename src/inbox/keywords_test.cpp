#include "inbox/keywords.hpp"

#include <gtest/gtest.h>

namespace faro::inbox {
namespace {

TEST(ConsentKeywords, CarrierOptOutWords) {
  for (const char* word : {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
    EXPECT_EQ(ClassifyKeyword(word), ConsentKeyword::kOptOut) << word;
}

TEST(ConsentKeywords, SpanishOptOutWords) {
  for (const char* word : {"BAJA", "PARAR", "CANCELAR", "baja", "Cancelar"})
    EXPECT_EQ(ClassifyKeyword(word), ConsentKeyword::kOptOut) << word;
}

TEST(ConsentKeywords, OptInAndHelp) {
  for (const char* word : {"START", "UNSTOP", "YES", "ALTA", "Alta", "yes"})
    EXPECT_EQ(ClassifyKeyword(word), ConsentKeyword::kOptIn) << word;
  for (const char* word : {"HELP", "help", "AYUDA", "Ayuda"}) EXPECT_EQ(ClassifyKeyword(word), ConsentKeyword::kHelp) << word;
}

TEST(ConsentKeywords, CaseSpacesAndSurroundingPunctuationDoNotMatter) {
  EXPECT_EQ(ClassifyKeyword("  stop \n"), ConsentKeyword::kOptOut);
  EXPECT_EQ(ClassifyKeyword("Stop."), ConsentKeyword::kOptOut);
  EXPECT_EQ(ClassifyKeyword("¡Baja!"), ConsentKeyword::kOptOut);
  EXPECT_EQ(ClassifyKeyword("¿Ayuda?"), ConsentKeyword::kHelp);
  EXPECT_EQ(ClassifyKeyword("ＳＴＯＰ"), ConsentKeyword::kOptOut);  // full-width letters from some keyboards
}

TEST(ConsentKeywords, AccentsDoNotMatter) {
  EXPECT_EQ(ClassifyKeyword("BÁJA"), ConsentKeyword::kOptOut);
  EXPECT_EQ(ClassifyKeyword("ayúda"), ConsentKeyword::kHelp);
  EXPECT_EQ(ClassifyKeyword("ÁLTA"), ConsentKeyword::kOptIn);
  EXPECT_EQ(NormalizeKeywordText("  ¡Pará  YA! "), "para ya");
}

TEST(ConsentKeywords, OnlyTheWholeMessageCounts) {
  EXPECT_EQ(ClassifyKeyword("stop sending me the order, I changed address"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword("please stop"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword("stopping by later"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword("Necesito ayuda con mi pedido"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword("S T O P"), ConsentKeyword::kNone);
}

TEST(ConsentKeywords, ConversationalAnswersAreNotConsent) {
  // "Sí" and "no más" are everyday answers in Spanish; "info" would double Twilio's own reply.
  for (const char* text : {"SI", "Sí", "si", "NO MAS", "No más", "no", "ok", "INFO", "gracias", ""})
    EXPECT_EQ(ClassifyKeyword(text), ConsentKeyword::kNone) << text;
}

TEST(ConsentKeywords, InvalidUtf8AndLongTextMatchNothing) {
  EXPECT_EQ(ClassifyKeyword("st\xFFop"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword("STOP\xC3"), ConsentKeyword::kNone);
  EXPECT_EQ(ClassifyKeyword(std::string(300, ' ') + "STOP"), ConsentKeyword::kNone);
}

TEST(ConsentKeywords, Names) {
  EXPECT_EQ(ConsentKeywordName(ConsentKeyword::kOptOut), "opt-out");
  EXPECT_EQ(ConsentKeywordName(ConsentKeyword::kOptIn), "opt-in");
  EXPECT_EQ(ConsentKeywordName(ConsentKeyword::kHelp), "help");
  EXPECT_EQ(ConsentKeywordName(ConsentKeyword::kNone), "none");
}

}  // namespace
}  // namespace faro::inbox
