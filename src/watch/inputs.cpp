#include "watch/inputs.hpp"

namespace faro::watch {

std::string_view FeedLevelName(FeedLevel level) {
  switch (level) {
    case FeedLevel::kOk: return "ok";
    case FeedLevel::kMinor: return "minor";
    case FeedLevel::kMajor: return "major";
  }
  return "ok";
}

std::optional<FeedLevel> FeedLevelFromName(std::string_view name) {
  if (name == "ok") return FeedLevel::kOk;
  if (name == "minor") return FeedLevel::kMinor;
  if (name == "major") return FeedLevel::kMajor;
  return std::nullopt;
}

}  // namespace faro::watch
