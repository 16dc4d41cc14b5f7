#pragma once
// RSS 2.0 and Atom feeds: each item or entry is a mention.
//
// Shapes: RSS 2.0 specification (rssboard.org/rss-specification): rss/channel/{title, item*};
// item {title, link, description, author, guid, pubDate (RFC 822)}, plus dc:creator (Dublin
// Core module) as the author when there is no author element. Atom (RFC 4287):
// feed/{title, entry*}; entry {id, title, updated, published (RFC 3339), link[@rel=alternate
// or no rel]/@href, author/name, summary, content}.
//
// Text: the title, then the description (RSS) or the summary, else the content (Atom), as
// plain text (HTML removed, entities decoded). Time: pubDate; for Atom, published, else
// updated. Id: guid, else link (RSS); id (Atom). Feeds give no follower, share or like counts.
#include <string>
#include <string_view>

#include "sources/connector.hpp"

namespace faro::sources {

class FeedConnector final : public Connector {
 public:
  // `brand` is copied to every mention as the brand hint (a feed is usually watched for one).
  explicit FeedConnector(std::string brand = "") : brand_(std::move(brand)) {}
  std::string_view name() const override { return "feed"; }
  // A whole RSS 2.0 or Atom document. The feed's title becomes the channel hint.
  ConvertResult Convert(std::string_view document) override;

 private:
  std::string brand_;
};

}  // namespace faro::sources
