#include "record/crisis_log.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "record/files.hpp"
#include "record/search_text.hpp"
#include "record/test_cases.hpp"

namespace faro::record {
namespace {

namespace fs = std::filesystem;
using testing::CaseSpec;
using testing::MakeCase;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "crisis-log-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A log of four incidents: two WhatsApp outages, an Instagram outage drill and a reputation
// crisis, each with its own words to search for.
class CrisisLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(MakeCase({.id = 7, .shift_hours = 0}));
    nlohmann::json wa2022 = MakeCase({.id = 3, .shift_hours = 24 * 386, .title_es = "WhatsApp no envía mensajes",
                                      .title_en = "WhatsApp messages fail"});
    wa2022["timeline"][0]["text"] = {{"es", "WhatsApp caido: los mensajes quedan colgados."},
                                     {"en", "WhatsApp down: messages hang."}};
    Add(wa2022);
    Add(MakeCase({.id = 1, .shift_hours = 24 * 400, .subject = "instagram", .drill = true,
                  .title_es = "Simulacro: Instagram no carga", .title_en = "Drill: Instagram does not load"}));
    nlohmann::json crisis = MakeCase({.id = 2, .shift_hours = 24 * 900, .kind = "crisis", .playbook = "reputation",
                                      .subject = "brand:nutricion-ana", .title_es = "Quejas por los turnos",
                                      .title_en = "Complaints about appointments"});
    crisis["state"] = "active";
    crisis.erase("closed_at");
    crisis["timeline"][19]["text"] = {{"es", "Una clienta dice que el año pasado pasó lo mismo."},
                                      {"en", "A customer says the same happened last year."}};
    Add(crisis);
    auto loaded = LoadCrisisLog(dir_.path());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    log_ = std::move(*loaded);
  }

  void Add(const nlohmann::json& j) {
    auto folder = AddToLog(dir_.path(), j.dump());
    ASSERT_TRUE(folder.ok()) << folder.status();
  }

  std::vector<int64_t> Ids(const std::vector<const LogEntry*>& entries) {
    std::vector<int64_t> ids;
    for (const LogEntry* e : entries) ids.push_back(e->record.id);
    return ids;
  }
  std::vector<int64_t> Ids(const std::vector<SearchHit>& hits) {
    std::vector<int64_t> ids;
    for (const SearchHit& h : hits) ids.push_back(h.entry->record.id);
    return ids;
  }

  TempDir dir_;
  CrisisLog log_;
};

TEST_F(CrisisLogTest, KeepsAFolderPerIncidentWithItsReports) {
  ASSERT_EQ(log_.entries.size(), 4u);
  EXPECT_TRUE(log_.problems.empty());
  const fs::path folder = fs::path(dir_.path()) / "2021-10-04-154410-messaging-outage-7";
  for (const char* file : {"INCIDENT.json", "report.es.md", "report.en.md", "report.es.html", "report.en.html"})
    EXPECT_TRUE(fs::exists(folder / file)) << file;
  EXPECT_EQ(*ReadWholeFile((folder / "INCIDENT.json").string()), MakeCase({.id = 7, .shift_hours = 0}).dump());
  EXPECT_TRUE(fs::exists(fs::path(dir_.path()) / "2022-11-08-154410-messaging-outage-1-drill" / "INCIDENT.json"));
  // Newest first.
  EXPECT_EQ(Ids(ListLog(log_, {})), (std::vector<int64_t>{2, 1, 3, 7}));
  // index.json lists them all with their reports.
  const auto index = nlohmann::json::parse(*ReadWholeFile((fs::path(dir_.path()) / "index.json").string()));
  ASSERT_EQ(index["incidents"].size(), 4u);
  EXPECT_EQ(index["incidents"][3]["folder"], "2021-10-04-154410-messaging-outage-7");
  EXPECT_EQ(index["incidents"][3]["reports"]["es"]["html"], "2021-10-04-154410-messaging-outage-7/report.es.html");
  EXPECT_EQ(index["incidents"][0]["closed_at"], nullptr);
}

TEST_F(CrisisLogTest, AddingTheSameIncidentAgainUpdatesIt) {
  nlohmann::json j = MakeCase({.id = 7, .shift_hours = 0});
  j["lessons"]["worked"].push_back({{"es", "Nueva lección"}, {"en", "New lesson"}});
  auto folder = AddToLog(dir_.path(), j.dump());
  ASSERT_TRUE(folder.ok());
  auto log = LoadCrisisLog(dir_.path());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->entries.size(), 4u);
  EXPECT_NE(ReadWholeFile((fs::path(dir_.path()) / *folder / "report.en.md").string())->find("New lesson"),
            std::string::npos);
}

TEST_F(CrisisLogTest, ABadRecordIsRefusedBeforeAnythingIsWritten) {
  nlohmann::json j = MakeCase({.id = 99, .shift_hours = 5});
  j["timeline"][2].erase("at");
  auto folder = AddToLog(dir_.path(), j.dump());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().message(), "timeline[2].at: missing (it is required)");
  EXPECT_EQ(LoadCrisisLog(dir_.path())->entries.size(), 4u);
}

TEST_F(CrisisLogTest, UnreadableRecordsAreReportedNotDropped) {
  const fs::path broken = fs::path(dir_.path()) / "broken-case";
  fs::create_directories(broken);
  std::ofstream(broken / "INCIDENT.json") << R"({"id": 5, "playbook": "x", "kind": "outage"})";
  fs::create_directories(fs::path(dir_.path()) / "notes");  // not an incident: no record in it
  auto log = LoadCrisisLog(dir_.path());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->entries.size(), 4u);
  ASSERT_EQ(log->problems.size(), 1u);
  EXPECT_EQ(log->problems[0].path, (broken / "INCIDENT.json").string());
  EXPECT_EQ(log->problems[0].message, "title: missing (it is required)");
  EXPECT_FALSE(LoadCrisisLog((fs::path(dir_.path()) / "missing").string()).ok());
}

TEST_F(CrisisLogTest, ListsByKindPlaybookSubjectStateDrillAndDate) {
  EXPECT_EQ(Ids(ListLog(log_, {.kind = "crisis"})), std::vector<int64_t>{2});
  EXPECT_EQ(Ids(ListLog(log_, {.kind = "outage"})), (std::vector<int64_t>{1, 3, 7}));
  EXPECT_EQ(Ids(ListLog(log_, {.playbook = "reputation"})), std::vector<int64_t>{2});
  EXPECT_EQ(Ids(ListLog(log_, {.subject = "whatsapp"})), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(Ids(ListLog(log_, {.state = "active"})), std::vector<int64_t>{2});
  EXPECT_EQ(Ids(ListLog(log_, {.drills = LogFilter::Drills::kDrillsOnly})), std::vector<int64_t>{1});
  EXPECT_EQ(Ids(ListLog(log_, {.drills = LogFilter::Drills::kRealOnly})), (std::vector<int64_t>{2, 3, 7}));
  // Dates: --since 2021-10-04 --until 2021-10-04 is that whole day.
  LogFilter day;
  day.since = *ParseLogDate("2021-10-04", false);
  day.until = *ParseLogDate("2021-10-04", true);
  EXPECT_EQ(Ids(ListLog(log_, day)), std::vector<int64_t>{7});
  LogFilter from;
  from.since = *ParseLogDate("2022-10-25T15:44:10.250Z", false);  // exactly when #3 opened
  EXPECT_EQ(Ids(ListLog(log_, from)), (std::vector<int64_t>{2, 1, 3}));
  EXPECT_FALSE(ParseLogDate("04/10/2021", false).ok());
  EXPECT_FALSE(ParseLogDate("2021-13-40", false).ok());
}

TEST_F(CrisisLogTest, SearchIgnoresAccentsAndCase) {
  // The fixture says "caído"; #3's first event says "caido".
  EXPECT_EQ(Ids(SearchLog(log_, "caído", {}, Lang::kEs)), (std::vector<int64_t>{2, 1, 3, 7}));
  EXPECT_EQ(Ids(SearchLog(log_, "CAIDO", {}, Lang::kEs)), (std::vector<int64_t>{2, 1, 3, 7}));
  // Both words must be somewhere in the incident.
  EXPECT_EQ(Ids(SearchLog(log_, "caído colgados", {}, Lang::kEs)), std::vector<int64_t>{3});
  EXPECT_TRUE(SearchLog(log_, "caído tormenta", {}, Lang::kEs).empty());
  // ñ is a letter of its own: "ano" does not find "año".
  EXPECT_EQ(Ids(SearchLog(log_, "AÑO", {}, Lang::kEs)), std::vector<int64_t>{2});
  EXPECT_EQ(FoldForSearch("el año pasado").folded.find("ano"), std::string::npos);
  EXPECT_TRUE(SearchLog(log_, "   ", {}, Lang::kEs).empty());
}

TEST_F(CrisisLogTest, SearchShowsWhereAndASnippetOfTheOriginalText) {
  const auto hits = SearchLog(log_, "mensajes colgados", {.subject = "whatsapp"}, Lang::kEs);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].where, "timeline #1");
  EXPECT_EQ(hits[0].snippet, "WhatsApp caido: los mensajes quedan colgados.");
  EXPECT_EQ(hits[0].snippet.substr(hits[0].match_begin, hits[0].match_length), "mensajes");

  const auto accented = SearchLog(log_, "caido todos", {.subject = "whatsapp", .since = *ParseLogDate("2021-10-04", false),
                                                        .until = *ParseLogDate("2021-10-05", false)},
                                  Lang::kEs);
  ASSERT_EQ(accented.size(), 1u);
  EXPECT_EQ(accented[0].where, "timeline #1");
  EXPECT_EQ(accented[0].snippet.substr(accented[0].match_begin, accented[0].match_length), "caído");

  // The language asked for comes first in the snippet.
  const auto en = SearchLog(log_, "telegram held", {.playbook = "messaging-outage", .drills = LogFilter::Drills::kRealOnly},
                            Lang::kEn);
  ASSERT_EQ(en.size(), 2u);
  EXPECT_EQ(en[0].where, "timeline #20");
  EXPECT_NE(en[0].snippet.find("Telegram held up"), std::string::npos);

  // Lessons and override reasons are searched too.
  EXPECT_EQ(SearchLog(log_, "aprobador suplente", {.kind = "crisis"}, Lang::kEs).at(0).where, "lessons");
  EXPECT_EQ(SearchLog(log_, "spam", {.kind = "crisis"}, Lang::kEs).at(0).texts_matched, 3);
}

TEST(SearchText, FoldsAndMapsBack) {
  const std::string text = "Ya está CAÍDO\u00a0otra vez, Straße";
  const FoldedText f = FoldForSearch(text);
  EXPECT_EQ(f.folded, "ya esta caido otra vez, strasse");
  ASSERT_EQ(f.source.size(), f.folded.size());
  const std::size_t at = f.folded.find("caido");
  EXPECT_EQ(text.substr(f.source[at], 2), "CA");
  // Decomposed accents fold away.
  EXPECT_EQ(FoldForSearch("cai\u0301do").folded, "caido");
  EXPECT_EQ(SearchWords("  Caído\tWhatsApp  "), (std::vector<std::string>{"caido", "whatsapp"}));
  std::size_t begin = 0;
  const std::string s = Snippet("ááááá palabra ééééé", 11, 7, 3, &begin);
  EXPECT_EQ(s, "…áá palabra éé…");
  EXPECT_EQ(s.substr(begin, 7), "palabra");
  // Invalid UTF-8 does not stop it.
  EXPECT_EQ(FoldForSearch("a\xff" "b").folded, "a\xef\xbf\xbd" "b");
}

}  // namespace
}  // namespace faro::record
