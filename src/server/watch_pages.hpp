#pragma once
// The pages `faro serve` shows people: the team's dashboard (/dashboard) and the customers'
// status page (/status), with their scripts, styles and uPlot under /assets/. All embedded in
// the binary (web/). The pages read the JSON API; they hold no data themselves.
namespace httplib {
class Server;
}

namespace faro::server {

void AddPageRoutes(httplib::Server& server);
// With plans: the incidents (/dashboard/incidents), each incident's room
// (/dashboard/incidents/{id}) and the crisis log (/dashboard/crisis-log).
void AddIncidentPages(httplib::Server& server);
// One embedded page (`file`, a name under web/src) at `path`, with the pages' headers.
void AddPage(httplib::Server& server, const char* path, const char* file);

}  // namespace faro::server
