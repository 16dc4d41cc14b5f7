#include "text/language.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <string>

namespace faro {
namespace {

TextLang Detect(std::string_view text) {
  NormalisedText out;
  Normaliser().Normalise(text, out);
  return DetectLang(out);
}

TEST(TextLangCodeTest, Codes) {
  EXPECT_EQ(TextLangCode(TextLang::kEs), "es");
  EXPECT_EQ(TextLangCode(TextLang::kEn), "en");
  EXPECT_EQ(TextLangCode(TextLang::kUnknown), "und");
}

TEST(DetectLangTest, FunctionWords) {
  EXPECT_EQ(Detect("no me anda whatsapp desde la mañana"), TextLang::kEs);
  EXPECT_EQ(Detect("is whatsapp down for anyone else?"), TextLang::kEn);
}

TEST(DetectLangTest, SpanishCharactersCountBeforeFolding) {
  // No cue words at all: only ¿, the accents and ñ say Spanish.
  EXPECT_EQ(Detect("¿Instagram?"), TextLang::kEs);
  EXPECT_EQ(Detect("Pésimo día"), TextLang::kEs);
  EXPECT_EQ(Detect("ñoquis"), TextLang::kEs);
  // The same words without accents are too thin to call.
  EXPECT_EQ(Detect("Pesimo dia"), TextLang::kEs);  // "dia" is a cue word
  EXPECT_EQ(Detect("Pesimo"), TextLang::kUnknown);
}

TEST(DetectLangTest, ContractionsSayEnglish) {
  EXPECT_EQ(Detect("can't login"), TextLang::kEn);
  EXPECT_EQ(Detect("Acme’s app"), TextLang::kUnknown);  // one weak cue is not enough
}

TEST(DetectLangTest, UnknownWithoutEvidence) {
  EXPECT_EQ(Detect(""), TextLang::kUnknown);
  EXPECT_EQ(Detect("#WhatsAppCaído"), TextLang::kUnknown);
  EXPECT_EQ(Detect("😡😡😡"), TextLang::kUnknown);
  EXPECT_EQ(Detect("@Meta https://t.co/x"), TextLang::kUnknown);
  EXPECT_EQ(Detect("WhatsApp"), TextLang::kUnknown);
}

TEST(DetectLangTest, UnknownWhenBothLanguagesAreEqual) {
  EXPECT_EQ(Detect("the app de marca"), TextLang::kUnknown);  // one cue each
}

// Accuracy on the hand-labelled set. The figure is printed; the floor catches regressions.
TEST(DetectLangTest, AccuracyOnLabelledSet) {
  for (const char* name : {"lang_labelled.tsv", "lang_heldout.tsv"}) {
    const std::string path = std::string(FARO_SOURCE_DIR) + "/src/text/testdata/" + name;
    std::ifstream in(path);
    ASSERT_TRUE(in) << "missing " << path;
    std::map<std::string, std::map<std::string, int>> confusion;  // truth → detected → count
    int total = 0, correct = 0;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      const std::size_t tab = line.find('\t');
      ASSERT_NE(tab, std::string::npos) << path << ":" << line_no << ": no tab";
      const std::string truth = line.substr(0, tab);
      ASSERT_TRUE(truth == "es" || truth == "en" || truth == "und")
          << path << ":" << line_no << ": label '" << truth << "'";
      const std::string got(TextLangCode(Detect(line.substr(tab + 1))));
      ++confusion[truth][got];
      ++total;
      if (got == truth) {
        ++correct;
      } else {
        std::cout << "  " << name << ":" << line_no << " expected " << truth << ", got " << got
                  << ": " << line.substr(tab + 1) << "\n";
      }
    }
    ASSERT_GE(total, 30);
    const double accuracy = static_cast<double>(correct) / total;
    std::cout << name << ": " << correct << "/" << total << " correct ("
              << static_cast<int>(accuracy * 1000 + 0.5) / 10.0 << "%)\n";
    for (const auto& [truth, row] : confusion) {
      std::cout << "  truth " << truth << ":";
      for (const auto& [got, count] : row) std::cout << " " << got << "=" << count;
      std::cout << "\n";
    }
    EXPECT_GE(accuracy, 0.85) << name;
  }
}

}  // namespace
}  // namespace faro
