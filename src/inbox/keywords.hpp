#pragma once
// Consent keywords in inbound SMS and WhatsApp text: STOP and its kin withdraw consent for the
// channel, START and its kin restore it, HELP asks who we are. Only a whole message counts
// ("stop" yes, "please stop the order" no), after trimming spaces and surrounding . ! ? ¡ ¿,
// ignoring case and accents. The reasoning and the lists are in docs/inbox.md.
#include <string>
#include <string_view>

namespace faro::inbox {

enum class ConsentKeyword {
  kNone,
  kOptOut,  // STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, BAJA, PARAR, CANCELAR
  kOptIn,   // START, UNSTOP, YES, ALTA — only meaningful for someone who opted out earlier
  kHelp,    // HELP, AYUDA
};
std::string_view ConsentKeywordName(ConsentKeyword keyword);

ConsentKeyword ClassifyKeyword(std::string_view text);

// The form keywords are compared in: accents and case folded, surrounding spaces and
// punctuation removed, inner runs of spaces collapsed ("  ¡Baja! " → "baja"). Invalid UTF-8
// and text over 256 bytes (never a keyword) yield an empty string, which matches nothing.
std::string NormalizeKeywordText(std::string_view text);

}  // namespace faro::inbox
