#pragma once
// The pages `faro serve` shows people: the team's dashboard (/dashboard) and the customers'
// status page (/status), with their scripts, styles and uPlot under /assets/. All embedded in
// the binary (web/). The pages read the JSON API; they hold no data themselves.
namespace httplib {
class Server;
}

namespace faro::server {

void AddPageRoutes(httplib::Server& server);

}  // namespace faro::server
