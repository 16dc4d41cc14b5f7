#pragma once
// The restoration check's `scheduled-posts` facts from faro.yaml `pages:` (docs/crisis-log.md):
// for each Facebook Page, the posts due in the outage window [incident opened, check) and what
// became of them (ads/meta/page_posts.hpp says how each fate is told).
//
// Memory: Meta drops a post from scheduled_posts once it is published, so a post that went out
// can only be counted when Faro saw it scheduled before. Every check (the playbook's, the
// periodic re-check, a person's "check now" while still down) stores the posts it saw scheduled
// for the window or later in the item's details ("seen_posts"), and the next check of the same
// incident starts from them. A post published before Faro first looked is not counted.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "ads/meta/page_posts.hpp"
#include "core/clock.hpp"
#include "plan/incident.hpp"
#include "record/restoration.hpp"

namespace faro::service {

struct PagePostsFacts {
  std::vector<record::ScheduledPost> posts;      // due in the window, with their fate
  nlohmann::json seen = nlohmann::json::array();  // the memory to keep: [{page, id, message, due}]
  nlohmann::json unknown_reasons = nlohmann::json::array();  // [{page, id, reason}]
  std::vector<std::string> unread;               // "fb-page: <why>" for pages that could not be read
};

// Reads every page; `previous` is the incident's checklist so far (its scheduled-posts item's
// "seen_posts" is the memory). A page that cannot be read adds one unknown post named after the
// page, so the item can never read green without it.
PagePostsFacts ReadPagePosts(const std::vector<ads::FacebookPage>& pages,
                             const std::vector<plan::ChecklistItem>& previous, TimePoint from, TimePoint now);

// The scheduled-posts item once judged: with pages, what was checked (details "known_to_faro"
// true, "pages", "seen_posts", and why pages or posts are unknown, also in the text); without
// pages, that Faro knows no scheduled posts and a person checks them by hand. `not_yet` is
// record::NotRestoredText of the check.
void DescribeScheduledPosts(record::CheckItem& item, const std::vector<ads::FacebookPage>& pages,
                            const PagePostsFacts& facts, const record::Text& not_yet);

}  // namespace faro::service
