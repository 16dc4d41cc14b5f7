#include "core/lang.hpp"

#include <cstdlib>

namespace faro {

Lang LangFromLocale(std::string_view locale) {
  return locale.substr(0, 2) == "es" ? Lang::kEs : Lang::kEn;
}

Lang LangFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return LangFromLocale(value);
  }
  return Lang::kEn;
}

std::string_view LangCode(Lang lang) { return lang == Lang::kEs ? "es" : "en"; }

}  // namespace faro
