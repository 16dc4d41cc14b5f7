#pragma once
// How many SMS segments a text costs. Carriers bill per segment, and a text with a single
// character outside the GSM 03.38 alphabet (Spanish á í ó ú, emoji, typographic quotes) is sent
// as UCS-2, which holds 70 characters per segment instead of 160.
#include <string>
#include <string_view>
#include <vector>

namespace faro::templates {

struct SmsInfo {
  std::string encoding;  // "GSM-7" or "UCS-2"
  // GSM-7: septets, the extension characters ^ { } \ [ ] ~ | € and form feed counting 2.
  // UCS-2: UTF-16 code units, so an emoji counts 2.
  int units = 0;
  int segments = 0;    // 0 for an empty text
  int characters = 0;  // Unicode code points
  // Characters that forced UCS-2, each once, in order of appearance (empty for GSM-7).
  std::vector<std::string> non_gsm;

  // Units the segments hold: GSM-7 160 in one segment, 153 each when concatenated; UCS-2 70,
  // 67 each.
  int capacity() const;
};

// Counts `utf8` (invalid bytes count as U+FFFD, which is UCS-2). A concatenated message may
// in practice split differently (a carrier never splits an extension character or a surrogate
// pair across segments), so a text right at a segment boundary may cost one segment more;
// this count ignores that detail.
SmsInfo CountSms(std::string_view utf8);

// True when `code_point` is in the GSM 03.38 basic table or its extension table.
bool IsGsm7(char32_t code_point);

}  // namespace faro::templates
