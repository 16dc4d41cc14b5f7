#include "sources/feeds.hpp"

#include <pugixml.hpp>

#include <cstring>
#include <vector>

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"
#include "sources/feed_text.hpp"

namespace faro::sources {
namespace {

// The local part of an element name ("dc:creator" → "creator", "atom:link" → "link").
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The first child element with this local name (feeds mix namespace prefixes freely).
pugi::xml_node Child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node child : parent.children())
    if (child.type() == pugi::node_element && LocalName(child) == local) return child;
  return {};
}

// All character data under `node`, in document order, without recursion (deep documents
// cannot overflow the stack). Atom xhtml content and HTML-in-CDATA both come out as text.
std::string AllText(const pugi::xml_node& node) {
  std::string out;
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node c = node.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  while (!stack.empty()) {
    const pugi::xml_node n = stack.back();
    stack.pop_back();
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      out += n.value();
    } else if (n.type() == pugi::node_element) {
      out.push_back(' ');
      for (pugi::xml_node c = n.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
    }
  }
  return out;
}

std::string PlainText(const pugi::xml_node& node) { return node ? HtmlToText(AllText(node)) : std::string(); }

// "<title> <body>": a separator a person reads, and nothing when one of them is empty.
std::string Combine(const std::string& title, const std::string& body) {
  if (title.empty()) return body;
  if (body.empty() || body == title) return title;
  return StrCat(title, " — ", body);
}

struct Out {
  ConvertResult* result;
  std::string where;
  void Reject(std::string field, std::string reason, std::string detail) {
    result->rejections.push_back(ItemRejection{where, std::move(field), std::move(reason), std::move(detail)});
  }
};

// Text fields pass through HtmlToText, which repairs UTF-8; ids and links are kept as written,
// so they are checked.
bool ValidIds(const MentionRecord& m, Out& out) {
  if (!IsValidUtf8(m.id)) {
    out.Reject("id", "invalid-utf8", "the id is not valid UTF-8");
    return false;
  }
  if (!IsValidUtf8(m.url)) {
    out.Reject("link", "invalid-utf8", "the link is not valid UTF-8");
    return false;
  }
  return true;
}

// RSS's author is an e-mail address, by convention "mail@example.com (Name)": the name when
// one is given, else the address.
std::string AuthorName(const std::string& author) {
  const std::size_t open = author.find(" (");
  if (open != std::string::npos && author.back() == ')' && author.find('@') < open) {
    std::string name = author.substr(open + 2, author.size() - open - 3);
    if (!name.empty()) return name;
  }
  return author;
}

void RssItem(const pugi::xml_node& item, MentionRecord m, Out out) {
  m.text = Combine(PlainText(Child(item, "title")), PlainText(Child(item, "description")));
  if (m.text.empty()) return out.Reject("title", "missing-field", "an item needs a title or a description");
  const std::string date(Trim(AllText(Child(item, "pubDate"))));
  if (date.empty()) return out.Reject("pubDate", "missing-field", "the item has no pubDate");
  const auto at = ParseRfc822(date);
  if (!at) return out.Reject("pubDate", "bad-time", StrCat("not an RFC 822 date: ", ClipUtf8(date, 40)));
  m.at = *at;
  m.url = std::string(Trim(AllText(Child(item, "link"))));
  m.id = std::string(Trim(AllText(Child(item, "guid"))));
  if (m.id.empty()) m.id = m.url;
  // author: an e-mail address, often "mail@example.com (Name)"; dc:creator: a name.
  pugi::xml_node author = Child(item, "author");
  if (!author) author = Child(item, "creator");
  m.author_handle = AuthorName(HtmlToText(AllText(author)));
  if (!ValidIds(m, out)) return;
  out.result->mentions.push_back(std::move(m));
}

std::string AtomLink(const pugi::xml_node& entry) {
  std::string first;
  for (pugi::xml_node link : entry.children()) {
    if (link.type() != pugi::node_element || LocalName(link) != "link") continue;
    const std::string_view rel = link.attribute("rel").value();
    if (rel.empty() || rel == "alternate") return link.attribute("href").value();
    if (first.empty()) first = link.attribute("href").value();
  }
  return first;
}

void AtomEntry(const pugi::xml_node& entry, MentionRecord m, Out out) {
  std::string body = PlainText(Child(entry, "summary"));
  if (body.empty()) body = PlainText(Child(entry, "content"));
  m.text = Combine(PlainText(Child(entry, "title")), body);
  if (m.text.empty()) return out.Reject("title", "missing-field", "an entry needs a title, a summary or content");
  pugi::xml_node when = Child(entry, "published");
  const char* field = "published";
  if (!when) {
    when = Child(entry, "updated");
    field = "updated";
  }
  const std::string date(Trim(AllText(when)));
  if (date.empty()) return out.Reject("updated", "missing-field", "the entry has neither published nor updated");
  const auto at = ParseRfc3339(date);
  if (!at.ok()) return out.Reject(field, "bad-time", StrCat("not an RFC 3339 time: ", ClipUtf8(date, 40)));
  m.at = *at;
  m.id = std::string(Trim(AllText(Child(entry, "id"))));
  m.url = AtomLink(entry);
  if (pugi::xml_node author = Child(entry, "author")) m.author_handle = PlainText(Child(author, "name"));
  if (!ValidIds(m, out)) return;
  out.result->mentions.push_back(std::move(m));
}

}  // namespace

ConvertResult FeedConnector::Convert(std::string_view document) {
  ConvertResult result;
  pugi::xml_document doc;
  // No DTD processing beyond what pugixml always does (it never fetches external entities).
  const pugi::xml_parse_result parsed =
      doc.load_buffer(document.data(), document.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    result.rejections.push_back(ItemRejection{"document", "", "malformed-xml",
                                              StrCat(parsed.description(), " at byte ", parsed.offset)});
    return result;
  }
  const pugi::xml_node root = doc.document_element();
  MentionRecord base;
  base.source = "rss";
  base.brand = brand_;
  if (LocalName(root) == "rss") {
    const pugi::xml_node channel = Child(root, "channel");
    if (!channel) {
      result.rejections.push_back(ItemRejection{"document", "channel", "missing-field", "an RSS feed has a channel"});
      return result;
    }
    base.channel = PlainText(Child(channel, "title"));
    std::size_t index = 0;
    for (pugi::xml_node item : channel.children()) {
      if (item.type() != pugi::node_element || LocalName(item) != "item") continue;
      RssItem(item, base, Out{&result, StrCat("item[", index++, "]")});
    }
    return result;
  }
  if (LocalName(root) == "feed") {
    base.channel = PlainText(Child(root, "title"));
    std::size_t index = 0;
    for (pugi::xml_node entry : root.children()) {
      if (entry.type() != pugi::node_element || LocalName(entry) != "entry") continue;
      AtomEntry(entry, base, Out{&result, StrCat("entry[", index++, "]")});
    }
    return result;
  }
  result.rejections.push_back(ItemRejection{"document", std::string(root.name()), "unsupported-feed",
                                            "the root element is neither rss (RSS 2.0) nor feed (Atom)"});
  return result;
}

}  // namespace faro::sources
