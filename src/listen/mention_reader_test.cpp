#include "listen/mention_reader.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/strings.hpp"
#include "listen/mention_time.hpp"

namespace faro {
namespace {

struct Seen {
  std::vector<std::string> ids, texts;
  std::vector<int64_t> lines;
  std::vector<std::pair<int64_t, RejectReason>> rejected;
  std::vector<std::string> details;
  ReaderCounts counts;
};

Seen ReadAll(const std::string& input, ReaderOptions options = {}) {
  MemoryByteSource source(input);
  MentionReader reader(source, options);
  Seen seen;
  reader.OnReject([&](const Rejection& r) {
    seen.rejected.emplace_back(r.line, r.reason);
    seen.details.emplace_back(r.detail);
  });
  Mention m;
  while (reader.Next(m)) {
    seen.ids.emplace_back(m.id);
    seen.texts.emplace_back(m.text);
    seen.lines.push_back(m.line);
  }
  EXPECT_TRUE(reader.status().ok());
  seen.counts = reader.counts();
  return seen;
}

TEST(MentionReader, ReadsEveryField) {
  const std::string line =
      R"({"id":"m1","at":"2021-10-04T15:39:00.250Z","source":"Instagram","author":{"id":"u1","handle":"@ana","followers":1200},)"
      R"("text":"WhatsApp ca\u00eddo \ud83d\ude21","url":"https://x.example/1","reply_to":778,"reply_to_author":"@bob",)"
      R"("shares":3,"likes":10,"brand":"sol","channel":"dm","unknown":{"a":[1,2]}})";
  const std::string input = line + "\n";  // the source keeps a view: the bytes must outlive it
  MemoryByteSource source(input);
  MentionReader reader(source);
  Mention m;
  ASSERT_TRUE(reader.Next(m));
  EXPECT_EQ(m.id, "m1");
  EXPECT_EQ(ToUnixMillis(m.at), 1633361940250);
  EXPECT_EQ(m.source, MentionSource::kInstagram);
  EXPECT_EQ(m.author_id, "u1");
  EXPECT_EQ(m.author_handle, "ana");
  EXPECT_EQ(m.followers, 1200);
  EXPECT_EQ(m.text, "WhatsApp caído 😡");
  EXPECT_EQ(m.url, "https://x.example/1");
  EXPECT_EQ(m.reply_to, "778");
  EXPECT_EQ(m.reply_to_author, "bob");
  EXPECT_EQ(m.shares, 3);
  EXPECT_EQ(m.likes, 10);
  EXPECT_EQ(m.brand, "sol");
  EXPECT_EQ(m.channel, "dm");
  EXPECT_EQ(m.raw, line);
  EXPECT_EQ(m.line, 1);
  EXPECT_FALSE(reader.Next(m));
  EXPECT_EQ(reader.counts().accepted, 1);
}

TEST(MentionReader, RejectsEachBadRecordWithItsLineAndReasonAndGoesOn) {
  const std::string input =
      "{\"at\":1633361940,\"text\":\"one\"}\n"                     // 1 ok
      "{\"at\":1633361940,\"text\":\"two\"\n"                      // 2 malformed
      "\n"                                                          // 3 blank
      "{\"at\":1633361940}\n"                                       // 4 missing text
      "{\"text\":\"no time\"}\r\n"                                  // 5 missing time
      "{\"at\":\"last tuesday\",\"text\":\"x\"}\n"                  // 6 bad time
      "{\"at\":1633361940,\"text\":42}\n"                           // 7 wrong type
      "[1,2]\n"                                                     // 8 not an object
      "{\"at\":1633361940,\"text\":\"x\",\"shares\":-1}\n"          // 9 wrong type (negative)
      "{\"at\":1633361940,\"text\":\"x\"} {\"more\":1}\n"           // 10 content after the object
      "{\"at\":1633361940,\"text\":\"\"}\n"                         // 11 empty text
      "  \t \r\n"                                                   // 12 blank
      "{\"at\":null,\"text\":\"x\"}\n"                              // 13 null time = missing
      "{\"at\":1633361940,\"text\":\"x\",\"author\":7}\n"           // 14 wrong type
      "{\"at\":1633361940,\"text\":\"ten\"}\r\n"                    // 15 ok, CRLF
      "not json\n"                                                 // 16 malformed (starts like null)
      "\"just a string\"\n";                                        // 17 JSON, not an object
  const Seen seen = ReadAll(input);
  EXPECT_EQ(seen.texts, (std::vector<std::string>{"one", "ten"}));
  EXPECT_EQ(seen.lines, (std::vector<int64_t>{1, 15}));
  const std::vector<std::pair<int64_t, RejectReason>> expected = {
      {2, RejectReason::kMalformedJson}, {4, RejectReason::kMissingText},   {5, RejectReason::kMissingTime},
      {6, RejectReason::kBadTime},       {7, RejectReason::kWrongType},     {8, RejectReason::kNotAnObject},
      {9, RejectReason::kWrongType},     {10, RejectReason::kMalformedJson}, {11, RejectReason::kMissingText},
      {13, RejectReason::kMissingTime},  {14, RejectReason::kWrongType},     {16, RejectReason::kMalformedJson},
      {17, RejectReason::kNotAnObject},
  };
  EXPECT_EQ(seen.rejected, expected);
  EXPECT_EQ(seen.details[4], "text");
  EXPECT_EQ(seen.details[6], "shares");
  EXPECT_EQ(seen.details[10], "author");
  EXPECT_EQ(seen.counts.lines, 17);
  EXPECT_EQ(seen.counts.blank, 2);
  EXPECT_EQ(seen.counts.accepted, 2);
  EXPECT_EQ(seen.counts.RejectedTotal(), 13);
  EXPECT_EQ(seen.counts.rejected[static_cast<int>(RejectReason::kWrongType)], 3);
}

TEST(MentionReader, RejectsMalformedJsonInMembersItDoesNotRead) {
  // Members Faro ignores are still JSON: a record that breaks the grammar anywhere is refused
  // (and `faro listen --annotate` never writes it back), on every way of reading a line. Numbers
  // too big for 64 bits or a double are JSON and pass.
  const std::string head = R"({"at":1633361940,"text":"hola",)";
  std::vector<std::string> broken = {
      R"("x":[1,,2]})", R"("x":{"a" 1}})", R"("x":tru})", R"("x":nullx})", R"("x":[1,]})", R"("x":{"a":1,}})",
      R"("x":"\q"})", R"("x":1.2.3})", R"("x":-})", R"("x":01})", R"("x":[1 2]})", R"("x":{"\q":1}})",
      R"("author":{"handle":"a","x":[1,,2]}})", R"("author":{"bio":fals}})", R"("id":1.2.3})",
      R"("likes":1.2.3})", R"("id":123456789012345678901234567890,"x":[1,,2]})",
      R"("x":123456789012345678901234567890,"y":"\u12"})"};
  const std::vector<std::string> fine = {
      R"("x":123456789012345678901234567890})", R"("x":1e400})", R"("x":[-0.5e-3,0,{"y":[true,false,null]}]})",
      R"("author":{"handle":"a","x":{"deep":[[["ok"]]]}}})", R"("x" : [ 1 , 2 ] })",
      "\"x\":" + std::string(900, '[') + std::string(900, ']') + "}"};
  // Nested past the parser's limit, half a million brackets deep: refused, never a crash.
  broken.push_back("\"x\":" + std::string(500000, '[') + std::string(500000, ']') + "}");
  std::string input;
  for (const std::string& b : broken) input += head + b + "\n";
  for (const std::string& f : fine) input += head + f + "\n";
  for (const bool on_demand_only : {false, true}) {
    for (const bool whole_blocks : {false, true}) {
      ReaderOptions options;
      options.on_demand_only = on_demand_only;
      options.whole_blocks = whole_blocks;
      const Seen seen = ReadAll(input, options);
      ASSERT_EQ(seen.rejected.size(), broken.size()) << on_demand_only << whole_blocks;
      for (std::size_t i = 0; i < broken.size(); ++i) {
        EXPECT_EQ(seen.rejected[i], std::make_pair(static_cast<int64_t>(i + 1), RejectReason::kMalformedJson))
            << broken[i];
        EXPECT_FALSE(seen.details[i].empty()) << broken[i];
      }
      EXPECT_EQ(seen.counts.accepted, static_cast<int64_t>(fine.size()));
    }
  }
}

TEST(MentionReader, ReadsEscapedMemberNames) {
  const Seen seen = ReadAll("{\"\\u0061t\":1633361940,\"te\\u0078t\":\"escaped names\"}\n");
  EXPECT_EQ(seen.texts, std::vector<std::string>{"escaped names"});
  EXPECT_TRUE(seen.rejected.empty());
}

TEST(MentionReader, RejectsInvalidUtf8) {
  const std::string input =
      "{\"at\":1633361940,\"text\":\"bad \xC3\x28 byte\"}\n"   // broken two-byte sequence
      "{\"at\":1633361940,\"text\":\"surrogate \xED\xA0\x80\"}\n"  // encoded surrogate
      "{\"at\":1633361940,\"text\":\"ca\xC3\xAD" "do\"}\n";
  const Seen seen = ReadAll(input);
  ASSERT_EQ(seen.rejected.size(), 2u);
  EXPECT_EQ(seen.rejected[0], std::make_pair(int64_t{1}, RejectReason::kInvalidUtf8));
  EXPECT_EQ(seen.rejected[1], std::make_pair(int64_t{2}, RejectReason::kInvalidUtf8));
  EXPECT_EQ(seen.texts, std::vector<std::string>{"caído"});
}

TEST(MentionReader, LongLinesAcrossBlocksAreReadWhole) {
  // Lines of ~3,000 bytes with 4,096-byte blocks: most lines straddle a refill.
  std::string input;
  for (int i = 0; i < 50; ++i)
    input += "{\"id\":\"" + std::to_string(i) + "\",\"at\":1633361940,\"text\":\"" + std::string(3000, 'a' + i % 26) + "\"}\n";
  ReaderOptions options;
  options.block_bytes = 4096;
  options.max_line_bytes = 8192;
  const Seen seen = ReadAll(input, options);
  ASSERT_EQ(seen.texts.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(seen.ids[i], std::to_string(i));
    EXPECT_EQ(seen.texts[i], std::string(3000, 'a' + i % 26));
    EXPECT_EQ(seen.lines[i], i + 1);
  }
  EXPECT_TRUE(seen.rejected.empty());
}

TEST(MentionReader, HugeLineIsRejectedAndSkippedWhole) {
  const std::string huge = "{\"at\":1633361940,\"text\":\"" + std::string(3 << 20, 'x') + "\"}";
  const std::string input = "{\"at\":1633361940,\"text\":\"before\"}\n" + huge + "\n{\"at\":1633361940,\"text\":\"after\"}\n" +
                            huge;  // the last one without a line ending
  const Seen seen = ReadAll(input);  // default: 1 MB lines
  EXPECT_EQ(seen.texts, (std::vector<std::string>{"before", "after"}));
  EXPECT_EQ(seen.lines, (std::vector<int64_t>{1, 3}));
  const std::vector<std::pair<int64_t, RejectReason>> expected = {{2, RejectReason::kLineTooLong},
                                                                   {4, RejectReason::kLineTooLong}};
  EXPECT_EQ(seen.rejected, expected);
}

TEST(MentionReader, LastLineWithoutNewlineAndOnlyBlankLines) {
  EXPECT_EQ(ReadAll("{\"at\":1633361940,\"text\":\"end\"}").texts, std::vector<std::string>{"end"});
  const Seen blank = ReadAll("\n\r\n   \n");
  EXPECT_TRUE(blank.texts.empty());
  EXPECT_TRUE(blank.rejected.empty());
  EXPECT_EQ(blank.counts.blank, 3);
  EXPECT_TRUE(ReadAll("").texts.empty());
}

TEST(MentionReader, ReadsAFileDescriptor) {
  std::string path = (std::filesystem::temp_directory_path() / "faro-listen-XXXXXX").string();
  const int fd = mkstemp(path.data());
  ASSERT_GE(fd, 0);
  const std::string input = "{\"at\":1633361940,\"text\":\"from a file\"}\nnot json\n";
  ASSERT_EQ(write(fd, input.data(), input.size()), static_cast<ssize_t>(input.size()));
  lseek(fd, 0, SEEK_SET);
  FdByteSource source(fd);
  MentionReader reader(source);
  int rejected = 0;
  reader.OnReject([&](const Rejection& r) {
    EXPECT_EQ(r.line, 2);
    ++rejected;
  });
  Mention m;
  ASSERT_TRUE(reader.Next(m));
  EXPECT_EQ(m.text, "from a file");
  EXPECT_FALSE(reader.Next(m));
  EXPECT_EQ(rejected, 1);
  close(fd);
  unlink(path.c_str());
}

TEST(MentionReader, ReadsAPipeWithALargerBuffer) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_LT(fcntl(fds[0], F_GETPIPE_SZ), kPipeBufferBytes);  // Linux's 64 KiB
  FdByteSource source(fds[0]);
  // (Asserted: with the old buffer the write below would wait for a reader forever.)
  ASSERT_GE(fcntl(fds[0], F_GETPIPE_SZ), kPipeBufferBytes);
  // More than the old buffer held, written before anything is read.
  std::string input;
  for (int i = 0; input.size() < 200000; ++i)
    input += StrCat("{\"at\":1633361940,\"text\":\"line ", i, "\"}\n");
  ASSERT_EQ(write(fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(fds[1]);
  MentionReader reader(source);
  Mention m;
  int lines = 0;
  while (reader.Next(m)) EXPECT_EQ(m.text, StrCat("line ", lines++));
  EXPECT_EQ(lines, std::count(input.begin(), input.end(), '\n'));
  close(fds[0]);
}

TEST(MentionReader, GarbageNeverStopsTheReaderAndEveryLineIsCounted) {
  // Valid records cut at random places and sprinkled with random bytes: whatever the damage,
  // each line is accepted, rejected or blank, and the reader reaches the end.
  const std::string record =
      "{\"id\":\"7\",\"at\":\"2021-10-04T15:39:00Z\",\"author\":{\"handle\":\"@a\",\"followers\":3},"
      "\"text\":\"ca\u00eddo \\\"ya\\\" \xF0\x9F\x98\xA1\",\"shares\":1}";
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  std::string input;
  int lines = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string line = record;
    const int damage = static_cast<int>(next() % 4);
    if (damage == 1) line.resize(next() % line.size());
    if (damage == 2) line[next() % line.size()] = static_cast<char>(next() % 256);
    if (damage == 3) line.insert(next() % line.size(), 1, static_cast<char>(next() % 256));
    for (char& c : line)
      if (c == '\n') c = ' ';
    input += line;
    input += '\n';
    ++lines;
  }
  ReaderOptions options;
  options.block_bytes = 4096;
  options.max_line_bytes = record.size();  // a record with a byte inserted is too long
  const Seen seen = ReadAll(input, options);
  EXPECT_EQ(seen.counts.lines, lines);
  EXPECT_EQ(seen.counts.accepted + seen.counts.RejectedTotal() + seen.counts.blank, lines);
  EXPECT_GT(seen.counts.accepted, 0);
  EXPECT_GT(seen.counts.rejected[static_cast<int>(RejectReason::kLineTooLong)], 0);
  EXPECT_GT(seen.counts.rejected[static_cast<int>(RejectReason::kMalformedJson)], 0);
  EXPECT_GT(seen.counts.rejected[static_cast<int>(RejectReason::kInvalidUtf8)], 0);
  for (const std::string& text : seen.texts) EXPECT_FALSE(text.empty());
}

// Everything the reader says about one line, as text, to compare two ways of reading it.
std::string DescribeMention(const Mention& m) {
  return std::to_string(m.line) + " id=" + std::string(m.id) + " at=" + std::to_string(ToUnixMillis(m.at)) +
         " source=" + std::string(MentionSourceName(m.source)) + " author=" + std::string(m.author_id) + "/" +
         std::string(m.author_handle) + "/" + std::to_string(m.followers) + " text=" + std::string(m.text) +
         " url=" + std::string(m.url) + " reply=" + std::string(m.reply_to) + "/" + std::string(m.reply_to_author) +
         " shares=" + std::to_string(m.shares) + " likes=" + std::to_string(m.likes) + " brand=" +
         std::string(m.brand) + " channel=" + std::string(m.channel) + " raw=" + std::string(m.raw);
}

// Every accepted mention and every rejection, in line order, then the counts. `batch` > 0:
// read with NextBatch(batch), each batch described only once it is whole (so its views must
// all still hold); rejections reported while it was read are put in line order with it.
std::vector<std::string> Describe(const std::string& input, ReaderOptions options, std::size_t batch = 0) {
  MemoryByteSource source(input);
  MentionReader reader(source, options);
  std::vector<std::string> out;
  std::vector<std::pair<int64_t, std::string>> pending;
  reader.OnReject([&](const Rejection& r) {
    pending.emplace_back(r.line, std::to_string(r.line) + " rejected " + std::string(RejectReasonCode(r.reason)) +
                                     " " + std::string(r.detail));
  });
  const auto flush = [&] {
    std::stable_sort(pending.begin(), pending.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, d] : pending) out.push_back(std::move(d));
    pending.clear();
  };
  if (batch == 0) {
    Mention m;
    while (reader.Next(m)) {
      flush();
      out.push_back(DescribeMention(m));
    }
  } else {
    MentionBatch b;
    while (reader.NextBatch(b, batch)) {
      EXPECT_LE(b.size(), batch);
      EXPECT_FALSE(b.empty());
      for (const Mention& m : b.mentions()) pending.emplace_back(m.line, DescribeMention(m));
      flush();
    }
  }
  flush();
  const ReaderCounts& c = reader.counts();
  out.push_back("lines=" + std::to_string(c.lines) + " blank=" + std::to_string(c.blank) +
                " accepted=" + std::to_string(c.accepted) + " rejected=" + std::to_string(c.RejectedTotal()));
  return out;
}

std::vector<std::string> Describe(const std::string& input, bool on_demand_only) {
  ReaderOptions options;
  options.on_demand_only = on_demand_only;
  return Describe(input, options);
}

TEST(MentionReader, TapeAndMemberByMemberReadingsAgree) {
  // Records whose members take every kind of value the two paths treat differently: ids as
  // integers, big integers, fractions, exponents, "-0"; counts negative, fractional, too big;
  // times as text, numbers and nonsense; authors as text, objects, arrays; escapes; repeated
  // members; then the same records damaged byte by byte.
  const std::vector<std::vector<std::string>> values = {
      /*id*/ {R"("m1")", "778", "-5", "0", "-0", "1.5", "1e3", "18446744073709551615", "18446744073709551616",
              "123456789012345678901234567890", "null", "true", "[1]", R"({"a":1})"},
      /*at*/ {R"("2021-10-04T15:39:00.250Z")", R"("2021-10-04 12:39:00-03:00")", "1633361940", "1633361940.5",
              "1633361940250", "1e300", "-1", "null", R"("ayer")", R"("2021-10-04T15:39:00")", "[]",
              R"("2021-02-29T00:00:00Z")", R"("2021-10-04T15:39:60.9999Z")"},
      /*followers*/ {"0", "12", "-3", "1.0", "9223372036854775807", "9223372036854775808", "1e2", "null",
                     R"("many")"},
      /*author*/ {R"({"id":"u1","handle":"@ana","followers":5})", R"({"id":42,"handle":null})", R"("@bob")",
                  "null", "7", R"(["x"])", R"({"id":1.5})", R"({"handle":3})", R"({"followers":-1})", "{}"},
      /*text*/ {R"("ca\u00eddo \ud83d\ude21")", R"("")", "null", "42", R"("a\"b\\c")", R"("\ud83d")"},
      /*source*/ {R"("X")", R"("Instagram")", R"("twitter")", R"("myspace")", "null", "1", R"("")"},
  };
  const std::vector<std::string> extras = {"", R"(,"unknown":{"a":[1,2,{"b":null}]})", R"(,"text":"second")",
                                           R"(,"\u0061t":1633361941)", R"(,"shares":2,"likes":-1)",
                                           R"(,"reply_to":99,"reply_to_author":"@sol")", R"(,"brand":"sol","channel":4)"};
  uint64_t state = 7;
  auto next = [&](uint32_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33) % n;
  };
  // Half the time the field's first (valid) value, so that enough records get through.
  auto pick = [&](std::size_t field) {
    const std::vector<std::string>& v = values[field];
    return next(2) == 0 ? v[0] : v[next(static_cast<uint32_t>(v.size()))];
  };
  std::string input;
  int damaged = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string line = "{\"id\":" + pick(0) + ",\"at\":" + pick(1) + ",\"followers\":" + pick(2) +
                       ",\"author\":" + pick(3) + ",\"text\":" + pick(4) + ",\"source\":" + pick(5) +
                       extras[next(static_cast<uint32_t>(extras.size()))] + "}";
    if (next(4) == 0) {
      ++damaged;
      const uint32_t at = next(line.size());
      if (next(2) == 0) line[at] = static_cast<char>(next(256));
      else line.resize(at);
      for (char& c : line)
        if (c == '\n') c = ' ';
    }
    input += line + "\n";
  }
  const std::vector<std::string> tape = Describe(input, false);
  const std::vector<std::string> on_demand = Describe(input, true);
  ASSERT_EQ(tape.size(), on_demand.size());
  for (std::size_t i = 0; i < tape.size(); ++i) EXPECT_EQ(tape[i], on_demand[i]);
  // The mix reaches both outcomes and both ways of writing an id.
  std::size_t accepted = 0, numeric_ids = 0;
  for (const std::string& d : tape) {
    accepted += d.find(" rejected ") == std::string::npos;
    numeric_ids += d.find(" id=778 ") != std::string::npos || d.find(" id=-0 ") != std::string::npos ||
                   d.find(" id=1e3 ") != std::string::npos || d.find(" id=1.5 ") != std::string::npos;
  }
  EXPECT_GT(accepted, 300u);
  EXPECT_GT(tape.size() - accepted, 3000u);
  EXPECT_GT(numeric_ids, 10u);
  EXPECT_GT(damaged, 1000);
}

TEST(MentionReader, WholeBlocksAndLineByLineReadingsAgree) {
  // A block parse (simdjson's parse_many) knows nothing of lines. Lines it reads as a line
  // parse would: records, with spaces before and after or a CRLF ending; blank lines of
  // spaces, tabs and carriage returns; records rejected for what they hold; lines and blank
  // lines too long; an id only the member-by-member path reads.
  const std::string ok = R"({"id":"m1","at":1633361940,"text":"caído","author":{"handle":"@a"}})";
  const std::vector<std::string> plain = {
      ok, ok, ok, "  " + ok + " \t", ok + "\r", "", "   ", "\t", "\r", " \r\t", "{}", R"({"text":"no time"})",
      R"({"id":1.5,"at":1633361940,"text":"fraction id"})", R"({"id":"m2","at":1633361940})",
      std::string(400, ' '), R"({"at":1633361940,"text":")" + std::string(400, 'a') + "\"}"};
  // Lines where it must give up (the rest of the block is read a line at a time): two objects
  // on a line, an object over two lines, values that are not objects, garbage after an object,
  // whitespace JSON does not allow, a number too big for the tape.
  const std::vector<std::string> odd = {
      ok + " " + ok, ok + ok, R"({"at":1633361940,)" "\n" R"("text":"two lines"})",
      R"({"at":)" "\n" R"(1633361940,"text":"x"})", "[1,2]", R"("text")", "42", "null", "true", ok + "]",
      ok + "x", ok + "\f", "\v" + ok, R"({"id":123456789012345678901234567890,"at":1633361940,"text":"big id"})",
      R"({"at":1633361940,"text":"x"} {)", "{", "}", "[", "]", R"({"a":)", "nul", "1"};
  // Broken UTF-8 and an unclosed string fail a whole block's first stage.
  const std::vector<std::string> breaking = {"{\"at\":1633361940,\"text\":\"bad \xC3\x28 utf-8\"}",
                                             R"({"at":1633361940,"text":"unclosed)"};
  uint64_t state = 11;
  auto next = [&](std::size_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33) % n;
  };
  // Shuffled, and read in blocks of several sizes, so that each kind also meets a block's
  // first and last lines. Odd lines are rare enough for blocks to run some way before one.
  std::string framing, input;
  for (int i = 0; i < 6000; ++i) {
    const std::string& line = next(12) == 0 ? odd[next(odd.size())] : plain[next(plain.size())];
    framing += line + "\n";
    input += (next(40) == 0 ? breaking[next(breaking.size())] : line) + "\n";
  }
  input += ok;  // the last line without its newline
  const auto compare = [](const std::string& text, std::size_t block) {
    ReaderOptions options;
    options.block_bytes = block;
    options.max_line_bytes = 300;
    options.whole_blocks = false;
    const std::vector<std::string> lines = Describe(text, options);
    options.whole_blocks = true;
    const std::vector<std::string> blocks = Describe(text, options);
    EXPECT_EQ(lines.size(), blocks.size()) << "blocks of " << block;
    for (std::size_t i = 0; i < lines.size() && i < blocks.size(); ++i)
      EXPECT_EQ(lines[i], blocks[i]) << "blocks of " << block;
    // Every outcome is there: accepted, blank, too long, and each damage's rejection.
    const std::string all = [&] {
      std::string joined;
      for (const std::string& d : lines) joined += d + "\n";
      return joined;
    }();
    for (const char* expected : {" id=m1 ", " text=big id ", " id=1.5 ", "rejected line-too-long",
                                 "rejected malformed-json", "rejected not-an-object", "rejected missing-text",
                                 "rejected missing-time"})
      EXPECT_NE(all.find(expected), std::string::npos) << expected;
    return all;
  };
  for (const std::size_t block : {std::size_t{4096}, std::size_t{6000}, std::size_t{64} << 10}) {
    compare(framing, block);
    EXPECT_NE(compare(input, block).find("rejected invalid-utf8"), std::string::npos);
  }
  // Read in batches, whatever their size, the same mentions and rejections, with the same views.
  for (const std::size_t block : {std::size_t{4096}, std::size_t{64} << 10}) {
    ReaderOptions options;
    options.block_bytes = block;
    options.max_line_bytes = 300;
    const std::vector<std::string> one = Describe(input, options);
    for (const std::size_t batch : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{128}})
      EXPECT_EQ(Describe(input, options, batch), one) << "batches of " << batch << ", blocks of " << block;
  }
}

TEST(MentionReader, BatchesKeepWhatTheParserUnescapedAsTheyGrow) {
  // Fields the parser writes into its own buffers (escaped text, ids written as integers, the
  // member-by-member path's strings) are copied into the batch; long ones make it grow, and
  // the views of the mentions before must follow.
  std::string input;
  for (int i = 0; i < 300; ++i) {
    const std::string text =
        std::string(static_cast<std::size_t>(i % 7) * 700, 'x') + R"(\u00e9\")" + std::to_string(i);
    if (i % 5 == 0) {
      input += R"({"id":)" + std::to_string(1000 + i) + R"(,"at":1633361940,"text":")" + text +
               R"(","author":{"id":77,"handle":"@h)" + std::to_string(i) + R"("},"reply_to":5})" + "\n";
    } else if (i % 5 == 1) {
      // An id with an exponent: read member by member.
      input += R"({"id":1.5e3,"at":1633361940,"text":")" + text + R"(","channel":"c\u0041"})" + "\n";
    } else {
      input += R"({"id":"m)" + std::to_string(i) + R"(","at":1633361940,"text":")" + text +
               R"(","brand":"b\t","url":"https:\/\/x.es"})" + "\n";
    }
  }
  ReaderOptions options;
  options.block_bytes = 16 << 10;
  const std::vector<std::string> one = Describe(input, options);
  ASSERT_EQ(one.size(), 301u);
  EXPECT_NE(one[0].find(" id=1000 "), std::string::npos) << one[0];
  EXPECT_NE(one[0].find(" author=77/h0/"), std::string::npos) << one[0];
  EXPECT_NE(one[0].find(" reply=5/"), std::string::npos) << one[0];
  EXPECT_NE(one[1].find(" id=1.5e3 "), std::string::npos) << one[1];
  EXPECT_NE(one[1].find(" channel=cA "), std::string::npos) << one[1];
  EXPECT_NE(one[2].find("x\xC3\xA9\"2 url=https://x.es "), std::string::npos) << one[2];
  for (const std::size_t batch : {std::size_t{3}, std::size_t{64}, std::size_t{300}})
    EXPECT_EQ(Describe(input, options, batch), one) << "batches of " << batch;
}

TEST(MentionReader, LinesABlockSetsAsideAtItsEndAreReadNotDropped) {
  // parse_many takes "{" and what follows it to the block's end for one document cut short by
  // the end, and finds no document there. Those lines were counted as blank and never read:
  // two bad records dropped without a word.
  const std::string ok = R"({"at":1633361940,"text":"ok"})";
  for (const std::string& tail : {std::string("{\n   \n[1,2]\n"), std::string("[\n{\"at\":1633361940,\n")}) {
    const std::string input = ok + "\n" + tail;
    ReaderOptions options;
    options.whole_blocks = false;
    const std::vector<std::string> lines = Describe(input, options);
    options.whole_blocks = true;
    EXPECT_EQ(Describe(input, options), lines);
    ASSERT_EQ(lines.size(), 4u) << input;  // ok, two rejections, the counts
    EXPECT_NE(lines[1].find("2 rejected "), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find(tail[0] == '{' ? "4 rejected not-an-object" : "3 rejected malformed-json"), std::string::npos)
        << lines[2];
  }
}

TEST(MentionTime, AcceptsRfc3339AndUnixNumbers) {
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04T15:39:00Z")), 1633361940000);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04T12:39:00.5-03:00")), 1633361940500);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04 15:39:00.123456+00:00")), 1633361940123);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2020-02-29t00:00:00z")), 1582934400000);
  EXPECT_FALSE(ParseMentionTime("2021-02-29T00:00:00Z"));  // not a leap year
  EXPECT_FALSE(ParseMentionTime("2021-10-04T15:39:00"));   // no offset
  EXPECT_FALSE(ParseMentionTime("2021-13-04T15:39:00Z"));
  EXPECT_FALSE(ParseMentionTime("2021-10-04T15:39:00Zjunk"));
  EXPECT_FALSE(ParseMentionTime("04/10/2021"));
  EXPECT_EQ(ToUnixMillis(*MentionTimeFromNumber(1633361940)), 1633361940000);
  EXPECT_EQ(ToUnixMillis(*MentionTimeFromNumber(1633361940.25)), 1633361940250);
  EXPECT_EQ(ToUnixMillis(*MentionTimeFromNumber(1633361940250.0)), 1633361940250);
  EXPECT_FALSE(MentionTimeFromNumber(1e300));
  // Each fixed place of the date and time, and the fraction's length.
  const std::string good = "2021-10-04T15:39:07Z";
  ASSERT_TRUE(ParseMentionTime(good));
  for (std::size_t i = 0; i + 1 < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '0' ? 'x' : '/';
    EXPECT_FALSE(ParseMentionTime(bad)) << bad;
  }
  EXPECT_FALSE(ParseMentionTime("2021-10-04T15:39:7Z"));
  EXPECT_FALSE(ParseMentionTime("2021-10-04T15:39:07.Z"));
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04T15:39:07.9Z")), 1633361947900);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04T15:39:07.98765Z")), 1633361947987);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2021-10-04T15:39:60Z")), 1633361999000);
  // The years a TimePoint holds, and not one second beyond (nanoseconds in 64 bits).
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("1678-01-01T00:00:00Z")), kEarliestMentionMillis);
  EXPECT_EQ(ToUnixMillis(*ParseMentionTime("2261-12-31T23:59:59.999Z")), kLatestMentionMillis);
  EXPECT_FALSE(ParseMentionTime("1677-12-31T23:59:59Z"));
  EXPECT_FALSE(ParseMentionTime("2262-01-01T00:00:00Z"));
  EXPECT_FALSE(ParseMentionTime("2261-12-31T23:00:00-01:00"));  // 2262 once the offset is applied
  EXPECT_FALSE(ParseMentionTime("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(ParseMentionTime("0000-01-01T00:00:00Z"));
  EXPECT_EQ(ToUnixMillis(*MentionTimeFromNumber(9214646399.0)), kLatestMentionMillis - 999);
  EXPECT_FALSE(MentionTimeFromNumber(9214646400.0));  // seconds: 2262
  EXPECT_FALSE(MentionTimeFromNumber(99999999999.0));  // seconds: the year 5138
  EXPECT_FALSE(MentionTimeFromNumber(-9214560001.0));
  EXPECT_EQ(ToUnixMillis(*MentionTimeFromNumber(-9214560000.0)), kEarliestMentionMillis);
  EXPECT_FALSE(MentionTimeFromNumber(9.3e12));  // milliseconds: 2264
}

TEST(MentionTime, RemembersTheLastMinuteWithoutChangingAnyAnswer) {
  // The same minute again and again (the memory's hits), its seconds good and bad, another
  // minute and back, a minute that differs only in the separator or an invalid minute after a
  // valid one: each answer is the one a fresh parse gives.
  const std::vector<std::pair<std::string, int64_t>> times = {
      {"2021-10-04T15:39:07Z", 1633361947000},      {"2021-10-04T15:39:08.5Z", 1633361948500},
      {"2021-10-04T15:39:61Z", -1},                 {"2021-10-04T15:39;08Z", -1},
      {"2021-10-04T15:39:0xZ", -1},                 {"2021-10-04T15:39:09-03:00", 1633372749000},
      {"2021-10-04t15:39:09Z", 1633361949000},      {"2021-10-04 15:39:09Z", 1633361949000},
      {"2021-10-04T15:40:00Z", 1633362000000},      {"2021-10-04T15:39:10Z", 1633361950000},
      {"2021-10-04T15:60:10Z", -1},                 {"2021-10-04T15:39:10Z", 1633361950000},
      {"2021-02-29T15:39:10Z", -1},                 {"2021-02-29T15:39:10Z", -1},
      {"2021-10-04T15:39:60Z", 1633361999000},      {"2021-10-04T15:39:10", -1},
  };
  for (const auto& [text, millis] : times) {
    const std::optional<TimePoint> at = ParseMentionTime(text);
    if (millis < 0) {
      EXPECT_FALSE(at) << text;
    } else {
      ASSERT_TRUE(at) << text;
      EXPECT_EQ(ToUnixMillis(*at), millis) << text;
    }
  }
}

TEST(MentionSource, NamesInAnyAsciiCaseAndNothingElse) {
  for (MentionSource s : {MentionSource::kX, MentionSource::kInstagram, MentionSource::kFacebook,
                          MentionSource::kTelegram, MentionSource::kRss, MentionSource::kTikTok, MentionSource::kWeb,
                          MentionSource::kOther}) {
    std::string name(MentionSourceName(s));
    EXPECT_EQ(MentionSourceFromName(name), s) << name;
    for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
    EXPECT_EQ(MentionSourceFromName(name), s) << name;
  }
  EXPECT_EQ(MentionSourceFromName("TwItTeR"), MentionSource::kX);
  EXPECT_EQ(MentionSourceFromName("Facebook"), MentionSource::kFacebook);
  // Near misses: one letter off, one too many or too few, a space, a byte outside ASCII
  // (0xCD | 0x20 is 0xED, not a letter), an unknown name.
  for (std::string_view miss : {"", "y", "X ", "xx", "rs", "rsss", "wEb_", "tik tok", "twitte", "telegraM?",
                                "instagra\xcd", "facebooc", "myspace"})
    EXPECT_EQ(MentionSourceFromName(miss), MentionSource::kOther) << miss;
}

}  // namespace
}  // namespace faro
