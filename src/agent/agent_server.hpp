#pragma once
// `faro agent`: a vantage point. Runs the endpoint checks another Faro asks for, from here,
// and answers with the evidence. Every request must carry the bearer token; anything else
// gets 401. Each request runs on its own probe engine (one thread of httplib's pool).
#include <memory>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "core/status.hpp"
#include "probe/probe_engine.hpp"

namespace httplib {
class Server;
}

namespace faro {

struct AgentOptions {
  std::string name;   // how results from here are labelled
  std::string token;  // required; compared in constant time
  EngineOptions engine;
};

// Runs one batch on a fresh engine and returns the evidence in the batch's order.
absl::StatusOr<std::vector<EndpointEvidence>> ProbeBatchHere(const EngineOptions& engine, const ProbeBatch& batch);

class AgentServer {
 public:
  explicit AgentServer(AgentOptions options);
  ~AgentServer();

  // Binds HOST:PORT (port 0 picks a free one; see port()). Errors say why it cannot listen.
  absl::Status Bind(const std::string& host, int port);
  // Serves until Stop(). Returns once stopped.
  void Serve();
  void Stop();
  int port() const { return port_; }

 private:
  bool Authorised(const std::string& header) const;

  AgentOptions options_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
};

}  // namespace faro
