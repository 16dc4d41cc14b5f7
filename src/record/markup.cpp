#include "record/markup.hpp"

#include "core/strings.hpp"

namespace faro::record {

namespace {

constexpr std::string_view kStyle = R"css(
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
        --green: #2e7d32; --red: #c62828; --amber: #9a5b00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.meta { color: var(--muted); margin: 0 0 .2rem; }
.badge { display: inline-block; padding: 0 .5em; border-radius: .6em; font-size: .8rem; font-weight: 600;
         vertical-align: middle; background: var(--soft); border: 1px solid var(--line); }
.badge.drill { background: #fff4d6; border-color: #e3b341; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .4rem 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.green, .health-up { color: var(--green); font-weight: 600; }
.red, .health-down { color: var(--red); font-weight: 600; }
.pending, .health-degraded, .health-partial { color: var(--amber); font-weight: 600; }
tr.kind-note td, tr.kind-override td { background: #fffbe6; }
tr.kind-denied td, tr.kind-no-answer td { background: #fdecea; }
figure { margin: .4rem 0; }
figcaption { color: var(--muted); font-size: .85rem; }
svg { max-width: 100%; height: auto; font-family: inherit; }
ul { padding-left: 1.3rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  figure, tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

std::string MdText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '#':  // a heading only at the start, or a closing run at the end of a heading
        if (i == 0 || text.find_first_not_of("# ", i) == std::string_view::npos) out.push_back('\\');
        out.push_back(c);
        break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': {
        const char next = i + 1 < text.size() ? text[i + 1] : ' ';
        const bool entity_like = next == '#' || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
        out += entity_like ? "&amp;" : "&";
        break;
      }
      case '\r': break;
      case '\n': case '\t': out.push_back(' '); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string HtmlText(std::string_view text) { return EscapeHtml(text); }

std::string HtmlPage(std::string_view title, Lang lang, std::string_view body) {
  std::string out;
  StrAppend(out, "<!DOCTYPE html>\n<html lang=\"", LangCode(lang), "\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
            "<title>", HtmlText(title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<main>\n", body,
            "</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace faro::record
