#include "ads/meta/page_posts.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "ads/http_call.hpp"
#include "ads/meta/meta_marketing.hpp"
#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

constexpr char kPlatform[] = "Facebook Page";
constexpr int kMaxPages = 100;  // 10,000 scheduled posts at 100 a page; more is a paging loop

// "https://graph.facebook.com" of "https://graph.facebook.com/v25.0".
std::string Origin(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = url.find('/', scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

struct Call {
  const PageSettings& s;
  Subject subject;

  absl::StatusOr<json> Get(const std::string& url) const {
    channels::HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers = {StrCat("Authorization: Bearer ", s.token)};
    request.timeout = s.timeout;
    FARO_ASSIGN_OR_RETURN(const channels::HttpResponse response, Perform(request, subject));
    const json body = json::parse(response.body, nullptr, false);
    FARO_RETURN_IF_ERROR(ClassifyMetaAnswer(response, body, subject));
    if (!body.is_object())
      return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": Meta's answer is not a JSON object"), "bad-answer");
    return body;
  }

  absl::Status Bad(std::string_view what) const {
    return AdError(ErrorClass::kTransient, StrCat(subject.Text(), ": Meta's answer ", what), "bad-answer");
  }
};

// scheduled_publish_time: Unix seconds, as a number or a string of digits.
std::optional<TimePoint> DueOf(const json& row) {
  const std::optional<std::string> text = TextOf(row, "scheduled_publish_time");
  if (!text || text->empty() || text->size() > 12 || text->find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return FromUnixMillis(std::stoll(*text) * 1000);
}

bool InWindow(TimePoint t, TimePoint from, TimePoint now) { return t >= from && t < now; }

}  // namespace

FacebookPage::FacebookPage(PageSettings settings) : s_(std::move(settings)) {}

absl::StatusOr<std::vector<ListedPost>> FacebookPage::ListScheduled() const {
  const Call call{s_, Subject{kPlatform, s_.id, s_.page_id, {}, "listing scheduled posts"}};
  std::vector<ListedPost> out;
  std::string url = WithQuery(StrCat(s_.graph_url, "/", s_.page_id, "/scheduled_posts"),
                              {{"fields", "id,message,scheduled_publish_time,is_published"}, {"limit", "100"}});
  const std::string origin = Origin(s_.graph_url);
  for (int page = 0; page < kMaxPages; ++page) {
    FARO_ASSIGN_OR_RETURN(const json body, call.Get(url));
    if (!body.contains("data") || !body["data"].is_array()) return call.Bad("has no \"data\" list");
    for (const json& row : body["data"]) {
      const std::optional<std::string> id = TextOf(row, "id");
      if (!id || id->empty()) return call.Bad("lists a scheduled post without an id");
      const std::optional<TimePoint> due = DueOf(row);
      if (!due) return call.Bad(StrCat("lists post ", *id, " without a scheduled_publish_time in Unix seconds"));
      ListedPost p;
      p.id = *id;
      p.message = row.contains("message") && row["message"].is_string() ? row["message"].get<std::string>() : "";
      p.due = *due;
      p.is_published = row.value("is_published", false);
      out.push_back(std::move(p));
    }
    const json paging = body.value("paging", json::object());
    if (!paging.is_object() || !paging.contains("next")) return out;
    if (!paging["next"].is_string()) return call.Bad("has a \"paging.next\" that is not a URL");
    std::string next = paging["next"].get<std::string>();
    // The next page's URL comes from the answer: followed only on the configured Graph host, so
    // the token is never sent anywhere else.
    if (!next.starts_with(origin + "/")) return call.Bad(StrCat("points the next page at another host: ", next));
    if (next == url) return call.Bad("points the next page at the same page");
    url = std::move(next);
  }
  return call.Bad(StrCat("has more than ", kMaxPages, " pages of scheduled posts"));
}

absl::StatusOr<bool> FacebookPage::IsPublished(const std::string& post_id) const {
  const Call call{s_, Subject{kPlatform, s_.id, s_.page_id, {}, StrCat("reading post ", post_id)}};
  if (post_id.empty() || post_id.find_first_not_of("0123456789_") != std::string::npos)
    return AdError(ErrorClass::kPermanent, StrCat(call.subject.Text(), ": a post id is digits and \"_\" only"), "bad-id");
  absl::StatusOr<json> body = call.Get(WithQuery(StrCat(s_.graph_url, "/", post_id),
                                                 {{"fields", "id,is_published,created_time,scheduled_publish_time"}}));
  if (!body.ok()) {
    // Meta's "object does not exist" is code 100 (subcode 33): the post was deleted.
    if (ErrorCode(body.status()) == "100")
      return absl::NotFoundError(StrCat(call.subject.Text(), ": Meta says the post no longer exists"));
    return body.status();
  }
  if (!body->contains("is_published") || !(*body)["is_published"].is_boolean())
    return call.Bad("has no \"is_published\" true or false");
  return (*body)["is_published"].get<bool>();
}

absl::StatusOr<std::vector<DuePost>> FacebookPage::DueIn(TimePoint from, TimePoint now,
                                                          std::vector<RememberedPost>& memory) const {
  FARO_ASSIGN_OR_RETURN(const std::vector<ListedPost> listed, ListScheduled());
  std::map<std::string, const ListedPost*> listed_by_id;
  for (const ListedPost& p : listed) listed_by_id[p.id] = &p;
  std::map<std::string, const RememberedPost*> remembered_by_id;
  for (const RememberedPost& r : memory) remembered_by_id[r.id] = &r;

  std::vector<DuePost> out;
  const auto add = [&](const std::string& id, const std::string& message, TimePoint due, PostFate fate,
                       std::string reason) { out.push_back({s_.id, id, message, due, fate, std::move(reason)}); };
  // Still scheduled with its time passed: it did not go out. (A post Faro remembers due in the
  // window counts too, even if someone moved it to an earlier time that has also passed.)
  for (const ListedPost& p : listed) {
    if (p.due >= now || p.is_published) continue;
    const auto r = remembered_by_id.find(p.id);
    if (InWindow(p.due, from, now) || (r != remembered_by_id.end() && InWindow(r->second->due, from, now)))
      add(p.id, p.message, p.due, PostFate::kMissed, "");
  }
  // Posts Faro saw scheduled for the window: moved past the check, or gone from the list.
  for (const RememberedPost& r : memory) {
    if (!InWindow(r.due, from, now)) continue;
    if (const auto l = listed_by_id.find(r.id); l != listed_by_id.end()) {
      if (l->second->due >= now) add(r.id, l->second->message, r.due, PostFate::kRescheduled, Rfc3339(l->second->due));
      continue;  // else counted above as missed
    }
    const absl::StatusOr<bool> published = IsPublished(r.id);
    if (published.ok() && *published) {
      add(r.id, r.message, r.due, PostFate::kPublished, "");
    } else if (published.ok()) {
      add(r.id, r.message, r.due, PostFate::kUnknown, "no longer scheduled, and Meta says it is not published");
    } else if (published.status().code() == absl::StatusCode::kNotFound) {
      add(r.id, r.message, r.due, PostFate::kUnknown, "no longer scheduled and no longer exists (deleted?)");
    } else {
      add(r.id, r.message, r.due, PostFate::kUnknown, Message(published.status()));
    }
  }
  // Remember every post listed for the window or later: its first known time stays (that is
  // what tells a move), its text follows the latest reading.
  for (const ListedPost& p : listed) {
    if (p.due < from) continue;
    auto it = std::find_if(memory.begin(), memory.end(), [&](const RememberedPost& r) { return r.id == p.id; });
    if (it == memory.end()) memory.push_back({p.id, p.message, p.due});
    else it->message = p.message;
  }
  std::sort(out.begin(), out.end(), [](const DuePost& a, const DuePost& b) {
    return a.due != b.due ? a.due < b.due : a.id < b.id;
  });
  return out;
}

}  // namespace faro::ads
