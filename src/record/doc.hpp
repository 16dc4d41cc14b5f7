#pragma once
// A small document model for reports and the manual: headings, paragraphs, lists, tables and
// figures, written once and rendered to Markdown or to a self-contained HTML page, so both
// formats always say the same thing. Every piece of text here is plain text: the renderers
// escape it (a note reading "<script>" prints as those characters in both formats).
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"

namespace faro::record {

// A run of text with optional emphasis, link (a relative path) and CSS class (HTML only).
struct Run {
  std::string text;
  bool strong = false;
  std::string href;
  std::string css;
};
using Runs = std::vector<Run>;
inline Runs Plain(std::string text) { return {Run{std::move(text)}}; }

struct Table {
  std::vector<std::string> head;
  std::vector<bool> numeric;  // right-aligned columns (by index; missing means false)
  std::vector<std::vector<Runs>> rows;
  std::vector<std::string> row_css;  // optional class per row (HTML only)
};

class Doc {
 public:
  // `badge` is shown next to a heading ("simulacro"/"drill"); `id` anchors it in HTML.
  void Heading(int level, std::string text, std::string id = "", std::string badge = "");
  void Paragraph(Runs runs, std::string css = "");
  void List(std::vector<Runs> items);
  void AddTable(Table table);
  // An inline SVG with its caption. Markdown shows only the caption (the facts the figure
  // draws must also be given as text or a table next to it).
  void Figure(std::string svg, std::string caption);
  void Footer(std::string text);

  std::string Markdown() const;
  std::string Html(std::string_view title, Lang lang) const;

 private:
  enum class Kind { kHeading, kParagraph, kList, kTable, kFigure, kFooter };
  struct Block {
    Kind kind;
    int level = 0;
    std::string text, id, badge, css, svg;
    Runs runs;
    std::vector<Runs> items;
    Table table;
  };
  std::vector<Block> blocks_;
};

}  // namespace faro::record
