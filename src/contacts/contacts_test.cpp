#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "contacts/contact_book.hpp"
#include "contacts/csv_import.hpp"
#include "contacts/identity.hpp"
#include "core/strings.hpp"
#include "store/sqlite.hpp"

namespace faro::contacts {
namespace {

using channels::AddressKind;

TimePoint Day(int y, int m, int d) {
  return std::chrono::sys_days(std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m),
                                                           std::chrono::day(d)));
}

bool Has(std::string_view text, std::string_view piece) { return Contains(text, piece); }

// ----- phones and emails

TEST(NormalizePhone, ArgentinaSpainUnitedStates) {
  // Argentine mobiles: national format with the 15 prefix and trunk 0, or international with 9.
  EXPECT_EQ(*NormalizePhone("011 15-5555-0000", "AR"), "+5491155550000");
  EXPECT_EQ(*NormalizePhone("(011) 15 5555-0000", "AR"), "+5491155550000");
  EXPECT_EQ(*NormalizePhone("+54 9 11 5555-0000", "ES"), "+5491155550000");
  EXPECT_EQ(*NormalizePhone("0351 15 555-1234", "ar"), "+5493515551234");
  EXPECT_EQ(*NormalizePhone("612 34 56 78", "ES"), "+34612345678");
  EXPECT_EQ(*NormalizePhone("+34 612-345-678", "US"), "+34612345678");
  EXPECT_EQ(*NormalizePhone("(415) 555-2671", "US"), "+14155552671");
  EXPECT_EQ(*NormalizePhone("  415.555.2671 ", "US"), "+14155552671");
  // "(0)" after a country code, as British numbers are often written.
  EXPECT_EQ(*NormalizePhone("+44 (0)20 7946 0958", "ES"), "+442079460958");
}

TEST(NormalizePhone, InvalidNumbersNameTheInput) {
  const auto short_number = NormalizePhone("12345", "AR");
  ASSERT_FALSE(short_number.ok());
  EXPECT_TRUE(Has(Message(short_number.status()), "\"12345\"")) << Message(short_number.status());
  EXPECT_TRUE(Has(Message(short_number.status()), "AR")) << Message(short_number.status());

  const auto words = NormalizePhone("call me", "US");
  ASSERT_FALSE(words.ok());
  EXPECT_TRUE(Has(Message(words.status()), "\"call me\" is not a phone number"));

  EXPECT_FALSE(NormalizePhone("", "US").ok());
  EXPECT_FALSE(NormalizePhone("911", "US").ok());
  EXPECT_FALSE(NormalizePhone("+999 1234 5678", "US").ok());

  const auto no_region = NormalizePhone("612345678", "");
  ASSERT_FALSE(no_region.ok());
  EXPECT_TRUE(Has(Message(no_region.status()), "no country code"));
  const auto bad_region = NormalizePhone("612345678", "XX");
  ASSERT_FALSE(bad_region.ok());
  EXPECT_TRUE(Has(Message(bad_region.status()), "\"XX\" is not a known ISO country code"));

  const auto es = NormalizePhone("12345", "AR", Lang::kEs);
  ASSERT_FALSE(es.ok());
  EXPECT_TRUE(Has(Message(es.status()), "no es un teléfono válido")) << Message(es.status());
}

TEST(NormalizeEmail, LightChecksAndLowerCaseDomain) {
  EXPECT_EQ(*NormalizeEmail(" Ana.Perez@Example.COM "), "Ana.Perez@example.com");
  for (const char* bad : {"ana", "ana@example", "ana@@example.com", "a b@example.com", "ana@exa\nmple.com",
                          "@example.com", "ana@.example.com", "ana@example..com", "ana@x@y.com"}) {
    const auto result = NormalizeEmail(bad);
    EXPECT_FALSE(result.ok()) << bad;
  }
  EXPECT_TRUE(Has(Message(NormalizeEmail("ana@example").status()), "the domain has no dot"));
}

TEST(NormalizeIdentities, TelegramScopedIdsAndX) {
  EXPECT_EQ(*NormalizeTelegram("123456789"), "123456789");
  EXPECT_EQ(*NormalizeTelegram("-1001234567890"), "-1001234567890");
  const auto username = NormalizeTelegram("@ana");
  ASSERT_FALSE(username.ok());
  EXPECT_TRUE(Has(Message(username.status()), "cannot write to a @username"));
  EXPECT_EQ(*NormalizeScopedId("17841400000000000", "Instagram"), "17841400000000000");
  EXPECT_FALSE(NormalizeScopedId("ana.ig", "Instagram").ok());
  EXPECT_EQ(*NormalizeXHandle("@Ana_Perez"), "Ana_Perez");
  EXPECT_FALSE(NormalizeXHandle("@this_handle_is_too_long").ok());
}

TEST(Contact, AddressAndConsentFor) {
  Contact c;
  c.phone = "+34612345678";
  c.x_handle = "ana";
  c.consent["sms"] = Consent{ConsentState::kOptedOut, Day(2026, 5, 2), "STOP"};
  EXPECT_EQ(c.Address(AddressKind::kPhone), "+34612345678");
  EXPECT_EQ(c.Address(AddressKind::kX), "ana");
  EXPECT_EQ(c.Address(AddressKind::kEmail), "");
  EXPECT_EQ(c.Address(AddressKind::kNone), "");
  EXPECT_EQ(c.ConsentFor("sms"), ConsentState::kOptedOut);
  EXPECT_EQ(c.ConsentFor("whatsapp"), ConsentState::kUnknown);
}

// ----- the book

class BookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            StrCat("faro_contacts_test_", static_cast<int64_t>(getpid()), "_", counter++, ".db");
    RemoveFiles();
    auto db = store::Open(path_.string(), store::Durability::kProcessCrash);
    ASSERT_TRUE(db.ok()) << Message(db.status());
    db_ = *std::move(db);
    auto book = ContactBook::Open(*db_, &clock_);
    ASSERT_TRUE(book.ok()) << Message(book.status());
    book_ = *std::move(book);
  }
  void TearDown() override {
    book_.reset();
    db_.reset();
    RemoveFiles();
  }
  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  ImportOptions Options(std::string file = "clients.csv") {
    ImportOptions o;
    o.file_name = std::move(file);
    o.default_region = "AR";
    o.default_lang = Lang::kEs;
    o.known_channels = {"whatsapp", "sms", "email", "telegram"};
    o.now = Day(2026, 6, 1);
    return o;
  }
  ImportReport Import(std::string_view csv, const ImportOptions& options) {
    auto report = ImportCsv(*book_, csv, options);
    EXPECT_TRUE(report.ok()) << Message(report.status());
    return report.ok() ? *std::move(report) : ImportReport{};
  }
  int64_t Count() { return *book_->Count(); }
  Contact ByPhone(const std::string& phone) {
    const auto id = book_->FindByAddress(AddressKind::kPhone, phone);
    EXPECT_TRUE(id.ok() && id->has_value()) << phone;
    return id.ok() && id->has_value() ? *book_->Get(**id) : Contact{};
  }

  std::filesystem::path path_;
  FakeClock clock_{Day(2026, 6, 1)};
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<ContactBook> book_;
};

TEST_F(BookTest, UpsertCreatesMergesAndFindsByEveryIdentity) {
  Contact ana;
  ana.name = "Ana";
  ana.phone = "+5491155550000";
  ana.email = "ana@example.com";
  ana.channel_order = {"whatsapp", "sms"};
  const auto created = book_->Upsert(ana);
  ASSERT_TRUE(created.ok()) << Message(created.status());
  EXPECT_EQ(created->kind, UpsertKind::kCreated);

  Contact again = ana;
  EXPECT_EQ(book_->Upsert(again)->kind, UpsertKind::kUnchanged);

  Contact more;
  more.email = "ANA@Example.com";  // the same person: email without case
  more.x_handle = "ana_ok";
  more.lang = Lang::kEn;
  const auto merged = book_->Upsert(more);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->kind, UpsertKind::kMerged);
  EXPECT_EQ(merged->id, created->id);

  const Contact stored = *book_->Get(created->id);
  EXPECT_EQ(stored.name, "Ana");
  EXPECT_EQ(stored.phone, "+5491155550000");
  EXPECT_EQ(stored.email, "ANA@Example.com");
  EXPECT_EQ(stored.x_handle, "ana_ok");
  EXPECT_EQ(stored.lang, Lang::kEn);
  EXPECT_EQ(stored.channel_order, (std::vector<std::string>{"whatsapp", "sms"}));

  EXPECT_EQ(**book_->FindByAddress(AddressKind::kX, "@ANA_OK"), created->id);
  EXPECT_EQ(**book_->FindByAddress(AddressKind::kEmail, "ana@EXAMPLE.com"), created->id);
  EXPECT_FALSE(book_->FindByAddress(AddressKind::kTelegram, "42")->has_value());
  EXPECT_EQ(book_->Get(999).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(BookTest, TwoPeopleAreNeverMergedSilently) {
  Contact ana, bea;
  ana.phone = "+5491155550000";
  bea.email = "bea@example.com";
  const int64_t ana_id = book_->Upsert(ana)->id;
  const int64_t bea_id = book_->Upsert(bea)->id;
  Contact both;
  both.phone = ana.phone;
  both.email = bea.email;
  const auto conflict = book_->Upsert(both);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Has(Message(conflict.status()), StrCat("contact ", ana_id))) << Message(conflict.status());
  EXPECT_TRUE(Has(Message(conflict.status()), StrCat("contact ", bea_id))) << Message(conflict.status());
  EXPECT_EQ(book_->Get(ana_id)->email, "");
  EXPECT_EQ(Count(), 2);
}

TEST_F(BookTest, ListAndCountFilterByText) {
  for (int i = 0; i < 12; ++i) {
    Contact c;
    c.name = i % 3 == 0 ? StrCat("García ", i) : StrCat("Pérez ", i);
    c.email = StrCat("person", i, "@example.com");
    ASSERT_TRUE(book_->Upsert(c).ok());
  }
  EXPECT_EQ(Count(), 12);
  EXPECT_EQ(*book_->Count("garcía"), 4);  // ASCII case only: "garcía" matches "García"
  EXPECT_EQ(*book_->Count("person1"), 3);  // person1, person10, person11
  const auto page = book_->List({5, 10, ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ(page->front().email, "person10@example.com");
  EXPECT_EQ(book_->List({50, 0, "100%"})->size(), 0u);  // '%' is literal
}

TEST_F(BookTest, ConsentIsSetWithHistoryAndOptOutsSuppress) {
  Contact ana;
  ana.phone = "+34612345678";
  const int64_t id = book_->Upsert(ana)->id;
  ASSERT_TRUE(book_->SetConsent(id, "sms", {ConsentState::kOptedIn, Day(2026, 3, 1), "web-form"}, "ana (operator)").ok());
  EXPECT_EQ(book_->SetConsent(777, "sms", {}).code(), absl::StatusCode::kNotFound);

  clock_.Set(Day(2026, 6, 2));
  const auto opted_out = book_->RecordOptOut(AddressKind::kPhone, "+34612345678", "sms", "twilio 21610", Day(2026, 5, 2));
  ASSERT_TRUE(opted_out.ok());
  EXPECT_EQ(*opted_out, id);
  EXPECT_EQ(book_->Get(id)->ConsentFor("sms"), ConsentState::kOptedOut);

  const auto history = *book_->ConsentHistory(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].consent.state, ConsentState::kOptedIn);
  EXPECT_EQ(history[0].consent.source, "web-form");
  EXPECT_EQ(history[0].actor, "ana (operator)");
  EXPECT_EQ(history[0].recorded_at, Day(2026, 6, 1));
  EXPECT_EQ(history[1].consent.state, ConsentState::kOptedOut);
  EXPECT_EQ(history[1].consent.source, "twilio 21610");
  EXPECT_EQ(history[1].consent.at, Day(2026, 5, 2));
  EXPECT_EQ(history[1].recorded_at, Day(2026, 6, 2));

  // The history cannot be rewritten.
  EXPECT_THROW(db_->exec("UPDATE consent_history SET state = 'opt-in'"), SQLite::Exception);
}

TEST_F(BookTest, OptOutOfAnUnknownAddressKeepsItSuppressed) {
  const auto id = book_->RecordOptOut(AddressKind::kPhone, "+14155552671", "sms", "STOP by SMS", Day(2026, 5, 2));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(book_->Get(*id)->ConsentFor("sms"), ConsentState::kOptedOut);
  // A later import with an undated "yes" keeps the opt-out, and says so.
  const auto report = Import("name,phone,consent:sms\nAna,+1 415 555 2671,yes\n", Options());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.merged, 1);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0].row, 2);
  EXPECT_EQ(report.notes[0].column, "consent:sms");
  EXPECT_TRUE(Has(report.notes[0].what, "2026-05-02")) << report.notes[0].what;
  EXPECT_EQ(book_->Get(*id)->ConsentFor("sms"), ConsentState::kOptedOut);
  EXPECT_EQ(book_->Get(*id)->name, "Ana");
}

TEST_F(BookTest, AnOlderOptOutDoesNotUndoALaterOptIn) {
  Contact ana;
  ana.phone = "+34612345678";
  const int64_t id = book_->Upsert(ana)->id;
  ASSERT_TRUE(book_->SetConsent(id, "sms", {ConsentState::kOptedIn, Day(2026, 5, 10), "START by SMS"}).ok());
  ASSERT_TRUE(book_->RecordOptOut(AddressKind::kPhone, "+34612345678", "sms", "late webhook", Day(2026, 5, 2)).ok());
  EXPECT_EQ(book_->Get(id)->ConsentFor("sms"), ConsentState::kOptedIn);
  EXPECT_EQ(book_->ConsentHistory(id)->size(), 1u);
}

TEST_F(BookTest, TwoThreadsUpsertingAtOnce) {
  auto work = [&](int thread) {
    for (int i = 0; i < 200; ++i) {
      Contact c;
      c.phone = StrCat("+3461", thread, (1000000 + i));  // distinct per thread
      c.name = StrCat("T", thread, " ", i);
      EXPECT_TRUE(book_->Upsert(c).ok());
      Contact shared;  // both threads also write the same person
      shared.email = "shared@example.com";
      shared.name = StrCat("from ", thread);
      EXPECT_TRUE(book_->Upsert(shared).ok());
      if (i % 50 == 0) {
        EXPECT_TRUE(book_->List({10, 0, ""}).ok());
      }
    }
  };
  std::thread a(work, 1), b(work, 2);
  a.join();
  b.join();
  EXPECT_EQ(Count(), 401);
}

// ----- consent cells

TEST(ParseConsentCell, Grammar) {
  const TimePoint now = Day(2026, 6, 1);
  const auto in = ParseConsentCell("opt-in 2026-03-01 web-form", now, "csv:f:2");
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ((*in)->consent.state, ConsentState::kOptedIn);
  EXPECT_EQ((*in)->consent.at, Day(2026, 3, 1));
  EXPECT_EQ((*in)->consent.source, "web-form");
  EXPECT_FALSE((*in)->undated);

  const auto out = ParseConsentCell("OPT-OUT 2026-05-02T14:05:00Z replied STOP", now, "csv:f:2");
  ASSERT_TRUE(out.ok() && out->has_value());
  EXPECT_EQ((*out)->consent.state, ConsentState::kOptedOut);
  EXPECT_EQ((*out)->consent.at, Day(2026, 5, 2) + std::chrono::hours(14) + std::chrono::minutes(5));
  EXPECT_EQ((*out)->consent.source, "replied STOP");

  const auto yes = ParseConsentCell(" yes ", now, "csv:f:2");
  ASSERT_TRUE(yes.ok() && yes->has_value());
  EXPECT_EQ((*yes)->consent.at, now);
  EXPECT_EQ((*yes)->consent.source, "csv:f:2");
  EXPECT_TRUE((*yes)->undated);

  const auto no = ParseConsentCell("no STOP", now, "csv:f:2");
  EXPECT_EQ((*no)->consent.state, ConsentState::kOptedOut);
  EXPECT_EQ((*no)->consent.source, "STOP");

  EXPECT_FALSE(ParseConsentCell("", now, "x")->has_value());
  EXPECT_FALSE(ParseConsentCell("maybe", now, "x").ok());
  EXPECT_FALSE(ParseConsentCell("opt-in 2026-13-01", now, "x").ok());
  const auto future = ParseConsentCell("opt-in 2027-01-01", now, "x");
  ASSERT_FALSE(future.ok());
  EXPECT_TRUE(Has(Message(future.status()), "in the future"));
}

// ----- CSV import

TEST_F(BookTest, ImportsQuotedFieldsBomAndCrlf) {
  const std::string csv =
      "\xEF\xBB\xBFName,Phone,Email,Lang,Timezone,Channels,consent:WhatsApp\r\n"
      "\"Pérez, Ana\",011 15-5555-0000,ana@Example.com,es,America/Argentina/Buenos_Aires,whatsapp|sms,"
      "opt-in 2026-03-01 web-form\r\n"
      "\"Bea \"\"la jefa\"\"\nOficina 2\",,bea@example.com,EN,,email telegram,\r\n"
      "\r\n"
      "Carla,+34 612 345 678,,,,,no\r\n";
  const ImportReport report = Import(csv, Options());
  ASSERT_TRUE(report.ok()) << FormatImportReport(report, "clients.csv", Lang::kEn);
  EXPECT_TRUE(report.imported);
  EXPECT_EQ(report.rows_read, 3);
  EXPECT_EQ(report.created, 3);
  EXPECT_EQ(Count(), 3);

  const Contact ana = ByPhone("+5491155550000");
  EXPECT_EQ(ana.name, "Pérez, Ana");
  EXPECT_EQ(ana.email, "ana@example.com");
  EXPECT_EQ(ana.timezone, "America/Argentina/Buenos_Aires");
  EXPECT_EQ(ana.channel_order, (std::vector<std::string>{"whatsapp", "sms"}));
  EXPECT_EQ(ana.consent.at("whatsapp").state, ConsentState::kOptedIn);
  EXPECT_EQ(ana.consent.at("whatsapp").at, Day(2026, 3, 1));
  EXPECT_EQ(ana.consent.at("whatsapp").source, "web-form");

  const Contact bea = *book_->Get(**book_->FindByAddress(AddressKind::kEmail, "bea@example.com"));
  EXPECT_EQ(bea.name, "Bea \"la jefa\" Oficina 2");  // the line break inside the cell became a space
  EXPECT_EQ(bea.lang, Lang::kEn);
  EXPECT_EQ(bea.channel_order, (std::vector<std::string>{"email", "telegram"}));

  // Carla's record starts on line 6 (Bea's spans lines 3-4, line 5 is empty).
  const Contact carla = ByPhone("+34612345678");
  EXPECT_EQ(carla.lang, Lang::kEs);
  EXPECT_EQ(carla.consent.at("whatsapp").state, ConsentState::kOptedOut);
  EXPECT_EQ(carla.consent.at("whatsapp").source, "csv:clients.csv:6");
  const auto history = *book_->ConsentHistory(carla.id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].actor, "import clients.csv");
}

TEST_F(BookTest, ReportsEveryBadCellWithRowAndColumnAndImportsNothing) {
  const std::string csv =
      "name,phone,email,lang,timezone,channels,consent:sms\n"
      "Ana,12345,ana@example,es,,,\n"                      // row 2: phone, email
      "\"Bea\nB\",+34612345678,,fr,Mars/Olympus,,\n"     // row 3 (lines 3-4): lang, timezone
      "Carla,+14155552671,,,../../etc/passwd,whatsapp|fax,maybe\n"  // row 5: timezone, channels, consent
      ",,,,,,\n"                                         // empty: skipped
      "Dora,,,es,,,\n"                                   // row 7: no identity
      "Eva,+5491155550001,eva@example.com,en,,,\n";      // row 8: fine
  const ImportReport report = Import(csv, Options());
  EXPECT_FALSE(report.imported);
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(report.rows_read, 5);
  std::vector<std::pair<int, std::string>> where;
  for (const ImportProblem& p : report.problems) where.emplace_back(p.row, p.column);
  const std::vector<std::pair<int, std::string>> expected = {
      {2, "phone"}, {2, "email"}, {3, "lang"}, {3, "timezone"}, {5, "timezone"}, {5, "channels"}, {5, "consent:sms"}, {7, ""}};
  EXPECT_EQ(where, expected) << FormatImportReport(report, "clients.csv", Lang::kEn);
  EXPECT_EQ(report.problems[0].value, "12345");
  EXPECT_TRUE(Has(report.problems[5].what, "\"fax\"")) << report.problems[5].what;

  const std::string text = FormatImportReport(report, "clients.csv", Lang::kEn);
  EXPECT_TRUE(Has(text, "clients.csv:2: phone: \"12345\"")) << text;
  EXPECT_TRUE(Has(text, "Nothing was imported: 8 problems in 4 rows")) << text;
  const std::string es = FormatImportReport(report, "clientes.csv", Lang::kEs);
  EXPECT_TRUE(Has(es, "No se importó nada: 8 problemas")) << es;
}

TEST_F(BookTest, ReportsInSpanishWhenAsked) {
  ImportOptions options = Options();
  options.report_lang = Lang::kEs;
  const ImportReport report = Import("nombre,telefono\nAna,12345\n", options);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].column, "telefono");
  EXPECT_TRUE(Has(report.problems[0].what, "no es un teléfono válido")) << report.problems[0].what;
}

TEST_F(BookTest, UnknownColumnsAndChannelsSuggestTheClosestName) {
  const ImportReport report = Import("name,phnoe,emial,consent:whatsap\nAna,+34612345678,a@b.com,yes\n", Options());
  ASSERT_EQ(report.problems.size(), 4u) << FormatImportReport(report, "f.csv", Lang::kEn);
  EXPECT_EQ(report.problems[0].row, 1);
  EXPECT_EQ(report.problems[0].column, "phnoe");
  EXPECT_TRUE(Has(report.problems[0].what, "did you mean \"phone\"")) << report.problems[0].what;
  EXPECT_TRUE(Has(report.problems[1].what, "did you mean \"email\"")) << report.problems[1].what;
  EXPECT_TRUE(Has(report.problems[2].what, "did you mean \"whatsapp\"")) << report.problems[2].what;
  EXPECT_EQ(report.problems[3].row, 1);  // no identity column is left: the header must name one
  EXPECT_EQ(Count(), 0);
}

TEST_F(BookTest, InvalidUtf8AndMalformedQuotesHaveARowAndColumn) {
  const ImportReport bad_bytes = Import("name,email\nAna,ana@example.com\nBe\xE1,bea@example.com\n", Options());
  ASSERT_EQ(bad_bytes.problems.size(), 1u);
  EXPECT_EQ(bad_bytes.problems[0].row, 3);
  EXPECT_EQ(bad_bytes.problems[0].column, "name");
  EXPECT_EQ(bad_bytes.problems[0].value, "Be\\xE1");
  EXPECT_TRUE(Has(bad_bytes.problems[0].what, "UTF-8"));

  const ImportReport quote = Import("name,email\nAna,ana@example.com\nBea,be\"a@example.com\n", Options());
  ASSERT_EQ(quote.problems.size(), 1u);
  EXPECT_EQ(quote.problems[0].row, 3);
  EXPECT_EQ(quote.problems[0].column, "email");
  EXPECT_TRUE(Has(quote.problems[0].what, "malformed CSV"));

  const ImportReport open = Import("name,email\nAna,ana@example.com\n\"Bea,bea@example.com\n", Options());
  ASSERT_EQ(open.problems.size(), 1u);
  EXPECT_EQ(open.problems[0].row, 3);
  EXPECT_TRUE(Has(open.problems[0].what, "never closed"));

  EXPECT_EQ(Import("", Options()).problems.size(), 1u);
  EXPECT_EQ(Count(), 0);
}

TEST_F(BookTest, RowsOfTheSamePersonMergeWithinTheFile) {
  const std::string csv =
      "name,phone,email,telegram,consent:sms\n"
      "Ana,011 15-5555-0000,,,opt-in 2026-03-01 web-form\n"
      ",+5491155550000,ana@example.com,,\n"          // same phone: adds the email
      ",,ANA@example.com,12345678,opt-out 2026-04-01 STOP\n"  // same email: adds Telegram, newer opt-out
      "Bea,+34612345678,,,\n";
  const ImportReport report = Import(csv, Options());
  ASSERT_TRUE(report.ok()) << FormatImportReport(report, "f.csv", Lang::kEn);
  EXPECT_EQ(report.rows_read, 4);
  EXPECT_EQ(report.created, 2);
  EXPECT_EQ(Count(), 2);
  const Contact ana = ByPhone("+5491155550000");
  EXPECT_EQ(ana.name, "Ana");
  EXPECT_EQ(ana.email, "ana@example.com");
  EXPECT_EQ(ana.telegram, "12345678");
  EXPECT_EQ(ana.consent.at("sms").state, ConsentState::kOptedOut);
  EXPECT_EQ(ana.consent.at("sms").source, "STOP");
}

TEST_F(BookTest, ConflictingRowsOfTheSamePersonAreAnError) {
  const std::string csv =
      "name,phone,email\n"
      "Ana,+5491155550000,ana@example.com\n"
      "Ana,+5491155550000,ana.perez@example.com\n";
  const ImportReport report = Import(csv, Options());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].row, 3);
  EXPECT_EQ(report.problems[0].column, "email");
  EXPECT_EQ(report.problems[0].value, "ana.perez@example.com");
  EXPECT_TRUE(Has(report.problems[0].what, "row 2")) << report.problems[0].what;
  EXPECT_TRUE(Has(report.problems[0].what, "ana@example.com")) << report.problems[0].what;
  EXPECT_EQ(Count(), 0);
}

TEST_F(BookTest, ImportMergesWithExistingContacts) {
  Contact ana;
  ana.name = "Ana";
  ana.phone = "+5491155550000";
  ana.lang = Lang::kEn;
  const int64_t ana_id = book_->Upsert(ana)->id;
  ASSERT_TRUE(book_->SetConsent(ana_id, "sms", {ConsentState::kOptedIn, Day(2026, 4, 1), "in store"}).ok());
  Contact bea;
  bea.name = "Bea";
  bea.email = "bea@example.com";
  ASSERT_TRUE(book_->Upsert(bea).ok());

  const std::string csv =
      "name,phone,email,lang,consent:sms\n"
      ",011 15 5555-0000,ana@example.com,,opt-out 2026-03-01 old-list\n"  // adds an email; older consent ignored
      "Bea,,bea@example.com,,\n"                                          // nothing new
      "Carla,+34612345678,,,\n";                                          // new
  ImportOptions options = Options();
  options.dry_run = true;
  const ImportReport dry = Import(csv, options);
  ASSERT_TRUE(dry.ok()) << FormatImportReport(dry, "f.csv", Lang::kEn);
  EXPECT_FALSE(dry.imported);
  EXPECT_EQ(dry.created, 1);
  EXPECT_EQ(Count(), 2);  // a dry run writes nothing
  EXPECT_TRUE(Has(FormatImportReport(dry, "f.csv", Lang::kEn), "Dry run"));

  const ImportReport report = Import(csv, Options());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report.imported);
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(report.merged, 1);
  EXPECT_EQ(report.unchanged, 1);
  const Contact merged = *book_->Get(ana_id);
  EXPECT_EQ(merged.email, "ana@example.com");
  EXPECT_EQ(merged.name, "Ana");
  EXPECT_EQ(merged.lang, Lang::kEn);  // an empty lang cell keeps the stored language
  EXPECT_EQ(merged.consent.at("sms").state, ConsentState::kOptedIn);
  EXPECT_EQ(merged.consent.at("sms").source, "in store");

  // A newer dated opt-out from the file does replace it, with a line in the history.
  const ImportReport newer = Import("phone,consent:sms\n+5491155550000,opt-out 2026-05-01 called to cancel\n", Options());
  EXPECT_EQ(newer.merged, 1);
  EXPECT_EQ(book_->Get(ana_id)->ConsentFor("sms"), ConsentState::kOptedOut);
  EXPECT_EQ(book_->ConsentHistory(ana_id)->size(), 2u);
}

TEST_F(BookTest, ARowMatchingTwoExistingContactsIsAnErrorNamingBoth) {
  Contact ana, bea;
  ana.phone = "+5491155550000";
  bea.email = "bea@example.com";
  const int64_t ana_id = book_->Upsert(ana)->id;
  const int64_t bea_id = book_->Upsert(bea)->id;
  const ImportReport report =
      Import("name,phone,email\nCarla,+34612345678,\nAna,+5491155550000,bea@example.com\n", Options());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].row, 3);
  EXPECT_EQ(report.problems[0].column, "email");
  EXPECT_TRUE(Has(report.problems[0].what, StrCat("contact ", ana_id))) << report.problems[0].what;
  EXPECT_TRUE(Has(report.problems[0].what, StrCat("contact ", bea_id))) << report.problems[0].what;
  EXPECT_FALSE(report.imported);
  EXPECT_EQ(Count(), 2);  // Carla was not imported either
}

TEST_F(BookTest, TheDocumentedExampleImports) {
  std::ifstream in(std::string(FARO_SOURCE_DIR) + "/docs/contacts.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  const size_t start = text.find("```csv\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = text.find("```", start + 7);
  const std::string csv = text.substr(start + 7, end - start - 7);
  const ImportReport report = Import(csv, Options());
  ASSERT_TRUE(report.ok()) << FormatImportReport(report, "clients.csv", Lang::kEn);
  EXPECT_EQ(report.rows_read, 4);
  EXPECT_EQ(report.created, 3);
  const Contact ana = ByPhone("+5491155550000");
  EXPECT_EQ(ana.name, "Pérez, Ana");
  EXPECT_EQ(ana.consent.at("sms").source, "csv:clients.csv:5");
  EXPECT_EQ(ByPhone("+34612345678").consent.at("sms").state, ConsentState::kOptedOut);
}

TEST_F(BookTest, ImportsAHundredThousandRows) {
  std::string csv = "name,phone,email,consent:sms\n";
  csv.reserve(100000 * 60);
  for (int i = 0; i < 100000; ++i)
    StrAppend(csv, "Person ", i, ",+34 6", 10000000 + i, ",p", i, "@example.com,opt-in 2026-03-01 web-form\n");
  const ImportReport report = Import(csv, Options());
  ASSERT_TRUE(report.ok()) << FormatImportReport(report, "big.csv", Lang::kEn);
  EXPECT_EQ(report.created, 100000);
  EXPECT_EQ(Count(), 100000);
  EXPECT_EQ(ByPhone("+34610099999").email, "p99999@example.com");
}

}  // namespace
}  // namespace faro::contacts
