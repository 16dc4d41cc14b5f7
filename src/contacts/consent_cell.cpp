#include <absl/time/time.h>

#include "contacts/csv_import.hpp"
#include "core/strings.hpp"

namespace faro::contacts {
namespace {
std::string Q(std::string_view text) { return StrCat("\"", text, "\""); }
}  // namespace

absl::StatusOr<std::optional<ConsentCell>> ParseConsentCell(std::string_view cell, TimePoint now,
                                                            std::string_view default_source, Lang lang) {
  const bool es = lang == Lang::kEs;
  const std::string_view text = Trim(cell);
  if (text.empty()) return std::nullopt;
  const auto grammar = [&] {
    return es ? StrCat(Q(text), ": se espera opt-in u opt-out (o yes/no, sí/no), y opcionalmente una fecha AAAA-MM-DD y el origen, "
                                "como \"opt-in 2026-03-01 formulario-web\"")
              : StrCat(Q(text), ": expected opt-in or opt-out (or yes/no), optionally followed by a date YYYY-MM-DD and "
                                "the source, such as \"opt-in 2026-03-01 web-form\"");
  };
  size_t pos = text.find_first_of(" \t");
  const std::string word = ToLower(text.substr(0, pos));
  std::string_view rest = pos == std::string_view::npos ? std::string_view() : Trim(text.substr(pos));

  ConsentCell parsed;
  if (word == "opt-in" || word == "optin" || word == "yes" || word == "si" || word == "sí")
    parsed.consent.state = ConsentState::kOptedIn;
  else if (word == "opt-out" || word == "optout" || word == "no")
    parsed.consent.state = ConsentState::kOptedOut;
  else
    return absl::InvalidArgumentError(grammar());

  if (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
    pos = rest.find_first_of(" \t");
    const std::string date(rest.substr(0, pos));
    rest = pos == std::string_view::npos ? std::string_view() : Trim(rest.substr(pos));
    absl::Time t;
    std::string ignored;
    if (!absl::ParseTime("%Y-%m-%d", date, &t, &ignored) && !absl::ParseTime(absl::RFC3339_full, date, &t, &ignored))
      return absl::InvalidArgumentError(
          es ? StrCat(Q(text), ": ", Q(date), " no es una fecha; usa AAAA-MM-DD (2026-03-01) o 2026-03-01T14:05:00Z")
             : StrCat(Q(text), ": ", Q(date), " is not a date; use YYYY-MM-DD (2026-03-01) or 2026-03-01T14:05:00Z"));
    parsed.consent.at = absl::ToChronoTime(t);
    if (parsed.consent.at > now)
      return absl::InvalidArgumentError(es ? StrCat(Q(text), ": la fecha ", date, " está en el futuro")
                                           : StrCat(Q(text), ": the date ", date, " is in the future"));
  } else {
    parsed.consent.at = now;
    parsed.undated = true;
  }
  parsed.consent.source = rest.empty() ? std::string(default_source) : std::string(rest);
  return parsed;
}

}  // namespace faro::contacts
