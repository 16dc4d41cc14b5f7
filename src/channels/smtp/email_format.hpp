#pragma once
// The parts of an email message Faro writes itself: addresses it accepts, header values
// (RFC 5322, with RFC 2047 encoded-words for UTF-8), dates, and line endings. Everything that
// reaches a header goes through here, so no caller-supplied text can add a header line.
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::channels::smtp {

// A person's name and address, as in `Ana Pérez <ana@example.com>`.
struct Mailbox {
  std::string name;  // UTF-8, may be empty
  std::string address;
};

// OK when `address` is a plain ASCII `local@domain` usable both in the SMTP envelope and in a
// header: no spaces, control characters, quotes or angle brackets, dot-atom local part
// (at most 64 characters), domain of letter/digit/hyphen labels, at most 254 characters.
// Quoted local parts, address literals and internationalised addresses are refused.
absl::Status CheckAddress(std::string_view address);

// "Ana <hola@example.com>", "\"Ana, Tienda\" <hola@example.com>" or "hola@example.com".
absl::StatusOr<Mailbox> ParseMailbox(std::string_view text);

// The domain of a checked address ("example.com").
std::string_view DomainOf(std::string_view address);

// `text` with control characters (CR, LF, TAB…) replaced by spaces and trimmed: a value that
// cannot end a header line. Also used to quote untrusted text in messages.
std::string OneLine(std::string_view text);

// A Subject value: printable ASCII as it is; anything else (UTF-8, "=?", very long text) as
// RFC 2047 B encoded-words folded onto continuation lines.
std::string EncodeUnstructured(std::string_view text);

// A From/To/Reply-To value: the name as an atom, a quoted-string or encoded-words, then
// <address>. `mailbox.address` must have passed CheckAddress.
std::string FormatMailbox(const Mailbox& mailbox);

// RFC 2047 encoded-words for UTF-8 text, each at most 64 characters and never splitting a
// character, joined by CRLF SP (folding whitespace).
std::string EncodedWords(std::string_view utf8);

// "Mon, 04 Oct 2021 14:00:00 +0000".
std::string RfcDate(TimePoint when);

// Every line ending (CRLF, LF or CR) as CRLF, as the wire format requires.
std::string CrlfLines(std::string_view text);

// Base64 in lines of 76 characters, each ending with CRLF (a Content-Transfer-Encoding body).
std::string Base64Lines(std::string_view data);

}  // namespace faro::channels::smtp
