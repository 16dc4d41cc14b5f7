#pragma once
// Message templates: what Faro says to customers, in Spanish and English, per channel. Loaded
// from YAML (docs/templates.md); a built-in set lets Faro run with no configuration.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"
#include "core/status.hpp"

namespace faro::templates {

// One language's texts. Each may hold {{variable}} placeholders.
struct LangTexts {
  std::string subject;  // email subject
  std::string text;     // required: the message; used wherever no specific text is given
  std::string html;     // email HTML part (optional)
  std::string sms;      // a shorter text for SMS (optional)
  std::string voice;    // the text read aloud on a call (optional)
};

// A template approved by Meta, sent outside WhatsApp's 24-hour window. `params` are variable
// names, rendered in order as the template body's {{1}}, {{2}}, …
struct WhatsAppSpec {
  std::string name;
  std::string language_es;  // "es_AR"
  std::string language_en;  // "en_US"
  std::vector<std::string> params;
};

struct Template {
  std::string name;
  LangTexts es;
  LangTexts en;
  std::optional<WhatsAppSpec> whatsapp;
  int sms_max_segments = 3;  // an SMS rendering that needs more segments is refused
  // When not empty, the only variables the template may use (checked at load).
  std::vector<std::string> variables;
  std::string origin;  // "templates.yaml:12", for messages

  const LangTexts& texts(Lang lang) const { return lang == Lang::kEs ? es : en; }
};

class TemplateSet {
 public:
  const Template* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  size_t size() const { return templates_.size(); }
  // Adds `t`, replacing a template of the same name.
  void Put(Template t);

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

// Errors say file:line:column, the key path ("templates.reachable-elsewhere.es.text") and
// what is wrong. Unknown keys are errors; every template needs `text` in es and en; {{ }}
// syntax is checked (a variable missing at render time fails the rendering, naming it).
absl::StatusOr<TemplateSet> LoadTemplatesFromFile(const std::filesystem::path& path);
absl::StatusOr<TemplateSet> LoadTemplatesFromString(std::string_view yaml,
                                                    std::string_view file_name = "templates.yaml");

// The templates compiled into faro: reachable-elsewhere, holding-statement, service-restored.
const TemplateSet& BuiltinTemplates();
// The built-in templates, each replaced by the one of `user` with the same name, plus the rest
// of `user`.
TemplateSet WithBuiltins(const TemplateSet& user);

// The text of the built-in set (src/templates/builtin_templates.yaml).
std::string_view BuiltinTemplatesText();

// A piece of a template text: literal text, or the name of a variable.
struct TextPiece {
  bool variable = false;
  std::string_view text;
};
// Splits `text` at its {{variable}} placeholders. Names are letters, digits and '_', not
// starting with a digit; spaces inside the braces are allowed ("{{ name }}").
absl::StatusOr<std::vector<TextPiece>> SplitPlaceholders(std::string_view text);

}  // namespace faro::templates
