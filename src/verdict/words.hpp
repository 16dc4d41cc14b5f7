#pragma once
// The bilingual words of verdicts: summaries and advice. Kept apart from the decision logic
// so that wording can change without touching (or re-testing) the decisions.
#include <string>
#include <vector>

#include "core/lang.hpp"
#include "verdict/verdict.hpp"

namespace faro {

std::string_view CauseWords(Cause cause, Lang lang);

// Facts the words need beyond the verdict itself.
struct SummaryFacts {
  std::string name;
  TargetKind kind = TargetKind::kPlatform;
  UnitSummary here;
  std::vector<std::string> agreeing_vantages;   // failing there too
  std::vector<std::string> working_vantages;    // working there
  bool public_dns_agrees = false;
  bool feed_confirms = false;
  std::string local_detail;
};

std::string Summarise(const Verdict& verdict, const SummaryFacts& facts, Lang lang);
std::vector<std::string> Advise(const Verdict& verdict, const SummaryFacts& facts, Lang lang);

}  // namespace faro
