#include "templates/render.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::templates {
namespace {

// A variable's value: well-formed UTF-8 without NUL.
bool ValidValue(std::string_view text) { return IsValidUtf8(text) && text.find('\0') == std::string_view::npos; }

// Unicode NFC, so "é" typed as e + combining accent counts (and bills) as the GSM-7 é.
std::string Nfc(const std::string& text) {
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> out(
      utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str())), &std::free);
  return out ? std::string(reinterpret_cast<const char*>(out.get())) : text;
}

// Fills placeholders, collecting the names of missing variables instead of failing at the first.
class Filler {
 public:
  Filler(const Template& t, const Variables& variables) : t_(t), variables_(variables) {}

  absl::StatusOr<std::string> Fill(std::string_view text, bool html) {
    FARO_ASSIGN_OR_RETURN(const std::vector<TextPiece> pieces, SplitPlaceholders(text));
    std::string out;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const TextPiece& piece = pieces[i];
      if (!piece.variable) {
        out.append(piece.text);
        continue;
      }
      const auto it = variables_.find(std::string(piece.text));
      if (it == variables_.end()) {
        if (std::find(missing_.begin(), missing_.end(), piece.text) == missing_.end())
          missing_.emplace_back(piece.text);
        continue;
      }
      if (!ValidValue(it->second))
        return absl::InvalidArgumentError(
            StrCat("template \"", t_.name, "\": the value of ", piece.text, " is not valid UTF-8 text"));
      if (it->second.empty()) {
        // "Hola {{name}}," with no name reads "Hola,".
        const bool punctuation_next =
            i + 1 == pieces.size() ||
            (!pieces[i + 1].variable && !pieces[i + 1].text.empty() &&
             std::string_view(",.;:!?)").find(pieces[i + 1].text.front()) != std::string_view::npos);
        if (punctuation_next && !out.empty() && out.back() == ' ') out.pop_back();
        continue;
      }
      out += html ? EscapeHtml(it->second) : it->second;
    }
    return Nfc(out);
  }

  absl::StatusOr<std::string> Param(const std::string& name) {
    const auto it = variables_.find(name);
    if (it == variables_.end()) {
      if (std::find(missing_.begin(), missing_.end(), name) == missing_.end()) missing_.push_back(name);
      return std::string();
    }
    if (!ValidValue(it->second))
      return absl::InvalidArgumentError(StrCat("template \"", t_.name, "\": the value of ", name, " is not valid UTF-8 text"));
    // WhatsApp refuses parameters with line breaks, tabs or more than 4 spaces in a row.
    std::string out;
    for (char c : Nfc(it->second)) {
      if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
        continue;
      }
      out.push_back(c);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.empty() && it != variables_.end())
      return absl::InvalidArgumentError(
          StrCat("template \"", t_.name, "\": WhatsApp does not accept an empty parameter; ", name, " is empty"));
    return out;
  }

  const std::vector<std::string>& missing() const { return missing_; }

 private:
  const Template& t_;
  const Variables& variables_;
  std::vector<std::string> missing_;
};

std::string Where(const Template& t, Lang lang, Format format) {
  return StrCat("template \"", t.name, "\" (", LangCode(lang), ", ", FormatName(format), ")");
}

std::string SmsNumbers(const SmsInfo& sms, bool es) {
  std::string out = es ? StrCat(sms.segments, sms.segments == 1 ? " segmento, " : " segmentos, ", sms.encoding, ", ",
                                sms.units, "/", sms.capacity(), " caracteres")
                       : StrCat(sms.segments, sms.segments == 1 ? " segment, " : " segments, ", sms.encoding, ", ",
                                sms.units, "/", sms.capacity(), " characters");
  if (sms.units != sms.characters)
    StrAppend(out, es ? StrCat(" (", sms.characters, " caracteres; algunos cuentan doble)")
                      : StrCat(" (", sms.characters, " characters; some count twice)"));
  return out;
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kEmail: return "email";
    case Format::kSms: return "SMS";
    case Format::kVoice: return "voice";
    case Format::kTelegram: return "Telegram";
    case Format::kWhatsApp: return "WhatsApp";
    case Format::kChat: return "chat";
  }
  return "chat";
}

size_t Utf16Length(std::string_view utf8) {
  size_t units = 0;
  for (size_t pos = 0; pos < utf8.size();) units += NextCodePoint(utf8, pos) >= 0x10000 ? 2 : 1;
  return units;
}

absl::StatusOr<channels::Content> Render(const Template& t, Lang lang, const Variables& variables, Format format) {
  const LangTexts& texts = t.texts(lang);
  Filler filler(t, variables);
  channels::Content content;
  switch (format) {
    case Format::kEmail: {
      if (texts.subject.empty())
        return absl::FailedPreconditionError(StrCat(Where(t, lang, format), ": an email needs a subject; add `subject`"));
      FARO_ASSIGN_OR_RETURN(content.subject, filler.Fill(texts.subject, false));
      std::replace_if(content.subject.begin(), content.subject.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
      FARO_ASSIGN_OR_RETURN(content.text, filler.Fill(texts.text, false));
      if (!texts.html.empty()) {
        FARO_ASSIGN_OR_RETURN(content.html, filler.Fill(texts.html, true));
      }
      break;
    }
    case Format::kSms: {
      FARO_ASSIGN_OR_RETURN(content.text, filler.Fill(texts.sms.empty() ? texts.text : texts.sms, false));
      break;
    }
    case Format::kVoice: {
      FARO_ASSIGN_OR_RETURN(content.text, filler.Fill(texts.voice.empty() ? texts.text : texts.voice, false));
      break;
    }
    case Format::kTelegram:
    case Format::kChat: {
      FARO_ASSIGN_OR_RETURN(content.text, filler.Fill(texts.text, false));
      break;
    }
    case Format::kWhatsApp: {
      FARO_ASSIGN_OR_RETURN(content.text, filler.Fill(texts.text, false));
      if (t.whatsapp) {
        channels::WhatsAppTemplate wa;
        wa.name = t.whatsapp->name;
        wa.language = lang == Lang::kEs ? t.whatsapp->language_es : t.whatsapp->language_en;
        for (const std::string& param : t.whatsapp->params) {
          FARO_ASSIGN_OR_RETURN(std::string value, filler.Param(param));
          wa.body_params.push_back(std::move(value));
        }
        content.whatsapp_template = std::move(wa);
      }
      break;
    }
  }
  if (!filler.missing().empty())
    return absl::InvalidArgumentError(StrCat(Where(t, lang, format), ": missing ",
                                             filler.missing().size() == 1 ? "variable " : "variables ",
                                             Join(filler.missing(), ", ")));
  if (Trim(content.text).empty())
    return absl::InvalidArgumentError(StrCat(Where(t, lang, format), ": the text renders empty"));

  if (format == Format::kSms) {
    const SmsInfo sms = CountSms(content.text);
    if (sms.segments > t.sms_max_segments)
      return absl::FailedPreconditionError(
          StrCat(Where(t, lang, format), ": the SMS needs ", sms.segments, " segments (", sms.encoding, ", ", sms.units,
                 "/", sms.capacity(), " characters); the template allows ", t.sms_max_segments, " (sms_max_segments)",
                 sms.non_gsm.empty() ? std::string() : StrCat("; not in GSM-7: ", Join(sms.non_gsm, " "))));
  }
  if (format == Format::kTelegram) {
    const size_t units = Utf16Length(content.text);
    if (units > kTelegramMaxUtf16)
      return absl::FailedPreconditionError(StrCat(Where(t, lang, format), ": the text is ", units,
                                                  " UTF-16 units; Telegram allows ", kTelegramMaxUtf16));
  }
  if (format == Format::kWhatsApp) {
    const size_t characters = CountSms(content.text).characters;
    if (characters > kWhatsAppMaxChars)
      return absl::FailedPreconditionError(StrCat(Where(t, lang, format), ": the text is ", characters,
                                                  " characters; WhatsApp allows ", kWhatsAppMaxChars));
  }
  return content;
}

namespace {

// Plain-letter spellings for characters that push an SMS out of GSM-7.
constexpr std::pair<std::string_view, std::string_view> kGsmFriendly[] = {
    {"á", "a"}, {"í", "i"}, {"ó", "o"}, {"ú", "u"}, {"Á", "A"}, {"Í", "I"}, {"Ó", "O"}, {"Ú", "U"},
    {"‘", "'"}, {"’", "'"}, {"“", "\""}, {"”", "\""}, {"–", "-"}, {"—", "-"}, {"…", "..."},
};

std::string GsmFriendly(std::string text) {
  for (const auto& [from, to] : kGsmFriendly) {
    size_t pos = 0;
    while ((pos = text.find(from, pos)) != std::string::npos) {
      text.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return text;
}

// What the preview says about an SMS that went UCS-2.
std::string Ucs2Advice(const std::string& text, const SmsInfo& sms, bool es) {
  std::string out = es ? StrCat("No están en GSM-7: ", Join(sms.non_gsm, " "), ".")
                       : StrCat("Not in GSM-7: ", Join(sms.non_gsm, " "), ".");
  const SmsInfo plain = CountSms(GsmFriendly(text));
  if (plain.encoding == "GSM-7" && plain.segments < sms.segments) {
    std::vector<std::string> replaced;
    for (const std::string& c : sms.non_gsm)
      for (const auto& [from, to] : kGsmFriendly)
        if (c == from) replaced.push_back(StrCat(from, "→", to));
    StrAppend(out, es ? StrCat(" Escribiendo ", Join(replaced, ", "), " sería GSM-7: ", plain.segments,
                               plain.segments == 1 ? " segmento" : " segmentos", " en vez de ", sms.segments, ".")
                      : StrCat(" Writing ", Join(replaced, ", "), " would make it GSM-7: ", plain.segments,
                               plain.segments == 1 ? " segment" : " segments", " instead of ", sms.segments, "."));
  } else if (plain.encoding == "UCS-2") {
    StrAppend(out, es ? " En UCS-2 cada segmento lleva 70 caracteres en vez de 160."
                      : " In UCS-2 a segment holds 70 characters instead of 160.");
  }
  return out;
}

}  // namespace

std::string Preview(const Template& t, Lang lang, const Variables& variables, Lang labels) {
  const bool es = labels == Lang::kEs;
  std::string out = es ? StrCat("Plantilla ", t.name, " (", LangCode(lang), ")\n")
                       : StrCat("Template ", t.name, " (", LangCode(lang), ")\n");
  const auto error_line = [&](std::string_view label, const absl::Status& status) {
    StrAppend(out, label, es ? ": no se puede enviar: " : ": cannot be sent: ", Message(status), "\n");
  };

  const auto chat = Render(t, lang, variables, Format::kChat);
  if (chat.ok()) StrAppend(out, es ? "Texto: " : "Text: ", chat->text, "\n");
  else error_line(es ? "Texto" : "Text", chat.status());

  const auto email = Render(t, lang, variables, Format::kEmail);
  if (email.ok()) {
    StrAppend(out, es ? "Asunto del email: " : "Email subject: ", email->subject, "\n");
    if (!email->html.empty()) StrAppend(out, "Email HTML: ", email->html, "\n");
  } else {
    error_line("Email", email.status());
  }

  const auto sms = Render(t, lang, variables, Format::kSms);
  if (sms.ok()) {
    const SmsInfo info = CountSms(sms->text);
    StrAppend(out, "SMS: ", SmsNumbers(info, es), "\n");
    if (!chat.ok() || sms->text != chat->text) StrAppend(out, "  ", sms->text, "\n");
    if (info.encoding == "UCS-2") StrAppend(out, "  ", Ucs2Advice(sms->text, info, es), "\n");
  } else {
    error_line("SMS", sms.status());
  }

  const auto telegram = Render(t, lang, variables, Format::kTelegram);
  if (telegram.ok()) StrAppend(out, "Telegram: ", Utf16Length(telegram->text), "/", kTelegramMaxUtf16, "\n");
  else error_line("Telegram", telegram.status());

  const auto whatsapp = Render(t, lang, variables, Format::kWhatsApp);
  const std::string window = es ? "WhatsApp (ventana de 24 horas)" : "WhatsApp (24-hour window)";
  if (whatsapp.ok()) {
    StrAppend(out, window, ": ", CountSms(whatsapp->text).characters, "/", kWhatsAppMaxChars, "\n");
    if (whatsapp->whatsapp_template) {
      const channels::WhatsAppTemplate& wa = *whatsapp->whatsapp_template;
      StrAppend(out, es ? "Plantilla de WhatsApp " : "WhatsApp template ", wa.name, " (", wa.language, ") ",
                es ? "parámetros: [" : "params: [", Join(wa.body_params, ", "), "]\n");
    } else {
      StrAppend(out, es ? "Plantilla de WhatsApp: ninguna; fuera de la ventana de 24 horas WhatsApp no se usa\n"
                        : "WhatsApp template: none; outside the 24-hour window WhatsApp is not used\n");
    }
  } else {
    error_line(window, whatsapp.status());
  }

  const auto voice = Render(t, lang, variables, Format::kVoice);
  if (voice.ok()) {
    StrAppend(out, es ? "Voz: " : "Voice: ", !chat.ok() || voice->text != chat->text ? voice->text
                                             : (es ? "(el texto)" : "(the text)"), "\n");
  } else {
    error_line(es ? "Voz" : "Voice", voice.status());
  }
  return out;
}

}  // namespace faro::templates
