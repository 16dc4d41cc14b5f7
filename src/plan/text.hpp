#pragma once
// Bilingual text: everything a person reads exists in Spanish and English (DESIGN.md). Plans,
// incidents, actions and reports carry both, and each reader picks the one of its person.
//
// YAML: a plain string (the same words in both languages) or { es: "…", en: "…" } where one may
// be missing (the other is then used for both). JSON: always {"es": "…", "en": "…"}.
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "core/lang.hpp"
#include "core/status.hpp"

namespace faro::plan {

struct Text {
  std::string es, en;

  // The same words for both languages (names, notes people typed).
  static Text Both(std::string_view words) { return Text{std::string(words), std::string(words)}; }
  const std::string& In(Lang lang) const { return lang == Lang::kEs ? es : en; }
  bool empty() const { return es.empty() && en.empty(); }
  friend bool operator==(const Text&, const Text&) = default;
};

// Reads the YAML form. On a bad shape returns an error message (without position: the caller
// knows where the node is); an empty mapping or empty strings are an error too.
absl::StatusOr<Text> TextFromYaml(const YAML::Node& node);

nlohmann::json TextToJson(const Text& text);
// Accepts the JSON form, or a plain string (for both languages).
absl::StatusOr<Text> TextFromJson(const nlohmann::json& json);

}  // namespace faro::plan
