#include "server/json_body.hpp"

#include "core/strings.hpp"

namespace faro::server {

absl::StatusOr<JsonBody> JsonBody::Parse(std::string_view body, std::initializer_list<std::string_view> allowed,
                                         bool empty_ok) {
  JsonBody out;
  if (Trim(body).empty()) {
    if (empty_ok) {
      out.root_ = nlohmann::json::object();
      return out;
    }
    return absl::InvalidArgumentError("the body is empty; expected a JSON object");
  }
  try {
    out.root_ = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 7: …" without the tag.
    std::string what = e.what();
    if (const size_t tag = what.find("] "); tag != std::string::npos) what.erase(0, tag + 2);
    return absl::InvalidArgumentError(StrCat("the body is not valid JSON: ", what));
  }
  if (!out.root_.is_object()) return absl::InvalidArgumentError("the body must be a JSON object");
  for (const auto& [key, value] : out.root_.items()) {
    bool known = false;
    for (std::string_view a : allowed) known |= key == a;
    if (!known) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      return absl::InvalidArgumentError(StrCat("unknown field \"", key, "\"; expected ", Join(names, ", ")));
    }
  }
  return out;
}

bool JsonBody::Has(std::string_view key) const {
  const auto it = root_.find(std::string(key));
  return it != root_.end() && !it->is_null();
}

absl::StatusOr<std::optional<std::string>> JsonBody::String(std::string_view key) const {
  const auto it = root_.find(std::string(key));
  if (it == root_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) return absl::InvalidArgumentError(StrCat("field \"", key, "\" must be a string"));
  return it->get<std::string>();
}

absl::StatusOr<std::optional<int64_t>> JsonBody::Int(std::string_view key) const {
  const auto it = root_.find(std::string(key));
  if (it == root_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) return absl::InvalidArgumentError(StrCat("field \"", key, "\" must be an integer"));
  return it->get<int64_t>();
}

absl::StatusOr<std::map<std::string, std::string>> JsonBody::StringMap(std::string_view key) const {
  std::map<std::string, std::string> out;
  const auto it = root_.find(std::string(key));
  if (it == root_.end() || it->is_null()) return out;
  if (!it->is_object())
    return absl::InvalidArgumentError(StrCat("field \"", key, "\" must be an object of strings"));
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string())
      return absl::InvalidArgumentError(StrCat("field \"", key, ".", name, "\" must be a string"));
    out[name] = value.get<std::string>();
  }
  return out;
}

}  // namespace faro::server
