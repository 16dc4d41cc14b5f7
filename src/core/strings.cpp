#include "core/strings.hpp"

#include <algorithm>
#include <cctype>

namespace faro {

std::vector<std::string_view> Split(std::string_view text, std::string_view separators, bool skip_empty) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find_first_of(separators, start);
    std::string_view piece = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!skip_empty || !piece.empty()) out.push_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(std::string_view text, std::string_view piece) { return text.find(piece) != std::string_view::npos; }

bool ContainsIgnoreCase(std::string_view text, std::string_view piece) {
  return Contains(ToLower(text), ToLower(piece));
}

namespace {

enum class Markup { kHtml, kXml };

std::string EscapeMarkup(std::string_view text, Markup markup) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += markup == Markup::kXml ? "&apos;" : "&#39;"; break;
      default:
        if (markup == Markup::kXml && static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out.push_back(' ');
        else
          out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string EscapeHtml(std::string_view text) { return EscapeMarkup(text, Markup::kHtml); }

std::string EscapeXml(std::string_view text) { return EscapeMarkup(text, Markup::kXml); }

}  // namespace faro
