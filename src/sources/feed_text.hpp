#pragma once
// Text and dates as RSS and Atom feeds write them.
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace faro::sources {

// HTML (or plain text with entities) as a person reads it: tags removed (with the content of
// <script> and <style>), block tags and <br> as spaces, entities decoded (&amp;, &lt;, &#233;,
// &#xE9;, and the named ones feeds use: &nbsp;, &aacute;, &ntilde;, &hellip;, &mdash;, …; an
// unknown one stays as written), runs of whitespace as one space, trimmed. Invalid UTF-8 in
// the input and numeric entities that name no character become U+FFFD.
std::string HtmlToText(std::string_view html);

// RFC 822 / RFC 1123 dates as RSS 2.0 uses them: "Mon, 04 Oct 2021 15:39:00 GMT", with or
// without the day name and seconds, two- or four-digit years, zones as "+0000"/"-0300", "GMT",
// "UT", "Z", US zones ("EST", "PDT"…) and military letters (read as UTC, per RFC 1123's note).
// Empty when the text is not such a date.
std::optional<TimePoint> ParseRfc822(std::string_view text);

}  // namespace faro::sources
