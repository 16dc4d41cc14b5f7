#pragma once
// Rendering a template for one person and one kind of channel, and previewing every rendering
// with its limits before a message goes out.
#include <map>
#include <string>

#include "channels/channel.hpp"
#include "core/lang.hpp"
#include "core/status.hpp"
#include "templates/sms.hpp"
#include "templates/template.hpp"

namespace faro::templates {

enum class Format { kEmail, kSms, kVoice, kTelegram, kWhatsApp, kChat };
std::string_view FormatName(Format format);

using Variables = std::map<std::string, std::string>;

inline constexpr size_t kTelegramMaxUtf16 = 4096;
inline constexpr size_t kWhatsAppMaxChars = 4096;

// Renders `t` in `lang` for `format`:
//   kEmail     subject, text and html (variable values HTML-escaped in html; line breaks in the
//              subject become spaces); the template must have a subject
//   kSms       `sms` if given, else `text`; refused beyond the template's sms_max_segments
//   kVoice     `voice` if given, else `text`
//   kTelegram  `text`; refused beyond 4,096 UTF-16 code units
//   kWhatsApp  `text` (free-form, within the 24-hour window), plus whatsapp_template with the
//              language for `lang` and the params in order, when the template declares one
//   kChat      `text` (Instagram, Messenger, X, webhooks)
// Values are inserted literally: a value containing {{x}} is not expanded. When a value is
// empty, the space before its placeholder goes too if punctuation or the end follows
// ("Hola {{name}}," → "Hola,"). The result is in Unicode NFC. A variable the texts use but
// `variables` lacks fails the rendering, naming every missing one.
absl::StatusOr<channels::Content> Render(const Template& t, Lang lang, const Variables& variables, Format format);

// Every rendering of `t` in `lang` with its limits, for a person to check before sending:
//   SMS: 2 segments, GSM-7, 187/306 characters
//   Telegram: 143/4096
//   WhatsApp template reachable_elsewhere_v1 (es_AR) params: [Ana, Telegram]
// A rendering that fails shows its error instead. Labels are in `labels` (the operator's
// language).
std::string Preview(const Template& t, Lang lang, const Variables& variables, Lang labels);
inline std::string Preview(const Template& t, Lang lang, const Variables& variables) {
  return Preview(t, lang, variables, lang);
}

// UTF-16 code units of `utf8`, as Telegram counts its limit.
size_t Utf16Length(std::string_view utf8);

}  // namespace faro::templates
