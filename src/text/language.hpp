#pragma once
// Spanish / English identification for short social-media text, from the evidence a
// normalised mention still carries: function words, ñ, ¿ ¡, accents seen before folding,
// English contractions and a few word endings. Says "unknown" when evidence is too thin.
#include <string_view>

#include "text/normalise.hpp"

namespace faro {

enum class TextLang { kUnknown, kEs, kEn };

TextLang DetectLang(const NormalisedText& text);
std::string_view TextLangCode(TextLang lang);  // "es", "en", "und"

}  // namespace faro
