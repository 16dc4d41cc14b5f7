#include "service/plan_pages.hpp"

#include "core/strings.hpp"
#include "core/time_text.hpp"
#include "core/utf8.hpp"

namespace faro::service {
namespace {

using nlohmann::json;

constexpr size_t kTitleBytes = 80;     // a post's name in the checklist: its first line, clipped
constexpr size_t kMemoryBytes = 200;   // what the memory keeps of a post's text

std::string TitleOf(const std::string& message) {
  const std::string first_line = message.substr(0, message.find('\n'));
  const std::string clipped = ClipUtf8(first_line, kTitleBytes);
  return clipped.size() < first_line.size() ? StrCat(clipped, "…") : clipped;
}

record::PostState StateOf(ads::PostFate fate) {
  switch (fate) {
    case ads::PostFate::kPublished: return record::PostState::kPublished;
    case ads::PostFate::kRescheduled: return record::PostState::kRescheduled;
    case ads::PostFate::kMissed: return record::PostState::kMissed;
    case ads::PostFate::kUnknown: return record::PostState::kUnknown;
  }
  return record::PostState::kUnknown;
}

// The memory of one page from the previous checklist's scheduled-posts item.
std::vector<ads::RememberedPost> MemoryOf(const std::vector<plan::ChecklistItem>& previous, const std::string& page) {
  std::vector<ads::RememberedPost> out;
  for (const plan::ChecklistItem& item : previous) {
    if (item.item != "scheduled-posts" || !item.details.is_object() || !item.details.contains("seen_posts") ||
        !item.details["seen_posts"].is_array())
      continue;
    for (const json& p : item.details["seen_posts"]) {
      if (!p.is_object() || p.value("page", "") != page || !p.contains("id") || !p["id"].is_string()) continue;
      if (!p.contains("due") || !p["due"].is_string()) continue;
      const absl::StatusOr<TimePoint> due = ParseRfc3339(p["due"].get<std::string>());
      if (!due.ok()) continue;  // not written by Faro: the post is read afresh from the list
      out.push_back({p["id"].get<std::string>(), p.value("message", ""), *due});
    }
  }
  return out;
}

}  // namespace

PagePostsFacts ReadPagePosts(const std::vector<ads::FacebookPage>& pages,
                             const std::vector<plan::ChecklistItem>& previous, TimePoint from, TimePoint now) {
  PagePostsFacts f;
  for (const ads::FacebookPage& page : pages) {
    std::vector<ads::RememberedPost> memory = MemoryOf(previous, page.id());
    absl::StatusOr<std::vector<ads::DuePost>> due = page.DueIn(from, now, memory);
    for (const ads::RememberedPost& r : memory)
      f.seen.push_back({{"page", page.id()}, {"id", r.id}, {"message", ClipUtf8(r.message, kMemoryBytes)},
                        {"due", Rfc3339(r.due)}});
    if (!due.ok()) {
      f.unread.push_back(StrCat(page.id(), ": ", Message(due.status())));
      record::ScheduledPost p;
      p.id = page.id();
      p.title = StrCat("Facebook ", page.id());
      p.channel = page.id();
      p.due = from;
      p.state = record::PostState::kUnknown;
      f.posts.push_back(std::move(p));
      continue;
    }
    for (const ads::DuePost& d : *due) {
      record::ScheduledPost p;
      p.id = d.id;
      p.title = TitleOf(d.message);
      p.channel = page.id();
      p.due = d.due;
      p.state = StateOf(d.fate);
      if (d.fate == ads::PostFate::kUnknown) f.unknown_reasons.push_back({{"page", page.id()}, {"id", d.id}, {"reason", d.reason}});
      f.posts.push_back(std::move(p));
    }
  }
  return f;
}

void DescribeScheduledPosts(record::CheckItem& item, const std::vector<ads::FacebookPage>& pages,
                            const PagePostsFacts& facts, const record::Text& not_yet) {
  if (pages.empty()) {
    // Without pages the list is empty because Faro knows none, and the item says so rather than
    // "there were none".
    item.text = {StrCat(not_yet.es, not_yet.es.empty() ? "" : " ",
                        "Faro no conoce publicaciones programadas (no hay páginas en faro.yaml, «pages:»): revisá a "
                        "mano las de cada plataforma durante la caída."),
                 StrCat(not_yet.en, not_yet.en.empty() ? "" : " ",
                        "Faro knows no scheduled posts (faro.yaml has no pages:): check each platform's own "
                        "scheduled posts of the outage window by hand.")};
    item.details["known_to_faro"] = false;
    return;
  }
  item.details["known_to_faro"] = true;
  json ids = json::array();
  for (const ads::FacebookPage& page : pages) ids.push_back(page.id());
  item.details["pages"] = ids;
  item.details["seen_posts"] = facts.seen;
  if (!facts.unknown_reasons.empty()) item.details["unknown_reasons"] = facts.unknown_reasons;
  if (!facts.unread.empty()) {
    item.details["unread_pages"] = facts.unread;
    StrAppend(item.text.es, " Faro no pudo leer las publicaciones programadas de: ", Join(facts.unread, "; "), ".");
    StrAppend(item.text.en, " Faro could not read the scheduled posts of: ", Join(facts.unread, "; "), ".");
  }
  for (const json& u : facts.unknown_reasons) {
    const std::string line = StrCat(u["page"].get<std::string>(), " ", u["id"].get<std::string>(), ": ",
                                    u["reason"].get<std::string>());
    StrAppend(item.text.es, " ", line, ".");
    StrAppend(item.text.en, " ", line, ".");
  }
  // A post published before Faro first looked is not counted (docs/crisis-log.md).
  StrAppend(item.text.es, " (Páginas revisadas: ", Join(ids.get<std::vector<std::string>>(), ", "), ".)");
  StrAppend(item.text.en, " (Pages checked: ", Join(ids.get<std::vector<std::string>>(), ", "), ".)");
}

}  // namespace faro::service
