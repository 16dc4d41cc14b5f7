#include "cli/stop_signals.hpp"

#include <pthread.h>

#include <csignal>
#include <thread>

namespace faro::cli {
namespace {

sigset_t StopSignalSet() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  const sigset_t signals = StopSignalSet();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void ServeUntilStopSignal(const std::function<void()>& serve, const std::function<void()>& stop,
                          const std::function<void()>& reload) {
  const sigset_t signals = StopSignalSet();
  std::thread stopper([&] {
    int signal = 0;
    // SIGHUP reloads (or is ignored) and the wait goes on; SIGINT and SIGTERM stop.
    while (sigwait(&signals, &signal) == 0 && signal == SIGHUP)
      if (reload) reload();
    stop();
  });
  serve();
  pthread_kill(stopper.native_handle(), SIGTERM);  // wakes the sigwait if serve ended by itself
  stopper.join();
}

}  // namespace faro::cli
