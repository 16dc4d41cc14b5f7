#include "templates/template.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "config/yaml_reader.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

namespace faro::templates {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool ValidName(std::string_view name) {
  if (name.empty() || !IsNameStart(name.front())) return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

bool ValidTemplateName(std::string_view name) {
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return IsNameChar(c) || c == '-'; });
}

class Loader {
 public:
  explicit Loader(std::string file) : reader_(std::move(file)) {}

  absl::StatusOr<TemplateSet> Load(std::string_view yaml) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
      if (e.mark.is_null()) return absl::InvalidArgumentError(StrCat(reader_.file(), ": ", e.msg));
      return absl::InvalidArgumentError(
          StrCat(reader_.file(), ":", e.mark.line + 1, ":", e.mark.column + 1, ": YAML syntax error: ", e.msg));
    }
    try {
      return LoadRoot(root);
    } catch (const YAML::Exception& e) {  // a conversion yaml-cpp refused
      return absl::InvalidArgumentError(StrCat(reader_.file(), ":", e.mark.line + 1, ": ", e.msg));
    }
  }

 private:
  absl::StatusOr<TemplateSet> LoadRoot(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull())
      return absl::InvalidArgumentError(StrCat(reader_.file(), ": empty; expected a `templates:` mapping"));
    FARO_RETURN_IF_ERROR(reader_.OnlyKeys(root, "root", {"templates"}));
    const YAML::Node all = root["templates"];
    if (!all.IsMap()) return reader_.Error(all, "templates", "expected a mapping of template names to templates");
    TemplateSet set;
    std::set<std::string> seen;
    for (const auto& kv : all) {
      const std::string name = kv.first.as<std::string>();
      const std::string path = StrCat("templates.", name);
      if (!ValidTemplateName(name))
        return reader_.Error(kv.first, path, "a template name is letters, digits, '-' and '_' (such as reachable-elsewhere)");
      if (!seen.insert(name).second) return reader_.Error(kv.first, path, "this template is defined twice");
      FARO_ASSIGN_OR_RETURN(Template t, LoadTemplate(name, kv.second, path));
      t.origin = StrCat(reader_.file(), ":", kv.first.Mark().line + 1);
      set.Put(std::move(t));
    }
    return set;
  }

  absl::StatusOr<Template> LoadTemplate(const std::string& name, const YAML::Node& node, const std::string& path) {
    FARO_RETURN_IF_ERROR(reader_.OnlyKeys(node, path, {"es", "en", "whatsapp", "variables", "sms_max_segments"}));
    Template t;
    t.name = name;
    if (const YAML::Node vars = node["variables"]) {
      if (!vars.IsSequence()) return reader_.Error(vars, StrCat(path, ".variables"), "expected a list such as [name, business]");
      for (size_t i = 0; i < vars.size(); ++i) {
        const std::string where = StrCat(path, ".variables[", i, "]");
        if (!vars[i].IsScalar() || !ValidName(vars[i].as<std::string>()))
          return reader_.Error(vars[i], where, "a variable name is letters, digits and '_' (such as name)");
        t.variables.push_back(vars[i].as<std::string>());
      }
    }
    FARO_ASSIGN_OR_RETURN(const int64_t max_segments, reader_.Int(node, "sms_max_segments", path, 3, 1, 10));
    t.sms_max_segments = static_cast<int>(max_segments);
    for (const char* lang : {"es", "en"}) {
      const YAML::Node texts = node[lang];
      if (!texts)
        return reader_.Error(node, StrCat(path, ".", lang),
                             "missing: every message a person reads exists in Spanish (es) and English (en)");
      FARO_ASSIGN_OR_RETURN(LangTexts loaded, LoadTexts(texts, StrCat(path, ".", lang), t.variables));
      (std::string_view(lang) == "es" ? t.es : t.en) = std::move(loaded);
    }
    if (const YAML::Node wa = node["whatsapp"]) {
      FARO_ASSIGN_OR_RETURN(WhatsAppSpec spec, LoadWhatsApp(wa, StrCat(path, ".whatsapp"), t.variables));
      t.whatsapp = std::move(spec);
    }
    return t;
  }

  absl::StatusOr<LangTexts> LoadTexts(const YAML::Node& node, const std::string& path,
                                      const std::vector<std::string>& declared) {
    FARO_RETURN_IF_ERROR(reader_.OnlyKeys(node, path, {"subject", "text", "html", "sms", "voice"}));
    LangTexts texts;
    struct Field {
      const char* key;
      std::string* out;
      bool required;
    };
    for (const Field& f : {Field{"subject", &texts.subject, false}, Field{"text", &texts.text, true},
                           Field{"html", &texts.html, false}, Field{"sms", &texts.sms, false},
                           Field{"voice", &texts.voice, false}}) {
      FARO_ASSIGN_OR_RETURN(*f.out, reader_.String(node, f.key, path, f.required));
      if (f.out->empty()) continue;
      FARO_RETURN_IF_ERROR(CheckText(node[f.key], StrCat(path, ".", f.key), *f.out, declared));
    }
    return texts;
  }

  absl::Status CheckText(const YAML::Node& node, const std::string& path, const std::string& text,
                         const std::vector<std::string>& declared) {
    if (!IsValidUtf8(text)) return reader_.Error(node, path, "not valid UTF-8");
    const auto pieces = SplitPlaceholders(text);
    if (!pieces.ok()) return reader_.Error(node, path, Message(pieces.status()));
    if (declared.empty()) return absl::OkStatus();
    for (const TextPiece& piece : *pieces)
      if (piece.variable && std::find(declared.begin(), declared.end(), piece.text) == declared.end())
        return reader_.Error(node, path,
                             StrCat("{{", piece.text, "}} is not among the template's variables (", Join(declared, ", "), ")"));
    return absl::OkStatus();
  }

  absl::StatusOr<WhatsAppSpec> LoadWhatsApp(const YAML::Node& node, const std::string& path,
                                            const std::vector<std::string>& declared) {
    FARO_RETURN_IF_ERROR(reader_.OnlyKeys(node, path, {"name", "language", "params"}));
    WhatsAppSpec spec;
    FARO_ASSIGN_OR_RETURN(spec.name, reader_.String(node, "name", path, true));
    const YAML::Node language = node["language"];
    const std::string language_path = StrCat(path, ".language");
    if (!language)
      return reader_.Error(node, language_path,
                           "missing: the approved template's language code for es and en, such as { es: es_AR, en: en_US }");
    FARO_RETURN_IF_ERROR(reader_.OnlyKeys(language, language_path, {"es", "en"}));
    FARO_ASSIGN_OR_RETURN(spec.language_es, reader_.String(language, "es", language_path, true));
    FARO_ASSIGN_OR_RETURN(spec.language_en, reader_.String(language, "en", language_path, true));
    if (const YAML::Node params = node["params"]) {
      if (!params.IsSequence())
        return reader_.Error(params, StrCat(path, ".params"), "expected a list of variable names such as [name, alternatives]");
      for (size_t i = 0; i < params.size(); ++i) {
        const std::string where = StrCat(path, ".params[", i, "]");
        if (!params[i].IsScalar() || !ValidName(params[i].as<std::string>()))
          return reader_.Error(params[i], where, "a parameter is a variable name (letters, digits and '_')");
        const std::string param = params[i].as<std::string>();
        if (!declared.empty() && std::find(declared.begin(), declared.end(), param) == declared.end())
          return reader_.Error(params[i], where,
                               StrCat("\"", param, "\" is not among the template's variables (", Join(declared, ", "), ")"));
        spec.params.push_back(param);
      }
    }
    return spec;
  }

  YamlReader reader_;
};

}  // namespace

absl::StatusOr<std::vector<TextPiece>> SplitPlaceholders(std::string_view text) {
  std::vector<TextPiece> pieces;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    const size_t stray = text.find("}}", pos);
    if (stray != std::string_view::npos && stray < open)
      return absl::InvalidArgumentError(StrCat("a '}}' without '{{' at character ", stray + 1));
    if (open == std::string_view::npos) {
      pieces.push_back({false, text.substr(pos)});
      break;
    }
    if (open > pos) pieces.push_back({false, text.substr(pos, open - pos)});
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos)
      return absl::InvalidArgumentError(StrCat("'{{' at character ", open + 1, " has no closing '}}'"));
    const std::string_view inside = text.substr(open + 2, close - open - 2);
    const std::string_view name = Trim(inside);
    if (!ValidName(name))
      return absl::InvalidArgumentError(StrCat("\"{{", inside, "}}\" must hold one variable name such as {{name}} (letters, digits and '_')"));
    pieces.push_back({true, name});
    pos = close + 2;
  }
  return pieces;
}

const Template* TemplateSet::Find(std::string_view name) const {
  const auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

std::vector<std::string> TemplateSet::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, t] : templates_) names.push_back(name);
  return names;
}

void TemplateSet::Put(Template t) {
  std::string name = t.name;
  templates_.insert_or_assign(std::move(name), std::move(t));
}

absl::StatusOr<TemplateSet> LoadTemplatesFromString(std::string_view yaml, std::string_view file_name) {
  return Loader(std::string(file_name)).Load(yaml);
}

absl::StatusOr<TemplateSet> LoadTemplatesFromFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat("cannot read the templates file ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return LoadTemplatesFromString(text.str(), path.string());
}

const TemplateSet& BuiltinTemplates() {
  // Parsed once. The text is compiled in and covered by tests, so it always loads; should it
  // not, the set is empty rather than the process ending.
  static const TemplateSet builtin = [] {
    auto loaded = LoadTemplatesFromString(BuiltinTemplatesText(), "builtin_templates.yaml");
    return loaded.ok() ? *std::move(loaded) : TemplateSet();
  }();
  return builtin;
}

TemplateSet WithBuiltins(const TemplateSet& user) {
  TemplateSet merged = BuiltinTemplates();
  for (const std::string& name : user.Names()) merged.Put(*user.Find(name));
  return merged;
}

}  // namespace faro::templates
