#pragma once
// A Facebook Page's scheduled posts, over the Graph API, for the restoration check's
// `scheduled-posts` item (docs/crisis-log.md): which posts were due while the platform was down,
// and whether each went out.
//
//   list  GET /{page-id}/scheduled_posts?fields=id,message,scheduled_publish_time,is_published
//         &limit=100, following `paging.next` (only on the configured Graph host)
//   post  GET /{post-id}?fields=id,is_published,created_time,scheduled_publish_time
//
// A Page access token travels as "Authorization: Bearer", never in a URL. Errors are classified
// as the Marketing adapter does (ads/meta/meta_marketing.hpp): 190 and 10/200–299 auth,
// 4/17/32/613 rate-limited, 1/2/5xx transient.
//
// What Meta lets Faro see, and what Faro makes of it:
//   - scheduled_posts lists only posts not published yet. A post still listed whose
//     scheduled_publish_time has passed did not go out: missed.
//   - A post that went out leaves the list, so Faro can only tell "published" about a post it
//     saw scheduled before: the caller keeps that memory (PageMemory) and passes it in. Such a
//     post is read by its id: is_published true → published.
//   - Meta keeps no history of a post's scheduled time: a post is "rescheduled" when Faro
//     remembers it due inside the window and it is now listed with a time after the check.
//   - A remembered post that is neither listed nor readable (Meta answers code 100: it does
//     not exist) was deleted by someone: unknown, with that reason, for a person to judge.
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace faro::ads {

struct PageSettings {
  std::string id;       // the faro.yaml id ("fb-page")
  std::string page_id;  // Meta's digits
  std::string token;    // a Page access token
  std::string graph_url = "https://graph.facebook.com/v25.0";  // with the version, no trailing "/"
  std::chrono::milliseconds timeout{15000};
};

// One post as scheduled_posts lists it.
struct ListedPost {
  std::string id, message;
  TimePoint due;  // scheduled_publish_time
  bool is_published = false;
};

// A post Faro saw scheduled at some earlier reading (the memory the check keeps).
struct RememberedPost {
  std::string id, message;
  TimePoint due;
  friend bool operator==(const RememberedPost&, const RememberedPost&) = default;
};

enum class PostFate { kPublished, kRescheduled, kMissed, kUnknown };

// A post that was due in the window, and what became of it.
struct DuePost {
  std::string page;  // the faro.yaml id
  std::string id, message;
  TimePoint due;  // when it was due (the remembered time for a rescheduled post)
  PostFate fate = PostFate::kUnknown;
  std::string reason;  // for kUnknown: why (in English, with Meta's words); for kRescheduled: the new time
};

class FacebookPage {
 public:
  explicit FacebookPage(PageSettings settings);

  const std::string& id() const { return s_.id; }
  const PageSettings& settings() const { return s_; }

  // Every post the Page has scheduled now, across pages of results.
  absl::StatusOr<std::vector<ListedPost>> ListScheduled() const;

  // Whether a post went out: true when Meta says is_published. NotFound when Meta says the post
  // does not exist (code 100); other errors classified.
  absl::StatusOr<bool> IsPublished(const std::string& post_id) const;

  // The posts due in [from, now) and their fate, judged against `memory` (the posts seen
  // scheduled at earlier readings; updated in place with every post listed now whose time is at
  // or after `from`, so the next check knows them too). When the list cannot be read the answer
  // is an error (the caller shows the item as unknown, never green); a post that cannot be read
  // is kUnknown with the reason.
  absl::StatusOr<std::vector<DuePost>> DueIn(TimePoint from, TimePoint now, std::vector<RememberedPost>& memory) const;

 private:
  PageSettings s_;
};

}  // namespace faro::ads
