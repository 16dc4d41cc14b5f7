#include "crisis/crisis_card.hpp"

#include <cmath>
#include <cstdio>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "crisis/crisis_watch.hpp"

namespace faro::crisis {
namespace {

constexpr std::size_t kQuoteBytes = 120;  // post text quoted on a card

// 12345 → "12.345" (es) or "12,345" (en).
std::string Count(int64_t n, Lang lang) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  const char sep = lang == Lang::kEs ? '.' : ',';
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

// A rate: one decimal below 10 ("0,4", "2.5"), whole above ("48").
std::string Rate(double x, Lang lang) {
  if (std::fabs(x) >= 9.95) return Count(std::llround(x), lang);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  std::string s = buf;
  if (s == "-0.0") s = "0.0";
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (lang == Lang::kEs)
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

std::string Signed(double x, Lang lang) { return (x > 0.05 ? "+" : "") + Rate(x, lang); }

std::string Percent(double share, Lang lang) {
  const std::string n = std::to_string(std::llround(share * 100.0));
  return lang == Lang::kEs ? n + " %" : n + "%";
}

std::string Clock(TimePoint at) { return Rfc3339(at).substr(11, 5); }  // "14:02"

std::string Handle(std::string_view author) {
  if (author.substr(0, 3) == "id:") return StrCat("(", author.substr(3), ")");
  return StrCat("@", author);
}
std::string HandleOf(const RecentMention& m) {
  if (!m.author_handle.empty()) return StrCat("@", m.author_handle);
  return m.author_id.empty() ? std::string("?") : StrCat("(", m.author_id, ")");
}

std::string Quote(std::string_view text, Lang lang) {
  std::string flat;
  for (const char c : text) flat += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  const std::string clipped = ClipUtf8(flat, kQuoteBytes);
  return lang == Lang::kEs ? StrCat("«", clipped, "»") : StrCat("\u201c", clipped, "\u201d");
}

std::string KindWords(CrisisKind kind, bool es) {
  switch (kind) {
    case CrisisKind::kVolumeSpike: return es ? "pico de menciones" : "mention spike";
    case CrisisKind::kNegativeWave: return es ? "ola negativa" : "negative wave";
    case CrisisKind::kBoth: return es ? "pico de menciones y ola negativa" : "mention spike and negative wave";
  }
  return "";
}

std::string TermWord(const DistinguishingTerm& t, Lang lang) {
  if (!t.term.empty() && t.term[0] == '#') return t.term;
  return lang == Lang::kEs ? StrCat("«", t.term, "»") : StrCat("\u201c", t.term, "\u201d");
}

nlohmann::json Rounded(double x, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(x * f) / f;
}

nlohmann::json PostJson(const RecentMention& m) {
  return {{"id", m.id},
          {"at", Rfc3339(m.at)},
          {"author", m.author_handle},
          {"author_id", m.author_id},
          {"followers", m.followers},
          {"shares", m.shares},
          {"likes", m.likes},
          {"sentiment", PolarityWord(m.polarity)},
          {"text", m.text},
          {"url", m.url},
          {"reply_to", m.reply_to},
          {"reply_to_author", m.reply_to_author}};
}

}  // namespace

std::string_view CrisisKindName(CrisisKind kind) {
  switch (kind) {
    case CrisisKind::kVolumeSpike: return "volume-spike";
    case CrisisKind::kNegativeWave: return "negative-wave";
    case CrisisKind::kBoth: return "both";
  }
  return "";
}

std::string_view OriginPatternName(OriginPattern pattern) {
  switch (pattern) {
    case OriginPattern::kOneAuthor: return "one-author";
    case OriginPattern::kOnePost: return "one-post";
    case OriginPattern::kManyAuthors: return "many-authors";
  }
  return "";
}

std::string CrisisHeadline(const Crisis& c, Lang lang) {
  const bool es = lang == Lang::kEs;
  const CrisisMagnitude& m = c.magnitude;
  const std::string name = es ? StrCat("«", c.rule_name, "»") : StrCat("\u201c", c.rule_name, "\u201d");
  std::string out;
  if (c.open) {
    StrAppend(out, es ? "Posible crisis en " : "Possible crisis at ", name, " (", KindWords(c.kind, es), "): ",
              Rate(m.per_minute, lang), es ? " menciones/min (lo normal: " : " mentions/min (usual: ",
              Rate(m.usual_per_minute, lang), "), ", Percent(m.negative_share, lang),
              es ? " negativas (lo normal: " : " negative (usual: ", Percent(m.usual_negative_share, lang), ").");
  } else {
    StrAppend(out, es ? "Crisis terminada en " : "Crisis over at ", name, " (", KindWords(c.kind, es), ", ",
              Clock(c.started), "\u2013", Clock(c.ended), " UTC): ", es ? "hasta " : "up to ",
              Rate(m.peak_per_minute, lang), es ? " menciones/min (lo normal: " : " mentions/min (usual: ",
              Rate(m.usual_per_minute, lang), "), ", Percent(m.overall_negative_share, lang),
              es ? " negativas en total (lo normal: " : " negative overall (usual: ",
              Percent(m.usual_negative_share, lang), ").");
  }
  return out;
}

std::string CrisisCardText(const Crisis& c, Lang lang) {
  const bool es = lang == Lang::kEs;
  const CrisisOrigin& o = c.origin;
  const CrisisMagnitude& m = c.magnitude;
  std::string out = CrisisHeadline(c, lang);
  out += '\n';

  if (!o.earliest.empty()) {
    const RecentMention& first = o.earliest.front();
    const std::string who = HandleOf(first);
    StrAppend(out, es ? "Empezó a las " : "It started at ", Clock(first.at), " UTC ");
    if (o.started_as_reply_to_brand) {
      StrAppend(out, es ? "con una respuesta de " : "with a reply from ", who,
                es ? " a vuestra cuenta" : " to your account");
      if (!o.brand_answered) out += es ? " que nadie contestó" : " that nobody answered";
    } else {
      StrAppend(out, es ? "con una publicación de " : "with a post by ", who);
    }
    if (!o.earliest_complete) out += es ? " (o antes: ya no tengo las primeras)" : " (or earlier: the very first are no longer in memory)";
    const bool first_is_top = !o.top_author.empty() && StrCat("@", o.top_author) == who;
    switch (o.pattern) {
      case OriginPattern::kOneAuthor:
        StrAppend(out, "; ", es ? "el " : "", Percent(o.top_author_share, lang),
                  es ? " de las menciones son de " : " of the mentions are by ", Handle(o.top_author),
                  es ? " (una sola persona, con muchas publicaciones o respuestas)"
                     : " (one person, with many posts or replies)");
        break;
      case OriginPattern::kOnePost:
        StrAppend(out, "; ", es ? "el " : "", Percent(o.top_post_share, lang),
                  es ? " de las menciones responden a una misma publicación" : " of the mentions reply to one post");
        if (!o.top_post_author.empty()) StrAppend(out, es ? " de @" : " by @", o.top_post_author);
        break;
      case OriginPattern::kManyAuthors:
        StrAppend(out, "; ", es ? "la comentan muchas personas: quien más, " : "many people are talking: the most active, ",
                  Handle(o.top_author), es ? ", firma el " : ", wrote ", Percent(o.top_author_share, lang));
        break;
    }
    if (o.conversation_share >= 0.5 && !(o.pattern == OriginPattern::kOneAuthor && first_is_top)) {
      StrAppend(out, "; ", es ? "el " : "", Percent(o.conversation_share, lang),
                es ? " son de esa conversación" : " belong to that conversation");
    }
    out += ".\n";
  }

  if (!o.terms.empty()) {
    out += es ? "Palabras que la distinguen: " : "Words that set it apart: ";
    for (std::size_t i = 0; i < o.terms.size(); ++i) StrAppend(out, i > 0 ? ", " : "", TermWord(o.terms[i], lang));
    out += ".\n";
  }

  StrAppend(out, es ? "En cifras: " : "In figures: ", Count(m.mentions, lang), es ? " menciones de " : " mentions by ",
            Count(m.unique_authors, lang), es ? " autores desde el inicio, alcance " : " authors since it started, reach ",
            Count(m.reach, lang), es ? " seguidores, " : " followers, ", Count(m.shares, lang),
            es ? " veces compartidas" : " shares");
  if (c.open) {
    StrAppend(out, es ? ", velocidad " : ", velocity ", Signed(m.velocity, lang),
              es ? " menciones/min en los últimos 10 minutos" : " mentions/min over the last 10 minutes");
  }
  out += ".\n";

  if (!o.most_amplified.empty() && o.most_amplified.front().shares > 0) {
    out += es ? "Las más difundidas:" : "Most amplified:";
    std::size_t shown = 0;
    for (const RecentMention& p : o.most_amplified) {
      if (shown == 3) break;
      StrAppend(out, shown > 0 ? ";" : "", " ", HandleOf(p), " (", Count(p.shares, lang),
                es ? " compartidos, " : " shares, ", Count(p.followers, lang), es ? " seguidores): " : " followers): ",
                Quote(p.text, lang));
      ++shown;
    }
    out += ".\n";
  }
  if (!o.earliest.empty()) {
    out += es ? "Las primeras:" : "The first:";
    std::size_t shown = 0;
    for (const RecentMention& p : o.earliest) {
      if (shown == 3) break;
      StrAppend(out, shown > 0 ? ";" : "", " ", Clock(p.at), " ", HandleOf(p), ": ", Quote(p.text, lang));
      ++shown;
    }
    out += ".\n";
  }
  return out;
}

nlohmann::json CrisisCardJson(const Crisis& c) {
  const CrisisMagnitude& m = c.magnitude;
  const CrisisOrigin& o = c.origin;
  nlohmann::json j;
  j["crisis"] = c.number;
  j["rule"] = c.rule_id;
  j["name"] = c.rule_name;
  j["subject"] = c.subject;
  j["kind"] = CrisisKindName(c.kind);
  j["state"] = c.open ? "suspected" : "over";
  j["started"] = Rfc3339(c.started);
  j["suspected"] = Rfc3339(c.suspected);
  j["updated"] = Rfc3339(c.updated);
  j["ended"] = c.open ? nlohmann::json(nullptr) : nlohmann::json(Rfc3339(c.ended));
  j["scores"] = {{"volume", Rounded(c.volume_score, 3)}, {"negative", Rounded(c.negative_score, 3)}};
  j["magnitude"] = {{"per_minute", Rounded(m.per_minute, 2)},
                    {"usual_per_minute", Rounded(m.usual_per_minute, 2)},
                    {"peak_per_minute", Rounded(m.peak_per_minute, 2)},
                    {"mentions", m.mentions},
                    {"unique_authors", m.unique_authors},
                    {"reach", m.reach},
                    {"shares", m.shares},
                    {"velocity", Rounded(m.velocity, 2)},
                    {"negative_share", Rounded(m.negative_share, 3)},
                    {"usual_negative_share", Rounded(m.usual_negative_share, 3)},
                    {"overall_negative_share", Rounded(m.overall_negative_share, 3)}};
  nlohmann::json earliest = nlohmann::json::array(), amplified = nlohmann::json::array(),
                 terms = nlohmann::json::array();
  for (const RecentMention& p : o.earliest) earliest.push_back(PostJson(p));
  for (const RecentMention& p : o.most_amplified) amplified.push_back(PostJson(p));
  for (const DistinguishingTerm& t : o.terms)
    terms.push_back({{"term", t.term}, {"mentions", t.mentions}, {"usual", Rounded(t.usual, 2)}, {"z", Rounded(t.z, 2)}});
  nlohmann::json top_post = nullptr;
  if (!o.top_post.empty())
    top_post = {{"id", o.top_post}, {"author", o.top_post_author}, {"replies", o.top_post_replies},
                {"share", Rounded(o.top_post_share, 3)}};
  j["origin"] = {{"pattern", OriginPatternName(o.pattern)},
                 {"top_author", {{"author", o.top_author}, {"mentions", o.top_author_mentions},
                                 {"share", Rounded(o.top_author_share, 3)}}},
                 {"top_post", top_post},
                 {"started_as_reply_to_brand", o.started_as_reply_to_brand},
                 {"brand_handle", o.brand_handle},
                 {"brand_answered", o.brand_answered},
                 {"conversation_share", Rounded(o.conversation_share, 3)},
                 {"replies_to_brand_share", Rounded(o.replies_to_brand_share, 3)},
                 {"earliest", earliest},
                 {"earliest_complete", o.earliest_complete},
                 {"most_amplified", amplified},
                 {"terms", terms}};
  j["summary"] = {{"en", CrisisHeadline(c, Lang::kEn)}, {"es", CrisisHeadline(c, Lang::kEs)}};
  return j;
}

std::string CrisisReport(const CrisisWatch& watch, Lang lang) {
  const bool es = lang == Lang::kEs;
  const std::vector<Crisis> crises = watch.Crises();
  std::string out;
  if (crises.empty()) {
    out = es ? "Crisis sospechadas: ninguna.\n\n" : "Suspected crises: none.\n\n";
    return out;
  }
  StrAppend(out, es ? "Crisis sospechadas: " : "Suspected crises: ", crises.size(), "\n\n");
  for (const Crisis& c : crises) {
    out += CrisisCardText(c, lang);
    out += '\n';
  }
  return out;
}

}  // namespace faro::crisis
