#include "listen/listen_run.hpp"

#include "core/strings.hpp"
#include "listen/annotate.hpp"
#include "listen/summary.hpp"

namespace faro {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

void AppendRejection(std::string& out, const Rejection& r, Lang lang) {
  StrAppend(out, "faro listen: ", lang == Lang::kEs ? "línea " : "line ", r.line, ": ",
            RejectReasonText(r.reason, lang), " (", RejectReasonCode(r.reason), ")");
  if (!r.detail.empty()) StrAppend(out, ": ", r.detail);
  out += '\n';
}

void AppendFinalCount(std::string& out, const ReaderCounts& c, Lang lang) {
  const bool es = lang == Lang::kEs;
  StrAppend(out, "faro listen: ", c.accepted, es ? " aceptadas, " : " accepted, ", c.RejectedTotal(),
            es ? " rechazadas" : " rejected");
  bool first = true;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    if (c.rejected[i] == 0) continue;
    StrAppend(out, first ? " (" : ", ", RejectReasonCode(static_cast<RejectReason>(i)), " ", c.rejected[i]);
    first = false;
  }
  if (!first) out += ')';
  if (c.blank > 0) StrAppend(out, ", ", c.blank, es ? " líneas en blanco" : " blank lines");
  out += '\n';
}

}  // namespace

ListenRunResult RunListen(ByteSource& input, std::shared_ptr<const RuleSet> rules, const ListenRunOptions& options,
                          const ListenWriter& out, const ListenWriter& err) {
  MentionReader reader(input, options.reader);
  std::string out_buffer, err_buffer;
  out_buffer.reserve(kFlushBytes + (64 << 10));
  reader.OnReject([&](const Rejection& r) {
    AppendRejection(err_buffer, r, options.lang);
    if (err_buffer.size() >= (64 << 10)) {
      err(err_buffer);
      err_buffer.clear();
    }
  });
  PipelineOptions pipeline_options = options.pipeline;
  if (options.annotate) pipeline_options.summaries = false;
  // A summary looks only at mentions that matched a rule: score only those. An annotated line
  // has every mention's language, sentiment and tags.
  pipeline_options.score_unmatched = options.annotate;
  ListenPipeline pipeline(std::move(rules), pipeline_options);
  if (options.on_minute) pipeline.OnMinute(options.on_minute);
  const RuleSet* rule_set = pipeline.rules();

  const auto each = [&](const Mention& mention, const Annotation& annotation) {
    if (options.on_mention) options.on_mention(mention, annotation);
    if (options.annotate) {
      AppendAnnotated(out_buffer, mention, annotation, rule_set);
      if (out_buffer.size() >= kFlushBytes) {
        // Rejections first, so the two streams stay roughly in input order on a terminal.
        if (!err_buffer.empty()) err(err_buffer), err_buffer.clear();
        out(out_buffer);
        out_buffer.clear();
      }
    }
  };
  MentionBatch batch;
  while (reader.NextBatch(batch, kBatchMentions)) pipeline.ProcessBatch(batch.mentions(), each);
  pipeline.Finish();
  if (!options.annotate) {
    if (options.crisis_cards) options.crisis_cards(pipeline, out_buffer);
    AppendSummary(out_buffer, pipeline, reader.counts(), options.lang);
  }
  AppendFinalCount(err_buffer, reader.counts(), options.lang);
  if (!reader.status().ok())
    StrAppend(err_buffer, "faro listen: ", Message(reader.status()), "\n");
  if (!out_buffer.empty()) out(out_buffer);
  err(err_buffer);
  return ListenRunResult{reader.counts(), reader.status()};
}

}  // namespace faro
