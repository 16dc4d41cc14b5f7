#pragma once
// Reads CSV records with libcsv (RFC 4180, strict: a quote inside an unquoted field is an
// error), keeping the file line where each record starts.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faro::contacts {

struct CsvError {
  int line = 0;      // where the parser stopped
  size_t field = 0;  // index, in its record, of the field being read
  bool unterminated = false;  // a quoted field never closed before the end of the file
};

// Feeds libcsv one physical line at a time, so the line number is known whenever it reports a
// field. A record starts on the line where its first field ends, minus the line breaks inside
// that field. Blank lines produce no record.
class CsvReader {
 public:
  using OnRecord = std::function<void(int line, std::vector<std::string>& fields)>;

  explicit CsvReader(OnRecord on_record) : on_record_(std::move(on_record)) {}

  // Calls on_record for every record of `bytes`, in order; stops at the first syntax error.
  std::optional<CsvError> Read(std::string_view bytes);

 private:
  static void OnField(void* data, size_t length, void* self);
  static void OnRecordEnd(int terminator, void* self);

  OnRecord on_record_;
  int line_ = 1;
  int record_line_ = 1;
  int last_end_line_ = 0;
  std::vector<std::string> fields_;
};

}  // namespace faro::contacts
