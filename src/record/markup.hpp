#pragma once
// Markdown and HTML pieces shared by incident reports and the crisis manual: escaping, and the
// self-contained printable HTML page (inline CSS with print styles, no scripts, nothing fetched:
// its Content-Security-Policy forbids both, so even a slip in escaping could not run code).
#include <string>
#include <string_view>

#include "core/lang.hpp"

namespace faro::record {

// Text safe inside a Markdown paragraph, list item or table cell: Markdown's own characters
// are backslash-escaped, '<' '>' and entity-looking '&' become entities (so no HTML reaches a
// renderer), and line breaks become spaces (a cell or list item stays one line).
std::string MdText(std::string_view text);

// Text safe inside an HTML element or a quoted attribute (and inside inline SVG).
std::string HtmlText(std::string_view text);

// A whole HTML document around `body` (which must already be escaped markup).
std::string HtmlPage(std::string_view title, Lang lang, std::string_view body);

}  // namespace faro::record
