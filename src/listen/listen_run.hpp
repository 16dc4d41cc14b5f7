#pragma once
// One run of `faro listen` over an input: read → pipeline → annotated lines or a summary.
// The command line only opens the input and passes writers; tests call this directly.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/lang.hpp"
#include "listen/mention_reader.hpp"
#include "listen/pipeline.hpp"

namespace faro {

using ListenWriter = std::function<void(std::string_view bytes)>;

struct ListenRunOptions {
  bool annotate = false;  // true: annotated JSON Lines; false: the summary per brand and topic
  Lang lang = Lang::kEn;  // for rejections and the summary
  ReaderOptions reader;
  PipelineOptions pipeline;
  // Closed minutes per rule, for detectors (see ListenPipeline::OnMinute).
  std::function<void(const RuleMinute&)> on_minute;
  // Every processed mention with what the pipeline learnt (crisis origin needs the posts).
  std::function<void(const Mention&, const Annotation&)> on_mention;
  // Crisis cards, printed before the summary once detectors produce them (issue 5, point 7).
  std::function<void(const ListenPipeline&, std::string& out)> crisis_cards;
};

struct ListenRunResult {
  ReaderCounts counts;
  absl::Status status;  // the input could not be read (part of it may have been)
};

// `out` gets annotated lines or the summary; `err` one line per rejected record
// ("line 21: malformed JSON: ...") and a final count. Both get large chunks, not single lines.
ListenRunResult RunListen(ByteSource& input, std::shared_ptr<const RuleSet> rules, const ListenRunOptions& options,
                          const ListenWriter& out, const ListenWriter& err);

}  // namespace faro
