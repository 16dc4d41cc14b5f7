#include "crisis/distinguishing_terms.hpp"

#include <algorithm>
#include <cmath>

namespace faro::crisis {

std::vector<DistinguishingTerm> DistinguishingTerms(const std::vector<TermCount>& crisis, double crisis_total,
                                                    const std::vector<double>& usual, double usual_total,
                                                    const DistinguishingOptions& options) {
  std::vector<DistinguishingTerm> out;
  const double a0 = options.prior_strength;
  const double pooled_total = crisis_total + usual_total;
  if (crisis_total <= 0 || pooled_total <= 0 || a0 <= 0) return out;
  for (std::size_t i = 0; i < crisis.size() && i < usual.size(); ++i) {
    const double yc = crisis[i].count, yu = std::max(usual[i], 0.0);
    if (yc < static_cast<double>(options.min_mentions)) continue;
    const double aw = a0 * (yc + yu) / pooled_total;
    const double rest_c = crisis_total + a0 - yc - aw, rest_u = usual_total + a0 - yu - aw;
    if (aw <= 0 || rest_c <= 0 || rest_u <= 0) continue;
    const double delta = std::log((yc + aw) / rest_c) - std::log((yu + aw) / rest_u);
    const double z = delta / std::sqrt(1.0 / (yc + aw) + 1.0 / (yu + aw));
    if (z < options.min_z) continue;
    out.push_back(DistinguishingTerm{crisis[i].term, static_cast<int64_t>(std::llround(yc)), yu, z});
  }
  std::sort(out.begin(), out.end(), [](const DistinguishingTerm& a, const DistinguishingTerm& b) {
    return a.z != b.z ? a.z > b.z : a.term < b.term;
  });
  if (out.size() > options.max_terms) out.resize(options.max_terms);
  return out;
}

}  // namespace faro::crisis
