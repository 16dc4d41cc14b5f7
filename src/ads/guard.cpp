#include "ads/guard.hpp"

#include <algorithm>
#include <map>

#include "core/strings.hpp"

namespace faro::ads {
namespace {

GuardEntry* Find(GuardRecord& record, const std::string& account, const std::string& id) {
  for (GuardEntry& e : record.campaigns)
    if (e.account == account && e.campaign_id == id) return &e;
  return nullptr;
}

AdPlatform* PlatformFor(const std::vector<AdPlatform*>& platforms, const std::string& account) {
  for (AdPlatform* p : platforms)
    if (p != nullptr && p->account() == account) return p;
  return nullptr;
}

void NoteError(GuardOutcome& out, const absl::Status& status) {
  out.errors.push_back(status);
  if (ClassOf(status) == ErrorClass::kRateLimited) out.retry_after = std::max(out.retry_after, RetryWait(status));
}

void SetError(std::string& note, std::string& error_class, const absl::Status& status) {
  note = std::string(status.message());
  error_class = std::string(ErrorClassName(ClassOf(status)));
}

// "now active", "now removed (ARCHIVED)", as the note on a campaign a person changed.
std::string NowText(const Campaign& c) {
  return StrCat("a person changed it: now ", StatusName(c.status), c.raw_status.empty() ? "" : " (", c.raw_status,
                c.raw_status.empty() ? "" : ")");
}

const Campaign* Lookup(const std::vector<Campaign>& campaigns, const std::string& id) {
  for (const Campaign& c : campaigns)
    if (c.id == id) return &c;
  return nullptr;
}

// Whether a pause or resume should (re)consider this entry as if new.
bool Reconsider(GuardState s) {
  return s == GuardState::kPauseFailed || s == GuardState::kLeftAlone || s == GuardState::kResumed;
}

void Hold(GuardEntry& e, const std::string& holder) {
  if (!holder.empty() && std::find(e.held_by.begin(), e.held_by.end(), holder) == e.held_by.end())
    e.held_by.push_back(holder);
}

}  // namespace

GuardOutcome PauseAll(GuardRecord& record, const std::vector<GuardTarget>& targets, TimePoint now,
                      const std::string& holder) {
  GuardOutcome out;
  for (const GuardTarget& target : targets) {
    if (target.platform == nullptr) continue;
    AdPlatform& platform = *target.platform;
    absl::StatusOr<std::vector<Campaign>> listed = platform.ListCampaigns();
    if (!listed.ok()) {
      NoteError(out, listed.status());
      continue;
    }
    // The selection: ids or exact names; empty selects everything.
    std::vector<const Campaign*> selected;
    if (target.campaigns.empty()) {
      for (const Campaign& c : *listed) selected.push_back(&c);
    } else {
      for (const std::string& wanted : target.campaigns) {
        bool any = false;
        for (const Campaign& c : *listed)
          if (c.id == wanted || (!c.name.empty() && c.name == wanted)) {
            if (std::find(selected.begin(), selected.end(), &c) == selected.end()) selected.push_back(&c);
            any = true;
          }
        if (!any) out.not_found.push_back(StrCat(platform.account(), ": ", wanted));
      }
    }
    std::vector<std::string> to_pause;
    for (const Campaign* c : selected) {
      GuardEntry* entry = Find(record, platform.account(), c->id);
      if (entry != nullptr && (entry->state == GuardState::kPausedByFaro || entry->state == GuardState::kResumeFailed) &&
          !holder.empty() && std::find(entry->held_by.begin(), entry->held_by.end(), holder) == entry->held_by.end()) {
        Hold(*entry, holder);  // Faro paused it for another incident: this one holds it too
        ++out.held;
        continue;
      }
      if (entry != nullptr && !Reconsider(entry->state)) continue;  // already Faro's, already paused, or a person's
      if (entry == nullptr) {
        record.campaigns.push_back(GuardEntry{platform.account(), std::string(platform.platform()), c->id, c->name,
                                              c->status, c->raw_status, GuardState::kLeftAlone, "", "", {}, {}});
        entry = &record.campaigns.back();
      } else if (entry->state == GuardState::kResumed || entry->state == GuardState::kLeftAlone) {
        // Seen again in a later pause: its status now is its prior status from here on.
        entry->prior = c->status;
        entry->prior_raw = c->raw_status;
      }
      if (entry->campaign_name.empty()) entry->campaign_name = c->name;
      switch (c->status) {
        case CampaignStatus::kActive:
          to_pause.push_back(c->id);
          break;
        case CampaignStatus::kPaused:
          if (entry->state == GuardState::kPauseFailed) {
            // Faro's earlier pause failed, yet it is paused now: by Faro's unconfirmed request or
            // by a person. Nobody can tell, so a person decides whether to resume it.
            entry->note = "paused now, but Faro's pause was not confirmed: a person should decide whether to resume it";
          } else {
            entry->state = GuardState::kAlreadyPaused;
            entry->note.clear();
            ++out.already_paused;
          }
          break;
        default:
          entry->state = GuardState::kLeftAlone;
          entry->note = StrCat("not active (", StatusName(c->status), "): left as it is");
          ++out.left_alone;
          break;
      }
    }
    if (to_pause.empty()) continue;
    for (const StatusChange& change : platform.SetStatuses(to_pause, CampaignStatus::kPaused)) {
      GuardEntry* entry = Find(record, platform.account(), change.id);
      if (entry == nullptr) continue;
      if (change.result.ok()) {
        entry->prior = CampaignStatus::kActive;
        entry->state = GuardState::kPausedByFaro;
        entry->note.clear();
        entry->error_class.clear();
        entry->paused_at = now;
        entry->resumed_at.reset();
        entry->held_by.clear();
        Hold(*entry, holder);
        ++out.paused;
      } else {
        entry->state = GuardState::kPauseFailed;
        SetError(entry->note, entry->error_class, change.result);
        ++out.failed;
        NoteError(out, change.result);
      }
    }
  }
  return out;
}

GuardOutcome ResumeWhatWePaused(GuardRecord& record, const std::vector<AdPlatform*>& platforms, TimePoint now,
                                const std::string& holder) {
  GuardOutcome out;
  std::map<std::string, std::vector<GuardEntry*>> by_account;
  for (GuardEntry& e : record.campaigns) {
    if (!holder.empty()) {
      if (PlatformFor(platforms, e.account) == nullptr) continue;  // another account: not let go here
      std::erase(e.held_by, holder);
      if (!e.held_by.empty() && (e.state == GuardState::kPausedByFaro || e.state == GuardState::kResumeFailed)) {
        ++out.held;  // another incident still wants it paused
        continue;
      }
    }
    if (e.state == GuardState::kPausedByFaro || e.state == GuardState::kResumeFailed ||
        e.state == GuardState::kPauseFailed)
      by_account[e.account].push_back(&e);
    else if (e.state == GuardState::kAlreadyPaused)
      ++out.already_paused;  // stays paused: it was paused before the incident
  }
  for (auto& [account, entries] : by_account) {
    AdPlatform* platform = PlatformFor(platforms, account);
    if (platform == nullptr) {
      const absl::Status missing = AdError(
          ErrorClass::kPermanent, StrCat("ad account ", account, " is not configured: cannot resume its campaigns"),
          "no-account");
      for (GuardEntry* e : entries)
        if (e->state != GuardState::kPauseFailed) {
          e->state = GuardState::kResumeFailed;
          SetError(e->note, e->error_class, missing);
          ++out.failed;
        }
      NoteError(out, missing);
      continue;
    }
    absl::StatusOr<std::vector<Campaign>> listed = platform->ListCampaigns();
    if (!listed.ok()) {
      for (GuardEntry* e : entries)
        if (e->state != GuardState::kPauseFailed) {
          e->state = GuardState::kResumeFailed;
          SetError(e->note, e->error_class, listed.status());
          ++out.failed;
        }
      NoteError(out, listed.status());
      continue;
    }
    std::vector<std::string> to_resume;
    for (GuardEntry* e : entries) {
      const Campaign* now_seen = Lookup(*listed, e->campaign_id);
      if (e->state == GuardState::kPauseFailed) {
        // Faro never confirmed pausing it; if it is paused now, a person decides (see PauseAll).
        if (now_seen != nullptr && now_seen->status == CampaignStatus::kPaused)
          e->note = "paused now, but Faro's pause was not confirmed: a person should decide whether to resume it";
        continue;
      }
      if (now_seen == nullptr) {
        e->state = GuardState::kChangedByPerson;
        e->note = "no longer listed by the platform (deleted by a person?)";
        e->error_class.clear();
        ++out.changed_by_person;
      } else if (now_seen->status != CampaignStatus::kPaused) {
        e->state = GuardState::kChangedByPerson;
        e->note = NowText(*now_seen);
        e->error_class.clear();
        ++out.changed_by_person;
      } else {
        to_resume.push_back(e->campaign_id);
      }
    }
    if (to_resume.empty()) continue;
    for (const StatusChange& change : platform->SetStatuses(to_resume, CampaignStatus::kActive)) {
      GuardEntry* e = Find(record, account, change.id);
      if (e == nullptr) continue;
      if (change.result.ok()) {
        e->state = GuardState::kResumed;
        e->note.clear();
        e->error_class.clear();
        e->resumed_at = now;
        ++out.resumed;
      } else {
        e->state = GuardState::kResumeFailed;
        SetError(e->note, e->error_class, change.result);
        ++out.failed;
        NoteError(out, change.result);
      }
    }
  }
  return out;
}

GuardOutcome MoveCampaign(GuardRecord& record, AdPlatform& from, const std::string& campaign, AdPlatform& to,
                          const Money& budget_cap, TimePoint now) {
  GuardOutcome out;
  absl::StatusOr<std::vector<Campaign>> listed = from.ListCampaigns();
  if (!listed.ok()) {
    NoteError(out, listed.status());
    return out;
  }
  const Campaign* source = nullptr;
  for (const Campaign& c : *listed)
    if (c.id == campaign || (!c.name.empty() && c.name == campaign)) {
      source = &c;
      break;
    }
  if (source == nullptr) {
    out.not_found.push_back(StrCat(from.account(), ": ", campaign));
    return out;
  }
  MovedCampaign* move = nullptr;
  for (MovedCampaign& m : record.moves)
    if (m.from_account == from.account() && m.from_campaign_id == source->id && m.to_account == to.account() &&
        m.state != MoveState::kCopyFailed)
      move = &m;
  if (move != nullptr && move->state != MoveState::kCopied) return out;  // already moved: nothing to redo
  if (move == nullptr) {
    absl::StatusOr<Campaign> copy = to.Duplicate(*source, budget_cap);
    MovedCampaign m;
    m.from_account = from.account();
    m.from_platform = std::string(from.platform());
    m.from_campaign_id = source->id;
    m.from_campaign_name = source->name;
    m.to_account = to.account();
    m.to_platform = std::string(to.platform());
    m.budget_cap = budget_cap;
    if (!copy.ok()) {
      m.state = MoveState::kCopyFailed;
      SetError(m.note, m.error_class, copy.status());
      ++out.failed;
      NoteError(out, copy.status());
      // Replace an earlier failed attempt rather than piling them up.
      for (MovedCampaign& old : record.moves)
        if (old.from_account == m.from_account && old.from_campaign_id == m.from_campaign_id &&
            old.to_account == m.to_account && old.state == MoveState::kCopyFailed) {
          old = std::move(m);
          return out;
        }
      record.moves.push_back(std::move(m));
      return out;
    }
    m.copy_id = copy->id;
    m.copy_name = copy->name;
    m.state = MoveState::kCopied;
    m.copied_at = now;
    ++out.copied;
    bool replaced = false;
    for (MovedCampaign& old : record.moves)
      if (old.from_account == m.from_account && old.from_campaign_id == m.from_campaign_id &&
          old.to_account == m.to_account && old.state == MoveState::kCopyFailed) {
        old = std::move(m);
        move = &old;
        replaced = true;
        break;
      }
    if (!replaced) {
      record.moves.push_back(std::move(m));
      move = &record.moves.back();
    }
  }
  absl::StatusOr<Campaign> active = to.SetStatus(move->copy_id, CampaignStatus::kActive);
  if (!active.ok()) {
    SetError(move->note, move->error_class, active.status());
    ++out.failed;
    NoteError(out, active.status());
    return out;
  }
  move->state = MoveState::kActive;
  move->note.clear();
  move->error_class.clear();
  move->activated_at = now;
  ++out.activated;
  return out;
}

GuardOutcome StopMovedCopies(GuardRecord& record, const std::vector<AdPlatform*>& platforms, TimePoint now) {
  GuardOutcome out;
  std::map<std::string, std::vector<MovedCampaign*>> by_account;
  for (MovedCampaign& m : record.moves)
    if (m.state == MoveState::kActive) by_account[m.to_account].push_back(&m);
  for (auto& [account, moves] : by_account) {
    AdPlatform* platform = PlatformFor(platforms, account);
    if (platform == nullptr) {
      NoteError(out, AdError(ErrorClass::kPermanent,
                             StrCat("ad account ", account, " is not configured: cannot pause the copies made there"),
                             "no-account"));
      continue;
    }
    absl::StatusOr<std::vector<Campaign>> listed = platform->ListCampaigns();
    if (!listed.ok()) {
      NoteError(out, listed.status());
      continue;
    }
    std::vector<std::string> to_pause;
    for (MovedCampaign* m : moves) {
      const Campaign* now_seen = Lookup(*listed, m->copy_id);
      if (now_seen == nullptr || now_seen->status != CampaignStatus::kActive) {
        m->state = MoveState::kChangedByPerson;
        m->note = now_seen == nullptr ? "no longer listed by the platform (deleted by a person?)" : NowText(*now_seen);
        ++out.changed_by_person;
      } else {
        to_pause.push_back(m->copy_id);
      }
    }
    if (to_pause.empty()) continue;
    for (const StatusChange& change : platform->SetStatuses(to_pause, CampaignStatus::kPaused)) {
      for (MovedCampaign* m : moves) {
        if (m->copy_id != change.id) continue;
        if (change.result.ok()) {
          m->state = MoveState::kStopped;
          m->note.clear();
          m->error_class.clear();
          m->stopped_at = now;
          ++out.stopped;
        } else {
          SetError(m->note, m->error_class, change.result);
          ++out.failed;
          NoteError(out, change.result);
        }
      }
    }
  }
  return out;
}

}  // namespace faro::ads
