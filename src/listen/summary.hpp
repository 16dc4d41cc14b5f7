#pragma once
// The summary `faro listen --rules FILE` prints: per brand and topic, mentions, negative share,
// reach, top hashtags and the rule terms that matched; then what was rejected. Spanish or English.
#include <string>

#include "core/lang.hpp"
#include "listen/mention_reader.hpp"
#include "listen/pipeline.hpp"

namespace faro {

void AppendSummary(std::string& out, const ListenPipeline& pipeline, const ReaderCounts& counts, Lang lang);
// "1,234,567" (es: "1.234.567").
std::string GroupDigits(int64_t n, Lang lang);

}  // namespace faro
