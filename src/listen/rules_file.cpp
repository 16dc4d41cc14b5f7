#include "listen/rules_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "config/yaml_reader.hpp"
#include "core/strings.hpp"

namespace faro {
namespace {

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

class RulesReader {
 public:
  explicit RulesReader(const std::string& file) : yaml_(file) {}

  absl::Status Read(const YAML::Node& root) {
    if (!root || root.IsNull()) return absl::InvalidArgumentError(StrCat(yaml_.file(), ": no rules (the file is empty)"));
    FARO_RETURN_IF_ERROR(yaml_.OnlyKeys(root, "rules", {"brands", "topics"}));
    if (const YAML::Node brands = root["brands"]) {
      if (!brands.IsSequence()) return yaml_.Error(brands, "brands", "expected a list of brands");
      for (std::size_t i = 0; i < brands.size(); ++i)
        FARO_RETURN_IF_ERROR(Rule(brands[i], StrCat("brands[", i, "]"), RuleDef::Kind::kBrand, {}));
    }
    if (const YAML::Node topics = root["topics"]) {
      if (!topics.IsSequence()) return yaml_.Error(topics, "topics", "expected a list of topics");
      for (std::size_t i = 0; i < topics.size(); ++i)
        FARO_RETURN_IF_ERROR(Rule(topics[i], StrCat("topics[", i, "]"), RuleDef::Kind::kTopic, {}));
    }
    if (defs_.empty()) return yaml_.Error(root, "rules", "no brands or topics; add at least one");
    return absl::OkStatus();
  }

  std::vector<RuleDef>& defs() { return defs_; }

 private:
  absl::Status Rule(const YAML::Node& node, const std::string& path, RuleDef::Kind kind, const std::string& brand) {
    const bool is_brand = kind == RuleDef::Kind::kBrand;
    if (is_brand) {
      FARO_RETURN_IF_ERROR(yaml_.OnlyKeys(node, path, {"id", "name", "keywords", "queries", "exclude", "topics"}));
    } else {
      FARO_RETURN_IF_ERROR(yaml_.OnlyKeys(node, path, {"id", "name", "keywords", "queries", "exclude", "platform"}));
    }
    RuleDef def;
    def.kind = kind;
    FARO_ASSIGN_OR_RETURN(std::string id, yaml_.String(node, "id", path, true));
    if (!ValidId(id))
      return yaml_.Error(node["id"], StrCat(path, ".id"),
                         StrCat("\"", id, "\": use lower-case letters, digits, '-', '_' or '.'"));
    def.id = brand.empty() ? id : StrCat(brand, "/", id);
    if (!ids_.insert(def.id).second)
      return yaml_.Error(node["id"], StrCat(path, ".id"), StrCat("\"", def.id, "\" is already used by another rule"));
    def.brand = brand;
    FARO_ASSIGN_OR_RETURN(def.name, yaml_.String(node, "name", path, false, id));
    if (!is_brand) {
      FARO_ASSIGN_OR_RETURN(def.platform, yaml_.String(node, "platform", path, false));
    }
    FARO_RETURN_IF_ERROR(Terms(node, "keywords", path, def.keywords));
    FARO_RETURN_IF_ERROR(Terms(node, "exclude", path, def.exclude));
    if (const YAML::Node queries = node["queries"]) {
      const std::string where = StrCat(path, ".queries");
      if (!queries.IsSequence()) return yaml_.Error(queries, where, "expected a list of queries");
      for (std::size_t i = 0; i < queries.size(); ++i) {
        const std::string at = StrCat(where, "[", i, "]");
        if (!queries[i].IsScalar()) return yaml_.Error(queries[i], at, "expected a query (text)");
        auto query = ParseQuery(queries[i].as<std::string>());
        if (!query.ok()) return yaml_.Error(queries[i], at, Message(query.status()));
        def.queries.push_back(std::move(*query));
      }
    }
    if (def.keywords.empty() && def.queries.empty())
      return yaml_.Error(node, path, "needs keywords or queries (what a mention must contain to match)");
    defs_.push_back(std::move(def));
    if (const YAML::Node topics = node["topics"]) {
      const std::string where = StrCat(path, ".topics");
      if (!topics.IsSequence()) return yaml_.Error(topics, where, "expected a list of topics");
      const std::string brand_id = defs_.back().id;
      for (std::size_t i = 0; i < topics.size(); ++i)
        FARO_RETURN_IF_ERROR(Rule(topics[i], StrCat(where, "[", i, "]"), RuleDef::Kind::kTopic, brand_id));
    }
    return absl::OkStatus();
  }

  absl::Status Terms(const YAML::Node& map, std::string_view key, const std::string& path, std::vector<QueryTerm>& out) {
    const YAML::Node list = map[std::string(key)];
    if (!list) return absl::OkStatus();
    const std::string where = StrCat(path, ".", key);
    if (!list.IsSequence())
      return yaml_.Error(list, where, "expected a list of terms, as in [\"whatsapp caido\", \"#whatsappdown\", caid*]");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = StrCat(where, "[", i, "]");
      if (!list[i].IsScalar()) return yaml_.Error(list[i], at, "expected a term (text)");
      const std::string text = list[i].as<std::string>();
      for (std::string_view op : {"AND", "OR", "NOT"})
        for (std::string_view word : Split(text, " \t", true))
          if (word == op)
            return yaml_.Error(list[i], at,
                               StrCat("'", op, "' in a keyword; write boolean queries under \"queries\""));
      auto term = ParseKeyword(text);
      if (!term.ok()) return yaml_.Error(list[i], at, Message(term.status()));
      out.push_back(std::move(*term));
    }
    return absl::OkStatus();
  }

  YamlReader yaml_;
  std::vector<RuleDef> defs_;
  std::set<std::string> ids_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const RuleSet>> ParseRulesYaml(std::string_view yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat(file, ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
  RulesReader reader(file);
  FARO_RETURN_IF_ERROR(reader.Read(root));
  auto set = RuleSet::Compile(reader.defs());
  if (!set.ok()) return absl::InvalidArgumentError(StrCat(file, ": ", Message(set.status())));
  return set;
}

absl::StatusOr<std::shared_ptr<const RuleSet>> LoadRulesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot read the rules file"));
  std::ostringstream text;
  text << in.rdbuf();
  return ParseRulesYaml(text.str(), path);
}

}  // namespace faro
