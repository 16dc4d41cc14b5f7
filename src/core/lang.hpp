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

}  // namespace faro
