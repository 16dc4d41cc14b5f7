#include "server/unsubscribe_page.hpp"

#include "core/strings.hpp"

namespace faro::server {
namespace {

std::string Both(Lang first, const std::string& es, const std::string& en, std::string_view separator) {
  return first == Lang::kEs ? StrCat(es, separator, en) : StrCat(en, separator, es);
}

}  // namespace

std::string UnsubscribeConfirmPage(std::string_view business, Lang first) {
  const std::string name = EscapeHtml(business);
  const std::string es = StrCat("<p lang=\"es\">¿Dejar de recibir correos de ", name, "?</p>");
  const std::string en = StrCat("<p lang=\"en\">Stop receiving emails from ", name, "?</p>");
  const std::string button = first == Lang::kEs ? "Darme de baja / Unsubscribe" : "Unsubscribe / Darme de baja";
  return StrCat("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<meta name=\"robots\" content=\"noindex\"><title>",
                name, "</title></head>\n<body>\n", Both(first, es, en, "\n"),
                "\n<form method=\"post\">"
                "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                "<button type=\"submit\">",
                button, "</button></form>\n</body></html>\n");
}

std::string UnsubscribedText(std::string_view business, Lang first) {
  return StrCat(Both(first, StrCat("Listo: ya no recibirás correos de ", business, "."),
                     StrCat("Done: you will not receive emails from ", business, " any more."), "\n"),
                "\n");
}

std::string UnsubscribeUnknownText(Lang first) {
  return StrCat(Both(first, "Este enlace de baja no es válido.", "This unsubscribe link is not valid.", "\n"), "\n");
}

}  // namespace faro::server
