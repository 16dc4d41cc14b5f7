#include "server/board_cache.hpp"

#include <zlib.h>

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

bool AcceptsGzip(std::string_view header) {
  for (std::string_view item : Split(header, ",", true)) {
    std::string_view coding = Trim(item);
    std::string_view params;
    if (const auto semi = coding.find(';'); semi != std::string_view::npos) {
      params = coding.substr(semi + 1);
      coding = Trim(coding.substr(0, semi));
    }
    const std::string name = ToLower(coding);
    if (name != "gzip" && name != "x-gzip" && name != "*") continue;
    // "q=0", "q=0.0", "q=0.000": not acceptable. Any other weight is.
    bool refused = false;
    for (std::string_view param : Split(params, ";", true)) {
      param = Trim(param);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        const std::string_view q = Trim(param.substr(2));
        refused = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (!refused) return true;
  }
  return false;
}

std::string Gzip(std::string_view text, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return "";
  out.resize(written);
  return out;
}

namespace {

// The gzip copy of a page that is worth compressing.
void AddGzip(BoardCache::Page& page) {
  if (page.body->size() < kGzipFrom) return;
  std::string packed = Gzip(*page.body);
  if (packed.empty()) return;
  page.gzip = std::make_shared<const std::string>(std::move(packed));
  page.gzip_etag = page.etag.substr(0, page.etag.size() - 1) + "-gzip\"";
}

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
  } else {
    std::string text = StrCat("{\"generated_at\":", generated_at.dump(), rest.size() > 2 ? "," : "");
    text.append(rest, 1, std::string::npos);
    page.body = std::make_shared<const std::string>(std::move(text));
  }
  AddGzip(page);
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
  // One rendering at a time. While one is under way, a client whose page was rendered before
  // gets that page at once (at most a rendering older) instead of waiting: a 10,000-platform
  // board takes tens of milliseconds to render and compress, which would otherwise be the
  // latency of every request arriving meanwhile.
  std::unique_lock rendering(render_mutex_, std::try_to_lock);
  if (!rendering.owns_lock()) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = kept_.find(key); it != kept_.end()) return it->second.page;
    }
    rendering.lock();  // nothing to show yet: wait for the rendering under way
  }
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
