#pragma once
// Every message a person reads exists in Spanish and English.
#include <string_view>

namespace faro {

enum class Lang { kEn, kEs };

// From a POSIX locale value such as "es_AR.UTF-8": Spanish for "es*", English otherwise.
Lang LangFromLocale(std::string_view locale);
// LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them.
Lang LangFromEnvironment();
std::string_view LangCode(Lang lang);

// A message in both languages; pick one with Get().
struct Text {
  std::string_view en;
  std::string_view es;
  std::string_view Get(Lang lang) const { return lang == Lang::kEs ? es : en; }
};

}  // namespace faro
