#pragma once
// What a person sees at /unsubscribe/{token}, in both languages (the business's first): the
// page a link opens (a button that POSTs: a GET never unsubscribes, since mail scanners and
// link previews follow links), the answer once unsubscribed, and the answer to a bad link.
#include <string>
#include <string_view>

#include "core/lang.hpp"

namespace faro::server {

// HTML with a form that POSTs List-Unsubscribe=One-Click to the same address.
std::string UnsubscribeConfirmPage(std::string_view business, Lang first);
std::string UnsubscribedText(std::string_view business, Lang first);
std::string UnsubscribeUnknownText(Lang first);

}  // namespace faro::server
