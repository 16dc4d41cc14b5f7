#pragma once
// The query parameters of the API's GET calls (docs/api.md): one way to read them, so every
// endpoint words a bad value the same way.
#include <cstdint>
#include <map>
#include <string>

#include "core/status.hpp"

namespace faro {

using QueryParams = std::map<std::string, std::string>;

// The parameter's text; "" when it is absent.
std::string QueryText(const QueryParams& query, const std::string& key);

// A whole number within [min, max]; `fallback` when the parameter is absent or empty. A bad
// value: `limit: expected a whole number from 1 to 1000, got "ten"`.
absl::StatusOr<int64_t> QueryInt(const QueryParams& query, const std::string& key, int64_t fallback, int64_t min,
                                 int64_t max);

}  // namespace faro
