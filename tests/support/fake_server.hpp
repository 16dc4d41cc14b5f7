#pragma once
// Starts one of the local fake provider servers (tests/fakes/*.py, Debian's python3) on a
// loopback port for a test, and stops it when the object goes away. The fake prints
// "listening on PORT" as its first line of output once it accepts connections.
#include <sys/types.h>

#include <string>
#include <vector>

namespace faro::testing {

class FakeServer {
 public:
  // `script` is relative to tests/fakes/ (e.g. "telegram.py"); `args` follow "--port 0".
  explicit FakeServer(const std::string& script, const std::vector<std::string>& args = {});
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // GET/POST to the fake's own control endpoints (/_fake/...), for assertions and set-up.
  std::string Get(const std::string& path) const;
  std::string Post(const std::string& path, const std::string& json_body) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// The absolute path of a file in the source tree ("tests/fakes/smtp.py").
std::string SourcePath(const std::string& relative);

}  // namespace faro::testing
