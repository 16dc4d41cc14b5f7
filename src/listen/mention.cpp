#include "listen/mention.hpp"

#include <array>

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

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

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
  // Every record names its source: only names of the right length are compared.
  for (const SourceName& s : kSources)
    if (s.name.size() == name.size() && EqualsIgnoreAsciiCase(name, s.name)) return s.source;
  return MentionSource::kOther;
}

}  // namespace faro
