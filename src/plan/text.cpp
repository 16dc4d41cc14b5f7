#include "plan/text.hpp"

namespace faro::plan {

absl::StatusOr<Text> TextFromYaml(const YAML::Node& node) {
  const char* expected = "expected a text, or { es: \"…\", en: \"…\" }";
  if (!node || node.IsNull()) return absl::InvalidArgumentError(expected);
  if (node.IsScalar()) {
    const std::string words = node.as<std::string>();
    if (words.empty()) return absl::InvalidArgumentError("must not be empty");
    return Text::Both(words);
  }
  if (!node.IsMap()) return absl::InvalidArgumentError(expected);
  Text text;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key != "es" && key != "en")
      return absl::InvalidArgumentError("unknown language \"" + key + "\"; expected es and en");
    if (!kv.second.IsScalar()) return absl::InvalidArgumentError("the " + key + " text must be a text value");
    (key == "es" ? text.es : text.en) = kv.second.as<std::string>();
  }
  if (text.es.empty() && text.en.empty()) return absl::InvalidArgumentError("give es, en or both, not empty");
  if (text.es.empty()) text.es = text.en;
  if (text.en.empty()) text.en = text.es;
  return text;
}

nlohmann::json TextToJson(const Text& text) { return {{"es", text.es}, {"en", text.en}}; }

absl::StatusOr<Text> TextFromJson(const nlohmann::json& json) {
  if (json.is_string()) return Text::Both(json.get<std::string>());
  if (!json.is_object()) return absl::InvalidArgumentError("expected {\"es\": \"…\", \"en\": \"…\"}");
  Text text;
  for (const char* key : {"es", "en"}) {
    auto it = json.find(key);
    if (it == json.end() || it->is_null()) continue;
    if (!it->is_string()) return absl::InvalidArgumentError(std::string("\"") + key + "\" must be a string");
    (key[1] == 's' ? text.es : text.en) = it->get<std::string>();
  }
  if (text.es.empty()) text.es = text.en;
  if (text.en.empty()) text.en = text.es;
  return text;
}

}  // namespace faro::plan
