#include "record/doc.hpp"

#include "core/strings.hpp"
#include "record/markup.hpp"

namespace faro::record {
namespace {

// A relative link kept usable in Markdown: characters that would end the target are encoded.
std::string MdHref(std::string_view href) {
  std::string out;
  for (char c : href) {
    switch (c) {
      case ' ': out += "%20"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '<': out += "%3C"; break;
      case '>': out += "%3E"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string MdRuns(const Runs& runs) {
  std::string out;
  for (const Run& r : runs) {
    std::string piece = MdText(r.text);
    if (r.strong) {
      // Emphasis must hug its text ("**Cuándo:** …"): spaces go outside the asterisks.
      const std::string_view inner = Trim(piece);
      if (!inner.empty()) {
        const std::size_t lead = piece.find_first_not_of(' ');
        piece = StrCat(piece.substr(0, lead), "**", inner, "**", piece.substr(lead + inner.size()));
      }
    }
    if (!r.href.empty()) piece = StrCat("[", piece, "](", MdHref(r.href), ")");
    out += piece;
  }
  return out;
}

std::string HtmlRuns(const Runs& runs) {
  std::string out;
  for (const Run& r : runs) {
    std::string piece = HtmlText(r.text);
    if (r.strong) piece = StrCat("<strong>", piece, "</strong>");
    if (!r.css.empty()) piece = StrCat("<span class=\"", HtmlText(r.css), "\">", piece, "</span>");
    if (!r.href.empty()) piece = StrCat("<a href=\"", HtmlText(r.href), "\">", piece, "</a>");
    out += piece;
  }
  return out;
}

bool Numeric(const Table& t, std::size_t i) { return i < t.numeric.size() && t.numeric[i]; }

}  // namespace

void Doc::Heading(int level, std::string text, std::string id, std::string badge) {
  Block b{Kind::kHeading};
  b.level = level;
  b.text = std::move(text);
  b.id = std::move(id);
  b.badge = std::move(badge);
  blocks_.push_back(std::move(b));
}

void Doc::Paragraph(Runs runs, std::string css) {
  Block b{Kind::kParagraph};
  b.runs = std::move(runs);
  b.css = std::move(css);
  blocks_.push_back(std::move(b));
}

void Doc::List(std::vector<Runs> items) {
  Block b{Kind::kList};
  b.items = std::move(items);
  blocks_.push_back(std::move(b));
}

void Doc::AddTable(Table table) {
  Block b{Kind::kTable};
  b.table = std::move(table);
  blocks_.push_back(std::move(b));
}

void Doc::Figure(std::string svg, std::string caption) {
  Block b{Kind::kFigure};
  b.svg = std::move(svg);
  b.text = std::move(caption);
  blocks_.push_back(std::move(b));
}

void Doc::Footer(std::string text) {
  Block b{Kind::kFooter};
  b.text = std::move(text);
  blocks_.push_back(std::move(b));
}

std::string Doc::Markdown() const {
  std::string out;
  for (const Block& b : blocks_) {
    switch (b.kind) {
      case Kind::kHeading:
        StrAppend(out, std::string(static_cast<std::size_t>(b.level), '#'), " ", MdText(b.text));
        if (!b.badge.empty()) StrAppend(out, " (", MdText(b.badge), ")");
        out += "\n\n";
        break;
      case Kind::kParagraph:
        StrAppend(out, MdRuns(b.runs), "\n\n");
        break;
      case Kind::kList:
        for (const Runs& item : b.items) StrAppend(out, "- ", MdRuns(item), "\n");
        out += "\n";
        break;
      case Kind::kTable: {
        const Table& t = b.table;
        out += "|";
        for (const std::string& h : t.head) StrAppend(out, " ", MdText(h), " |");
        out += "\n|";
        for (std::size_t i = 0; i < t.head.size(); ++i) out += Numeric(t, i) ? " ---: |" : " --- |";
        out += "\n";
        for (const auto& row : t.rows) {
          out += "|";
          for (const Runs& cell : row) StrAppend(out, " ", MdRuns(cell), " |");
          out += "\n";
        }
        out += "\n";
        break;
      }
      case Kind::kFigure:
        StrAppend(out, "*", MdText(b.text), "*\n\n");
        break;
      case Kind::kFooter:
        StrAppend(out, "---\n\n", MdText(b.text), "\n");
        break;
    }
  }
  return out;
}

std::string Doc::Html(std::string_view title, Lang lang) const {
  std::string body;
  for (const Block& b : blocks_) {
    switch (b.kind) {
      case Kind::kHeading: {
        const std::string tag = StrCat("h", b.level);
        StrAppend(body, "<", tag);
        if (!b.id.empty()) StrAppend(body, " id=\"", HtmlText(b.id), "\"");
        StrAppend(body, ">", HtmlText(b.text));
        if (!b.badge.empty()) StrAppend(body, " <span class=\"badge drill\">", HtmlText(b.badge), "</span>");
        StrAppend(body, "</", tag, ">\n");
        break;
      }
      case Kind::kParagraph:
        if (b.css.empty()) StrAppend(body, "<p>", HtmlRuns(b.runs), "</p>\n");
        else StrAppend(body, "<p class=\"", HtmlText(b.css), "\">", HtmlRuns(b.runs), "</p>\n");
        break;
      case Kind::kList:
        body += "<ul>\n";
        for (const Runs& item : b.items) StrAppend(body, "<li>", HtmlRuns(item), "</li>\n");
        body += "</ul>\n";
        break;
      case Kind::kTable: {
        const Table& t = b.table;
        body += "<table>\n<thead><tr>";
        for (std::size_t i = 0; i < t.head.size(); ++i)
          StrAppend(body, Numeric(t, i) ? "<th class=\"num\">" : "<th>", HtmlText(t.head[i]), "</th>");
        body += "</tr></thead>\n<tbody>\n";
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
          const std::string& css = r < t.row_css.size() ? t.row_css[r] : std::string();
          body += css.empty() ? "<tr>" : StrCat("<tr class=\"", HtmlText(css), "\">");
          for (std::size_t i = 0; i < t.rows[r].size(); ++i)
            StrAppend(body, Numeric(t, i) ? "<td class=\"num\">" : "<td>", HtmlRuns(t.rows[r][i]), "</td>");
          body += "</tr>\n";
        }
        body += "</tbody>\n</table>\n";
        break;
      }
      case Kind::kFigure:
        StrAppend(body, "<figure>\n", b.svg, "<figcaption>", HtmlText(b.text), "</figcaption>\n</figure>\n");
        break;
      case Kind::kFooter:
        StrAppend(body, "<footer>", HtmlText(b.text), "</footer>\n");
        break;
    }
  }
  return HtmlPage(title, lang, body);
}

}  // namespace faro::record
