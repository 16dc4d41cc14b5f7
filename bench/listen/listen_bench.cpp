// listen_bench: mentions/s on one core, end to end (JSON Lines → reader → normalise → language →
// rules → sentiment → per-minute counters and summaries), and simdjson parse-only on the same
// bytes as the peer. Prints one "key=value ..." line per checkpoint; bench/listen/run repeats
// and takes medians.
//
//   listen_bench [--mode full|detect|annotate|parse|iterate-many|read|normalise|rules|language]
//                [--records N] [--seed S]
//                [--rules FILE] [--dump N] [--records-like light|full] [--batch N]
//
// --batch N: mentions read and checked together, as `faro listen` does (kBatchMentions);
// 1 reads and processes them one at a time (Next and Process), to compare.
// --records-like full: records with every member of the mention schema and the extra members
// a connector passes along, about 500 bytes each (light, the default: about 365 bytes).
#include <simdjson.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "crisis/crisis_card.hpp"
#include "crisis/crisis_watch.hpp"
#include "listen/annotate.hpp"
#include "listen/mention_reader.hpp"
#include "listen/pipeline.hpp"
#include "listen/rules_file.hpp"
#include "mention_stream.hpp"

namespace {

using faro::bench::MentionStream;
using Clock = std::chrono::steady_clock;

long RssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

// CPU time of this thread: on a machine shared with other work, mentions per CPU-second is the
// per-core figure; wall time is printed too.
double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Checkpoints {
  Clock::time_point start = Clock::now();
  double cpu_start = CpuSeconds();
  void Start() {
    start = Clock::now();
    cpu_start = CpuSeconds();
  }
  int64_t next = 1000000;
  std::string mode;
  int64_t printed = -1;
  void Maybe(int64_t done) {
    if (done != next) return;
    Print(done);
    next = next == 1000000 ? 5000000 : next + 5000000;
  }
  void Print(int64_t done) {
    printed = done;
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = CpuSeconds() - cpu_start;
    std::printf("mode=%s records=%lld seconds=%.3f rate=%.0f cpu_seconds=%.3f cpu_rate=%.0f rss_mb=%.1f\n",
                mode.c_str(), static_cast<long long>(done), s, static_cast<double>(done) / s, cpu,
                static_cast<double>(done) / cpu, RssKb() / 1024.0);
    std::fflush(stdout);
  }
};

// The peer: simdjson On-Demand on each line, every field read (strings, numbers, the author).
int64_t ParseOnly(MentionStream& stream, Checkpoints& cp) {
  namespace ond = simdjson::ondemand;
  const std::size_t block = 4 << 20;
  std::string buffer(block + (1 << 20) + simdjson::SIMDJSON_PADDING, ' ');
  ond::parser parser;
  std::size_t begin = 0, end = 0;
  int64_t done = 0, sink = 0, fields = 0;
  while (true) {
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
    auto n = stream.Read(buffer.data() + end, block + (1 << 20) - end);
    if (!n.ok() || *n == 0) break;
    end += *n;
    while (true) {
      const void* nl = std::memchr(buffer.data() + begin, '\n', end - begin);
      if (nl == nullptr) break;
      const std::size_t stop = static_cast<const char*>(nl) - buffer.data();
      ond::document doc;
      if (!parser.iterate(buffer.data() + begin, stop - begin, buffer.size() - begin).get(doc)) {
        ond::object obj;
        if (!doc.get_object().get(obj)) {
          for (auto field : obj) {
            ++fields;
            std::string_view key, text;
            if (field.unescaped_key().get(key)) break;
            ond::value v = field.value();
            ond::json_type type;
            if (v.type().get(type)) break;
            if (type == ond::json_type::string && !v.get_string().get(text)) sink += text.size();
            else if (type == ond::json_type::number) sink += v.get_int64().value_unsafe();
            else if (type == ond::json_type::object)
              for (auto inner : v.get_object()) sink += inner.unescaped_key().value_unsafe().size();
          }
        }
      }
      begin = stop + 1;
      cp.Maybe(++done);
    }
  }
  std::fprintf(stderr, "listen_bench: %lld fields read\n", static_cast<long long>(fields));
  if (sink == 42) std::puts("");  // keep the work
  return done;
}

// simdjson's own NDJSON path (iterate_many over whole blocks), reading "text" and "at" only.
int64_t IterateMany(MentionStream& stream, Checkpoints& cp) {
  namespace ond = simdjson::ondemand;
  const std::size_t block = 4 << 20;
  std::string buffer(block + (1 << 20) + simdjson::SIMDJSON_PADDING, ' ');
  ond::parser parser;
  std::size_t end = 0;
  int64_t done = 0, sink = 0;
  while (true) {
    auto n = stream.Read(buffer.data() + end, block + (1 << 20) - end);
    if (!n.ok()) break;
    end += *n;
    if (end == 0) break;
    // Only whole lines: keep the tail for the next round.
    std::size_t last = std::string_view(buffer.data(), end).rfind('\n');
    const std::size_t whole = last == std::string_view::npos ? 0 : last + 1;
    if (whole == 0 && *n != 0) continue;
    const std::size_t use = whole == 0 ? end : whole;
    ond::document_stream docs;
    if (parser.iterate_many(buffer.data(), use, 1 << 20).get(docs)) break;
    for (auto doc : docs) {
      std::string_view text;
      if (!doc["text"].get_string().get(text)) sink += text.size();
      cp.Maybe(++done);
    }
    std::memmove(buffer.data(), buffer.data() + use, end - use);
    end -= use;
    if (*n == 0) break;
  }
  if (sink == 42) std::puts("");
  return done;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "full";
  int64_t records = 10000000;
  uint64_t seed = 20211004;
  int64_t dump = 0;
  bool full = false;
  std::size_t batch_size = faro::kBatchMentions;
  std::string rules_path = std::string(FARO_SOURCE_DIR) + "/examples/listen/brand.yaml";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--mode") mode = value;
    else if (flag == "--records") records = std::atoll(value.c_str());
    else if (flag == "--seed") seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--rules") rules_path = value;
    else if (flag == "--dump") dump = std::atoll(value.c_str());
    else if (flag == "--batch") batch_size = std::max<std::size_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    else if (flag == "--records-like") {
      if (value != "light" && value != "full") {
        std::fprintf(stderr, "listen_bench: --records-like %s: light or full\n", value.c_str());
        return 2;
      }
      full = value == "full";
    } else {
      std::fprintf(stderr, "listen_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  MentionStream stream(dump > 0 ? dump : records, seed, full);
  if (dump > 0) {  // write the records themselves, to look at or to feed `faro listen`
    char buf[1 << 16];
    while (true) {
      auto n = stream.Read(buf, sizeof buf);
      if (!n.ok() || *n == 0) break;
      std::fwrite(buf, 1, *n, stdout);
    }
    return 0;
  }
  std::fprintf(stderr, "listen_bench: mode %s, %lld records, %.0f bytes a record on average, rss %.1f MB\n",
               mode.c_str(), static_cast<long long>(records), stream.mean_record_bytes(), RssKb() / 1024.0);
  Checkpoints cp;
  cp.mode = mode;
  int64_t done = 0;
  if (mode == "parse") {
    done = ParseOnly(stream, cp);
  } else if (mode == "iterate-many") {
    done = IterateMany(stream, cp);
  } else if (mode == "normalise" || mode == "rules" || mode == "language") {
    // Stages alone, to see where the time of "full" goes: read + normalise (+ rules / + language).
    auto rules = faro::LoadRulesFile(rules_path);
    if (!rules.ok()) return 2;
    faro::MentionReader reader(stream);
    faro::Normaliser normaliser;
    faro::NormalisedText text;
    faro::RuleMatcher matcher(*rules);
    std::vector<int> matched;
    int64_t hits = 0;
    faro::Mention m;
    cp.Start();
    while (reader.Next(m)) {
      normaliser.Normalise(m.text, text);
      if (mode == "rules") {
        matcher.Match(text.folded, matched);
        hits += !matched.empty();
      } else if (mode == "language") {
        hits += faro::DetectLang(text) == faro::TextLang::kEs;
      }
      cp.Maybe(++done);
    }
    std::fprintf(stderr, "listen_bench: %lld hits\n", static_cast<long long>(hits));
  } else if (mode == "read" || mode == "full" || mode == "detect" || mode == "annotate") {
    auto rules = faro::LoadRulesFile(rules_path);
    if (!rules.ok()) {
      std::fprintf(stderr, "listen_bench: %s\n", std::string(rules.status().message()).c_str());
      return 2;
    }
    faro::MentionReader reader(stream);
    // As `faro listen` runs: a summary scores only mentions that matched a rule; annotating
    // scores every one.
    faro::PipelineOptions options;
    options.score_unmatched = mode == "annotate";
    options.summaries = mode != "annotate";
    faro::ListenPipeline pipeline(*rules, options);
    int64_t minutes = 0, matched = 0, tokenised = 0;
    // detect: as `faro listen --rules` runs, with the crisis detectors (volume, negative share,
    // origin memory) fed every minute and every mention, and the cards written at the end.
    std::unique_ptr<faro::crisis::CrisisWatch> crises;
    if (mode == "detect") {
      faro::crisis::CrisisOptions co;
      co.lateness = options.lateness;
      crises = std::make_unique<faro::crisis::CrisisWatch>(*rules, co);
    }
    pipeline.OnMinute([&](const faro::RuleMinute& minute) {
      ++minutes;
      if (crises) crises->OnMinute(minute);
    });
    std::string out;
    faro::Mention m;
    // Decided once: comparing the mode's name per mention cost the loop ~1 % of a mention.
    const bool process = mode != "read";
    const bool annotate = mode == "annotate";
    const auto each = [&](const faro::Mention& mention, const faro::Annotation& a) {
      matched += !a.matched_rules.empty();
      tokenised += a.text != nullptr;
      if (crises) crises->OnMention(mention, a);
      if (annotate) {
        faro::AppendAnnotated(out, mention, a, rules->get());
        if (out.size() > (1 << 20)) out.clear();  // written nowhere: the bench measures the work
      }
      cp.Maybe(++done);
    };
    faro::MentionBatch batch;
    cp.Start();
    if (process && batch_size > 1) {
      while (reader.NextBatch(batch, batch_size)) pipeline.ProcessBatch(batch.mentions(), each);
    } else {
      while (reader.Next(m)) {
        if (process) {
          each(m, pipeline.Process(m));
        } else {
          cp.Maybe(++done);
        }
      }
    }
    pipeline.Finish();
    if (crises) {
      crises->Finish();
      out = faro::crisis::CrisisReport(*crises, faro::Lang::kEn);
      std::fprintf(stderr, "listen_bench: crisis report of %zu bytes\n", out.size());
    }
    std::fprintf(stderr, "listen_bench: %lld tokenised (%.1f%%), %lld matched a rule (%.1f%%), %lld rule-minutes, %lld rejected\n",
                 static_cast<long long>(tokenised), 100.0 * static_cast<double>(tokenised) / static_cast<double>(done),
                 static_cast<long long>(matched), 100.0 * static_cast<double>(matched) / static_cast<double>(done),
                 static_cast<long long>(minutes), static_cast<long long>(reader.counts().RejectedTotal()));
  } else {
    std::fprintf(stderr, "listen_bench: --mode is full, detect, annotate, parse, iterate-many, read, normalise, rules or language\n");
    return 2;
  }
  if (cp.printed != done) cp.Print(done);
  return done == records ? 0 : 1;
}
