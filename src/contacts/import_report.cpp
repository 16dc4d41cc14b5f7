#include "contacts/csv_import.hpp"
#include "core/strings.hpp"

#include <set>

namespace faro::contacts {

std::string FormatImportReport(const ImportReport& report, std::string_view file_name, Lang lang) {
  const bool es = lang == Lang::kEs;
  std::string out;
  constexpr size_t kShown = 200;
  for (size_t i = 0; i < report.problems.size() && i < kShown; ++i) {
    const ImportProblem& p = report.problems[i];
    StrAppend(out, file_name, ":", p.row, ": ", p.column.empty() ? std::string() : StrCat(p.column, ": "), p.what, "\n");
  }
  if (report.problems.size() > kShown)
    StrAppend(out, es ? StrCat("… y ", report.problems.size() - kShown, " problemas más\n")
                      : StrCat("… and ", report.problems.size() - kShown, " more problems\n"));
  for (const ImportProblem& n : report.notes)
    StrAppend(out, file_name, ":", n.row, ": ", n.column.empty() ? std::string() : StrCat(n.column, ": "),
              es ? "nota: " : "note: ", n.what, "\n");
  if (!report.ok()) {
    std::set<int> rows;  // the rows that have problems (a whole-file problem has row 0 or 1)
    for (const ImportProblem& p : report.problems) rows.insert(p.row);
    const size_t n = report.problems.size();
    StrAppend(out, es ? StrCat("No se importó nada: ", n, n == 1 ? " problema" : " problemas", " en ", rows.size(),
                               rows.size() == 1 ? " fila" : " filas", ". Corrígelos y vuelve a importar el archivo.\n")
                      : StrCat("Nothing was imported: ", n, n == 1 ? " problem" : " problems", " in ", rows.size(),
                               rows.size() == 1 ? " row" : " rows", ". Fix them and import the file again.\n"));
    return out;
  }
  if (report.dry_run)
    StrAppend(out, es ? StrCat("Prueba sin cambios: ", report.rows_read, " filas leídas; se crearían ", report.created,
                               " contactos, se actualizarían ", report.merged, " y ", report.unchanged, " quedarían igual.\n")
                      : StrCat("Dry run, nothing written: ", report.rows_read, " rows read; ", report.created,
                               " contacts would be created, ", report.merged, " updated and ", report.unchanged,
                               " left unchanged.\n"));
  else
    StrAppend(out, es ? StrCat("Importado: ", report.rows_read, " filas leídas; ", report.created, " contactos creados, ",
                               report.merged, " actualizados y ", report.unchanged, " sin cambios.\n")
                      : StrCat("Imported: ", report.rows_read, " rows read; ", report.created, " contacts created, ",
                               report.merged, " updated and ", report.unchanged, " unchanged.\n"));
  return out;
}

}  // namespace faro::contacts
