#pragma once
// Importing contacts from a CSV file (RFC 4180: quoted fields, embedded commas and line breaks,
// CRLF; a UTF-8 byte order mark is skipped). The columns, the consent grammar and the merge
// rules are documented in docs/contacts.md.
//
// All or nothing: every row and every cell is checked first, every problem is reported (not
// only the first), and a file with any problem imports nothing.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contacts/contact_book.hpp"
#include "core/clock.hpp"
#include "core/lang.hpp"

namespace faro::contacts {

struct ImportOptions {
  std::string file_name;       // names the file in messages and in consent sources ("csv:<file>:<row>")
  std::string default_region;  // ISO code for phones written without +: "AR", "ES", "US"
  Lang default_lang = Lang::kEs;                // for new contacts whose `lang` cell is empty
  std::vector<std::string> known_channels;      // channel ids of the configuration
  TimePoint now;                                // stands for undated consent
  bool dry_run = false;                         // check and count, write nothing
  Lang report_lang = Lang::kEn;                 // language of the problems' descriptions
};

// One problem with the file. `row` is the file line where the record starts, the header being
// row 1 (a quoted field with line breaks makes a record span several lines).
struct ImportProblem {
  int row = 0;
  std::string column;  // as named in the header; empty for a problem with the whole row
  std::string value;   // the cell as read (invalid UTF-8 shown as \xNN), cut at 80 characters
  std::string what;
};

struct ImportReport {
  int rows_read = 0;  // records after the header, empty rows not counted
  int created = 0;
  int merged = 0;     // existing contacts updated (a dry run: would be)
  int unchanged = 0;  // existing contacts the file already matches
  bool dry_run = false;
  bool imported = false;  // the contacts were written
  std::vector<ImportProblem> problems;
  // Not problems: things kept on purpose (an undated opt-in did not undo an opt-out).
  std::vector<ImportProblem> notes;

  bool ok() const { return problems.empty(); }
};

// A `consent:<channel>` cell: "opt-in 2026-03-01 web-form", "opt-out 2026-05-02 STOP", "yes",
// "no" (grammar in docs/contacts.md). Empty: nullopt. Without a date the consent is dated `now`
// and marked undated; without a source it gets `default_source`.
struct ConsentCell {
  Consent consent;
  bool undated = false;
};
absl::StatusOr<std::optional<ConsentCell>> ParseConsentCell(std::string_view cell, TimePoint now,
                                                            std::string_view default_source, Lang lang = Lang::kEn);

// Checks and imports `csv_bytes`. Returns an error status only when the database fails; every
// problem with the file is in the report, and then nothing was written.
absl::StatusOr<ImportReport> ImportCsv(ContactBook& book, std::string_view csv_bytes, const ImportOptions& options);

// The report for people, in `lang`: one line per problem ("clients.csv:7: email: \"ana@x\":
// …"), then the counts.
std::string FormatImportReport(const ImportReport& report, std::string_view file_name, Lang lang);

}  // namespace faro::contacts
