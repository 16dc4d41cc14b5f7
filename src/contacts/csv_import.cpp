#include "contacts/csv_import.hpp"

#include <absl/time/time.h>
#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_map>

#include "contacts/csv_reader.hpp"
#include "contacts/identity.hpp"
#include "core/strings.hpp"
#include "core/text_distance.hpp"
#include "core/utf8.hpp"

namespace faro::contacts {
namespace {

using channels::AddressKind;

// ---------------------------------------------------------------------------------------------
// Columns.

enum class Field { kName, kPhone, kEmail, kTelegram, kInstagram, kMessenger, kX, kLang, kTimezone, kChannels, kConsent, kUnnamed };

struct ColumnName {
  std::string_view name;
  Field field;
};
// English names first (they are what suggestions prefer), then the Spanish ones.
constexpr ColumnName kColumnNames[] = {
    {"name", Field::kName},         {"phone", Field::kPhone},         {"email", Field::kEmail},
    {"telegram", Field::kTelegram}, {"instagram", Field::kInstagram}, {"messenger", Field::kMessenger},
    {"x", Field::kX},               {"lang", Field::kLang},           {"timezone", Field::kTimezone},
    {"channels", Field::kChannels}, {"nombre", Field::kName},         {"telefono", Field::kPhone},
    {"teléfono", Field::kPhone},    {"correo", Field::kEmail},        {"idioma", Field::kLang},
    {"zona_horaria", Field::kTimezone}, {"canales", Field::kChannels},
};
constexpr size_t kEnglishColumns = 10;
constexpr std::string_view kConsentPrefixes[] = {"consent:", "consentimiento:"};

struct Column {
  Field field = Field::kUnnamed;
  std::string header;   // as written in the file (trimmed)
  std::string channel;  // kConsent: the known channel id
};

std::optional<AddressKind> IdentityOf(Field field) {
  switch (field) {
    case Field::kPhone: return AddressKind::kPhone;
    case Field::kEmail: return AddressKind::kEmail;
    case Field::kTelegram: return AddressKind::kTelegram;
    case Field::kInstagram: return AddressKind::kInstagram;
    case Field::kMessenger: return AddressKind::kMessenger;
    case Field::kX: return AddressKind::kX;
    default: return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// Small text helpers.

// The cell for a report: invalid bytes as \xNN, cut at 80 characters on a character boundary.
std::string ShownValue(std::string_view text) {
  std::string out;
  size_t chars = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    if (++chars > 80) {
      out += "…";
      break;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out.push_back(kHex[*p >> 4]);
      out.push_back(kHex[*p & 15]);
      ++p;
      --left;
      continue;
    }
    out.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    left -= n;
  }
  return out;
}

bool HasControl(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// Runs of spaces, tabs and line breaks become one space.
std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string Q(std::string_view text) { return StrCat("\"", text, "\""); }

std::string Closest(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    const size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

// The known channel id equal to `id` ignoring ASCII case.
std::optional<std::string> KnownChannel(std::string_view id, const std::vector<std::string>& known) {
  const std::string lower = ToLower(id);
  for (const std::string& k : known)
    if (ToLower(k) == lower) return k;
  return std::nullopt;
}

std::string UnknownChannelMessage(std::string_view id, const std::vector<std::string>& known, bool es) {
  if (known.empty())
    return es ? StrCat("el canal ", Q(id), " no existe: la configuración no tiene canales")
              : StrCat("there is no channel ", Q(id), ": the configuration has no channels");
  return es ? StrCat("el canal ", Q(id), " no existe; ¿quisiste decir ", Q(Closest(id, known)),
                     "? Canales: ", Join(known, ", "))
            : StrCat("there is no channel ", Q(id), "; did you mean ", Q(Closest(id, known)),
                     "? Channels: ", Join(known, ", "));
}

// One data row, checked.
struct Row {
  int line = 0;
  Contact contact;
  bool lang_given = false;
  std::set<std::string> undated;
};

class Importer {
 public:
  Importer(ContactBook& book, const ImportOptions& options)
      : book_(book), options_(options), es_(options.report_lang == Lang::kEs) {}

  absl::StatusOr<ImportReport> Run(std::string_view bytes) {
    report_.dry_run = options_.dry_run;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    CsvReader reader([this](int line, std::vector<std::string>& fields) { OnRecord(line, fields); });
    if (const auto error = reader.Read(bytes)) ReportCsvError(*error);
    if (!have_header_ && report_.problems.empty())
      Problem(1, "", "",
              es_ ? "el archivo está vacío: la primera fila debe nombrar las columnas (name, phone, email, …)"
                  : "the file is empty: its first row must name the columns (name, phone, email, …)");
    if (have_header_) FARO_RETURN_IF_ERROR(MergeAndSave());
    std::stable_sort(report_.problems.begin(), report_.problems.end(),
                     [](const ImportProblem& a, const ImportProblem& b) { return a.row < b.row; });
    return std::move(report_);
  }

 private:
  void Problem(int row, std::string column, std::string_view value, std::string what) {
    report_.problems.push_back({row, std::move(column), ShownValue(value), std::move(what)});
  }

  std::string HeaderOf(size_t index) const {
    if (index < columns_.size()) return columns_[index].header;
    return es_ ? StrCat("(columna ", index + 1, ")") : StrCat("(column ", index + 1, ")");
  }

  void ReportCsvError(const CsvError& error) {
    Problem(error.line, have_header_ ? HeaderOf(error.field) : std::string(), "",
            error.unterminated
                ? (es_ ? "un campo entre comillas no se cierra: falta la comilla final (\")"
                       : "a quoted field is never closed: the closing quote (\") is missing")
                : (es_ ? "CSV mal formado: un campo con comillas debe ir entero entre comillas, con las comillas "
                         "internas dobladas (\"dijo \"\"hola\"\"\")"
                       : "malformed CSV: a field with quotes must be wholly quoted, with inner quotes doubled "
                         "(\"said \"\"hello\"\"\")"));
  }

  void OnRecord(int line, std::vector<std::string>& fields) {
    const bool empty = std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return Trim(f).empty(); });
    if (empty) return;
    if (!have_header_) {
      have_header_ = true;
      ReadHeader(line, fields);
      return;
    }
    ++report_.rows_read;
    ReadRow(line, fields);
  }

  // ----- header

  void ReadHeader(int line, const std::vector<std::string>& fields) {
    // Suggestions come from every name; the list shown names the English ones.
    std::vector<std::string> all, listed;
    for (const ColumnName& c : kColumnNames) all.emplace_back(c.name);
    for (size_t i = 0; i < kEnglishColumns; ++i) listed.emplace_back(kColumnNames[i].name);
    for (const std::string& channel : options_.known_channels) {
      all.push_back(StrCat("consent:", channel));
      listed.push_back(StrCat("consent:", channel));
    }
    std::map<std::string, size_t> seen;  // field (or consent channel) → its first column
    bool has_identity = false;
    for (size_t i = 0; i < fields.size(); ++i) {
      Column column;
      column.header = std::string(Trim(fields[i]));
      const std::string lower = ToLower(column.header);
      bool usable = true;
      if (!IsValidUtf8(column.header)) {
        Problem(line, HeaderOf(i), column.header,
                es_ ? "el nombre de la columna no es UTF-8 válido: guarda el archivo como UTF-8"
                    : "the column name is not valid UTF-8: save the file as UTF-8");
        usable = false;
      } else if (lower.empty()) {
        column.field = Field::kUnnamed;  // its cells must be empty
      } else if (const ColumnName* named = FindColumn(lower)) {
        column.field = named->field;
      } else if (const std::string_view prefix = ConsentPrefix(lower); !prefix.empty()) {
        const std::string_view channel = Trim(std::string_view(column.header).substr(prefix.size()));
        if (auto id = KnownChannel(channel, options_.known_channels)) {
          column.field = Field::kConsent;
          column.channel = *id;
        } else {
          Problem(line, column.header, column.header, UnknownChannelMessage(channel, options_.known_channels, es_));
          usable = false;
        }
      } else {
        Problem(line, column.header, column.header,
                es_ ? StrCat("columna desconocida ", Q(column.header), "; ¿quisiste decir ", Q(Closest(lower, all)),
                             "? Columnas: ", Join(listed, ", "))
                    : StrCat("unknown column ", Q(column.header), "; did you mean ", Q(Closest(lower, all)),
                             "? Columns: ", Join(listed, ", ")));
        usable = false;
      }
      if (!usable) {
        skipped_columns_.insert(i);  // reported once here, not on every row
      } else if (column.field != Field::kUnnamed) {
        const std::string key = column.field == Field::kConsent ? StrCat("consent:", column.channel)
                                                                : std::to_string(static_cast<int>(column.field));
        if (const auto it = seen.find(key); it != seen.end()) {
          Problem(line, column.header, column.header,
                  es_ ? StrCat("la columna ", Q(column.header), " repite la columna ", it->second + 1, " (",
                               Q(columns_[it->second].header), ")")
                      : StrCat("the column ", Q(column.header), " repeats column ", it->second + 1, " (",
                               Q(columns_[it->second].header), ")"));
          skipped_columns_.insert(i);
        } else {
          seen.emplace(key, i);
        }
        if (IdentityOf(column.field)) has_identity = true;
      }
      columns_.push_back(std::move(column));
    }
    header_has_identity_ = has_identity;
    if (!has_identity)
      Problem(line, "", "",
              es_ ? "la primera fila debe nombrar las columnas, con al menos una de phone, email, telegram, "
                    "instagram, messenger o x"
                  : "the first row must name the columns, with at least one of phone, email, telegram, instagram, "
                    "messenger or x");
  }

  static const ColumnName* FindColumn(std::string_view lower) {
    for (const ColumnName& c : kColumnNames)
      if (lower == c.name) return &c;
    return nullptr;
  }
  static std::string_view ConsentPrefix(std::string_view lower) {
    for (std::string_view prefix : kConsentPrefixes)
      if (lower.substr(0, prefix.size()) == prefix) return prefix;
    return {};
  }

  // ----- rows

  void ReadRow(int line, std::vector<std::string>& fields) {
    Row row;
    row.line = line;
    row.contact.lang = options_.default_lang;
    const size_t problems_before = report_.problems.size();
    const std::string default_source = StrCat("csv:", options_.file_name, ":", line);
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string_view raw = fields[i];
      const std::string_view value = Trim(raw);
      if (value.empty()) continue;
      const std::string header = HeaderOf(i);
      if (!IsValidUtf8(raw)) {
        Problem(line, header, raw,
                es_ ? "no es UTF-8 válido: guarda el archivo como UTF-8" : "not valid UTF-8: save the file as UTF-8");
        continue;
      }
      if (i >= columns_.size()) {
        Problem(line, header, value,
                es_ ? StrCat("la fila tiene ", fields.size(), " campos y el encabezado nombra ", columns_.size())
                    : StrCat("the row has ", fields.size(), " fields and the header names ", columns_.size()));
        break;
      }
      if (skipped_columns_.count(i) > 0) continue;  // reported once, at the header
      const Column& column = columns_[i];
      if (const auto kind = IdentityOf(column.field)) {
        auto normalized = NormalizeAddress(*kind, value, options_.default_region, options_.report_lang);
        if (!normalized.ok()) Problem(line, header, value, Message(normalized.status()));
        else *Mutable(row.contact, *kind) = *std::move(normalized);
        continue;
      }
      switch (column.field) {
        case Field::kName: {
          std::string name = CollapseSpaces(value);  // a line break typed inside a cell is a space
          if (HasControl(name))
            Problem(line, header, value, es_ ? "el nombre tiene un carácter de control" : "the name contains a control character");
          else if (name.size() > 200)
            Problem(line, header, value, es_ ? "el nombre tiene más de 200 bytes" : "the name is longer than 200 bytes");
          else
            row.contact.name = std::move(name);
          break;
        }
        case Field::kLang: {
          const std::string lang = ToLower(value);
          const std::string_view base = std::string_view(lang).substr(0, 2);
          const bool locale_form = lang.size() == 2 || (lang.size() > 2 && (lang[2] == '-' || lang[2] == '_'));
          if (locale_form && (base == "es" || base == "en")) {
            row.contact.lang = base == "es" ? Lang::kEs : Lang::kEn;
            row.lang_given = true;
          } else {
            Problem(line, header, value,
                    es_ ? StrCat(Q(value), ": el idioma debe ser es o en") : StrCat(Q(value), ": the language must be es or en"));
          }
          break;
        }
        case Field::kTimezone:
          if (KnownTimeZone(value)) row.contact.timezone = std::string(value);
          else
            Problem(line, header, value,
                    es_ ? StrCat(Q(value), " no es una zona horaria IANA (como America/Argentina/Buenos_Aires o Europe/Madrid)")
                        : StrCat(Q(value), " is not an IANA time zone (such as America/Argentina/Buenos_Aires or Europe/Madrid)"));
          break;
        case Field::kChannels: {
          std::vector<std::string> order;
          for (std::string_view id : Split(value, "| ,\t", true)) {
            const auto known = KnownChannel(id, options_.known_channels);
            if (!known) {
              Problem(line, header, value, UnknownChannelMessage(id, options_.known_channels, es_));
            } else if (std::find(order.begin(), order.end(), *known) != order.end()) {
              Problem(line, header, value,
                      es_ ? StrCat("el canal ", Q(*known), " aparece dos veces") : StrCat("the channel ", Q(*known), " appears twice"));
            } else {
              order.push_back(*known);
            }
          }
          row.contact.channel_order = std::move(order);
          break;
        }
        case Field::kConsent: {
          auto cell = ParseConsentCell(value, options_.now, default_source, options_.report_lang);
          if (!cell.ok()) {
            Problem(line, header, value, Message(cell.status()));
          } else if (cell->has_value()) {
            if (HasControl((*cell)->consent.source))
              Problem(line, header, value, es_ ? "el origen tiene un carácter de control" : "the source contains a control character");
            row.contact.consent[column.channel] = (*cell)->consent;
            if ((*cell)->undated) row.undated.insert(column.channel);
          }
          break;
        }
        case Field::kUnnamed:
          Problem(line, header, value,
                  es_ ? StrCat("esta columna no tiene nombre en el encabezado, pero la celda tiene ", Q(value))
                      : StrCat("this column has no name in the header, but the cell holds ", Q(value)));
          break;
        default:
          break;
      }
    }
    bool reachable = false;
    for (AddressKind kind : kIdentityKinds) reachable = reachable || !row.contact.Address(kind).empty();
    if (!reachable && header_has_identity_ && report_.problems.size() == problems_before)
      Problem(line, "", "",
              es_ ? "la fila no tiene phone, email, telegram, instagram, messenger ni x: Faro no podría escribirle a esta persona"
                  : "the row has no phone, email, telegram, instagram, messenger or x: Faro could not reach this person");
    if (report_.problems.size() == problems_before) rows_.push_back(std::move(row));
  }

  static std::string* Mutable(Contact& c, AddressKind kind) {
    switch (kind) {
      case AddressKind::kPhone: return &c.phone;
      case AddressKind::kEmail: return &c.email;
      case AddressKind::kTelegram: return &c.telegram;
      case AddressKind::kInstagram: return &c.instagram;
      case AddressKind::kMessenger: return &c.messenger;
      case AddressKind::kX: return &c.x_handle;
      case AddressKind::kNone: break;
    }
    static thread_local std::string none;
    return &none;
  }

  bool KnownTimeZone(std::string_view name) {
    const std::string key(name);
    if (const auto it = time_zones_.find(key); it != time_zones_.end()) return it->second;
    // IANA names only: the name becomes a path under the zoneinfo folder, so nothing else is
    // handed to the loader ("localtime", "../x").
    bool ok = !key.empty() && key.front() != '/' && !Contains(key, "..") && key != "localtime";
    for (char c : key)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+');
    absl::TimeZone tz;
    ok = ok && absl::LoadTimeZone(key, &tz);
    time_zones_[key] = ok;
    return ok;
  }

  std::string HeaderFor(Field field, std::string_view channel = {}) const {
    for (const Column& c : columns_)
      if (c.field == field && (field != Field::kConsent || c.channel == channel)) return c.header;
    return "";
  }
  std::string HeaderFor(AddressKind kind) const {
    for (const Column& c : columns_)
      if (IdentityOf(c.field) == kind) return c.header;
    return std::string(AddressKindName(kind));
  }

  // ----- merging rows of the same person, then saving

  // Rows that share any identity are one person (union-find over row indexes).
  std::vector<std::vector<size_t>> Groups() {
    std::vector<size_t> parent(rows_.size());
    for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
    const std::function<size_t(size_t)> find = [&](size_t i) {
      while (parent[i] != i) i = parent[i] = parent[parent[i]];
      return i;
    };
    std::unordered_map<std::string, size_t> owner;
    owner.reserve(rows_.size() * 2);
    for (size_t i = 0; i < rows_.size(); ++i)
      for (AddressKind kind : kIdentityKinds) {
        const std::string& address = rows_[i].contact.Address(kind);
        if (address.empty()) continue;
        std::string key = StrCat(static_cast<int>(kind), ":", IdentityKey(kind, address));
        const auto [it, fresh] = owner.emplace(std::move(key), i);
        if (!fresh) parent[find(i)] = find(it->second);
      }
    std::vector<std::vector<size_t>> groups;
    std::unordered_map<size_t, size_t> group_of_root;
    for (size_t i = 0; i < rows_.size(); ++i) {
      const auto [it, fresh] = group_of_root.emplace(find(i), groups.size());
      if (fresh) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    return groups;
  }

  // Combines a group's rows into one change; differing values are problems naming both rows.
  bool Combine(const std::vector<size_t>& group, ContactChange& change) {
    Contact& merged = change.contact;
    merged = rows_[group.front()].contact;
    change.lang_given = rows_[group.front()].lang_given;
    change.undated_consent = rows_[group.front()].undated;
    std::map<std::string, int> set_by;  // field → row that set it
    const int first = rows_[group.front()].line;
    auto note_field = [&](const std::string& what, bool has) { if (has) set_by.emplace(what, first); };
    note_field("name", !merged.name.empty());
    for (AddressKind kind : kIdentityKinds) note_field(std::string(AddressKindName(kind)), !merged.Address(kind).empty());
    note_field("lang", change.lang_given);
    note_field("timezone", !merged.timezone.empty());
    note_field("channels", !merged.channel_order.empty());

    bool ok = true;
    for (size_t k = 1; k < group.size(); ++k) {
      const Row& row = rows_[group[k]];
      const Contact& in = row.contact;
      std::string shared;
      for (AddressKind kind : kIdentityKinds)
        if (shared.empty() && !in.Address(kind).empty() &&
            IdentityKey(kind, in.Address(kind)) == IdentityKey(kind, merged.Address(kind)))
          shared = StrCat(KindWord(kind), " ", in.Address(kind));
      // Takes `incoming` for a field no earlier row set; a different value is a problem.
      auto take = [&](const std::string& key, const std::string& header, const std::string& incoming,
                      std::string_view shown_current, auto&& assign, bool same) {
        if (incoming.empty()) return;
        if (set_by.count(key) == 0) {
          assign();
          set_by[key] = row.line;
          return;
        }
        if (same) return;
        ok = false;
        const int other = set_by[key];
        Problem(row.line, header, incoming,
                es_ ? StrCat(Q(incoming), ", pero la fila ", other, " es la misma persona",
                             shared.empty() ? "" : StrCat(" (mismo ", shared, ")"), " y dice ", Q(shown_current),
                             ": deja uno de los dos")
                    : StrCat(Q(incoming), ", but row ", other, " is the same person",
                             shared.empty() ? "" : StrCat(" (same ", shared, ")"), " and says ", Q(shown_current),
                             ": keep one of the two"));
      };
      take("name", HeaderFor(Field::kName), in.name, merged.name, [&] { merged.name = in.name; },
           in.name == merged.name);
      for (AddressKind kind : kIdentityKinds) {
        const std::string& incoming = in.Address(kind);
        const std::string current = merged.Address(kind);
        take(std::string(AddressKindName(kind)), HeaderFor(kind), incoming, current,
             [&] { *Mutable(merged, kind) = incoming; },
             IdentityKey(kind, incoming) == IdentityKey(kind, current));
      }
      if (row.lang_given) {
        const std::string incoming(LangCode(in.lang)), current(LangCode(merged.lang));
        take("lang", HeaderFor(Field::kLang), incoming, current,
             [&] { merged.lang = in.lang; change.lang_given = true; }, incoming == current);
      }
      take("timezone", HeaderFor(Field::kTimezone), in.timezone, merged.timezone,
           [&] { merged.timezone = in.timezone; }, in.timezone == merged.timezone);
      const std::string in_channels = Join(in.channel_order, "|"), cur_channels = Join(merged.channel_order, "|");
      take("channels", HeaderFor(Field::kChannels), in_channels, cur_channels,
           [&] { merged.channel_order = in.channel_order; }, in_channels == cur_channels);
      for (const auto& [channel, consent] : in.consent) {
        const auto it = merged.consent.find(channel);
        const bool undated = row.undated.count(channel) > 0;
        if (ConsentSupersedes(consent, undated, it == merged.consent.end() ? nullptr : &it->second)) {
          merged.consent[channel] = consent;
          if (undated) change.undated_consent.insert(channel);
          else change.undated_consent.erase(channel);
        }
      }
    }
    return ok;
  }

  std::string_view KindWord(AddressKind kind) const {
    if (!es_) return AddressKindName(kind);
    switch (kind) {
      case AddressKind::kPhone: return "teléfono";
      case AddressKind::kEmail: return "email";
      case AddressKind::kTelegram: return "chat de Telegram";
      case AddressKind::kInstagram: return "id de Instagram";
      case AddressKind::kMessenger: return "id de Messenger";
      case AddressKind::kX: return "usuario de X";
      case AddressKind::kNone: break;
    }
    return "";
  }

  absl::Status MergeAndSave() {
    const std::vector<std::vector<size_t>> groups = Groups();
    std::vector<ContactChange> changes;
    std::vector<const std::vector<size_t>*> change_rows;
    changes.reserve(groups.size());
    for (const auto& group : groups) {
      ContactChange change;
      if (!Combine(group, change)) continue;
      change.actor = StrCat("import ", options_.file_name);
      changes.push_back(std::move(change));
      change_rows.push_back(&group);
    }
    const bool commit = !options_.dry_run && report_.problems.empty();
    FARO_ASSIGN_OR_RETURN(const std::vector<UpsertOutcome> outcomes, book_.UpsertAll(changes, commit));
    bool conflict = false;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const UpsertOutcome& outcome = outcomes[i];
      const std::vector<size_t>& rows = *change_rows[i];
      const int line = rows_[rows.front()].line;
      switch (outcome.kind) {
        case UpsertKind::kCreated: ++report_.created; break;
        case UpsertKind::kMerged: ++report_.merged; break;
        case UpsertKind::kUnchanged: ++report_.unchanged; break;
        case UpsertKind::kConflict: {
          conflict = true;
          const IdentityMatch& last = outcome.matches.back();
          Problem(line, HeaderFor(last.kind), last.address, DescribeConflict(outcome, options_.report_lang));
          break;
        }
      }
      for (const KeptOptOut& kept : outcome.kept_opt_outs)
        report_.notes.push_back(
            {line, HeaderFor(Field::kConsent, kept.channel), "",
             es_ ? StrCat("un opt-in sin fecha no anula el opt-out del ", FormatConsentTime(kept.stored.at), " (",
                          kept.stored.source, "); para volver a suscribir a esta persona, indica la fecha de su opt-in")
                 : StrCat("an undated opt-in does not undo the opt-out of ", FormatConsentTime(kept.stored.at), " (",
                          kept.stored.source, "); to subscribe this person again, give the date of their opt-in")});
    }
    report_.imported = commit && !conflict;
    return absl::OkStatus();
  }

  ContactBook& book_;
  const ImportOptions& options_;
  const bool es_;
  ImportReport report_;
  bool have_header_ = false;
  bool header_has_identity_ = false;
  std::vector<Column> columns_;
  std::set<size_t> skipped_columns_;
  std::vector<Row> rows_;
  std::unordered_map<std::string, bool> time_zones_;
};

}  // namespace

absl::StatusOr<ImportReport> ImportCsv(ContactBook& book, std::string_view csv_bytes, const ImportOptions& options) {
  Importer importer(book, options);
  return importer.Run(csv_bytes);
}

}  // namespace faro::contacts
