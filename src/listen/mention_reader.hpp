#pragma once
// Reads mentions from JSON Lines (one JSON object per line), record by record. A bad record is
// rejected with its line number and a reason, counted, and never stops the records after it.
// Shape of a record: docs/listening.md, "Mentions as JSON Lines"; docs/mention.schema.json.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/lang.hpp"
#include "core/status.hpp"
#include "listen/mention.hpp"

namespace simdjson::dom {
class element;
}

namespace faro {

// Where the bytes come from: a file, stdin, or memory (tests and the bench).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `capacity` bytes into `dst`; 0 means the end of the input.
  virtual absl::StatusOr<std::size_t> Read(char* dst, std::size_t capacity) = 0;
};

// The pipe buffer FdByteSource asks for.
inline constexpr int kPipeBufferBytes = 1 << 20;

// Reads a file descriptor (stdin is 0). Does not close it. A pipe is asked for a 1 MiB
// buffer (the most Linux gives without privileges; 64 KiB by default): fewer, fuller reads
// took 2.6 % less CPU time over a pipe of mentions (bench/listen/README.md). Where it is
// refused, the pipe stays as it was.
class FdByteSource final : public ByteSource {
 public:
  explicit FdByteSource(int fd);
  absl::StatusOr<std::size_t> Read(char* dst, std::size_t capacity) override;

 private:
  int fd_;
};

// Reads bytes the caller keeps alive.
class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(std::string_view bytes) : bytes_(bytes) {}
  absl::StatusOr<std::size_t> Read(char* dst, std::size_t capacity) override;

 private:
  std::string_view bytes_;
};

enum class RejectReason {
  kInvalidUtf8,    // the line is not well-formed UTF-8
  kMalformedJson,  // not parseable JSON, or something after the object
  kNotAnObject,    // JSON, but not an object
  kMissingText,    // no "text", or it is null or empty
  kMissingTime,    // no "at" (or "created_at"), or it is null
  kWrongType,      // a known field of the wrong JSON type ("followers": "many")
  kBadTime,        // "at" present but not an RFC 3339 time or a Unix time number
  kLineTooLong,    // longer than the reader's max_line_bytes
};
inline constexpr std::size_t kRejectReasonCount = 8;

std::string_view RejectReasonCode(RejectReason reason);  // "invalid-utf8", "malformed-json", ...
std::string_view RejectReasonText(RejectReason reason, Lang lang);  // a phrase a person reads

struct Rejection {
  int64_t line = 0;  // 1-based
  RejectReason reason = RejectReason::kMalformedJson;
  std::string_view detail;  // the field, or the parser's words; valid during the callback only
};

struct ReaderCounts {
  int64_t lines = 0;     // every line seen, blank ones included
  int64_t blank = 0;     // empty or only whitespace: skipped, not rejected
  int64_t accepted = 0;
  std::array<int64_t, kRejectReasonCount> rejected{};
  int64_t RejectedTotal() const;
};

struct ReaderOptions {
  std::size_t max_line_bytes = 1 << 20;  // longer lines are rejected (and skipped in full)
  // How much is read from the source at once: small enough to stay in a core's second-level
  // cache between being read and being parsed (bench/listen/README.md).
  std::size_t block_bytes = 256 << 10;
  // Read every record member by member (simdjson On-Demand) instead of from a parsed tape
  // first. The results are the same, only slower; tests compare the two paths.
  bool on_demand_only = false;
  // Parse all the whole lines each read brings in with one call (simdjson's parse_many), taking
  // a document only when it is alone on its line; otherwise one parse per line. The results
  // are the same, only slower without; tests compare the two.
  bool whole_blocks = true;
};

// Mentions read together (MentionReader::NextBatch). What they view lasts until the next
// NextBatch or Next on the reader: the fields the parser unescaped are copied into the batch.
class MentionBatch {
 public:
  std::span<const Mention> mentions() const { return mentions_; }
  std::size_t size() const { return mentions_.size(); }
  bool empty() const { return mentions_.empty(); }

 private:
  friend class MentionReader;
  // Adds `m`, copying every field that is not inside `input` (the reader's buffer, which does
  // not move until its next read). `strings`: the tape parser's string buffer.
  void Add(const Mention& m, std::string_view input, std::string_view strings);
  std::vector<Mention> mentions_;
  std::unique_ptr<char[]> bytes_;  // the copies: used_ of room_ bytes
  std::size_t used_ = 0, room_ = 0;
};

class MentionReader {
 public:
  explicit MentionReader(ByteSource& source, ReaderOptions options = {});
  ~MentionReader();
  MentionReader(const MentionReader&) = delete;
  MentionReader& operator=(const MentionReader&) = delete;

  // Called for each rejected record, in input order, before Next() returns the next accepted one.
  void OnReject(std::function<void(const Rejection&)> callback) { on_reject_ = std::move(callback); }

  // Fills `out` with the next accepted mention. False at the end of the input or when the
  // source fails (then status() says why). Views in `out` last until the next call.
  bool Next(Mention& out);
  // Clears `batch` and fills it with up to `most` next accepted mentions (at least one unless
  // the input ends or fails), as many Next calls would, but stops where the next one would
  // need more input read, which would move the bytes the batch views. Rejections are reported
  // as Next reports them, in input order.
  bool NextBatch(MentionBatch& batch, std::size_t most);

  const ReaderCounts& counts() const { return counts_; }
  const absl::Status& status() const { return status_; }

 private:
  struct Parser;
  bool NextLine(std::string_view& line);
  bool Fill();
  static bool IsBlank(std::string_view line);  // only spaces, tabs and carriage returns
  // Reads the record on `line` (from `parsed`, its tape, when given) into `out`; false when
  // it is rejected (and counted).
  bool ReadRecord(std::string_view line, const simdjson::dom::element* parsed, Mention& out);
  bool StartBlock();
  bool NextInBlock(Mention& out);
  bool CountLine(std::size_t newline);
  void Reject(RejectReason reason, std::string_view detail);

  ByteSource& source_;
  ReaderOptions options_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;  // usable bytes of buffer_ (padding follows)
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside a too-long line, dropping bytes up to its end
  bool block_ready_ = false;  // a read brought bytes in: their whole lines may make a block
  bool in_block_ = false;     // records come from the block [block_begin_, block_end_)
  std::size_t block_begin_ = 0, block_end_ = 0;
  int64_t line_ = 0;
  ReaderCounts counts_;
  absl::Status status_;
  std::function<void(const Rejection&)> on_reject_;
  std::unique_ptr<Parser> parser_;
};

}  // namespace faro
