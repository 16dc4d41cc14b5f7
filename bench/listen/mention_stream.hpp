#pragma once
// A deterministic stream of realistic mentions as JSON Lines, for the listening benchmark:
// Spanish and English, emoji, hashtags, @mentions, URLs, ~300-500 bytes a record, about a
// fifth of them about the example bakery or a platform outage (examples/listen/brand.yaml).
// A pool of distinct records is built once from a seed and streamed over and over; each pass
// moves every record's date one day on, so time keeps going forward and memory stays flat.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "listen/mention_reader.hpp"

namespace faro::bench {

class MentionStream final : public ByteSource {
 public:
  // `full`: every member docs/mention.schema.json has (reply_to_author with reply_to, brand,
  // channel) and members a connector passes along that Faro does not read (the post's
  // language, client and conversation), about 500 bytes a record, the size the design notes
  // quote for simdjson; otherwise the members above, about 365 bytes.
  MentionStream(int64_t records, uint64_t seed, bool full = false, int pool_size = 100000);
  absl::StatusOr<std::size_t> Read(char* dst, std::size_t capacity) override;

  int64_t records() const { return records_; }
  double mean_record_bytes() const { return static_cast<double>(pool_.size()) / static_cast<double>(starts_.size()); }
  const std::string& pool() const { return pool_; }

 private:
  void NextPass();

  int64_t records_;
  std::string pool_;                  // the records, one per line
  std::vector<std::size_t> starts_;   // where each record starts in pool_
  std::vector<std::size_t> dates_;    // where each record's "YYYY-MM-DD" is in pool_
  std::array<char, 10> date_{};       // this pass's date, written into what Read hands out
  std::size_t next_date_ = 0;         // the first of dates_ not yet fully written this pass
  int64_t pass_ = 0;
  std::size_t offset_ = 0;            // next byte of pool_ to hand out
  std::size_t pass_end_ = 0;          // bytes of pool_ this pass hands out
  int64_t records_left_;
};

}  // namespace faro::bench
