#pragma once
// For tests: is this HTML well-formed enough to trust as a printable, self-contained file?
// Every element is closed in order (void elements and "/>" excepted), <style> is raw text, no
// element is <script>, <iframe>, <object>, <embed>, <link> or <img>, no attribute is an event
// handler ("on…") or points outside the file (http:, https:, //, javascript:, data:). Returns
// "" when fine, else the first problem and its byte offset.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace faro::record::testing {

inline std::string HtmlProblem(std::string_view html) {
  auto at = [](std::size_t pos, std::string_view what) { return std::string(what) + " at byte " + std::to_string(pos); };
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  static const std::vector<std::string> kVoid = {"meta", "br", "hr", "wbr", "col", "area", "base", "source", "input"};
  static const std::vector<std::string> kForbidden = {"script", "iframe", "object", "embed", "link", "img"};
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      if (html[i] == '>') return at(i, "a bare '>' in text");
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) return at(i, "an unclosed comment");
      i = end + 3;
      continue;
    }
    if (html.substr(i, 2) == "<!") {
      const std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) return at(i, "an unclosed declaration");
      i = end + 1;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-' || html[j] == ':')) ++j;
    const std::string name = lower(html.substr(name_start, j - name_start));
    if (name.empty()) return at(i, "a '<' that starts no tag");
    // Attributes: name[=value], values quoted with " or ' or bare.
    bool self_closing = false;
    while (true) {
      while (j < html.size() && std::isspace(static_cast<unsigned char>(html[j]))) ++j;
      if (j >= html.size()) return at(i, "an unclosed tag <" + name);
      if (html[j] == '>') break;
      if (html.substr(j, 2) == "/>") {
        self_closing = true;
        ++j;
        break;
      }
      const std::size_t an = j;
      while (j < html.size() && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '=' && html[j] != '>' &&
             html[j] != '/')
        ++j;
      const std::string attr = lower(html.substr(an, j - an));
      if (attr.empty()) return at(j, "a malformed attribute in <" + name);
      if (attr.size() > 2 && attr.substr(0, 2) == "on") return at(an, "an event handler attribute " + attr);
      std::string value;
      if (j < html.size() && html[j] == '=') {
        ++j;
        if (j < html.size() && (html[j] == '"' || html[j] == '\'')) {
          const char q = html[j];
          const std::size_t end = html.find(q, j + 1);
          if (end == std::string_view::npos) return at(j, "an unclosed attribute value");
          value = std::string(html.substr(j + 1, end - j - 1));
          if (value.find('<') != std::string::npos) return at(j, "a '<' inside an attribute value");
          j = end + 1;
        } else {
          const std::size_t vs = j;
          while (j < html.size() && !std::isspace(static_cast<unsigned char>(html[j])) && html[j] != '>') ++j;
          value = std::string(html.substr(vs, j - vs));
        }
      }
      if (attr == "href" || attr == "src" || attr == "action" || attr == "xlink:href") {
        const std::string v = lower(value);
        for (std::string_view bad : {"http:", "https:", "//", "javascript:", "data:"})
          if (v.rfind(bad, 0) == 0) return at(an, "a link out of the file: " + value);
      }
    }
    const std::size_t tag_end = j + 1;
    for (const std::string& f : kForbidden)
      if (name == f) return at(i, "a forbidden element <" + name + ">");
    if (closing) {
      if (open.empty() || open.back() != name)
        return at(i, "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">"));
      open.pop_back();
    } else if (!self_closing && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      if (name == "style") {
        const std::size_t end = html.find("</style>", tag_end);
        if (end == std::string_view::npos) return at(i, "an unclosed <style>");
        const std::string css = lower(html.substr(tag_end, end - tag_end));
        if (css.find("url(") != std::string::npos || css.find("@import") != std::string::npos)
          return at(i, "a stylesheet that fetches something");
        i = end + 8;
        continue;
      }
      open.push_back(name);
    }
    i = tag_end;
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  return "";
}

}  // namespace faro::record::testing
