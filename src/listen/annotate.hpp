#pragma once
// `faro listen --annotate`: each accepted record written back as it came, with the pipeline's
// findings added as the last members of the object (appended before the closing brace, not
// re-serialised, so unknown fields and their formatting survive):
//   "lang":"es","sentiment":"negative","score":-0.62,"hashtags":["whatsappdown"],
//   "mentions":["soporte"],"matched_rules":["panaderia-sol","whatsapp-caido"]
#include <string>

#include "listen/mention.hpp"
#include "listen/pipeline.hpp"

namespace faro {

// Appends one line (ending in '\n') to `out`. `rules` names the matched rules (may be null
// when none were given). The annotation must come from a pipeline that scores every mention
// (PipelineOptions::score_unmatched), so that its text is tokenised.
void AppendAnnotated(std::string& out, const Mention& mention, const Annotation& annotation, const RuleSet* rules);

// `text` as a JSON string, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace faro
