#include "fake_server.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "channels/http_client.hpp"

extern char** environ;

namespace faro::testing {

std::string SourcePath(const std::string& relative) { return std::string(FARO_SOURCE_DIR) + "/" + relative; }

FakeServer::FakeServer(const std::string& script, const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_s = {"/usr/bin/python3", "-u", SourcePath("tests/fakes/" + script), "--port", "0"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start " + script);
  }
  FILE* f = fdopen(out[0], "r");
  char line[256] = {0};
  if (fgets(line, sizeof line, f) == nullptr || sscanf(line, "listening on %d", &port_) != 1) {
    fclose(f);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("fake " + script + " did not start: " + line);
  }
  fclose(f);  // the fake's later output goes to a closed pipe; fakes must not print after start
}

FakeServer::~FakeServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

std::string FakeServer::Get(const std::string& path) const {
  channels::HttpRequest request;
  request.method = "GET";
  request.url = base_url() + path;
  const auto response = channels::PerformHttp(request);
  return response.ok() ? response->body : std::string();
}

std::string FakeServer::Post(const std::string& path, const std::string& json_body) const {
  channels::HttpRequest request;
  request.url = base_url() + path;
  request.headers = {"Content-Type: application/json"};
  request.body = json_body;
  const auto response = channels::PerformHttp(request);
  return response.ok() ? response->body : std::string();
}

}  // namespace faro::testing
