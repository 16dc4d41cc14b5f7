#include "sources/connector.hpp"

#include <nlohmann/json.hpp>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::sources {

std::string ToJsonLine(const MentionRecord& r) {
  using nlohmann::ordered_json;
  ordered_json j = ordered_json::object();
  if (!r.id.empty()) j["id"] = r.id;
  j["at"] = Rfc3339(r.at);
  if (!r.source.empty()) j["source"] = r.source;
  ordered_json author = ordered_json::object();
  if (!r.author_id.empty()) author["id"] = r.author_id;
  if (!r.author_handle.empty()) author["handle"] = r.author_handle;
  if (r.followers > 0) author["followers"] = r.followers;
  if (!author.empty()) j["author"] = std::move(author);
  j["text"] = r.text;
  if (!r.url.empty()) j["url"] = r.url;
  if (!r.reply_to.empty()) j["reply_to"] = r.reply_to;
  if (!r.reply_to_author.empty()) j["reply_to_author"] = r.reply_to_author;
  if (r.shares > 0) j["shares"] = r.shares;
  if (r.likes > 0) j["likes"] = r.likes;
  if (!r.brand.empty()) j["brand"] = r.brand;
  if (!r.channel.empty()) j["channel"] = r.channel;
  // Connectors only store valid UTF-8; `replace` keeps a slip from ever throwing.
  std::string line = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

std::string ToJsonLines(const ConvertResult& result) {
  std::string out;
  for (const MentionRecord& m : result.mentions) out += ToJsonLine(m);
  return out;
}

std::string Describe(const ItemRejection& r) {
  std::string out = r.where;
  if (!r.field.empty()) StrAppend(out, ": ", r.field);
  StrAppend(out, ": ", r.reason);
  if (!r.detail.empty()) StrAppend(out, " (", r.detail, ")");
  return out;
}

void ConnectorCounts::Add(const ConvertResult& result) {
  ++payloads;
  mentions += static_cast<int64_t>(result.mentions.size());
  rejected += static_cast<int64_t>(result.rejections.size());
  for (const ItemRejection& r : result.rejections) ++rejected_by_reason[r.reason];
  for (const auto& [kind, n] : result.skipped) skipped[kind] += n;
}

}  // namespace faro::sources
