#include "contacts/identity.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <set>

#include "core/strings.hpp"

namespace faro::contacts {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

std::string Quoted(std::string_view text) { return StrCat("\"", text, "\""); }

bool IsAsciiDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizePhone(std::string_view input, std::string_view default_region, Lang lang) {
  const bool es = lang == Lang::kEs;
  const std::string_view text = Trim(input);
  if (text.empty())
    return absl::InvalidArgumentError(es ? "el teléfono está vacío" : "the phone number is empty");
  std::string region;
  for (char c : Trim(default_region)) region.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (region.empty()) region = "ZZ";  // libphonenumber's "unknown region": only +numbers parse

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  const auto error = util.Parse(std::string(text), region, &number);
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (text.front() != '+' && region == "ZZ")
        return absl::InvalidArgumentError(
            es ? StrCat(Quoted(text), " no tiene código de país; escríbelo como +<código de país> <número> o configura la región del negocio")
               : StrCat(Quoted(text), " has no country code; write it as +<country code> <number> or set the business's region"));
      if (text.front() != '+') {
        std::set<std::string> regions;
        util.GetSupportedRegions(&regions);
        if (regions.count(region) == 0)
          return absl::InvalidArgumentError(
              es ? StrCat(Quoted(text), ": la región ", Quoted(region), " no es un código de país ISO conocido (por ejemplo AR, ES, US)")
                 : StrCat(Quoted(text), ": the region ", Quoted(region), " is not a known ISO country code (such as AR, ES, US)"));
      }
      return absl::InvalidArgumentError(es ? StrCat(Quoted(text), " tiene un código de país que no existe")
                                           : StrCat(Quoted(text), " has a country code that does not exist"));
    case PhoneNumberUtil::NOT_A_NUMBER:
      return absl::InvalidArgumentError(es ? StrCat(Quoted(text), " no es un número de teléfono")
                                           : StrCat(Quoted(text), " is not a phone number"));
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return absl::InvalidArgumentError(es ? StrCat(Quoted(text), " es demasiado corto para ser un teléfono")
                                           : StrCat(Quoted(text), " is too short to be a phone number"));
    case PhoneNumberUtil::TOO_LONG_NSN:
      return absl::InvalidArgumentError(es ? StrCat(Quoted(text), " es demasiado largo para ser un teléfono")
                                           : StrCat(Quoted(text), " is too long to be a phone number"));
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  if (!util.IsValidNumber(number)) {
    std::string where;
    util.GetRegionCodeForCountryCode(number.country_code(), &where);
    const bool known_region = !where.empty() && where != "ZZ";
    return absl::InvalidArgumentError(
        es ? StrCat(Quoted(text), " no es un teléfono válido", known_region ? StrCat(" de ", where) : std::string(),
                    " (leído como ", e164, "); revisa la cantidad de dígitos y el código de área")
           : StrCat(Quoted(text), " is not a valid phone number", known_region ? StrCat(" in ", where) : std::string(),
                    " (read as ", e164, "); check the number of digits and the area code"));
  }
  return e164;
}

absl::StatusOr<std::string> NormalizeEmail(std::string_view input, Lang lang) {
  const bool es = lang == Lang::kEs;
  const std::string_view text = Trim(input);
  auto bad = [&](std::string_view why_en, std::string_view why_es) {
    return absl::InvalidArgumentError(es ? StrCat(Quoted(text), " no es un email: ", why_es)
                                         : StrCat(Quoted(text), " is not an email address: ", why_en));
  };
  if (text.empty()) return absl::InvalidArgumentError(es ? "el email está vacío" : "the email address is empty");
  for (unsigned char c : text)
    if (c <= ' ' || c == 0x7f) return bad("it contains a space or a control character", "tiene un espacio o un carácter de control");
  const size_t at = text.find('@');
  if (at == std::string_view::npos) return bad("it has no '@'", "no tiene '@'");
  if (text.find('@', at + 1) != std::string_view::npos) return bad("it has more than one '@'", "tiene más de una '@'");
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty()) return bad("nothing before the '@'", "no hay nada antes de la '@'");
  if (local.size() > 64) return bad("the part before '@' is longer than 64 characters", "la parte antes de la '@' tiene más de 64 caracteres");
  if (domain.find('.') == std::string_view::npos) return bad("the domain has no dot", "el dominio no tiene punto");
  if (domain.front() == '.' || domain.back() == '.' || Contains(domain, ".."))
    return bad("the domain has an empty part between dots", "el dominio tiene una parte vacía entre puntos");
  if (text.size() > 254) return bad("it is longer than 254 characters", "tiene más de 254 caracteres");
  return StrCat(local, "@", ToLower(domain));
}

absl::StatusOr<std::string> NormalizeTelegram(std::string_view input, Lang lang) {
  const bool es = lang == Lang::kEs;
  const std::string_view text = Trim(input);
  if (!text.empty() && text.front() == '@')
    return absl::InvalidArgumentError(
        es ? StrCat(Quoted(text), ": un bot de Telegram no puede escribirle a un @usuario; hace falta el número de chat de alguien que le escribió al bot")
           : StrCat(Quoted(text), ": a Telegram bot cannot write to a @username; it needs the chat id of a person who wrote to the bot"));
  const std::string_view digits = !text.empty() && text.front() == '-' ? text.substr(1) : text;
  if (!IsAsciiDigits(digits) || digits.size() > 19)
    return absl::InvalidArgumentError(
        es ? StrCat(Quoted(text), " no es un número de chat de Telegram (solo dígitos, por ejemplo 123456789)")
           : StrCat(Quoted(text), " is not a Telegram chat id (digits only, such as 123456789)"));
  return std::string(text);
}

absl::StatusOr<std::string> NormalizeScopedId(std::string_view input, std::string_view platform, Lang lang) {
  const std::string_view text = Trim(input);
  if (!IsAsciiDigits(text) || text.size() > 32)
    return absl::InvalidArgumentError(
        lang == Lang::kEs ? StrCat(Quoted(text), " no es un id de ", platform, " (solo dígitos, como lo envía Meta)")
                          : StrCat(Quoted(text), " is not a ", platform, " id (digits only, as Meta sends it)"));
  return std::string(text);
}

absl::StatusOr<std::string> NormalizeXHandle(std::string_view input, Lang lang) {
  std::string_view text = Trim(input);
  if (!text.empty() && text.front() == '@') text.remove_prefix(1);
  bool ok = !text.empty() && text.size() <= 15;
  for (char c : text)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok)
    return absl::InvalidArgumentError(
        lang == Lang::kEs ? StrCat(Quoted(Trim(input)), " no es un usuario de X (1 a 15 letras, dígitos o _)")
                          : StrCat(Quoted(Trim(input)), " is not an X handle (1 to 15 letters, digits or _)"));
  return std::string(text);
}

absl::StatusOr<std::string> NormalizeAddress(channels::AddressKind kind, std::string_view input,
                                             std::string_view default_region, Lang lang) {
  switch (kind) {
    case channels::AddressKind::kPhone: return NormalizePhone(input, default_region, lang);
    case channels::AddressKind::kEmail: return NormalizeEmail(input, lang);
    case channels::AddressKind::kTelegram: return NormalizeTelegram(input, lang);
    case channels::AddressKind::kInstagram: return NormalizeScopedId(input, "Instagram", lang);
    case channels::AddressKind::kMessenger: return NormalizeScopedId(input, "Messenger", lang);
    case channels::AddressKind::kX: return NormalizeXHandle(input, lang);
    case channels::AddressKind::kNone: break;
  }
  return absl::InvalidArgumentError("this channel has no address");
}

std::string IdentityKey(channels::AddressKind kind, std::string_view normalized) {
  if (kind == channels::AddressKind::kEmail || kind == channels::AddressKind::kX) return ToLower(normalized);
  return std::string(normalized);
}

}  // namespace faro::contacts
