#pragma once
// The name of a campaign Faro copies onto another platform: the source's name and "(Faro)", so
// people find it in the platform's own manager and know who made it.
#include <string>

#include "ads/ad_platform.hpp"
#include "core/strings.hpp"

namespace faro::ads {

inline std::string CopyName(const Campaign& source) {
  if (source.name.empty()) return StrCat("Faro: ", source.platform, " campaign ", source.id);
  return StrCat(source.name, " (Faro)");
}

}  // namespace faro::ads
