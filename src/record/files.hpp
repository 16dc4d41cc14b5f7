#pragma once
// Files of the crisis log and the manual: read whole, written durably.
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace faro::record {

// Writes `bytes` to `path` so that, once this returns OK, a power loss leaves either the old
// file or the new one, never a torn one: a temporary file beside it, fsync, rename over `path`,
// fsync of the folder. Errors name the path and the system's reason.
absl::Status WriteFileDurably(const std::string& path, std::string_view bytes);

// Creates `dir` and its parents when missing.
absl::Status MakeDirs(const std::string& dir);

absl::StatusOr<std::string> ReadWholeFile(const std::string& path);

}  // namespace faro::record
