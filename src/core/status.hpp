#pragma once
// Expected failures are values: absl::Status / absl::StatusOr. Abseil 20220623 ships no
// propagation macros, so these two are ours.
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FARO_CONCAT_INNER_(a, b) a##b
#define FARO_CONCAT_(a, b) FARO_CONCAT_INNER_(a, b)

#define FARO_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    if (absl::Status faro_st_ = (expr); !faro_st_.ok()) \
      return faro_st_;                             \
  } while (0)

#define FARO_ASSIGN_OR_RETURN(lhs, expr) \
  FARO_ASSIGN_OR_RETURN_IMPL_(FARO_CONCAT_(faro_sor_, __LINE__), lhs, expr)
#define FARO_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#include <string>

namespace faro {
// The message as a std::string (Debian's Abseil has its own string_view type).
inline std::string Message(const absl::Status& status) { return std::string(status.message()); }
}  // namespace faro
