#include "channels/smtp/email_format.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "core/strings.hpp"

namespace faro::channels::smtp {
namespace {

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool IsPrintableAscii(std::string_view text) {
  for (const char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string Base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool IsUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xc2 && c <= 0xdf) { extra = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { extra = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { extra = 3; cp = c & 0x07; }
    else return false;
    if (i + extra >= text.size()) return false;  // the character is cut off
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)))
      return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

absl::Status CheckAddress(std::string_view address) {
  const std::string shown = StrCat("\"", OneLine(address), "\"");
  if (address.empty()) return absl::InvalidArgumentError("the email address is empty");
  if (address.size() > 254)
    return absl::InvalidArgumentError(StrCat("the email address ", shown, " is longer than 254 characters"));
  for (const char c : address) {
    if (c <= 0x20 || c >= 0x7f)
      return absl::InvalidArgumentError(
          StrCat("the email address ", shown, " contains a space, a control character (such as a line break) or a non-ASCII character"));
  }
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size())
    return absl::InvalidArgumentError(StrCat("the email address ", shown, " is not of the form name@domain"));
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  if (local.size() > 64)
    return absl::InvalidArgumentError(StrCat("the email address ", shown, " has a part before @ longer than 64 characters"));
  char previous = '.';
  for (const char c : local) {
    if (c == '.' ? previous == '.' : !IsAtext(c))
      return absl::InvalidArgumentError(
          StrCat("the email address ", shown, " has a character or dot before @ that mail servers do not accept unquoted"));
    previous = c;
  }
  if (previous == '.')
    return absl::InvalidArgumentError(StrCat("the email address ", shown, " ends its part before @ with a dot"));
  for (const std::string_view label : Split(domain, ".")) {
    bool ok = !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-';
    for (const char c : label) ok = ok && IsLabelChar(c);
    if (!ok) return absl::InvalidArgumentError(StrCat("the email address ", shown, " does not end in a valid domain name"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Mailbox> ParseMailbox(std::string_view text) {
  text = Trim(text);
  Mailbox mailbox;
  if (!text.empty() && text.back() == '>') {
    const size_t open = text.rfind('<');
    if (open == std::string_view::npos)
      return absl::InvalidArgumentError("expected \"Name <name@example.com>\" or name@example.com; found > without <");
    mailbox.address = std::string(Trim(text.substr(open + 1, text.size() - open - 2)));
    std::string_view name = Trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
      for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) ++i;
        mailbox.name.push_back(name[i]);
      }
    } else {
      mailbox.name = std::string(name);
    }
  } else {
    mailbox.address = std::string(text);
  }
  for (const char c : mailbox.name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return absl::InvalidArgumentError("the name contains a control character (such as a line break)");
  if (!IsUtf8(mailbox.name)) return absl::InvalidArgumentError("the name is not valid UTF-8 text");
  FARO_RETURN_IF_ERROR(CheckAddress(mailbox.address));
  return mailbox;
}

std::string_view DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return std::string(Trim(out));
}

std::string EncodedWords(std::string_view utf8) {
  // 39 bytes become 52 base64 characters: "=?UTF-8?B?" + 52 + "?=" is 64, so "Subject: " and
  // the first word stay within RFC 2047's 76-character line.
  constexpr size_t kChunk = 39;
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t end = std::min(utf8.size(), i + kChunk);
    // Never cut inside a character: back up while the next byte is a continuation byte.
    while (end < utf8.size() && end > i + 1 && (static_cast<unsigned char>(utf8[end]) & 0xc0) == 0x80) --end;
    if (!out.empty()) out.append("\r\n ");
    StrAppend(out, "=?UTF-8?B?", Base64(utf8.substr(i, end - i)), "?=");
    i = end;
  }
  return out;
}

std::string EncodeUnstructured(std::string_view text) {
  const std::string line = OneLine(text);
  if (IsPrintableAscii(line) && !Contains(line, "=?") && line.size() <= 900) return line;
  return EncodedWords(line);
}

std::string FormatMailbox(const Mailbox& mailbox) {
  const std::string name = OneLine(mailbox.name);
  if (name.empty()) return mailbox.address;
  std::string phrase;
  if (!IsPrintableAscii(name) || Contains(name, "=?") || name.size() > 200) {
    phrase = EncodedWords(name);
  } else if (name.find_first_of("()<>[]:;@\\,.\"") != std::string::npos) {
    phrase.push_back('"');
    for (const char c : name) {
      if (c == '"' || c == '\\') phrase.push_back('\\');
      phrase.push_back(c);
    }
    phrase.push_back('"');
  } else {
    phrase = name;
  }
  return StrCat(phrase, " <", mailbox.address, ">");
}

std::string RfcDate(TimePoint when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string CrlfLines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.append("\r\n");
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out.append("\r\n");
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Base64Lines(std::string_view data) {
  constexpr size_t kBytesPerLine = 57;  // 76 base64 characters
  std::string out;
  for (size_t i = 0; i < data.size(); i += kBytesPerLine) StrAppend(out, Base64(data.substr(i, kBytesPerLine)), "\r\n");
  return out;
}

}  // namespace faro::channels::smtp
