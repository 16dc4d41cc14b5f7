#include "ads/guard.hpp"

#include <gtest/gtest.h>

#include <set>

#include "ads/dry_run.hpp"
#include "core/time_text.hpp"

namespace faro::ads {
namespace {

using nlohmann::json;

const TimePoint kOutage = *ParseRfc3339("2021-10-04T15:45:00Z");
const TimePoint kRestored = *ParseRfc3339("2021-10-04T21:30:00Z");

CampaignStatus StatusOf(const DryRunPlatform& account, const std::string& id) {
  for (const Campaign& c : account.campaigns())
    if (c.id == id) return c.status;
  return CampaignStatus::kOther;
}

const GuardEntry& Entry(const GuardRecord& record, const std::string& id) {
  for (const GuardEntry& e : record.campaigns)
    if (e.campaign_id == id) return e;
  static const GuardEntry kNone;
  ADD_FAILURE() << "no entry for " << id;
  return kNone;
}

// The ids set to `status` through the platform, in order.
std::vector<std::string> Changed(const DryRunPlatform& account, std::string_view status) {
  std::vector<std::string> ids;
  for (const DryRunPlatform::Call& c : account.calls())
    if (c.what == "set-status" && c.detail == status && c.ok) ids.push_back(c.id);
  return ids;
}

class GuardTest : public ::testing::Test {
 protected:
  GuardTest() : meta_("meta", "meta") {
    meta_.AddCampaign("1", "Turnos de noviembre", CampaignStatus::kActive);
    meta_.AddCampaign("2", "Black Friday", CampaignStatus::kActive);
    meta_.AddCampaign("3", "Verano (pausada)", CampaignStatus::kPaused);  // paused before the incident
    meta_.AddCampaign("4", "Campaña vieja", CampaignStatus::kRemoved);
  }
  DryRunPlatform meta_;
  GuardRecord record_;
};

TEST_F(GuardTest, PausesActiveCampaignsAndRecordsWhatTheyWere) {
  const GuardOutcome out = PauseAll(record_, {{&meta_, {}}}, kOutage);
  EXPECT_TRUE(out.complete());
  EXPECT_EQ(out.paused, 2);
  EXPECT_EQ(out.already_paused, 1);
  EXPECT_EQ(out.left_alone, 1);
  EXPECT_EQ(Changed(meta_, "paused"), (std::vector<std::string>{"1", "2"}));
  for (const char* id : {"1", "2", "3"}) EXPECT_EQ(StatusOf(meta_, id), CampaignStatus::kPaused) << id;
  EXPECT_EQ(StatusOf(meta_, "4"), CampaignStatus::kRemoved);
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kPausedByFaro);
  EXPECT_EQ(Entry(record_, "1").prior, CampaignStatus::kActive);
  EXPECT_EQ(Entry(record_, "1").paused_at, kOutage);
  EXPECT_EQ(Entry(record_, "3").state, GuardState::kAlreadyPaused);
  EXPECT_EQ(Entry(record_, "3").prior, CampaignStatus::kPaused);
  EXPECT_EQ(Entry(record_, "4").state, GuardState::kLeftAlone);
}

TEST_F(GuardTest, AlreadyPausedCampaignStaysPausedAfterResume) {
  PauseAll(record_, {{&meta_, {}}}, kOutage);
  const GuardOutcome out = ResumeWhatWePaused(record_, {&meta_}, kRestored);
  EXPECT_TRUE(out.complete());
  EXPECT_EQ(out.resumed, 2);
  EXPECT_EQ(out.already_paused, 1);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "2"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);
  EXPECT_EQ(Changed(meta_, "active"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kResumed);
  EXPECT_EQ(Entry(record_, "1").resumed_at, kRestored);
  EXPECT_EQ(Entry(record_, "3").state, GuardState::kAlreadyPaused);
}

TEST_F(GuardTest, PauseAgainDoesNotTakeFaroPausedForAlreadyPaused) {
  PauseAll(record_, {{&meta_, {}}}, kOutage);
  // The plan pauses again (a second trigger): the campaigns Faro paused are paused now, but
  // they are still Faro's to resume.
  const GuardOutcome again = PauseAll(record_, {{&meta_, {}}}, kOutage + std::chrono::minutes(5));
  EXPECT_EQ(again.paused, 0);
  EXPECT_EQ(again.already_paused, 0);
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kPausedByFaro);
  EXPECT_EQ(Entry(record_, "1").paused_at, kOutage);
  ResumeWhatWePaused(record_, {&meta_}, kRestored);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);
}

// Two incidents at once (WhatsApp and Instagram down in the same outage) share the account's
// record: the second holds what the first paused, and the campaigns run again only when both
// are over. Neither takes the other's pause for a person's.
TEST_F(GuardTest, TwoIncidentsHoldTheSameCampaignsUntilTheLastLetsGo) {
  const GuardOutcome first = PauseAll(record_, {{&meta_, {"1"}}}, kOutage, "incident:1");
  EXPECT_EQ(first.paused, 1);
  const GuardOutcome second = PauseAll(record_, {{&meta_, {}}}, kOutage, "incident:2");
  EXPECT_EQ(second.held, 1);    // "1": Faro's already, now held by both
  EXPECT_EQ(second.paused, 1);  // "2": paused for the second incident alone
  EXPECT_EQ(second.already_paused, 1);
  EXPECT_EQ(Entry(record_, "1").held_by, (std::vector<std::string>{"incident:1", "incident:2"}));
  EXPECT_EQ(Entry(record_, "1").prior, CampaignStatus::kActive);

  // The second incident ends first: "2" runs again, "1" stays paused for the first.
  const GuardOutcome early = ResumeWhatWePaused(record_, {&meta_}, kRestored, "incident:2");
  EXPECT_EQ(early.resumed, 1);
  EXPECT_EQ(early.held, 1);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kPaused);
  EXPECT_EQ(StatusOf(meta_, "2"), CampaignStatus::kActive);
  EXPECT_NE(Summary(early, Lang::kEn).find("held paused for another incident"), std::string::npos);
  // The held campaign survives a restart with its holders.
  auto again = GuardRecordFromJson(GuardRecordToJson(record_));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Entry(*again, "1").held_by, (std::vector<std::string>{"incident:1"}));

  const GuardOutcome last = ResumeWhatWePaused(*again, {&meta_}, kRestored + std::chrono::minutes(5), "incident:1");
  EXPECT_EQ(last.resumed, 1);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);  // paused before: never resumed
}

TEST_F(GuardTest, CampaignsAPersonChangedAreReportedAndNotTouched) {
  PauseAll(record_, {{&meta_, {}}}, kOutage);
  meta_.PersonSets("1", CampaignStatus::kActive);   // someone resumed it by hand
  meta_.PersonSets("2", CampaignStatus::kRemoved);  // someone archived it
  const size_t calls_before = meta_.calls().size();
  const GuardOutcome out = ResumeWhatWePaused(record_, {&meta_}, kRestored);
  EXPECT_EQ(out.resumed, 0);
  EXPECT_EQ(out.changed_by_person, 2);
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kChangedByPerson);
  EXPECT_EQ(Entry(record_, "1").note, "a person changed it: now active (ACTIVE)");
  EXPECT_EQ(Entry(record_, "2").state, GuardState::kChangedByPerson);
  EXPECT_EQ(Entry(record_, "2").note, "a person changed it: now removed (REMOVED)");
  // Only the listing was called: no status change was sent to either.
  const std::vector<DryRunPlatform::Call> calls = meta_.calls();
  ASSERT_EQ(calls.size(), calls_before + 1);
  EXPECT_EQ(calls.back().what, "list");
  EXPECT_EQ(StatusOf(meta_, "2"), CampaignStatus::kRemoved);
}

TEST_F(GuardTest, RecordRoundTripsThroughJsonAndSurvivesARestart) {
  PauseAll(record_, {{&meta_, {}}}, kOutage);
  const json saved = GuardRecordToJson(record_);
  EXPECT_EQ(saved["version"], 1);
  EXPECT_EQ(saved["campaigns"][0]["state"], "paused-by-faro");
  EXPECT_EQ(saved["campaigns"][0]["prior_status"], "active");
  EXPECT_EQ(saved["campaigns"][0]["paused_at"], "2021-10-04T15:45:00.000Z");
  EXPECT_EQ(saved["campaigns"][2]["state"], "already-paused");
  EXPECT_TRUE(saved["campaigns"][0]["resumed_at"].is_null());

  // A new process reads the record back from the timeline text and resumes the same way.
  absl::StatusOr<GuardRecord> restored = GuardRecordFromJson(json::parse(saved.dump()));
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored, record_);
  ResumeWhatWePaused(*restored, {&meta_}, kRestored);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);
  absl::StatusOr<GuardRecord> again = GuardRecordFromJson(GuardRecordToJson(*restored));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *restored);
  EXPECT_EQ(Entry(*again, "1").resumed_at, kRestored);
}

TEST(GuardJsonTest, BadRecordsSayWhatIsWrongAndWhere) {
  const json good = {{"version", 1},
                     {"campaigns", json::array({{{"account", "meta"}, {"platform", "meta"}, {"id", "1"},
                                                 {"prior_status", "active"}, {"state", "paused-by-faro"},
                                                 {"paused_at", "2021-10-04T15:45:00Z"}}})},
                     {"moves", json::array()}};
  ASSERT_TRUE(GuardRecordFromJson(good).ok());
  json bad = good;
  bad["campaigns"][0]["state"] = "deleted-by-faro";
  EXPECT_EQ(Message(GuardRecordFromJson(bad).status()), "campaigns[0].state: \"deleted-by-faro\" is not a guard state");
  bad = good;
  bad["campaigns"][0]["paused_at"] = "yesterday";
  EXPECT_EQ(Message(GuardRecordFromJson(bad).status()),
            "campaigns[0].paused_at: \"yesterday\" is not an RFC 3339 time");
  bad = good;
  bad["campaigns"][0].erase("id");
  EXPECT_EQ(Message(GuardRecordFromJson(bad).status()), "campaigns[0].id: missing");
  bad = good;
  bad["version"] = 2;
  EXPECT_FALSE(GuardRecordFromJson(bad).ok());
  EXPECT_FALSE(GuardRecordFromJson(json::array()).ok());
}

TEST_F(GuardTest, RateLimitedListingRecordsNothingAndSaysHowLongToWait) {
  meta_.FailNext(AdError(ErrorClass::kRateLimited, "Meta said error 17; retry in 19 min", "17", std::chrono::minutes(19)));
  GuardOutcome out = PauseAll(record_, {{&meta_, {}}}, kOutage);
  EXPECT_EQ(out.paused, 0);
  EXPECT_EQ(out.retry_after, std::chrono::minutes(19));
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_FALSE(out.complete());
  EXPECT_TRUE(record_.campaigns.empty());  // nothing was listed, nothing recorded
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  out = PauseAll(record_, {{&meta_, {}}}, kOutage + std::chrono::minutes(20));
  EXPECT_EQ(out.paused, 2);
  EXPECT_TRUE(out.complete());
}

// A platform whose status changes fail for chosen campaigns (the dry run fails whole calls).
class PickyPlatform final : public AdPlatform {
 public:
  explicit PickyPlatform(DryRunPlatform& inner) : inner_(inner) {}
  std::string_view platform() const override { return inner_.platform(); }
  const std::string& account() const override { return inner_.account(); }
  absl::StatusOr<std::vector<Campaign>> ListCampaigns() override { return inner_.ListCampaigns(); }
  absl::StatusOr<Campaign> SetStatus(const std::string& id, CampaignStatus status) override {
    if (fail_ids.count(id))
      return AdError(ErrorClass::kRateLimited, "campaign " + id + ": Meta said error 17", "17", std::chrono::minutes(19));
    return inner_.SetStatus(id, status);
  }
  absl::StatusOr<Insights> ReadInsights(const std::string& id, const DateRange& range) override {
    return inner_.ReadInsights(id, range);
  }
  absl::StatusOr<Campaign> Duplicate(const Campaign& source, const Money& cap) override {
    return inner_.Duplicate(source, cap);
  }
  std::set<std::string> fail_ids;

 private:
  DryRunPlatform& inner_;
};

TEST_F(GuardTest, FailedPauseIsRecordedWithItsWaitAndRetriedByTheNextPause) {
  PickyPlatform picky(meta_);
  picky.fail_ids = {"2"};
  GuardOutcome out = PauseAll(record_, {{&picky, {}}}, kOutage);
  EXPECT_EQ(out.paused, 1);
  EXPECT_EQ(out.failed, 1);
  EXPECT_EQ(out.retry_after, std::chrono::minutes(19));
  EXPECT_EQ(Entry(record_, "2").state, GuardState::kPauseFailed);
  EXPECT_EQ(Entry(record_, "2").error_class, "rate-limited");
  EXPECT_EQ(StatusOf(meta_, "2"), CampaignStatus::kActive);
  picky.fail_ids.clear();
  out = PauseAll(record_, {{&picky, {}}}, kOutage + std::chrono::minutes(20));
  EXPECT_EQ(out.paused, 1);
  EXPECT_EQ(Entry(record_, "2").state, GuardState::kPausedByFaro);
  EXPECT_EQ(Entry(record_, "2").paused_at, kOutage + std::chrono::minutes(20));
  EXPECT_EQ(StatusOf(meta_, "2"), CampaignStatus::kPaused);
}

TEST_F(GuardTest, FailedResumeIsRetriedAndNeverTouchesOthers) {
  PickyPlatform picky(meta_);
  PauseAll(record_, {{&picky, {}}}, kOutage);
  picky.fail_ids = {"1"};
  GuardOutcome out = ResumeWhatWePaused(record_, {&picky}, kRestored);
  EXPECT_EQ(out.resumed, 1);
  EXPECT_EQ(out.failed, 1);
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kResumeFailed);
  picky.fail_ids.clear();
  out = ResumeWhatWePaused(record_, {&picky}, kRestored + std::chrono::minutes(20));
  EXPECT_EQ(out.resumed, 1);
  EXPECT_EQ(StatusOf(meta_, "1"), CampaignStatus::kActive);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);
  // Nothing left to resume: a third call changes nothing.
  const size_t calls = meta_.calls().size();
  out = ResumeWhatWePaused(record_, {&picky}, kRestored + std::chrono::minutes(30));
  EXPECT_EQ(out.resumed, 0);
  EXPECT_EQ(meta_.calls().size(), calls);
}

TEST_F(GuardTest, SelectsByIdOrNameAndReportsWhatIsMissing) {
  const GuardOutcome out = PauseAll(record_, {{&meta_, {"Black Friday", "1", "No existe"}}}, kOutage);
  EXPECT_EQ(out.paused, 2);
  EXPECT_EQ(out.not_found, (std::vector<std::string>{"meta: No existe"}));
  EXPECT_FALSE(out.complete());
  EXPECT_EQ(record_.campaigns.size(), 2u);
  EXPECT_EQ(StatusOf(meta_, "3"), CampaignStatus::kPaused);
}

TEST_F(GuardTest, ResumeWithoutTheAccountConfiguredSaysSo) {
  PauseAll(record_, {{&meta_, {}}}, kOutage);
  const GuardOutcome out = ResumeWhatWePaused(record_, {}, kRestored);
  EXPECT_EQ(out.resumed, 0);
  EXPECT_EQ(out.failed, 2);
  EXPECT_EQ(Entry(record_, "1").state, GuardState::kResumeFailed);
  EXPECT_NE(Entry(record_, "1").note.find("ad account meta is not configured"), std::string::npos);
  // Once it is configured again, the same record resumes them.
  EXPECT_EQ(ResumeWhatWePaused(record_, {&meta_}, kRestored).resumed, 2);
}

TEST(GuardMoveTest, CopiesPausedWithCapThenActivatesAndNeverCopiesTwice) {
  DryRunPlatform meta("meta", "meta");
  meta.AddCampaign("120", "Turnos de noviembre", CampaignStatus::kPaused);
  DryRunPlatform google("google", "google", "USD");
  GuardRecord record;
  // Activation fails once (a transient error); the copy exists, paused.
  PickyPlatform picky(google);
  picky.fail_ids = {"dry-google-1"};
  GuardOutcome out = MoveCampaign(record, meta, "Turnos de noviembre", picky, Money{150'000'000, "USD"}, kOutage);
  EXPECT_EQ(out.copied, 1);
  EXPECT_EQ(out.activated, 0);
  ASSERT_EQ(record.moves.size(), 1u);
  EXPECT_EQ(record.moves[0].state, MoveState::kCopied);
  EXPECT_EQ(record.moves[0].copy_id, "dry-google-1");
  EXPECT_EQ(google.campaigns().back().status, CampaignStatus::kPaused);
  // Approved again later: the same copy is activated, no second copy is made.
  picky.fail_ids.clear();
  out = MoveCampaign(record, meta, "120", picky, Money{150'000'000, "USD"}, kOutage + std::chrono::minutes(5));
  EXPECT_EQ(out.copied, 0);
  EXPECT_EQ(out.activated, 1);
  EXPECT_EQ(record.moves[0].state, MoveState::kActive);
  EXPECT_EQ(google.campaigns().size(), 1u);
  EXPECT_EQ(google.campaigns()[0].status, CampaignStatus::kActive);
  EXPECT_EQ(google.campaigns()[0].name, "Turnos de noviembre (Faro)");
  // The source is not touched by a move.
  EXPECT_EQ(meta.campaigns()[0].status, CampaignStatus::kPaused);
  // A third call does nothing.
  out = MoveCampaign(record, meta, "120", picky, Money{150'000'000, "USD"}, kOutage + std::chrono::minutes(6));
  EXPECT_EQ(out.copied + out.activated, 0);
  // At the end of the incident the copy is paused again (not deleted).
  out = StopMovedCopies(record, {&google}, kRestored);
  EXPECT_EQ(out.stopped, 1);
  EXPECT_EQ(record.moves[0].state, MoveState::kStopped);
  EXPECT_EQ(google.campaigns()[0].status, CampaignStatus::kPaused);
  // The record with its move round-trips.
  absl::StatusOr<GuardRecord> back = GuardRecordFromJson(GuardRecordToJson(record));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, record);
  EXPECT_EQ(GuardRecordToJson(record)["moves"][0]["budget_cap"], "150.00 USD");
}

TEST(GuardMoveTest, FailedCopyIsRecordedAndACopyAPersonPausedIsLeftAlone) {
  DryRunPlatform meta("meta", "meta");
  meta.AddCampaign("120", "Turnos", CampaignStatus::kActive);
  DryRunPlatform google("google", "google", "USD");
  GuardRecord record;
  GuardOutcome out = MoveCampaign(record, meta, "120", google, Money{150'000'000, "EUR"}, kOutage);
  EXPECT_EQ(out.failed, 1);
  ASSERT_EQ(record.moves.size(), 1u);
  EXPECT_EQ(record.moves[0].state, MoveState::kCopyFailed);
  EXPECT_EQ(record.moves[0].error_class, "permanent");
  out = MoveCampaign(record, meta, "120", google, Money{150'000'000, "USD"}, kOutage);
  EXPECT_EQ(out.activated, 1);
  ASSERT_EQ(record.moves.size(), 1u);  // the failed attempt was replaced, not kept beside
  google.PersonSets(record.moves[0].copy_id, CampaignStatus::kPaused);
  out = StopMovedCopies(record, {&google}, kRestored);
  EXPECT_EQ(out.stopped, 0);
  EXPECT_EQ(out.changed_by_person, 1);
  EXPECT_EQ(record.moves[0].state, MoveState::kChangedByPerson);
  EXPECT_EQ(MoveCampaign(record, meta, "nope", google, Money{1'000'000, "USD"}, kOutage).not_found.size(), 1u);
}

TEST(GuardSummaryTest, SaysWhatHappenedInBothLanguages) {
  GuardOutcome o;
  o.paused = 3;
  o.already_paused = 1;
  o.errors.push_back(AdError(ErrorClass::kRateLimited, "x"));
  o.retry_after = std::chrono::minutes(19);
  EXPECT_EQ(Summary(o, Lang::kEs),
            "3 campañas pausadas, 1 ya estaba pausada (sigue pausada), 1 error; la plataforma pide esperar 1140 s");
  EXPECT_EQ(Summary(o, Lang::kEn),
            "3 campaigns paused, 1 was already paused (stays paused), 1 error; the platform asks to wait 1140 s");
  EXPECT_EQ(Summary(GuardOutcome{}, Lang::kEn), "no campaign to change");
}

}  // namespace
}  // namespace faro::ads
