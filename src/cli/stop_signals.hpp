#pragma once
// SIGINT, SIGTERM and SIGHUP, for commands that serve until told to stop: the signals are taken by a
// thread of ours (sigwait) rather than by a handler, so stopping runs ordinary code.
#include <functional>

namespace faro::cli {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread. Call it before any thread starts, so that
// every thread inherits the mask and none of them is killed by the signal.
void BlockStopSignals();

// Runs `serve` on the calling thread while another thread waits for SIGINT or SIGTERM (blocked
// with BlockStopSignals) and then calls `stop`, which must make `serve` return. Returns once
// `serve` has returned and that thread has ended; when `serve` returns by itself the waiting
// thread is woken with a SIGTERM of its own, so `stop` is called then too. SIGHUP calls
// `reload` (when given) on that thread and goes on waiting.
void ServeUntilStopSignal(const std::function<void()>& serve, const std::function<void()>& stop,
                          const std::function<void()>& reload = nullptr);

}  // namespace faro::cli
