#include "contacts/csv_reader.hpp"

#include <csv.h>

#include <algorithm>

namespace faro::contacts {

std::optional<CsvError> CsvReader::Read(std::string_view bytes) {
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return CsvError{1, 0, false};
  std::optional<CsvError> error;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t end = bytes.find('\n', pos);
    end = end == std::string_view::npos ? bytes.size() : end + 1;
    const size_t length = end - pos;
    if (csv_parse(&parser, bytes.data() + pos, length, &OnField, &OnRecordEnd, this) != length) {
      error = CsvError{line_, fields_.size(), false};
      break;
    }
    pos = end;
    if (pos < bytes.size()) ++line_;
  }
  if (!error && csv_fini(&parser, &OnField, &OnRecordEnd, this) != 0)
    error = CsvError{last_end_line_ + 1, fields_.size(), true};
  csv_free(&parser);
  return error;
}

void CsvReader::OnField(void* data, size_t length, void* self_ptr) {
  auto* self = static_cast<CsvReader*>(self_ptr);
  std::string field = length == 0 ? std::string() : std::string(static_cast<const char*>(data), length);
  if (self->fields_.empty())
    self->record_line_ = self->line_ - static_cast<int>(std::count(field.begin(), field.end(), '\n'));
  self->fields_.push_back(std::move(field));
}

void CsvReader::OnRecordEnd(int /*terminator*/, void* self_ptr) {
  auto* self = static_cast<CsvReader*>(self_ptr);
  self->on_record_(self->record_line_, self->fields_);
  self->fields_.clear();
  self->last_end_line_ = self->line_;
}

}  // namespace faro::contacts
