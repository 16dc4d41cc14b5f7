#include "check/report_table.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/strings.hpp"

namespace faro {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kDim = "\033[2m";

std::string_view VerdictColor(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kUp: return "\033[32m";
    case VerdictKind::kDegraded:
    case VerdictKind::kPartial: return "\033[33m";
    case VerdictKind::kDown: return "\033[31m";
    case VerdictKind::kLocalNetwork:
    case VerdictKind::kLocalDns: return "\033[35m";
    case VerdictKind::kUnknown: return "\033[90m";
  }
  return "";
}

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t w = DisplayWidth(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string Ms(std::optional<double> ms) {
  if (!ms) return "—";
  if (*ms < 10) return StrCat(std::round(*ms * 10) / 10, " ms");
  return StrCat(static_cast<long>(std::lround(*ms)), " ms");
}

// Median of one phase over the endpoints that answered (or over all, if none did).
std::optional<double> MedianPhase(const std::vector<EndpointEvidence>& endpoints,
                                  std::optional<double> Phases::*phase) {
  std::vector<double> values;
  for (bool healthy_only : {true, false}) {
    for (const EndpointEvidence& e : endpoints) {
      if (healthy_only && e.result.outcome == Outcome::kFail) continue;
      if (const auto& v = e.result.phases.*phase) values.push_back(*v);
    }
    if (!values.empty()) break;
  }
  if (values.empty()) return std::nullopt;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

std::size_t DisplayWidth(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

TablePrinter::TablePrinter(std::ostream& out, Lang lang, bool color, std::size_t target_width)
    : out_(out), lang_(lang), color_(color),
      target_width_(std::clamp<std::size_t>(target_width, lang == Lang::kEs ? 10 : 8, 48)) {}

void TablePrinter::PrintLocal(const LocalEvidence& local, const LocalAssessment& a) {
  const bool es = lang_ == Lang::kEs;
  std::string line = es ? "Tu lado: " : "Your side: ";
  if (a.network == NetworkState::kSkipped) {
    StrAppend(line, es ? "no comprobado (--skip-local)" : "not checked (--skip-local)");
  } else {
    const auto ok_refs = std::count_if(local.references.begin(), local.references.end(),
                                       [](const EndpointEvidence& e) { return e.result.outcome != Outcome::kFail; });
    const std::string refs = StrCat(ok_refs, "/", local.references.size());
    switch (a.network) {
      case NetworkState::kOk: StrAppend(line, es ? "conexión bien" : "connection ok"); break;
      case NetworkState::kPartial: StrAppend(line, es ? "conexión inestable" : "connection unstable"); break;
      case NetworkState::kDown: StrAppend(line, es ? "SIN CONEXIÓN" : "NO CONNECTION"); break;
      case NetworkState::kSkipped: break;
    }
    if (local.link == false) StrAppend(line, es ? " (sin enlace de red)" : " (no network link)");
    else if (local.default_route == false) StrAppend(line, es ? " (sin ruta por defecto)" : " (no default route)");
    else StrAppend(line, " (", refs, es ? " sitios de referencia)" : " reference hosts)");
    StrAppend(line, " · DNS ");
    const auto ok_alts = std::count_if(local.alternatives.begin(), local.alternatives.end(),
                                       [](const ResolverEvidence& r) { return r.ok; });
    switch (a.dns) {
      case DnsState::kOk: StrAppend(line, es ? "bien" : "ok"); break;
      case DnsState::kFailing: StrAppend(line, es ? "FALLA (tu resolvedor)" : "FAILING (your resolver)"); break;
      case DnsState::kAllFailing: StrAppend(line, es ? "FALLA (todos los resolvedores)" : "FAILING (every resolver)"); break;
      case DnsState::kSkipped: StrAppend(line, es ? "no comprobado" : "not checked"); break;
    }
    if (local.system)
      StrAppend(line, " (", local.system->resolver, es ? "; alternativas " : "; alternatives ", ok_alts, "/",
                local.alternatives.size(), ")");
  }
  out_ << line << "\n\n";
}

void TablePrinter::PrintHeader() {
  header_printed_ = true;
  const bool es = lang_ == Lang::kEs;
  std::string h = StrCat(Pad(es ? "OBJETIVO" : "TARGET", target_width_), "  ", Pad(es ? "ESTADO" : "VERDICT", kVerdictColumnWidth), "  ",
                         Pad(es ? "CAUSA" : "CAUSE", 13), "  ", Pad("CONF.", 5), "  ", Pad(es ? "PRUEBAS" : "CHECKS", 7),
                         "  ", Pad("DNS", 8), "  ", Pad(es ? "CONEXIÓN" : "CONNECT", 8), "  ", Pad("TLS", 8), "  ",
                         es ? "1er BYTE" : "1ST BYTE");
  if (color_) h = StrCat(kBold, h, kReset);
  out_ << h << "\n";
}

void TablePrinter::PrintTarget(const TargetReport& t) {
  if (!header_printed_) PrintHeader();
  const Verdict& v = t.verdict;
  const auto& eps = t.evidence.endpoints;
  const UnitSummary s = SummariseEndpoints(eps);
  std::string words(VerdictWords(v.kind, v.scope, lang_));
  std::string verdict_cell = Pad(words, kVerdictColumnWidth);
  if (color_) verdict_cell = StrCat(VerdictColor(v.kind), verdict_cell, kReset);
  std::string name = t.evidence.target;
  if (DisplayWidth(name) > target_width_) name = name.substr(0, target_width_ - 1) + "…";
  const std::string_view cause = v.cause == Cause::kNone ? std::string_view("—") : CauseName(v.cause);
  out_ << Pad(name, target_width_) << "  " << verdict_cell << "  " << Pad(cause, 13) << "  "
       << Pad(StrCat(static_cast<int>(std::lround(v.confidence * 100)), "%"), 5) << "  "
       << Pad(StrCat(s.units - s.failed, "/", s.units), 7) << "  " << Pad(Ms(MedianPhase(eps, &Phases::dns)), 8) << "  "
       << Pad(Ms(MedianPhase(eps, &Phases::connect)), 8) << "  " << Pad(Ms(MedianPhase(eps, &Phases::tls)), 8) << "  "
       << Ms(MedianPhase(eps, &Phases::first_byte)) << "\n";
  if (v.kind == VerdictKind::kUp) return;
  const std::string indent(target_width_ + 2, ' ');
  out_ << indent << (color_ ? kDim : "") << v.summary << (color_ ? kReset : "") << "\n";
  for (const std::string& a : v.advice) out_ << indent << "→ " << a << "\n";
}

void TablePrinter::PrintEnd(const CheckReport& report) {
  const bool es = lang_ == Lang::kEs;
  if (!header_printed_ && report.targets.empty()) PrintHeader();
  for (const std::string& e : report.errors) out_ << (es ? "Atención: " : "Warning: ") << e << "\n";
  out_ << "\n"
       << (es ? "Comprobado en " : "Checked in ") << std::lround(report.duration_ms) << " ms"
       << (es ? " · --json para todas las pruebas" : " · --json for all the evidence") << "\n";
}

}  // namespace faro
