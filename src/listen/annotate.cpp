#include "listen/annotate.hpp"

#include <charconv>
#include <cmath>

namespace faro {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

namespace {

void AppendTokens(std::string& out, const NormalisedText& text, TokenKind kind) {
  out += '[';
  bool first = true;
  for (const Token& t : text.tokens) {
    if (t.kind != kind) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, t.text);
  }
  out += ']';
}

void AppendScore(std::string& out, double score) {
  if (!std::isfinite(score)) score = 0;
  score = std::round(score * 1000) / 1000;  // three decimals are all a reader needs
  if (score == 0) score = 0;                // no "-0"
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, score);
  out.append(buf, ec == std::errc() ? end : buf);
}

}  // namespace

void AppendAnnotated(std::string& out, const Mention& mention, const Annotation& a, const RuleSet* rules) {
  // The reader only accepts objects, so the record ends with '}' (then maybe spaces).
  std::string_view raw = mention.raw;
  const std::size_t close = raw.rfind('}');
  const std::string_view body = raw.substr(0, close);  // without the closing brace
  out.append(body);
  // An object with no members ("{}") needs no comma; the reader never accepts one, but stay safe.
  std::size_t last = body.size();
  while (last > 0 && (body[last - 1] == ' ' || body[last - 1] == '\t')) --last;
  if (last > 0 && body[last - 1] != '{') out += ',';
  out += "\"lang\":\"";
  out += TextLangCode(a.lang);
  out += "\",\"sentiment\":\"";
  out += PolarityWord(a.sentiment.polarity);
  out += "\",\"score\":";
  AppendScore(out, a.sentiment.score);
  out += ",\"hashtags\":";
  AppendTokens(out, *a.text, TokenKind::kHashtag);
  out += ",\"mentions\":";
  AppendTokens(out, *a.text, TokenKind::kMention);
  out += ",\"matched_rules\":[";
  for (std::size_t i = 0; i < a.matched_rules.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, rules->rules()[a.matched_rules[i]].id);
  }
  out += "]}\n";
}

}  // namespace faro
