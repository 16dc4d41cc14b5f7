#include "server/watch_pages.hpp"

#include <httplib.h>

#include "web/assets.hpp"

namespace faro::server {
namespace {

void Send(httplib::Response& res, const web::Asset& asset, const char* cache) {
  res.status = 200;
  res.set_header("Cache-Control", cache);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(std::string(asset.bytes), std::string(asset.content_type));
}

}  // namespace

void AddPage(httplib::Server& s, const char* path, const char* file) {
  s.Get(path, [file](const httplib::Request&, httplib::Response& res) {
    const web::Asset* asset = web::FindAsset(file);
    if (asset == nullptr) {
      res.status = 500;
      res.set_content("this build has no dashboard pages\n", "text/plain");
      return;
    }
    // Pages are small and change with each release: always revalidated.
    Send(res, *asset, "no-cache");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
  });
}

void AddIncidentPages(httplib::Server& s) {
  // The list and each incident's room are one page: its script reads the id from the address.
  AddPage(s, "/dashboard/incidents", "incidents.html");
  AddPage(s, R"(/dashboard/incidents/[1-9][0-9]{0,17})", "incidents.html");
  AddPage(s, "/dashboard/crisis-log", "crisis_log.html");
}

void AddPageRoutes(httplib::Server& s) {
  AddPage(s, "/status", "status.html");
  AddPage(s, "/dashboard", "dashboard.html");
  s.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/dashboard"); });
  s.Get(R"(/assets/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
    const web::Asset* asset = web::FindAsset(req.matches[1].str());
    if (asset == nullptr) {
      res.status = 404;
      res.set_content("no such asset\n", "text/plain");
      return;
    }
    Send(res, *asset, "public, max-age=300");
  });
}

}  // namespace faro::server
