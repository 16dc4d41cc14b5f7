#include "listen/mention.hpp"

#include <array>

#include "core/strings.hpp"

namespace faro {
namespace {

struct SourceName {
  std::string_view name;
  MentionSource source;
};
constexpr std::array<SourceName, 9> kSources{{
    {"x", MentionSource::kX},
    {"twitter", MentionSource::kX},
    {"instagram", MentionSource::kInstagram},
    {"facebook", MentionSource::kFacebook},
    {"telegram", MentionSource::kTelegram},
    {"rss", MentionSource::kRss},
    {"tiktok", MentionSource::kTikTok},
    {"web", MentionSource::kWeb},
    {"other", MentionSource::kOther},
}};

}  // namespace

std::string_view MentionSourceName(MentionSource source) {
  switch (source) {
    case MentionSource::kX: return "x";
    case MentionSource::kInstagram: return "instagram";
    case MentionSource::kFacebook: return "facebook";
    case MentionSource::kTelegram: return "telegram";
    case MentionSource::kRss: return "rss";
    case MentionSource::kTikTok: return "tiktok";
    case MentionSource::kWeb: return "web";
    case MentionSource::kOther: break;
  }
  return "other";
}

MentionSource MentionSourceFromName(std::string_view name) {
  for (const SourceName& s : kSources)
    if (EqualsIgnoreCase(name, s.name)) return s.source;
  return MentionSource::kOther;
}

}  // namespace faro
