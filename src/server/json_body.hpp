#pragma once
// Reading JSON request bodies with errors that say what is wrong and where: the body must be
// an object, fields have one type, unknown fields are refused (a typo such as "tempalte"
// would otherwise be ignored silently). Every error is InvalidArgument (HTTP 400).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro::server {

class JsonBody {
 public:
  // An empty body reads as {} when `empty_ok`.
  static absl::StatusOr<JsonBody> Parse(std::string_view body, std::initializer_list<std::string_view> allowed,
                                        bool empty_ok = false);

  bool Has(std::string_view key) const;
  absl::StatusOr<std::optional<std::string>> String(std::string_view key) const;
  absl::StatusOr<std::optional<int64_t>> Int(std::string_view key) const;
  // An object whose values are all strings ("vars").
  absl::StatusOr<std::map<std::string, std::string>> StringMap(std::string_view key) const;

 private:
  nlohmann::json root_;
};

}  // namespace faro::server
