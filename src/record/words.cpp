#include "record/words.hpp"

#include <array>
#include <utility>

#include "core/strings.hpp"
#include "core/decimal.hpp"
#include "core/time_text.hpp"

namespace faro::record {
namespace {

struct Name {
  std::string_view id, es, en;
};

template <std::size_t N>
std::string Lookup(const std::array<Name, N>& names, std::string_view id, Lang lang) {
  for (const Name& n : names)
    if (n.id == id) return std::string(lang == Lang::kEs ? n.es : n.en);
  return std::string(id);
}

constexpr std::array<Name, 15> kTimelineKinds{{
    {"event", "Evento", "Event"},
    {"opened", "Apertura", "Opened"},
    {"state", "Estado", "State"},
    {"action", "Acción", "Action"},
    {"outcome", "Resultado", "Outcome"},
    {"approval-asked", "Aprobación pedida", "Approval asked"},
    {"approved", "Aprobado", "Approved"},
    {"denied", "Rechazado", "Denied"},
    {"escalated", "Escalado", "Escalated"},
    {"no-answer", "Sin respuesta", "No answer"},
    {"role", "Rol", "Role"},
    {"note", "Nota", "Note"},
    {"check", "Verificación", "Check"},
    {"override", "Excepción con motivo", "Override"},
    {"closed", "Cierre", "Closed"},
}};

// The verdict vocabulary of DESIGN.md.
constexpr std::array<Name, 7> kHealth{{
    {"up", "funciona", "up"},
    {"degraded", "lento o inestable", "degraded"},
    {"partial", "falla en parte", "partly failing"},
    {"down", "caído", "down"},
    {"local-network", "es tu conexión", "your connection"},
    {"local-dns", "es tu DNS", "your DNS"},
    {"unknown", "no se sabe", "unknown"},
}};

constexpr std::array<Name, 3> kStates{{
    {"active", "activo", "active"},
    {"stable", "estable", "stable"},
    {"closed", "cerrado", "closed"},
}};

constexpr std::array<Name, 2> kKinds{{
    {"outage", "Caída de plataforma", "Platform outage"},
    {"crisis", "Crisis de reputación", "Reputation crisis"},
}};

constexpr std::array<Name, 8> kItems{{
    {"scheduled-posts", "Publicaciones programadas", "Scheduled posts"},
    {"outbox-drained", "Cola de envíos vacía", "Outbox drained"},
    {"unanswered", "Nadie sin respuesta", "Nobody left unanswered"},
    {"campaigns-resumed", "Campañas reanudadas", "Campaigns resumed"},
    {"ad-figures", "Cifras de anuncios", "Ad figures"},
    {"watching", "Vigilancia reforzada", "Heightened watching"},
    // What the engine also asks before closing (an override may name them).
    {"stable", "Plataforma o crisis estabilizada", "Platform or crisis stable"},
    {"restoration-check", "Verificación hecha", "Restoration check run"},
}};

constexpr std::array<Name, 15> kActions{{
    {"notify", "Se avisó al equipo", "Team notified"},
    {"ask-approval", "Se pidió aprobación", "Approval asked"},
    {"escalate", "Se escaló la aprobación", "Approval escalated"},
    {"failover", "Canal desviado a otros", "Channel failed over"},
    {"undo-failover", "Canal restablecido", "Failover undone"},
    {"broadcast", "Aviso a clientes", "Notice to customers"},
    {"pause-ads", "Anuncios pausados", "Ads paused"},
    {"resume-ads", "Anuncios reanudados", "Ads resumed"},
    {"move-campaign", "Campaña trasladada", "Campaign moved"},
    {"holding-statement", "Comunicado inicial publicado", "Holding statement published"},
    {"assign-replies", "Respuestas personales asignadas", "Personal replies assigned"},
    {"status-update", "Actualización de estado", "Status update"},
    {"remind", "Recordatorio", "Reminder"},
    {"wait", "Espera", "Wait"},
    {"restoration-check", "Verificación tras la recuperación", "Restoration check"},
}};

}  // namespace

std::string FormatCount(int64_t n, Lang lang) {
  const char sep = lang == Lang::kEs ? '.' : ',';
  const uint64_t magnitude = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out.push_back(sep);
    out.append(digits, i, 3);
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatDecimal(int64_t micros, int decimals, Lang lang) {
  const std::string plain = FormatFixed(micros, decimals);  // "-1234.50"
  const bool negative = !plain.empty() && plain[0] == '-';
  const std::size_t dot = plain.find('.');
  const std::string_view whole = std::string_view(plain).substr(negative ? 1 : 0, dot == std::string::npos ? std::string::npos : dot - (negative ? 1 : 0));
  int64_t units = 0;
  for (char c : whole) units = units * 10 + (c - '0');
  std::string out = negative ? "-" : "";
  out += FormatCount(units, lang);
  if (dot != std::string::npos) {
    out.push_back(lang == Lang::kEs ? ',' : '.');
    out.append(plain, dot + 1);
  }
  return out;
}

std::string FormatDuration(std::chrono::milliseconds length, Lang lang) {
  int64_t s = length.count() / 1000;
  if (s < 0) s = 0;
  if (s < 60) return StrCat(s, " s");
  const int64_t m = s / 60;  // whole minutes: "6 h 2 min" is what people say
  if (m < 60) return StrCat(m, " min");
  const int64_t h = m / 60;
  if (h < 48) return m % 60 == 0 ? StrCat(h, " h") : StrCat(h, " h ", m % 60, " min");
  const int64_t d = h / 24;
  (void)lang;  // "h", "min", "s" and "d" read the same in both languages
  return h % 24 == 0 ? StrCat(d, " d") : StrCat(d, " d ", h % 24, " h");
}

std::string DateTime(TimePoint at) {
  const std::string t = Rfc3339(at);  // 2021-10-04T15:39:00.250Z
  return StrCat(t.substr(0, 10), " ", t.substr(11, 5), " UTC");
}

std::string ClockTime(TimePoint at) { return StrCat(Rfc3339(at).substr(11, 5), " UTC"); }

std::string DateOnly(TimePoint at) { return Rfc3339(at).substr(0, 10); }

std::string TimelineKindName(std::string_view kind, Lang lang) { return Lookup(kTimelineKinds, kind, lang); }
std::string HealthName(std::string_view health, Lang lang) { return Lookup(kHealth, health, lang); }
std::string IncidentStateName(std::string_view state, Lang lang) { return Lookup(kStates, state, lang); }
std::string IncidentKindName(std::string_view kind, Lang lang) { return Lookup(kKinds, kind, lang); }
std::string ChecklistItemName(std::string_view item, Lang lang) { return Lookup(kItems, item, lang); }
std::string ActionKindName(std::string_view kind, Lang lang) { return Lookup(kActions, kind, lang); }

std::string Quoted(std::string_view text, Lang lang) {
  return lang == Lang::kEs ? StrCat("«", text, "»") : StrCat("“", text, "”");
}

}  // namespace faro::record
