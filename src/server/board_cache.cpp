#include "server/board_cache.hpp"

#include <cstdint>
#include <cstdio>

#include "core/strings.hpp"

namespace faro::server {

std::string EntityTag(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bits: a change detector, not a secret
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return StrCat("\"", hex, "\"");
}

namespace {

BoardCache::Page Render(const std::function<ApiReply()>& render) {
  ApiReply reply = render();
  BoardCache::Page page;
  page.status = reply.status;
  if (reply.status != 200 || !reply.body.is_object()) {
    page.body = std::make_shared<const std::string>(
        reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return page;
  }
  // The tag covers everything but the time of rendering, which leads the text.
  nlohmann::json generated_at = nlohmann::json();
  if (auto it = reply.body.find("generated_at"); it != reply.body.end()) {
    generated_at = std::move(*it);
    reply.body.erase(it);
  }
  std::string rest = reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  page.etag = EntityTag(rest);
  if (generated_at.is_null() || rest.size() < 2) {
    page.body = std::make_shared<const std::string>(std::move(rest));
    return page;
  }
  std::string text = StrCat("{\"generated_at\":", generated_at.dump(), rest.size() > 2 ? "," : "");
  text.append(rest, 1, std::string::npos);
  page.body = std::make_shared<const std::string>(std::move(text));
  return page;
}

}  // namespace

BoardCache::Page BoardCache::Get(const std::string& key, Steady now, const std::function<ApiReply()>& render) {
  auto fresh = [&]() -> const Page* {
    auto it = kept_.find(key);
    return it != kept_.end() && now - it->second.at < max_age_ ? &it->second.page : nullptr;
  };
  {
    std::lock_guard lock(mutex_);
    if (const Page* p = fresh()) return *p;
  }
  std::lock_guard rendering(render_mutex_);
  {
    std::lock_guard lock(mutex_);  // rendered while we waited?
    if (const Page* p = fresh()) return *p;
  }
  Page page = Render(render);
  if (page.status == 200) {
    std::lock_guard lock(mutex_);
    if (kept_.size() >= max_entries_ && !kept_.contains(key)) kept_.erase(kept_.begin());
    kept_[key] = Kept{page, now};
  }
  return page;
}

}  // namespace faro::server
