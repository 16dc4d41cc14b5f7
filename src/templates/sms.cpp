#include "templates/sms.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>

#include "core/utf8.hpp"

namespace faro::templates {
namespace {

// GSM 03.38 basic table, non-ASCII part (ASCII is handled by kAsciiSeptets).
constexpr char32_t kBasicNonAscii[] = {
    0x00A1,  // ¡
    0x00A3,  // £
    0x00A4,  // ¤
    0x00A5,  // ¥
    0x00A7,  // §
    0x00BF,  // ¿
    0x00C4,  // Ä
    0x00C5,  // Å
    0x00C6,  // Æ
    0x00C7,  // Ç
    0x00C9,  // É
    0x00D1,  // Ñ
    0x00D6,  // Ö
    0x00D8,  // Ø
    0x00DC,  // Ü
    0x00DF,  // ß
    0x00E0,  // à
    0x00E4,  // ä
    0x00E5,  // å
    0x00E6,  // æ
    0x00E8,  // è
    0x00E9,  // é
    0x00EC,  // ì
    0x00F1,  // ñ
    0x00F2,  // ò
    0x00F6,  // ö
    0x00F8,  // ø
    0x00F9,  // ù
    0x00FC,  // ü
    0x0393,  // Γ
    0x0394,  // Δ
    0x0398,  // Θ
    0x039B,  // Λ
    0x039E,  // Ξ
    0x03A0,  // Π
    0x03A3,  // Σ
    0x03A6,  // Φ
    0x03A8,  // Ψ
    0x03A9,  // Ω
};
constexpr char32_t kEuro = 0x20AC;  // extension table

// Septets per ASCII character: 1 in the basic table, 2 in the extension table (escape + code),
// 0 when GSM-7 cannot carry it (control characters other than LF, CR and form feed, and '`').
constexpr std::array<int, 128> MakeAsciiSeptets() {
  std::array<int, 128> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[c] = 1;
  t['\n'] = 1;
  t['\r'] = 1;
  t['\f'] = 2;
  for (char c : {'^', '{', '}', '\\', '[', ']', '~', '|'}) t[static_cast<unsigned char>(c)] = 2;
  t['`'] = 0;
  return t;
}
constexpr std::array<int, 128> kAsciiSeptets = MakeAsciiSeptets();

int Septets(char32_t cp) {
  if (cp < 128) return kAsciiSeptets[cp];
  if (cp == kEuro) return 2;
  return std::binary_search(std::begin(kBasicNonAscii), std::end(kBasicNonAscii), cp) ? 1 : 0;
}

std::string Utf8(char32_t cp) {
  utf8proc_uint8_t buf[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

int Segments(int units, int single, int part) {
  if (units == 0) return 0;
  if (units <= single) return 1;
  return (units + part - 1) / part;
}

}  // namespace

bool IsGsm7(char32_t code_point) { return Septets(code_point) > 0; }

int SmsInfo::capacity() const {
  const bool gsm = encoding == "GSM-7";
  if (segments <= 1) return gsm ? 160 : 70;
  return segments * (gsm ? 153 : 67);
}

SmsInfo CountSms(std::string_view utf8) {
  SmsInfo info;
  int septets = 0;
  int utf16 = 0;
  for (size_t pos = 0; pos < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, pos);  // an invalid byte counts as one U+FFFD
    ++info.characters;
    utf16 += cp >= 0x10000 ? 2 : 1;
    const int s = Septets(cp);
    septets += s;
    if (s == 0) {
      std::string shown = Utf8(cp);
      if (std::find(info.non_gsm.begin(), info.non_gsm.end(), shown) == info.non_gsm.end())
        info.non_gsm.push_back(std::move(shown));
    }
  }
  if (info.non_gsm.empty()) {
    info.encoding = "GSM-7";
    info.units = septets;
    info.segments = Segments(septets, 160, 153);
  } else {
    info.encoding = "UCS-2";
    info.units = utf16;
    info.segments = Segments(utf16, 70, 67);
  }
  return info;
}

}  // namespace faro::templates
