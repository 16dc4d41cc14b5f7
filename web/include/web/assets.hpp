#pragma once
// The dashboard's and status page's static files (web/src, plus uPlot's script and style),
// compiled into the binary so `faro serve` needs no files on disk to serve them.
#include <span>
#include <string_view>

namespace faro::web {

// One embedded file. All views point into static storage that lives as long as the program.
struct Asset {
  std::string_view path;          // the file's name, as in /assets/<path>: "dashboard.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;         // the file's exact bytes
};

// The asset named `path` ("dashboard.html", "status.js", "uPlot.iife.min.js", ...), or nullptr
// when there is none. Names are plain file names: anything with a '/' is never found, so no
// request path can reach beyond the embedded set.
const Asset* FindAsset(std::string_view path);

// Every embedded asset, sorted by path.
std::span<const Asset> AllAssets();

// The Content-Type for a file name by its extension; "application/octet-stream" when unknown.
std::string_view ContentTypeFor(std::string_view path);

}  // namespace faro::web
