#pragma once
// Private to faro_web_assets: the table that embed_assets.cmake generates at build time.
#include <cstddef>
#include <string_view>

namespace faro::web::embedded {

struct File {
  std::string_view name;
  std::string_view bytes;
};

extern const File kFiles[];
extern const std::size_t kFileCount;

}  // namespace faro::web::embedded
