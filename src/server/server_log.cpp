#include "server/server_log.hpp"

#include <absl/time/clock.h>
#include <absl/time/time.h>

namespace faro::server {

std::string LogValue(std::string_view value) {
  bool quote = value.empty();
  for (char c : value)
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) quote = true;
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  out.push_back('"');
  return out;
}

void EventLog::Write(std::string_view event, std::initializer_list<Field> fields) {
  if (out_ == nullptr) return;
  std::string line = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line += " event=";
  line += LogValue(event);
  for (const Field& f : fields) {
    line.push_back(' ');
    line.append(f.first);
    line.push_back('=');
    line += LogValue(f.second);
  }
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  *out_ << line << std::flush;
}

}  // namespace faro::server
