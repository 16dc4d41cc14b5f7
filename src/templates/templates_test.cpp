#include <gtest/gtest.h>

#include "core/strings.hpp"
#include "templates/render.hpp"
#include "templates/sms.hpp"
#include "templates/template.hpp"

namespace faro::templates {
namespace {

bool Has(std::string_view text, std::string_view piece) { return Contains(text, piece); }

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(piece);
  return out;
}

// ----- SMS segments

TEST(CountSms, GoldenCases) {
  const SmsInfo plain160 = CountSms(std::string(160, 'a'));
  EXPECT_EQ(plain160.encoding, "GSM-7");
  EXPECT_EQ(plain160.units, 160);
  EXPECT_EQ(plain160.segments, 1);
  EXPECT_EQ(plain160.capacity(), 160);

  const SmsInfo plain161 = CountSms(std::string(161, 'a'));
  EXPECT_EQ(plain161.segments, 2);  // 153 + 8
  EXPECT_EQ(plain161.capacity(), 306);
  EXPECT_EQ(CountSms(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(CountSms(std::string(307, 'a')).segments, 3);

  const SmsInfo euro = CountSms("Total: 5€");
  EXPECT_EQ(euro.encoding, "GSM-7");
  EXPECT_EQ(euro.characters, 9);
  EXPECT_EQ(euro.units, 10);  // € is in the extension table: 2 septets
  EXPECT_EQ(CountSms(std::string(159, 'a') + "€").segments, 2);

  const SmsInfo accents70 = CountSms(Repeat("á", 70));
  EXPECT_EQ(accents70.encoding, "UCS-2");
  EXPECT_EQ(accents70.units, 70);
  EXPECT_EQ(accents70.segments, 1);
  EXPECT_EQ(accents70.non_gsm, std::vector<std::string>{"á"});
  const SmsInfo accents71 = CountSms(Repeat("á", 71));
  EXPECT_EQ(accents71.segments, 2);
  EXPECT_EQ(accents71.capacity(), 134);

  const SmsInfo emoji = CountSms("👍");
  EXPECT_EQ(emoji.encoding, "UCS-2");
  EXPECT_EQ(emoji.units, 2);
  EXPECT_EQ(emoji.characters, 1);
  EXPECT_EQ(emoji.segments, 1);

  EXPECT_EQ(CountSms("").segments, 0);
  EXPECT_EQ(CountSms("`").encoding, "UCS-2");  // the backtick is not in GSM 03.38
  EXPECT_EQ(CountSms("\xff").encoding, "UCS-2");
}

TEST(CountSms, TheWholeGsmAlphabet) {
  // The basic table (127 characters; 0x1B is the escape to the extension table).
  const std::string basic =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  const SmsInfo info = CountSms(basic);
  EXPECT_EQ(info.encoding, "GSM-7") << Join(info.non_gsm, " ");
  EXPECT_EQ(info.characters, 127);
  EXPECT_EQ(info.units, 127);

  const SmsInfo extension = CountSms("^{}\\[~]|€\f");
  EXPECT_EQ(extension.encoding, "GSM-7");
  EXPECT_EQ(extension.characters, 10);
  EXPECT_EQ(extension.units, 20);

  // Spanish: é and ñ are GSM-7; á, í, ó, ú are not, nor is the lower-case ç.
  EXPECT_EQ(CountSms("café, niño, ¿qué?, ¡sí!").encoding, "UCS-2");
  EXPECT_EQ(CountSms("café, niño, ¿qué?").encoding, "GSM-7");
  for (const char* c : {"á", "í", "ó", "ú", "Á", "ç"}) EXPECT_EQ(CountSms(c).encoding, "UCS-2") << c;
}

// ----- loading

constexpr std::string_view kTemplates = R"yaml(templates:
  reachable-elsewhere:
    es:
      subject: "{{business}}: seguimos atendiendo por {{alternatives}}"
      text: "Hola {{name}}, WhatsApp no funciona ahora. Escribinos por {{alternatives}}."
      html: "<p>Hola {{name}}, escribinos por {{alternatives}}.</p>"
      sms: "{{business}}: WhatsApp caido. Escribinos por {{alternatives}}"
    en:
      subject: "{{business}}: we're still here on {{alternatives}}"
      text: "Hi {{ name }}, WhatsApp is down. Write to us on {{alternatives}}."
    whatsapp:
      name: reachable_elsewhere_v1
      language: { es: es_AR, en: en_US }
      params: [name, alternatives]
)yaml";

TEST(LoadTemplates, ReadsEveryField) {
  const auto set = LoadTemplatesFromString(kTemplates, "t.yaml");
  ASSERT_TRUE(set.ok()) << Message(set.status());
  const Template* t = set->Find("reachable-elsewhere");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->origin, "t.yaml:2");
  EXPECT_EQ(t->sms_max_segments, 3);
  EXPECT_EQ(t->es.sms, "{{business}}: WhatsApp caido. Escribinos por {{alternatives}}");
  EXPECT_TRUE(t->en.html.empty());
  ASSERT_TRUE(t->whatsapp.has_value());
  EXPECT_EQ(t->whatsapp->language_es, "es_AR");
  EXPECT_EQ(t->whatsapp->params, (std::vector<std::string>{"name", "alternatives"}));
}

std::string LoadError(std::string_view yaml) {
  const auto set = LoadTemplatesFromString(yaml, "t.yaml");
  return set.ok() ? std::string("loaded") : Message(set.status());
}

TEST(LoadTemplates, ErrorsSayFileLineAndKey) {
  EXPECT_EQ(LoadError("templates:\n  greet:\n    es:\n      text: Hola\n"),
            "t.yaml:3:5: templates.greet.en: missing: every message a person reads exists in Spanish (es) and English (en)");
  EXPECT_EQ(LoadError("templates:\n  greet:\n    es: {text: Hola}\n    en:\n      txt: Hi\n"),
            "t.yaml:5:7: templates.greet.en.txt: unknown key; expected one of: subject, text, html, sms, voice");
  EXPECT_EQ(LoadError("templates:\n  greet:\n    es: {text: Hola}\n    en:\n      subject: Hi\n"),
            "t.yaml:5:7: templates.greet.en.text: missing; it is required");
  const std::string unclosed = LoadError("templates:\n  greet:\n    es: {text: Hola}\n    en:\n      text: \"Hi {{name\"\n");
  EXPECT_TRUE(Has(unclosed, "t.yaml:5:13: templates.greet.en.text: '{{' at character 4 has no closing '}}'")) << unclosed;
  const std::string two_words = LoadError("templates:\n  greet:\n    es: {text: \"Hola {{first name}}\"}\n    en: {text: Hi}\n");
  EXPECT_TRUE(Has(two_words, "t.yaml:3:16: templates.greet.es.text: \"{{first name}}\" must hold one variable name")) << two_words;
  const std::string undeclared =
      LoadError("templates:\n  greet:\n    variables: [name]\n    es: {text: \"Hola {{nombre}}\"}\n    en: {text: Hi}\n");
  EXPECT_TRUE(Has(undeclared, "t.yaml:4:16: templates.greet.es.text: {{nombre}} is not among the template's variables (name)"))
      << undeclared;
  const std::string segments =
      LoadError("templates:\n  greet:\n    sms_max_segments: 20\n    es: {text: Hola}\n    en: {text: Hi}\n");
  EXPECT_TRUE(Has(segments, "t.yaml:3:23: templates.greet.sms_max_segments: expected a number from 1 to 10")) << segments;
  const std::string wa = LoadError("templates:\n  greet:\n    es: {text: Hola}\n    en: {text: Hi}\n    whatsapp: {name: x}\n");
  EXPECT_TRUE(Has(wa, "t.yaml:5:15: templates.greet.whatsapp.language: missing")) << wa;
  EXPECT_TRUE(Has(LoadError("templates:\n  greet: [\n"), "t.yaml:")) << LoadError("templates:\n  greet: [\n");
  EXPECT_TRUE(Has(LoadError("templates:\n  greet:\n    es: {text: Hola}\n    en: {text: Hi}\n    colour: red\n"),
                  "t.yaml:5:5: templates.greet.colour: unknown key"));
  EXPECT_TRUE(Has(LoadError("templatez: {}\n"), "t.yaml:1:1: root.templatez: unknown key"));
}

TEST(LoadTemplates, FromAFile) {
  const auto missing = LoadTemplatesFromFile("/nonexistent/templates.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Has(Message(missing.status()), "/nonexistent/templates.yaml"));
}

// ----- rendering

const Template& Loaded() {
  static const TemplateSet set = *LoadTemplatesFromString(kTemplates, "t.yaml");
  return *set.Find("reachable-elsewhere");
}

const Variables kAna = {{"name", "Ana"}, {"business", "Café Sol"}, {"alternatives", "Telegram"}};

TEST(Render, EmailHasSubjectTextAndEscapedHtml) {
  Variables vars = kAna;
  vars["name"] = "Ana <b>&</b> \"Bea\"";
  const auto email = Render(Loaded(), Lang::kEs, vars, Format::kEmail);
  ASSERT_TRUE(email.ok()) << Message(email.status());
  EXPECT_EQ(email->subject, "Café Sol: seguimos atendiendo por Telegram");
  EXPECT_EQ(email->text, "Hola Ana <b>&</b> \"Bea\", WhatsApp no funciona ahora. Escribinos por Telegram.");
  EXPECT_EQ(email->html, "<p>Hola Ana &lt;b&gt;&amp;&lt;/b&gt; &quot;Bea&quot;, escribinos por Telegram.</p>");

  vars["business"] = "Café\r\nBcc: everyone@example.com";
  EXPECT_EQ(Render(Loaded(), Lang::kEs, vars, Format::kEmail)->subject.find('\n'), std::string::npos);
}

TEST(Render, EachFormatPicksItsText) {
  const auto sms = Render(Loaded(), Lang::kEs, kAna, Format::kSms);
  ASSERT_TRUE(sms.ok()) << Message(sms.status());
  EXPECT_EQ(sms->text, "Café Sol: WhatsApp caido. Escribinos por Telegram");
  EXPECT_EQ(Render(Loaded(), Lang::kEn, kAna, Format::kSms)->text, "Hi Ana, WhatsApp is down. Write to us on Telegram.");
  EXPECT_EQ(Render(Loaded(), Lang::kEs, kAna, Format::kVoice)->text,
            "Hola Ana, WhatsApp no funciona ahora. Escribinos por Telegram.");
  EXPECT_EQ(Render(Loaded(), Lang::kEn, kAna, Format::kTelegram)->text, "Hi Ana, WhatsApp is down. Write to us on Telegram.");
  EXPECT_FALSE(Render(Loaded(), Lang::kEn, kAna, Format::kChat)->whatsapp_template.has_value());
}

TEST(Render, WhatsAppHasTheTextAndTheTemplateWithParamsInOrder) {
  Variables vars = kAna;
  vars["alternatives"] = "Telegram\no  email";
  const auto wa = Render(Loaded(), Lang::kEs, vars, Format::kWhatsApp);
  ASSERT_TRUE(wa.ok()) << Message(wa.status());
  EXPECT_EQ(wa->text, "Hola Ana, WhatsApp no funciona ahora. Escribinos por Telegram\no  email.");
  ASSERT_TRUE(wa->whatsapp_template.has_value());
  EXPECT_EQ(wa->whatsapp_template->name, "reachable_elsewhere_v1");
  EXPECT_EQ(wa->whatsapp_template->language, "es_AR");
  // Parameters follow `params`, not the order of the text; WhatsApp refuses line breaks in them.
  EXPECT_EQ(wa->whatsapp_template->body_params, (std::vector<std::string>{"Ana", "Telegram o email"}));
  EXPECT_EQ(Render(Loaded(), Lang::kEn, kAna, Format::kWhatsApp)->whatsapp_template->language, "en_US");

  Variables no_name = kAna;
  no_name["name"] = "";
  const auto empty_param = Render(Loaded(), Lang::kEs, no_name, Format::kWhatsApp);
  ASSERT_FALSE(empty_param.ok());
  EXPECT_TRUE(Has(Message(empty_param.status()), "empty parameter")) << Message(empty_param.status());
}

TEST(Render, MissingVariablesAreAllNamed) {
  const auto missing = Render(Loaded(), Lang::kEs, {{"name", "Ana"}}, Format::kEmail);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(Message(missing.status()),
            "template \"reachable-elsewhere\" (es, email): missing variables business, alternatives");
  const auto one = Render(Loaded(), Lang::kEn, {{"name", "Ana"}}, Format::kTelegram);
  EXPECT_EQ(Message(one.status()), "template \"reachable-elsewhere\" (en, Telegram): missing variable alternatives");
}

TEST(Render, ValuesAreLiteralAndEmptyOnesTakeTheirSpace) {
  Variables vars = kAna;
  vars["name"] = "{{business}}";
  EXPECT_EQ(Render(Loaded(), Lang::kEn, vars, Format::kChat)->text,
            "Hi {{business}}, WhatsApp is down. Write to us on Telegram.");
  vars["name"] = "";
  EXPECT_EQ(Render(Loaded(), Lang::kEn, vars, Format::kChat)->text, "Hi, WhatsApp is down. Write to us on Telegram.");
  vars["name"] = "Jose\xCC\x81";  // e + combining acute: NFC makes it é, which GSM-7 has
  EXPECT_EQ(Render(Loaded(), Lang::kEn, vars, Format::kSms)->text, "Hi José, WhatsApp is down. Write to us on Telegram.");
  vars["name"] = "\xff";
  EXPECT_FALSE(Render(Loaded(), Lang::kEn, vars, Format::kChat).ok());
}

TEST(Render, SmsBeyondItsSegmentsIsRefusedWithTheCount) {
  Template t = Loaded();
  t.sms_max_segments = 1;
  Variables vars = kAna;
  vars["alternatives"] = "Telegram (canal @cafesol), email a hola@cafesol.example o al móvil de la tienda";
  const auto sms = Render(t, Lang::kEs, vars, Format::kSms);
  ASSERT_FALSE(sms.ok());
  EXPECT_TRUE(Has(Message(sms.status()), "the SMS needs 2 segments (UCS-2, 120/134 characters)"))
      << Message(sms.status());
  EXPECT_TRUE(Has(Message(sms.status()), "allows 1 (sms_max_segments); not in GSM-7: ó")) << Message(sms.status());
}

TEST(Render, TelegramLimitIsInUtf16Units) {
  Variables vars = kAna;
  const size_t fixed = Utf16Length("Hi , WhatsApp is down. Write to us on Telegram.");
  vars["name"] = Repeat("👍", static_cast<int>((kTelegramMaxUtf16 - fixed) / 2));
  EXPECT_TRUE(Render(Loaded(), Lang::kEn, vars, Format::kTelegram).ok());
  vars["name"] += "👍";
  const auto too_long = Render(Loaded(), Lang::kEn, vars, Format::kTelegram);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(Has(Message(too_long.status()), "4097 UTF-16 units; Telegram allows 4096")) << Message(too_long.status());
}

// ----- preview

TEST(Preview, ShowsEveryChannelWithItsNumbers) {
  const std::string en = Preview(Loaded(), Lang::kEs, kAna, Lang::kEn);
  EXPECT_TRUE(Has(en, "Template reachable-elsewhere (es)\n")) << en;
  EXPECT_TRUE(Has(en, "Email subject: Café Sol: seguimos atendiendo por Telegram\n")) << en;
  EXPECT_TRUE(Has(en, "SMS: 1 segment, GSM-7, 49/160 characters\n")) << en;
  EXPECT_TRUE(Has(en, "Telegram: 62/4096\n")) << en;
  EXPECT_TRUE(Has(en, "WhatsApp template reachable_elsewhere_v1 (es_AR) params: [Ana, Telegram]\n")) << en;

  const std::string es = Preview(Loaded(), Lang::kEs, kAna, Lang::kEs);
  EXPECT_TRUE(Has(es, "SMS: 1 segmento, GSM-7, 49/160 caracteres\n")) << es;
  EXPECT_TRUE(Has(es, "Plantilla de WhatsApp reachable_elsewhere_v1 (es_AR) parámetros: [Ana, Telegram]\n")) << es;

  const std::string missing = Preview(Loaded(), Lang::kEn, {{"name", "Ana"}}, Lang::kEn);
  EXPECT_TRUE(Has(missing, "SMS: cannot be sent: template \"reachable-elsewhere\" (en, SMS): missing variable alternatives"))
      << missing;
}

TEST(Preview, SaysWhenAccentsDoubleTheSmsCost) {
  Template t = Loaded();
  t.es.sms = "{{business}}: WhatsApp no está funcionando. Seguimos atendiendo por {{alternatives}}, también por teléfono y "
             "por email. Gracias por la paciencia.";
  const std::string preview = Preview(t, Lang::kEs, kAna, Lang::kEn);
  EXPECT_TRUE(Has(preview, "SMS: 2 segments, UCS-2, 133/134 characters")) << preview;
  EXPECT_TRUE(Has(preview, "Not in GSM-7: á. Writing á→a would make it GSM-7: 1 segment instead of 2.")) << preview;
}

// ----- the built-in set

TEST(BuiltinTemplates, LoadAndRenderInBothLanguages) {
  const auto loaded = LoadTemplatesFromString(BuiltinTemplatesText(), "builtin_templates.yaml");
  ASSERT_TRUE(loaded.ok()) << Message(loaded.status());
  const TemplateSet& set = BuiltinTemplates();
  EXPECT_EQ(set.Names(), (std::vector<std::string>{"holding-statement", "reachable-elsewhere", "service-restored"}));
  const Variables vars = {{"name", "Ana"}, {"business", "Café Sol"}, {"platform", "WhatsApp"},
                          {"alternatives", "Telegram o email"}};
  for (const std::string& name : set.Names())
    for (Lang lang : {Lang::kEs, Lang::kEn})
      for (Format format : {Format::kEmail, Format::kSms, Format::kVoice, Format::kTelegram, Format::kWhatsApp, Format::kChat}) {
        const auto content = Render(*set.Find(name), lang, vars, format);
        ASSERT_TRUE(content.ok()) << name << " " << LangCode(lang) << " " << FormatName(format) << ": "
                                  << Message(content.status());
        EXPECT_FALSE(Has(content->text, "{{")) << content->text;
        if (format == Format::kSms) {
          // Written to stay GSM-7 and in one segment with a short business name.
          EXPECT_EQ(CountSms(content->text).encoding, "GSM-7") << content->text;
          EXPECT_EQ(CountSms(content->text).segments, 1) << content->text;
        }
      }
  EXPECT_EQ(Render(*set.Find("reachable-elsewhere"), Lang::kEs, vars, Format::kChat)->text,
            "Hola Ana, WhatsApp no está funcionando en este momento. Seguimos atendiendo por Telegram o email: "
            "escríbenos por ahí y te respondemos. — Café Sol");
}

TEST(BuiltinTemplates, AFileReplacesThemByName) {
  const auto user = LoadTemplatesFromString(kTemplates, "t.yaml");
  ASSERT_TRUE(user.ok());
  TemplateSet own;
  Template replaced = *user->Find("reachable-elsewhere");
  own.Put(replaced);
  const TemplateSet merged = WithBuiltins(own);
  EXPECT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged.Find("reachable-elsewhere")->origin, "t.yaml:2");
  EXPECT_NE(merged.Find("holding-statement"), nullptr);
}

}  // namespace
}  // namespace faro::templates
