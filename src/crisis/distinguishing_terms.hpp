#pragma once
// Which words set a burst of mentions apart from a brand's usual mentions: the log-odds ratio
// with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words",
// section 3.5). For a term w with y_c crisis and y_u usual counts out of n_c and n_u, and a
// prior a_w = a0 * (y_c + y_u) / (n_c + n_u) (the pooled frequency, a0 pseudo-counts):
//   d_w  = log((y_c + a_w) / (n_c + a0 - y_c - a_w)) - log((y_u + a_w) / (n_u + a0 - y_u - a_w))
//   var  ~ 1 / (y_c + a_w) + 1 / (y_u + a_w),     z_w = d_w / sqrt(var)
// The prior shrinks rare words towards "no difference", so a word said twice is not news.
#include <cstdint>
#include <string>
#include <vector>

#include "crisis/crisis.hpp"

namespace faro::crisis {

struct TermCount {
  std::string term;
  double count = 0;
};

struct DistinguishingOptions {
  double prior_strength = 100;  // a0
  double min_z = 1.96;          // two-sided 95 %
  int64_t min_mentions = 3;     // a term must be in at least this many crisis mentions
  std::size_t max_terms = 6;
};

// `crisis`: terms of the crisis mentions with their counts, `crisis_total` the sum of all
// crisis term counts; `usual` (aligned with `crisis`): each term's usual count, `usual_total`
// the sum of all usual counts. Best first (highest z; ties by term).
std::vector<DistinguishingTerm> DistinguishingTerms(const std::vector<TermCount>& crisis, double crisis_total,
                                                    const std::vector<double>& usual, double usual_total,
                                                    const DistinguishingOptions& options = {});

}  // namespace faro::crisis
