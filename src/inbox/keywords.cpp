#include "inbox/keywords.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <utility>

#include "core/strings.hpp"

namespace faro::inbox {
namespace {

// Kept to the words carriers and Twilio act on, plus their plain Spanish equivalents. Words
// that are ordinary answers in a conversation ("sí", "no más", "info") are left out: a false
// opt-out silences a customer during a crisis, a false opt-in sends to someone who said no.
constexpr std::array<std::pair<std::string_view, ConsentKeyword>, 17> kKeywords = {{
    {"stop", ConsentKeyword::kOptOut},
    {"stopall", ConsentKeyword::kOptOut},
    {"unsubscribe", ConsentKeyword::kOptOut},
    {"cancel", ConsentKeyword::kOptOut},
    {"end", ConsentKeyword::kOptOut},
    {"quit", ConsentKeyword::kOptOut},
    {"revoke", ConsentKeyword::kOptOut},
    {"optout", ConsentKeyword::kOptOut},
    {"baja", ConsentKeyword::kOptOut},
    {"parar", ConsentKeyword::kOptOut},
    {"cancelar", ConsentKeyword::kOptOut},
    {"start", ConsentKeyword::kOptIn},
    {"unstop", ConsentKeyword::kOptIn},
    {"yes", ConsentKeyword::kOptIn},
    {"alta", ConsentKeyword::kOptIn},
    {"help", ConsentKeyword::kHelp},
    {"ayuda", ConsentKeyword::kHelp},
}};

// Surrounding characters that do not change what a one-word message means.
bool StripPrefix(std::string_view& s) {
  for (std::string_view mark : {" ", "\t", "\r", "\n", ".", "!", "?", "\xC2\xA1" /* ¡ */, "\xC2\xBF" /* ¿ */}) {
    if (s.substr(0, mark.size()) == mark) {
      s.remove_prefix(mark.size());
      return true;
    }
  }
  return false;
}

bool StripSuffix(std::string_view& s) {
  for (std::string_view mark : {" ", "\t", "\r", "\n", ".", "!", "?", "\xC2\xA1", "\xC2\xBF"}) {
    if (s.size() >= mark.size() && s.substr(s.size() - mark.size()) == mark) {
      s.remove_suffix(mark.size());
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view ConsentKeywordName(ConsentKeyword keyword) {
  switch (keyword) {
    case ConsentKeyword::kNone: return "none";
    case ConsentKeyword::kOptOut: return "opt-out";
    case ConsentKeyword::kOptIn: return "opt-in";
    case ConsentKeyword::kHelp: return "help";
  }
  return "none";
}

std::string NormalizeKeywordText(std::string_view text) {
  // Long messages are never keywords; do not spend time folding them.
  if (text.size() > 256) return {};
  utf8proc_uint8_t* folded = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                   &folded,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                  UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_LUMP));
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(folded), static_cast<size_t>(n));
  std::free(folded);

  std::string_view s = out;
  while (StripPrefix(s)) {
  }
  while (StripSuffix(s)) {
  }
  std::vector<std::string> words;
  for (std::string_view word : Split(s, " \t\r\n", true)) words.emplace_back(word);
  return Join(words, " ");
}

ConsentKeyword ClassifyKeyword(std::string_view text) {
  const std::string normalized = NormalizeKeywordText(text);
  for (const auto& [word, keyword] : kKeywords)
    if (normalized == word) return keyword;
  return ConsentKeyword::kNone;
}

}  // namespace faro::inbox
