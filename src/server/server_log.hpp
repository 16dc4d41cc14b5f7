#pragma once
// The server's log: one line per event on a stream (stderr in production), as key=value pairs
// after a UTC timestamp, so `grep event=webhook` and log shippers both work:
//
//   2026-03-01T14:05:00.123Z event=webhook provider=twilio status=200 events=1
//
// Values with spaces, quotes or '=' are quoted. Callers never pass secrets, tokens, message
// text or request bodies: only ids, counts, statuses and reasons.
#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace faro::server {

class EventLog {
 public:
  explicit EventLog(std::ostream* out) : out_(out) {}
  using Field = std::pair<std::string_view, std::string>;
  // Thread-safe; a null stream logs nothing.
  void Write(std::string_view event, std::initializer_list<Field> fields);

 private:
  std::ostream* out_;
  std::mutex mutex_;
};

// "text", or "\"text with spaces\"" with quotes and backslashes escaped and control
// characters replaced by spaces.
std::string LogValue(std::string_view value);

}  // namespace faro::server
