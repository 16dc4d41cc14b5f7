#include "listen/summary.hpp"

#include <algorithm>
#include <cmath>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro {

std::string GroupDigits(int64_t n, Lang lang) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += lang == Lang::kEs ? '.' : ',';
    out += digits[i];
  }
  return out;
}

namespace {

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  return StrCat(static_cast<int64_t>(std::lround(100.0 * static_cast<double>(part) / static_cast<double>(whole))), "%");
}

std::string TermText(const QueryTerm& t) {
  switch (t.kind) {
    case TermKind::kWord: return t.text;
    case TermKind::kPhrase: return StrCat("\"", t.text, "\"");
    case TermKind::kHashtag: return StrCat("#", t.text);
    case TermKind::kMention: return StrCat("@", t.text);
    case TermKind::kPrefix: return StrCat(t.text, "*");
  }
  return t.text;
}

void AppendRule(std::string& out, const RuleSummary& s, Lang lang, const RuleSet* rules, const RuleInfo* info) {
  const bool es = lang == Lang::kEs;
  const int64_t with_sentiment = s.negative + s.neutral + s.positive;
  StrAppend(out, "  ", es ? "menciones " : "mentions ", GroupDigits(s.mentions, lang));
  if (s.scored) {
    StrAppend(out, " · ", es ? "negativas " : "negative ", Percent(s.negative, with_sentiment));
    StrAppend(out, " (", GroupDigits(s.negative, lang), es ? " de " : " of ", GroupDigits(with_sentiment, lang),
              es ? " con sentimiento)" : " with sentiment)");
    StrAppend(out, " · ", es ? "positivas " : "positive ", Percent(s.positive, with_sentiment));
  }
  StrAppend(out, " · ", es ? "alcance " : "reach ", GroupDigits(s.reach, lang));
  StrAppend(out, " · ", es ? "compartidas " : "shares ", GroupDigits(s.shares, lang), "\n");
  if (s.mentions > 0)
    StrAppend(out, "  ", es ? "desde " : "from ", Rfc3339(FromUnixMillis(s.first_ms)), es ? " hasta " : " to ",
              Rfc3339(FromUnixMillis(s.last_ms)), "\n");
  const auto tags = s.hashtags.Top(5);
  if (!tags.empty()) {
    StrAppend(out, "  ", es ? "hashtags principales: " : "top hashtags: ");
    for (std::size_t i = 0; i < tags.size(); ++i)
      StrAppend(out, i > 0 ? ", " : "", "#", tags[i].key, " ", GroupDigits(tags[i].count, lang));
    out += "\n";
  }
  if (info != nullptr && rules != nullptr) {
    std::vector<std::pair<int64_t, std::size_t>> terms;
    for (std::size_t i = 0; i < s.term_counts.size(); ++i)
      if (s.term_counts[i] > 0) terms.emplace_back(-s.term_counts[i], i);
    std::sort(terms.begin(), terms.end());
    if (terms.size() > 5) terms.resize(5);
    if (!terms.empty()) {
      StrAppend(out, "  ", es ? "términos que coinciden: " : "matching terms: ");
      for (std::size_t i = 0; i < terms.size(); ++i)
        StrAppend(out, i > 0 ? ", " : "", TermText(rules->terms()[info->positive_terms[terms[i].second]]), " ",
                  GroupDigits(-terms[i].first, lang));
      out += "\n";
    }
  }
}

}  // namespace

void AppendSummary(std::string& out, const ListenPipeline& pipeline, const ReaderCounts& counts, Lang lang) {
  const bool es = lang == Lang::kEs;
  StrAppend(out, es ? "Resumen de escucha: " : "Listening summary: ", GroupDigits(counts.accepted, lang),
            es ? " menciones leídas, " : " mentions read, ", GroupDigits(counts.RejectedTotal(), lang),
            es ? " rechazadas" : " rejected");
  if (pipeline.late_mentions() > 0)
    StrAppend(out, ", ", GroupDigits(pipeline.late_mentions(), lang),
              es ? " llegaron tarde para los minutos" : " arrived too late for the per-minute counts");
  out += "\n\n";
  StrAppend(out, es ? "Todas las menciones\n" : "All mentions\n");
  AppendRule(out, pipeline.overall(), lang, nullptr, nullptr);
  const RuleSet* rules = pipeline.rules();
  if (rules != nullptr) {
    for (std::size_t r = 0; r < rules->rules().size(); ++r) {
      const RuleInfo& info = rules->rules()[r];
      const bool brand = info.kind == RuleDef::Kind::kBrand;
      const char* kind = brand ? (es ? "marca" : "brand") : (es ? "tema" : "topic");
      StrAppend(out, "\n", info.id, " · ", info.name, " (", kind);
      if (!info.platform.empty()) StrAppend(out, ", ", es ? "plataforma " : "platform ", info.platform);
      out += ")\n";
      AppendRule(out, pipeline.summaries()[r], lang, rules, &info);
    }
  }
  if (counts.RejectedTotal() > 0) {
    StrAppend(out, "\n", es ? "Rechazadas:" : "Rejected:");
    for (std::size_t i = 0; i < kRejectReasonCount; ++i)
      if (counts.rejected[i] > 0)
        StrAppend(out, " ", RejectReasonText(static_cast<RejectReason>(i), lang), " ",
                  GroupDigits(counts.rejected[i], lang), ";");
    out.back() = '\n';
  }
}

}  // namespace faro
