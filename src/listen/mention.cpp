#include "listen/mention.hpp"

#include <cstddef>

namespace faro {
namespace {

// True when `name` spells `lower` (lower-case ASCII letters only) in any ASCII case. For a
// letter L, c | 0x20 equals L only when c is L or its capital, so one OR and one compare a byte
// decide it; `name` has `lower`'s length already (the caller's switch).
template <std::size_t N>
bool SpellsIgnoringCase(std::string_view name, const char (&lower)[N]) {
  for (std::size_t i = 0; i + 1 < N; ++i)
    if ((static_cast<unsigned char>(name[i]) | 0x20u) != static_cast<unsigned char>(lower[i])) return false;
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

// Every mention asks: by length first, then the few names of that length, letter by letter.
MentionSource MentionSourceFromName(std::string_view name) {
  switch (name.size()) {
    case 1: return SpellsIgnoringCase(name, "x") ? MentionSource::kX : MentionSource::kOther;
    case 3:
      if (SpellsIgnoringCase(name, "rss")) return MentionSource::kRss;
      if (SpellsIgnoringCase(name, "web")) return MentionSource::kWeb;
      break;
    case 6: return SpellsIgnoringCase(name, "tiktok") ? MentionSource::kTikTok : MentionSource::kOther;
    case 7: return SpellsIgnoringCase(name, "twitter") ? MentionSource::kX : MentionSource::kOther;
    case 8:
      if (SpellsIgnoringCase(name, "facebook")) return MentionSource::kFacebook;
      if (SpellsIgnoringCase(name, "telegram")) return MentionSource::kTelegram;
      break;
    case 9: return SpellsIgnoringCase(name, "instagram") ? MentionSource::kInstagram : MentionSource::kOther;
    default: break;  // "other" and every unknown name
  }
  return MentionSource::kOther;
}

}  // namespace faro
