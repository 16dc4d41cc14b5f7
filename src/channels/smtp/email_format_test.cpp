// The pieces of a message Faro writes itself, and how SMTP replies are read and classified.
#include "channels/smtp/email_format.hpp"

#include <gtest/gtest.h>

#include "channels/smtp/smtp_reply.hpp"
#include "core/strings.hpp"

namespace faro::channels::smtp {
namespace {

TEST(CheckAddress, AcceptsOrdinaryAddresses) {
  for (const char* ok : {"ana@example.com", "ana.perez+tienda@mail.example.co", "x_y-z@sub-1.example.org"})
    EXPECT_TRUE(CheckAddress(ok).ok()) << ok;
}

TEST(CheckAddress, RefusesWhatCouldBreakTheEnvelopeOrAHeader) {
  for (const char* bad : {"", "ana", "@example.com", "ana@", "ana@example.com\r\nBcc: x@y.z", "ana@exa mple.com",
                          "<ana@example.com>", "ana..b@example.com", ".ana@example.com", "ana.@example.com",
                          "\"ana\"@example.com", "ana@-example.com", "ana@example..com", "añа@example.com",
                          "ana@example.com>", "ana,bob@example.com"})
    EXPECT_FALSE(CheckAddress(bad).ok()) << bad;
  EXPECT_FALSE(CheckAddress(std::string(65, 'a') + "@example.com").ok());
}

TEST(CheckAddress, MessageNeverCarriesALineBreak) {
  const absl::Status st = CheckAddress("ana@example.com\r\nBcc: x@y.z");
  EXPECT_FALSE(Contains(Message(st), "\r")) << Message(st);
  EXPECT_FALSE(Contains(Message(st), "\n")) << Message(st);
}

TEST(ParseMailbox, ReadsNameAndAddress) {
  auto m = ParseMailbox("Ana <hola@example.com>");
  ASSERT_TRUE(m.ok()) << Message(m.status());
  EXPECT_EQ(m->name, "Ana");
  EXPECT_EQ(m->address, "hola@example.com");
  m = ParseMailbox(R"("Ana \"la de la tienda\", Sevilla" <hola@example.com>)");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name, R"(Ana "la de la tienda", Sevilla)");
  m = ParseMailbox("  hola@example.com ");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name, "");
  EXPECT_EQ(m->address, "hola@example.com");
  EXPECT_FALSE(ParseMailbox("Ana <hola@example>.com").ok());
  EXPECT_FALSE(ParseMailbox("An\na <hola@example.com>").ok());
  EXPECT_FALSE(ParseMailbox("\xff\xfe <hola@example.com>").ok());  // not UTF-8
}

TEST(FormatMailbox, QuotesOrEncodesTheName) {
  EXPECT_EQ(FormatMailbox({"Ana", "a@example.com"}), "Ana <a@example.com>");
  EXPECT_EQ(FormatMailbox({"", "a@example.com"}), "a@example.com");
  EXPECT_EQ(FormatMailbox({"Dr. \"Ana\"", "a@example.com"}), "\"Dr. \\\"Ana\\\"\" <a@example.com>");
  EXPECT_EQ(FormatMailbox({"Peña", "a@example.com"}), "=?UTF-8?B?UGXDsWE=?= <a@example.com>");
  // A line break in a name becomes a space: it can never start a header of its own.
  EXPECT_EQ(FormatMailbox({"Ana\r\nBcc: x@y.z", "a@example.com"}), "\"Ana  Bcc: x@y.z\" <a@example.com>");
}

TEST(EncodeUnstructured, PlainAsciiStaysReadable) {
  EXPECT_EQ(EncodeUnstructured("We are open again"), "We are open again");
  EXPECT_EQ(EncodeUnstructured("line\r\nBcc: x@y.z"), "line  Bcc: x@y.z");
  EXPECT_EQ(EncodeUnstructured("=?UTF-8?B?x?="), "=?UTF-8?B?PT9VVEYtOD9CP3g/PQ==?=");  // looks encoded: encode it
}

TEST(EncodedWords, FoldsWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "ñ€";  // 2- and 3-byte characters, 200 bytes
  const std::string encoded = EncodedWords(subject);
  const auto words = Split(encoded, "\r\n ", true);
  ASSERT_GT(words.size(), 4u);
  for (const std::string_view word : words) {
    EXPECT_LE(word.size(), 64u);
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
  }
  EXPECT_EQ(encoded.find("\r\n", 0), encoded.find("\r\n "));  // every break is followed by a space
}

TEST(RfcDate, IsEnglishAndUtc) {
  EXPECT_EQ(RfcDate(FromUnixMillis(1633356000000)), "Mon, 04 Oct 2021 14:00:00 +0000");
}

TEST(CrlfLines, NormalisesEveryLineEnding) { EXPECT_EQ(CrlfLines("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd"); }

TEST(Base64Lines, WrapsAt76) {
  const std::string out = Base64Lines(std::string(100, 'x'));
  EXPECT_EQ(out.find("\r\n"), 76u);
  EXPECT_TRUE(out.ends_with("\r\n"));
}

TEST(ReplyLog, JoinsMultiLineRepliesAndReadsEnhancedStatus) {
  ReplyLog log;
  for (const char* line : {"220 mx.example.com ESMTP\r\n", "250-mx.example.com\r\n", "250-STARTTLS\r\n",
                           "250 HELP\r\n", "550-5.1.1 The email account that you tried to reach\r\n",
                           "550 5.1.1 does not exist.\r\n"})
    log.AddLine(line);
  ASSERT_EQ(log.replies().size(), 3u);
  const SmtpReply* refused = log.Last(550);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->enhanced, "5.1.1");
  EXPECT_EQ(refused->text, "The email account that you tried to reach 5.1.1 does not exist.");
  EXPECT_EQ(ReplyCode(*refused), "550 5.1.1");
  EXPECT_EQ(log.Last(250)->text, "mx.example.com STARTTLS HELP");
  EXPECT_EQ(log.Last(421), nullptr);
}

SendResult Classify(const std::string& line) {
  ReplyLog log;
  log.AddLine(line);
  return ResultFromReply(log.replies().at(0), "mx.example.com:587");
}

TEST(ResultFromReply, MapsReplyCodesToOutcomes) {
  struct Case {
    const char* line;
    ResultKind kind;
    bool provider_fault;
    const char* code;
  };
  const Case cases[] = {
      {"421 4.3.2 Service shutting down", ResultKind::kTransient, true, "421 4.3.2"},
      {"450 4.2.1 Mailbox busy", ResultKind::kTransient, false, "450 4.2.1"},
      {"451 4.3.0 Local error in processing", ResultKind::kTransient, true, "451 4.3.0"},
      {"451 4.7.1 Greylisted, try again in 5 minutes", ResultKind::kTransient, false, "451 4.7.1"},
      {"452 4.2.2 Mailbox full", ResultKind::kTransient, false, "452 4.2.2"},
      {"454 4.7.0 TLS not available", ResultKind::kTransient, true, "454 4.7.0"},
      {"454 TLS not available due to temporary reason", ResultKind::kTransient, true, "454"},
      {"550 5.1.1 No such user", ResultKind::kPermanent, false, "550 5.1.1"},
      {"550 5.7.26 DMARC policy", ResultKind::kPermanent, false, "550 5.7.26"},
      {"552 5.3.4 Message too big", ResultKind::kPermanent, false, "552 5.3.4"},
      {"535 5.7.8 Authentication credentials invalid", ResultKind::kAuth, false, "535 5.7.8"},
      {"530 5.7.0 Authentication required", ResultKind::kAuth, false, "530 5.7.0"},
      {"538 5.7.11 Encryption required", ResultKind::kAuth, false, "538 5.7.11"},
  };
  for (const Case& c : cases) {
    const SendResult r = Classify(c.line);
    EXPECT_EQ(r.kind, c.kind) << c.line;
    EXPECT_EQ(r.provider_fault, c.provider_fault) << c.line;
    EXPECT_EQ(r.code, c.code) << c.line;
    EXPECT_TRUE(Contains(r.detail, std::string(c.line).substr(4))) << r.detail;
    EXPECT_TRUE(Contains(r.detail, "mx.example.com:587")) << r.detail;
  }
}

}  // namespace
}  // namespace faro::channels::smtp
