#include "watch/setup.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/strings.hpp"
#include "core/time_text.hpp"

namespace faro::watch {
namespace {

using std::chrono::milliseconds;

absl::Status Bad(std::string_view key, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("watch.", key, ": ", what));
}

absl::Status Positive(std::string_view key, milliseconds value) {
  if (value.count() <= 0) return Bad(key, StrCat("must be a positive duration, got ", value.count(), " ms"));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSetup(const WatchSetup& s) {
  const WatchPolicy& p = s.policy;
  FARO_RETURN_IF_ERROR(Positive("interval", p.interval));
  FARO_RETURN_IF_ERROR(Positive("flap_window", p.flap_window));
  FARO_RETURN_IF_ERROR(Positive("flap_calm", p.flap_calm));
  FARO_RETURN_IF_ERROR(Positive("vantage_silent_after", p.vantage_silent_after));
  FARO_RETURN_IF_ERROR(Positive("crowd_dedup", p.crowd_dedup));
  FARO_RETURN_IF_ERROR(Positive("crowd_window", p.crowd_window));
  FARO_RETURN_IF_ERROR(Positive("outbox_window", p.outbox_window));
  if (p.confirm_n < 1) return Bad("confirm_n", StrCat("must be at least 1, got ", p.confirm_n));
  if (p.confirm_k < 1 || p.confirm_k > p.confirm_n)
    return Bad("confirm_k", StrCat("must be between 1 and confirm_n (", p.confirm_n, "), got ", p.confirm_k));
  if (p.recover_after < 1) return Bad("recover_after", StrCat("must be at least 1, got ", p.recover_after));
  if (p.flap_changes < 2) return Bad("flap_changes", StrCat("must be at least 2, got ", p.flap_changes));
  if (!(p.crowd_factor > 0) || !std::isfinite(p.crowd_factor))
    return Bad("crowd_factor", "must be a positive number");
  if (p.crowd_min_reports < 1) return Bad("crowd_min_reports", StrCat("must be at least 1, got ", p.crowd_min_reports));
  if (p.outbox_min_sends < 1) return Bad("outbox_min_sends", StrCat("must be at least 1, got ", p.outbox_min_sends));
  if (!(p.outbox_fault_share > 0 && p.outbox_fault_share <= 1))
    return Bad("outbox_fault_share", "must be a share in (0, 1], such as 0.5");
  if (s.home.empty()) return Bad("home", "this node's vantage name must not be empty");
  std::set<std::string> seen;
  for (const std::string& platform : s.platforms) {
    if (platform.empty()) return Bad("platforms", "a platform id is empty");
    if (!seen.insert(platform).second) return Bad("platforms", StrCat("\"", platform, "\" is listed twice"));
  }
  seen.clear();
  for (const std::string& vantage : s.vantages) {
    if (vantage.empty()) return Bad("vantages", "a vantage name is empty");
    if (vantage == s.home)
      return Bad("vantages", StrCat("\"", vantage, "\" is this node's own name; list only remote agents"));
    if (!seen.insert(vantage).second) return Bad("vantages", StrCat("\"", vantage, "\" is listed twice"));
  }
  for (size_t i = 0; i < s.maintenance.size(); ++i) {
    const MaintenanceWindow& w = s.maintenance[i];
    if (w.end <= w.start)
      return Bad(StrCat("maintenance[", i, "]"),
                 StrCat("ends (", Rfc3339(w.end), ") before it starts (", Rfc3339(w.start), ")"));
  }
  return absl::OkStatus();
}

WatchSetup Sanitized(WatchSetup s) {
  WatchPolicy& p = s.policy;
  auto at_least = [](milliseconds& d, milliseconds floor) { d = std::max(d, floor); };
  at_least(p.interval, milliseconds(1));
  at_least(p.flap_window, milliseconds(1));
  at_least(p.flap_calm, milliseconds(1));
  at_least(p.vantage_silent_after, milliseconds(1));
  at_least(p.crowd_dedup, milliseconds(1));
  at_least(p.crowd_window, milliseconds(1));
  at_least(p.outbox_window, milliseconds(1));
  p.confirm_n = std::clamp(p.confirm_n, 1, 100);
  p.confirm_k = std::clamp(p.confirm_k, 1, p.confirm_n);
  p.recover_after = std::clamp(p.recover_after, 1, 100);
  p.flap_changes = std::max(p.flap_changes, 2);
  if (!(p.crowd_factor > 0) || !std::isfinite(p.crowd_factor)) p.crowd_factor = 3.0;
  p.crowd_min_reports = std::max(p.crowd_min_reports, 1);
  p.outbox_min_sends = std::max(p.outbox_min_sends, 1);
  if (!(p.outbox_fault_share > 0 && p.outbox_fault_share <= 1)) p.outbox_fault_share = 0.5;
  if (s.home.empty()) s.home = "here";
  // Duplicates and the home name among the agents would double-count a vantage.
  std::vector<std::string> platforms, vantages;
  std::set<std::string> seen;
  for (auto& id : s.platforms)
    if (!id.empty() && seen.insert(id).second) platforms.push_back(id);
  seen = {s.home};
  for (auto& v : s.vantages)
    if (!v.empty() && seen.insert(v).second) vantages.push_back(v);
  s.platforms = std::move(platforms);
  s.vantages = std::move(vantages);
  std::erase_if(s.maintenance, [](const MaintenanceWindow& w) { return w.end <= w.start; });
  return s;
}

}  // namespace faro::watch
