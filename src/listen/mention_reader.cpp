#include "listen/mention_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <simdjson.h>

#include "core/strings.hpp"
#include "listen/mention_time.hpp"

namespace faro {

namespace ond = simdjson::ondemand;

FdByteSource::FdByteSource(int fd) : fd_(fd) {
  struct stat st {};
  if (fstat(fd_, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd_, F_GETPIPE_SZ) < kPipeBufferBytes)
    fcntl(fd_, F_SETPIPE_SZ, kPipeBufferBytes);  // refused (a lower limit, no room): as it was
}

absl::StatusOr<std::size_t> FdByteSource::Read(char* dst, std::size_t capacity) {
  while (true) {
    const ssize_t n = ::read(fd_, dst, capacity);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    return absl::InternalError(StrCat("cannot read the input: ", std::strerror(errno)));
  }
}

absl::StatusOr<std::size_t> MemoryByteSource::Read(char* dst, std::size_t capacity) {
  const std::size_t n = std::min(capacity, bytes_.size());
  std::memcpy(dst, bytes_.data(), n);
  bytes_.remove_prefix(n);
  return n;
}

std::string_view RejectReasonCode(RejectReason reason) {
  switch (reason) {
    case RejectReason::kInvalidUtf8: return "invalid-utf8";
    case RejectReason::kMalformedJson: return "malformed-json";
    case RejectReason::kNotAnObject: return "not-an-object";
    case RejectReason::kMissingText: return "missing-text";
    case RejectReason::kMissingTime: return "missing-time";
    case RejectReason::kWrongType: return "wrong-type";
    case RejectReason::kBadTime: return "bad-time";
    case RejectReason::kLineTooLong: return "line-too-long";
  }
  return "unknown";
}

std::string_view RejectReasonText(RejectReason reason, Lang lang) {
  const bool es = lang == Lang::kEs;
  switch (reason) {
    case RejectReason::kInvalidUtf8: return es ? "UTF-8 inválido" : "invalid UTF-8";
    case RejectReason::kMalformedJson: return es ? "JSON mal formado" : "malformed JSON";
    case RejectReason::kNotAnObject: return es ? "no es un objeto JSON" : "not a JSON object";
    case RejectReason::kMissingText: return es ? "falta \"text\"" : "\"text\" missing";
    case RejectReason::kMissingTime: return es ? "falta \"at\"" : "\"at\" missing";
    case RejectReason::kWrongType: return es ? "campo de tipo incorrecto" : "field of the wrong type";
    case RejectReason::kBadTime: return es ? "hora ilegible" : "unreadable time";
    case RejectReason::kLineTooLong: return es ? "línea demasiado larga" : "line too long";
  }
  return "?";
}

int64_t ReaderCounts::RejectedTotal() const {
  int64_t total = 0;
  for (int64_t n : rejected) total += n;
  return total;
}

namespace {

// A member's name. Names without escapes (all of Faro's) are read in place, without copying;
// a name with a backslash is unescaped as JSON says.
[[gnu::always_inline]] inline simdjson::error_code Key(ond::field& field, std::string_view& key) {
  const char* raw = field.key().raw();
  const char* end = raw;
  while (*end != '"' && *end != '\\') ++end;  // the parser checked that a quote ends it
  if (*end == '"') {
    key = std::string_view(raw, static_cast<std::size_t>(end - raw));
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

bool IsNull(ond::value& v) {
  bool null = false;
  return !v.is_null().get(null) && null;
}

// A number as JSON writes it (RFC 8259, section 6), however many digits: -?int frac? exp?.
// simdjson 3.0 refuses integers beyond 64 bits and doubles beyond their range with the same
// error as broken numbers; this tells the two apart.
bool IsJsonNumber(std::string_view t) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > from;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// A number's or an atom's text, without the whitespace On-Demand leaves after it.
std::string_view TokenText(ond::value& v) {
  std::string_view t = v.raw_json_token();
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n')) t.remove_suffix(1);
  return t;
}

// Checks a member Faro does not read as strictly as the tape parser would: On-Demand skips
// such values by their brackets alone, so a record with `"x":[1,,2]` or `"x":tru` would pass.
// Every value is walked: objects and arrays member by member, strings unescaped, atoms and
// numbers checked. Nesting deeper than 1,000 levels is refused before the walk would recurse
// that deep (a line may hold half a million brackets), and before On-Demand's own depth reaches
// the parser's maximum (simdjson's default, 1,024), which it must never reach.
constexpr int kMaxNesting = 1000;
simdjson::error_code CheckValue(ond::value v, int depth = 1) {
  if (depth >= kMaxNesting) return simdjson::DEPTH_ERROR;
  ond::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case ond::json_type::object: {
      ond::object object;
      if (auto e = v.get_object().get(object)) return e;
      for (auto result : object) {
        ond::field field;
        if (auto e = std::move(result).get(field)) return e;
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        if (auto e = CheckValue(field.value(), depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ond::json_type::array: {
      ond::array array;
      if (auto e = v.get_array().get(array)) return e;
      for (auto result : array) {
        ond::value element;
        if (auto e = std::move(result).get(element)) return e;
        if (auto e = CheckValue(element, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case ond::json_type::string: {
      std::string_view text;
      return v.get_string().get(text);
    }
    case ond::json_type::number:
      return IsJsonNumber(TokenText(v)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    case ond::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b)) return TokenText(v).front() == 't' ? simdjson::T_ATOM_ERROR : simdjson::F_ATOM_ERROR;
      return simdjson::SUCCESS;
    }
    case ond::json_type::null:
      return IsNull(v) ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
  }
  return simdjson::TAPE_ERROR;
}

// The members a record may have: how each is read and where it goes. Both ways of reading a
// record (below) take their members from here, so they cannot disagree on a name.
enum class MemberKind { kString, kHandle, kCount, kId, kTime, kAuthor, kSource };
struct MemberSpec {
  std::string_view name;  // as a rejection names it
  MemberKind kind;
  std::string_view Mention::*text = nullptr;  // kString, kHandle, kId
  int64_t Mention::*number = nullptr;         // kCount
  std::size_t id_slot = 0;                    // kId: which of the parser's id buffers
};

// Always inlined into both readers' loops: g++ then jumps from the name's case straight to the
// member's kind (both are known there) instead of returning a spec and switching on it again,
// and the call itself goes (100 instructions a record less, callgrind).
[[gnu::always_inline]] inline const MemberSpec* MemberOf(std::string_view key) {
  static constexpr MemberSpec kAt{"at", MemberKind::kTime};
  static constexpr MemberSpec kCreatedAt{"created_at", MemberKind::kTime};
  static constexpr MemberSpec kAuthor{"author", MemberKind::kAuthor};
  static constexpr MemberSpec kSource{"source", MemberKind::kSource};
  static constexpr MemberSpec kBrand{"brand", MemberKind::kString, &Mention::brand};
  static constexpr MemberSpec kChannel{"channel", MemberKind::kString, &Mention::channel};
  static constexpr MemberSpec kText{"text", MemberKind::kString, &Mention::text};
  static constexpr MemberSpec kUrl{"url", MemberKind::kString, &Mention::url};
  static constexpr MemberSpec kReplyToAuthor{"reply_to_author", MemberKind::kHandle, &Mention::reply_to_author};
  static constexpr MemberSpec kId{"id", MemberKind::kId, &Mention::id, nullptr, 0};
  static constexpr MemberSpec kReplyTo{"reply_to", MemberKind::kId, &Mention::reply_to, nullptr, 2};
  static constexpr MemberSpec kFollowers{"followers", MemberKind::kCount, nullptr, &Mention::followers};
  static constexpr MemberSpec kLikes{"likes", MemberKind::kCount, nullptr, &Mention::likes};
  static constexpr MemberSpec kShares{"shares", MemberKind::kCount, nullptr, &Mention::shares};
  // By length first, then the bytes compared at a length known when compiling (a few loads,
  // no call): every member of every record asks. The length is checked again in `is`, so a
  // name filed under the wrong case is never matched; inside each case that check folds away.
  const auto is = [&](const MemberSpec& a) {
    return key.size() == a.name.size() && std::memcmp(key.data(), a.name.data(), a.name.size()) == 0;
  };
  const auto one = [&](const MemberSpec& a) { return is(a) ? &a : nullptr; };
  const auto two = [&](const MemberSpec& a, const MemberSpec& b) { return is(a) ? &a : is(b) ? &b : nullptr; };
  switch (key.size()) {
    case 2: return two(kAt, kId);
    case 3: return one(kUrl);
    case 4: return one(kText);
    case 5: return two(kBrand, kLikes);
    case 6: return is(kAuthor) ? &kAuthor : two(kSource, kShares);
    case 7: return one(kChannel);
    case 8: return one(kReplyTo);
    case 9: return one(kFollowers);
    case 10: return one(kCreatedAt);
    case 15: return one(kReplyToAuthor);
    default: return nullptr;
  }
}

}  // namespace

// The simdjson parsers, kept apart so the header needs no simdjson include.
//
// A record is read twice over only when it is unusual. First simdjson's DOM parser reads the
// whole line into its tape: its parsing stages are the library's own, picked at run time for
// this CPU, and every member is then a plain tape read. When the tape parse fails (malformed
// JSON, a number too big for 64 bits) or an id is a number with a fraction or an exponent, the
// line is read again with On-Demand, member by member, which says exactly what is wrong and
// where, keeps such ids as written, checks in full the members Faro does not read (CheckValue),
// and is what the tape path must agree with (a test feeds both the same damaged records).
struct MentionReader::Parser {
  ond::parser parser;
  simdjson::dom::parser tape;
  // A block of whole lines parsed in one go (MentionReader::StartBlock): the documents found,
  // the current one, and whether it was read (the next is parsed only when asked for, since
  // parsing it overwrites the strings of the current one, which the caller's Mention views).
  simdjson::dom::document_stream block;
  simdjson::dom::document_stream::iterator document;
  bool document_read = false;

  Parser() {
#ifdef SIMDJSON_THREADS_ENABLED
    tape.threaded = false;  // one core: no second thread finding the structure ahead
#endif
  }
  // Ids written as JSON integers, as text: id, author.id, reply_to.
  std::array<std::array<char, 24>, 3> id_text{};
  // Why the last record was refused; `detail` may point into `message`.
  RejectReason reason = RejectReason::kMalformedJson;
  std::string_view detail;

  bool Fail(RejectReason r, std::string_view d) {
    reason = r;
    detail = d;
    return false;
  }
  bool Malformed(simdjson::error_code error) {
    // The parser checks UTF-8 over the whole line before anything else (simdjson's stage 1).
    if (error == simdjson::UTF8_ERROR) return Fail(RejectReason::kInvalidUtf8, "");
    return Fail(RejectReason::kMalformedJson, simdjson::error_message(error));
  }

  // A string field (null counts as absent). False with a reason when it is not a string.
  // The value is read first and its type asked only when that fails: one pass in the common case.
  bool OptionalString(ond::value& v, std::string_view field, std::string_view& out) {
    const simdjson::error_code e = v.get_string().get(out);
    if (e == simdjson::SUCCESS) return true;
    if (e != simdjson::INCORRECT_TYPE) return Malformed(e);
    if (IsNull(v)) return true;
    return Fail(RejectReason::kWrongType, field);
  }
  // An id: text, or a number kept as written (ids from X and Meta are often numbers).
  bool Id(ond::value& v, std::string_view field, std::string_view& out) {
    const simdjson::error_code e = v.get_string().get(out);
    if (e == simdjson::SUCCESS) return true;
    if (e != simdjson::INCORRECT_TYPE) return Malformed(e);
    ond::json_type type;
    if (auto te = v.type().get(type)) return Malformed(te);
    if (type == ond::json_type::null) return true;
    if (type != ond::json_type::number) return Fail(RejectReason::kWrongType, field);
    out = TokenText(v);
    if (!IsJsonNumber(out)) return Malformed(simdjson::NUMBER_ERROR);
    return true;
  }
  // A whole number >= 0 (null counts as absent).
  bool Count(ond::value& v, std::string_view field, int64_t& out) {
    int64_t n = 0;
    const simdjson::error_code e = v.get_int64().get(n);
    if (e == simdjson::SUCCESS && n >= 0) {
      out = n;
      return true;
    }
    if (e == simdjson::INCORRECT_TYPE && IsNull(v)) return true;
    // A broken number is malformed JSON; a fraction, a negative or one beyond 64 bits is a
    // number, but not a count.
    ond::json_type type;
    if (!v.type().get(type) && type == ond::json_type::number && !IsJsonNumber(TokenText(v)))
      return Malformed(simdjson::NUMBER_ERROR);
    return Fail(RejectReason::kWrongType, field);
  }
  bool Handle(ond::value& v, std::string_view field, std::string_view& out) {
    if (!OptionalString(v, field, out)) return false;
    if (!out.empty() && out.front() == '@') out.remove_prefix(1);
    return true;
  }
  bool Author(ond::value& v, Mention& m) {
    ond::json_type type;
    if (auto e = v.type().get(type)) return Malformed(e);
    if (type == ond::json_type::null) return true;
    if (type == ond::json_type::string) return Handle(v, "author", m.author_handle);
    if (type != ond::json_type::object) return Fail(RejectReason::kWrongType, "author");
    ond::object author;
    if (auto e = v.get_object().get(author)) return Malformed(e);
    for (auto result : author) {
      if (auto e = result.error()) return Malformed(e);
      ond::field& field = result.value_unsafe();
      std::string_view key;
      if (auto e = Key(field, key)) return Malformed(e);
      ond::value& value = field.value();
      if (key == "id") {
        if (!Id(value, "author.id", m.author_id)) return false;
      } else if (key == "handle") {
        if (!Handle(value, "author.handle", m.author_handle)) return false;
      } else if (key == "followers") {
        if (!Count(value, "author.followers", m.followers)) return false;
      } else if (auto e = CheckValue(value)) {
        return Malformed(e);
      }
    }
    return true;
  }
  // Returns 1 when the time was read, 0 when it is null, false-with-reason otherwise.
  bool Time(ond::value& v, std::string_view field, bool& present, TimePoint& out) {
    ond::json_type type;
    if (auto e = v.type().get(type)) return Malformed(e);
    if (type == ond::json_type::null) return true;
    std::optional<TimePoint> at;
    if (type == ond::json_type::string) {
      std::string_view text;
      if (auto e = v.get_string().get(text)) return Malformed(e);
      at = ParseMentionTime(text);
    } else if (type == ond::json_type::number) {
      double number = 0;
      if (auto e = v.get_double().get(number)) return Malformed(e);
      at = MentionTimeFromNumber(number);
    } else {
      return Fail(RejectReason::kWrongType, field);
    }
    if (!at) return Fail(RejectReason::kBadTime, field);
    present = true;
    out = *at;
    return true;
  }

  // --- The tape path --------------------------------------------------------------------
  enum class Outcome { kAccepted, kRejected, kAskOnDemand };

  Outcome FailTape(RejectReason r, std::string_view d) {
    Fail(r, d);
    return Outcome::kRejected;
  }
  // As OptionalString: a string, or null (absent); anything else is of the wrong type.
  static bool TapeString(simdjson::dom::element v, std::string_view& out) {
    if (v.is_string()) {
      out = v.get_string().value_unsafe();
      return true;
    }
    return v.is_null();
  }
  static bool TapeHandle(simdjson::dom::element v, std::string_view& out) {
    if (!TapeString(v, out)) return false;
    if (!out.empty() && out.front() == '@') out.remove_prefix(1);
    return true;
  }
  static bool TapeCount(simdjson::dom::element v, int64_t& out) {
    if (v.type() == simdjson::dom::element_type::INT64) {
      const int64_t n = v.get_int64().value_unsafe();
      if (n < 0) return false;
      out = n;
      return true;
    }
    return v.is_null();
  }
  // As Id. An integer is written back as text (JSON writes an integer one way only, "-0"
  // aside); any other number is left to On-Demand, which keeps it as written.
  Outcome TapeId(simdjson::dom::element v, std::string_view field, std::size_t slot, std::string_view& out) {
    using simdjson::dom::element_type;
    switch (v.type()) {
      case element_type::STRING:
        out = v.get_string().value_unsafe();
        return Outcome::kAccepted;
      case element_type::NULL_VALUE:
        return Outcome::kAccepted;
      case element_type::INT64:
      case element_type::UINT64: {
        char* begin = id_text[slot].data();
        const auto r = v.type() == element_type::INT64
                           ? std::to_chars(begin, begin + id_text[slot].size(), v.get_int64().value_unsafe())
                           : std::to_chars(begin, begin + id_text[slot].size(), v.get_uint64().value_unsafe());
        if (r.ptr == begin + 1 && *begin == '0') return Outcome::kAskOnDemand;  // "0" or "-0"
        out = std::string_view(begin, static_cast<std::size_t>(r.ptr - begin));
        return Outcome::kAccepted;
      }
      case element_type::DOUBLE:
        return Outcome::kAskOnDemand;
      default:
        return FailTape(RejectReason::kWrongType, field);
    }
  }
  Outcome TapeTime(simdjson::dom::element v, std::string_view field, bool& present, TimePoint& out) {
    using simdjson::dom::element_type;
    // A flag and a TimePoint, not an optional: an optional copied through the stack is read
    // back as one 16-byte load of two smaller stores, which stalls.
    TimePoint at;
    bool ok = false;
    switch (v.type()) {
      case element_type::NULL_VALUE:
        return Outcome::kAccepted;
      case element_type::STRING:
        ok = ParseMentionTime(v.get_string().value_unsafe(), at);
        break;
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE:
        if (const std::optional<TimePoint> t = MentionTimeFromNumber(v.get_double().value_unsafe())) {
          at = *t;
          ok = true;
        }
        break;
      default:
        return FailTape(RejectReason::kWrongType, field);
    }
    if (!ok) return FailTape(RejectReason::kBadTime, field);
    present = true;
    out = at;
    return Outcome::kAccepted;
  }
  Outcome TapeAuthor(simdjson::dom::element v, Mention& m) {
    if (v.is_null()) return Outcome::kAccepted;
    if (v.is_string()) {
      TapeHandle(v, m.author_handle);
      return Outcome::kAccepted;
    }
    simdjson::dom::object author;
    if (v.get_object().get(author)) return FailTape(RejectReason::kWrongType, "author");
    // Iterators, not key-value pairs: copying a pair through the stack costs a stalled load.
    for (auto it = author.begin(), end = author.end(); it != end; ++it) {
      const std::string_view key = it.key();
      if (key == "id") {
        if (Outcome o = TapeId(it.value(), "author.id", 1, m.author_id); o != Outcome::kAccepted) return o;
      } else if (key == "handle") {
        if (!TapeHandle(it.value(), m.author_handle)) return FailTape(RejectReason::kWrongType, "author.handle");
      } else if (key == "followers") {
        if (!TapeCount(it.value(), m.followers)) return FailTape(RejectReason::kWrongType, "author.followers");
      }
    }
    return Outcome::kAccepted;
  }

  // Why the tape parser refused the line On-Demand is reading now (SUCCESS when it did not).
  simdjson::error_code tape_error = simdjson::SUCCESS;
  // The same members, types and reasons as Parse below, read from the line's tape.
  Outcome ParseTape(std::string_view line, Mention& m) {
    simdjson::dom::element doc;
    if ((tape_error = tape.parse(line.data(), line.size(), false).get(doc))) return Outcome::kAskOnDemand;
    return ReadTape(doc, m);
  }
  Outcome ReadTape(simdjson::dom::element doc, Mention& m) {
    simdjson::dom::object object;
    if (doc.get_object().get(object)) return FailTape(RejectReason::kNotAnObject, "");
    bool has_time = false;
    for (auto it = object.begin(), end = object.end(); it != end; ++it) {
      const std::string_view key = it.key();
      const MemberSpec* member = MemberOf(key);
      if (member == nullptr) continue;
      const simdjson::dom::element v = it.value();
      const std::string_view name = member->name;
      Outcome o = Outcome::kAccepted;
      switch (member->kind) {
        case MemberKind::kString:
          if (!TapeString(v, m.*member->text)) o = FailTape(RejectReason::kWrongType, name);
          break;
        case MemberKind::kHandle:
          if (!TapeHandle(v, m.*member->text)) o = FailTape(RejectReason::kWrongType, name);
          break;
        case MemberKind::kCount:
          if (!TapeCount(v, m.*member->number)) o = FailTape(RejectReason::kWrongType, name);
          break;
        case MemberKind::kId:
          o = TapeId(v, name, member->id_slot, m.*member->text);
          break;
        case MemberKind::kTime:
          o = TapeTime(v, name, has_time, m.at);
          break;
        case MemberKind::kAuthor:
          o = TapeAuthor(v, m);
          break;
        case MemberKind::kSource: {
          std::string_view source;
          if (!TapeString(v, source)) o = FailTape(RejectReason::kWrongType, name);
          m.source = MentionSourceFromName(source);
          break;
        }
      }
      if (o != Outcome::kAccepted) return o;
    }
    if (m.text.empty()) return FailTape(RejectReason::kMissingText, "");
    if (!has_time) return FailTape(RejectReason::kMissingTime, "");
    return Outcome::kAccepted;
  }

  // Reads one record: from its tape (`parsed`, or the line parsed here), or member by member
  // when the tape path asks. `m` comes empty but for `raw` and `line`.
  bool Read(std::string_view line, std::size_t capacity, bool on_demand_only, const simdjson::dom::element* parsed,
            Mention& m) {
    tape_error = simdjson::SUCCESS;
    if (!on_demand_only) {
      const Outcome o = parsed != nullptr ? ReadTape(*parsed, m) : ParseTape(line, m);
      if (o != Outcome::kAskOnDemand) return o == Outcome::kAccepted;
      const std::string_view raw = m.raw;
      const int64_t number = m.line;
      m = Mention{};
      m.raw = raw;
      m.line = number;
    }
    if (!Parse(line, capacity, m)) return false;
    // On-Demand accepts only what the tape parser accepts, numbers beyond its range aside
    // (a 30-digit id is JSON): a line the tape parser refused for anything else is malformed.
    if (tape_error != simdjson::SUCCESS && tape_error != simdjson::NUMBER_ERROR) return Malformed(tape_error);
    return true;
  }

  // --- The On-Demand path ----------------------------------------------------------------
  // Parses one record; `capacity` bytes are readable from line.data() (padding included).
  bool Parse(std::string_view line, std::size_t capacity, Mention& m) {
    ond::document doc;
    if (auto e = parser.iterate(line.data(), line.size(), capacity).get(doc)) return Malformed(e);
    ond::json_type type;
    if (auto e = doc.type().get(type)) return Malformed(e);
    if (type != ond::json_type::object) {
      // On-Demand looks only at the first character ("not json" starts like null): a full
      // parse, on this rare path, tells a JSON value that is not an object from broken JSON.
      simdjson::dom::parser whole;
      if (auto e = whole.parse(line.data(), line.size(), false).error()) return Malformed(e);
      return Fail(RejectReason::kNotAnObject, "");
    }
    ond::object object;
    if (auto e = doc.get_object().get(object)) return Malformed(e);
    bool has_time = false;
    for (auto result : object) {
      // The field in place: a copy of it is read back through the stack in a stalled load.
      if (auto e = result.error()) return Malformed(e);
      ond::field& field = result.value_unsafe();
      std::string_view key;
      if (auto e = Key(field, key)) return Malformed(e);
      const MemberSpec* member = MemberOf(key);
      if (member == nullptr) {
        if (auto e = CheckValue(field.value())) return Malformed(e);
        continue;
      }
      ond::value& v = field.value();
      const std::string_view name = member->name;
      bool ok = true;
      switch (member->kind) {
        case MemberKind::kString: ok = OptionalString(v, name, m.*member->text); break;
        case MemberKind::kHandle: ok = Handle(v, name, m.*member->text); break;
        case MemberKind::kCount: ok = Count(v, name, m.*member->number); break;
        case MemberKind::kId: ok = Id(v, name, m.*member->text); break;
        case MemberKind::kTime: ok = Time(v, name, has_time, m.at); break;
        case MemberKind::kAuthor: ok = Author(v, m); break;
        case MemberKind::kSource: {
          std::string_view source;
          ok = OptionalString(v, name, source);
          m.source = MentionSourceFromName(source);
          break;
        }
      }
      if (!ok) return false;
    }
    // Anything after the object (a second object, stray characters) makes the line malformed.
    const char* after = nullptr;
    if (!doc.current_location().get(after))
      return Fail(RejectReason::kMalformedJson, "content after the object");
    if (m.text.empty()) return Fail(RejectReason::kMissingText, "");
    if (!has_time) return Fail(RejectReason::kMissingTime, "");
    return true;
  }
};

MentionReader::MentionReader(ByteSource& source, ReaderOptions options)
    : source_(source), options_(options), parser_(std::make_unique<Parser>()) {
  if (options_.block_bytes < 4096) options_.block_bytes = 4096;
  if (options_.max_line_bytes < 16) options_.max_line_bytes = 16;
  capacity_ = options_.block_bytes + options_.max_line_bytes + 1;
  buffer_ = std::make_unique<char[]>(capacity_ + simdjson::SIMDJSON_PADDING);
  std::memset(buffer_.get(), ' ', capacity_ + simdjson::SIMDJSON_PADDING);
}

MentionReader::~MentionReader() = default;

void MentionReader::Reject(RejectReason reason, std::string_view detail) {
  ++counts_.rejected[static_cast<std::size_t>(reason)];
  if (on_reject_) on_reject_(Rejection{line_, reason, detail});
}

bool MentionReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // One block at a time, not all the room there is: the bytes just read are parsed while they
  // are still in the core's own cache (a line longer than a block takes several reads).
  auto n = source_.Read(buffer_.get() + end_, std::min(capacity_ - end_, options_.block_bytes));
  if (!n.ok()) {
    status_ = n.status();
    eof_ = true;
    return false;
  }
  if (*n == 0) eof_ = true;
  end_ += *n;
  block_ready_ = *n > 0;
  // Padding after the data: spaces, so the parser never sees stale bytes as part of a record.
  std::memset(buffer_.get() + end_, ' ', simdjson::SIMDJSON_PADDING);
  return *n > 0;
}

bool MentionReader::NextLine(std::string_view& line) {
  std::size_t scanned = begin_;  // no '\n' in [begin_, scanned)
  while (true) {
    char* const data = buffer_.get();
    if (skipping_) {
      const void* nl = std::memchr(data + begin_, '\n', end_ - begin_);
      if (nl != nullptr) {
        begin_ = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
        scanned = begin_;
        skipping_ = false;
        continue;
      }
      begin_ = end_ = scanned = 0;
      if (eof_) return false;
      Fill();
      continue;
    }
    const void* nl = std::memchr(data + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      const std::size_t stop = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      ++line_;
      ++counts_.lines;
      const std::size_t start = begin_;
      begin_ = scanned = stop + 1;
      if (stop - start > options_.max_line_bytes) {
        Reject(RejectReason::kLineTooLong, "");
        continue;
      }
      line = std::string_view(data + start, stop - start);
      return true;
    }
    scanned = end_;
    const std::size_t pending = end_ - begin_;
    if (pending > options_.max_line_bytes) {
      ++line_;
      ++counts_.lines;
      Reject(RejectReason::kLineTooLong, "");
      skipping_ = true;
      begin_ = end_ = scanned = 0;
      continue;
    }
    if (eof_) {
      if (pending == 0) return false;
      ++line_;
      ++counts_.lines;
      line = std::string_view(data + begin_, pending);
      begin_ = scanned = end_;
      return true;
    }
    const std::size_t offset = begin_;
    Fill();
    scanned -= offset;
  }
}

bool MentionReader::Next(Mention& out) {
  while (true) {
    if (in_block_) {
      if (NextInBlock(out)) return true;
      continue;  // the block is done, or its other lines are read one at a time
    }
    if (block_ready_ && StartBlock()) continue;
    std::string_view line;
    if (!NextLine(line)) return false;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlank(line)) {
      ++counts_.blank;
      continue;
    }
    if (ReadRecord(line, nullptr, out)) return true;
  }
}

namespace {

// The string fields of a mention (all but its raw line come from the parser).
std::array<std::string_view*, 10> FieldsOf(Mention& m) {
  return {&m.id,       &m.author_id,       &m.author_handle, &m.text,    &m.url,
          &m.reply_to, &m.reply_to_author, &m.brand,         &m.channel, &m.raw};
}

// Whether `part` lies within `whole` (compared as addresses: they may be of different blocks).
bool Inside(std::string_view part, std::string_view whole) {
  const auto offset = reinterpret_cast<std::uintptr_t>(part.data()) - reinterpret_cast<std::uintptr_t>(whole.data());
  return part.size() <= whole.size() && offset <= whole.size() - part.size();
}

}  // namespace

void MentionBatch::Add(const Mention& m, std::string_view input, std::string_view strings) {
  Mention& copy = mentions_.emplace_back(m);
  const auto fields = FieldsOf(copy);
  // What is copied: the stretch of the parser's string buffer holding the fields found there
  // (one copy: they lie close together, in the order they were parsed), and each other field
  // not in the input on its own.
  uint16_t in_strings = 0, elsewhere = 0;  // bit f: field f is there
  const char* low = nullptr;
  const char* high = nullptr;
  std::size_t others = 0;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const std::string_view v = *fields[f];
    if (v.empty() || Inside(v, input)) continue;
    if (Inside(v, strings)) {
      in_strings |= static_cast<uint16_t>(1u << f);
      if (low == nullptr || v.data() < low) low = v.data();
      if (high == nullptr || v.data() + v.size() > high) high = v.data() + v.size();
    } else {
      elsewhere |= static_cast<uint16_t>(1u << f);
      others += v.size();
    }
  }
  const std::size_t stretch = in_strings == 0 ? 0 : static_cast<std::size_t>(high - low);
  const std::size_t need = stretch + others;
  if (need == 0) return;
  if (used_ + need > room_) {
    // The copies move: the views of the mentions before this one move with them.
    const std::size_t room = std::max({2 * room_, used_ + need, std::size_t{4096}});
    auto grown = std::make_unique_for_overwrite<char[]>(room);
    if (used_ > 0) std::memcpy(grown.get(), bytes_.get(), used_);
    const std::string_view old(bytes_.get(), used_);
    for (std::size_t i = 0; i + 1 < mentions_.size(); ++i)
      for (std::string_view* v : FieldsOf(mentions_[i]))
        if (!v->empty() && Inside(*v, old))
          *v = std::string_view(grown.get() + (v->data() - old.data()), v->size());
    bytes_ = std::move(grown);
    room_ = room;
  }
  char* const base = bytes_.get() + used_;
  used_ += need;
  if (stretch > 0) std::memcpy(base, low, stretch);
  std::size_t at = stretch;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    std::string_view& v = *fields[f];
    if (in_strings & (1u << f)) {
      v = std::string_view(base + (v.data() - low), v.size());
    } else if (elsewhere & (1u << f)) {
      std::memcpy(base + at, v.data(), v.size());
      v = std::string_view(base + at, v.size());
      at += v.size();
    }
  }
}

bool MentionReader::NextBatch(MentionBatch& batch, std::size_t most) {
  batch.mentions_.clear();
  batch.used_ = 0;
  const std::string_view input(buffer_.get(), capacity_ + simdjson::SIMDJSON_PADDING);
  // Where the tape parser writes the strings it unescapes (simdjson marks the member private
  // but public; were strings ever elsewhere, they would be copied field by field instead).
  const simdjson::dom::document& doc = parser_->tape.doc;
  const std::string_view strings(reinterpret_cast<const char*>(doc.string_buf.get()),
                                 doc.string_buf ? doc.capacity() : 0);
  Mention m;
  // The first as Next reads it (it may read more input); the others only from the same block.
  if (most == 0 || !Next(m)) return false;
  batch.Add(m, input, strings);
  while (batch.size() < most && in_block_ && NextInBlock(m)) batch.Add(m, input, strings);
  return true;
}

bool MentionReader::IsBlank(std::string_view line) {
  for (const char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

bool MentionReader::ReadRecord(std::string_view line, const simdjson::dom::element* parsed, Mention& out) {
  out = Mention{};
  out.raw = line;
  out.line = line_;
  const std::size_t readable =
      capacity_ + simdjson::SIMDJSON_PADDING - static_cast<std::size_t>(line.data() - buffer_.get());
  if (!parser_->Read(line, readable, options_.on_demand_only, parsed, out)) {
    Reject(parser_->reason, parser_->detail);
    return false;
  }
  ++counts_.accepted;
  return true;
}

// A block is every whole line in the buffer, parsed by one call to simdjson's parse_many: its
// first stage runs once over the block instead of once a line, and no pass looks for line ends
// before parsing. parse_many knows nothing of lines, so each document it finds is taken only if
// it is the one thing on its line (NextInBlock); anything else, and any error, sends the block's
// remaining lines to the line-at-a-time path, which says what is wrong with each.
bool MentionReader::StartBlock() {
  block_ready_ = false;
  if (options_.on_demand_only || !options_.whole_blocks || skipping_ || begin_ >= end_) return false;
  char* const data = buffer_.get();
  const void* last = memrchr(data + begin_, '\n', end_ - begin_);
  if (last == nullptr) return false;
  block_end_ = static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1;
  block_begin_ = begin_;
  const std::size_t size = block_end_ - block_begin_;
  Parser& p = *parser_;
  // One batch: the whole block (at most block_bytes + max_line_bytes) in one first stage.
  if (p.tape.parse_many(data + block_begin_, size, size).get(p.block)) return false;
  p.document = p.block.begin();
  p.document_read = false;
  in_block_ = true;
  return true;
}

// One line up to `newline` (an offset in the buffer) counted as NextLine and Next count it;
// true when it is a line to read (not blank, not too long).
bool MentionReader::CountLine(std::size_t newline) {
  const std::size_t start = begin_;
  begin_ = newline + 1;
  ++line_;
  ++counts_.lines;
  if (newline - start > options_.max_line_bytes) {
    Reject(RejectReason::kLineTooLong, "");
    return false;
  }
  std::string_view line(buffer_.get() + start, newline - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (IsBlank(line)) {
    ++counts_.blank;
    return false;
  }
  return true;
}

bool MentionReader::NextInBlock(Mention& out) {
  Parser& p = *parser_;
  char* const data = buffer_.get();
  const auto newline_from = [&](std::size_t at) {  // the block ends with one
    return static_cast<std::size_t>(static_cast<const char*>(std::memchr(data + at, '\n', block_end_ - at)) - data);
  };
  while (true) {
    if (p.document_read) {
      ++p.document;
      p.document_read = false;
    }
    simdjson::dom::element root;
    const simdjson::error_code error = p.document != p.block.end() ? (*p.document).get(root) : simdjson::EMPTY;
    if (error == simdjson::EMPTY) {
      // No document left: the lines left are blank, or hold what parse_many set aside as a
      // document cut short by the block's end ("{" alone on a line, an array's opening, ...),
      // which the line-at-a-time path then reads and rejects, from the first such line on.
      while (begin_ < block_end_) {
        const std::size_t newline = newline_from(begin_);
        if (!IsBlank(std::string_view(data + begin_, newline - begin_))) break;
        CountLine(newline);
      }
      in_block_ = false;
      return false;
    }
    const std::size_t start = block_begin_ + p.document.current_index();
    if (error != simdjson::SUCCESS || data[start] != '{') {
      in_block_ = false;  // from begin_ on, one line at a time
      return false;
    }
    std::size_t newline = newline_from(begin_);
    while (newline < start) {  // lines before the document's: whitespace only, so blank
      CountLine(newline);
      newline = newline_from(begin_);
    }
    // The document must end on its line, with nothing but spaces after it.
    const std::size_t end = start + p.document.source().size();
    if (end > newline || !IsBlank(std::string_view(data + end, newline - end))) {
      in_block_ = false;
      return false;
    }
    p.document_read = true;
    const std::size_t line_start = begin_;
    if (!CountLine(newline)) continue;  // too long (a blank line holds no document)
    std::string_view line(data + line_start, newline - line_start);
    if (line.back() == '\r') line.remove_suffix(1);
    if (ReadRecord(line, &root, out)) return true;
  }
}

}  // namespace faro
