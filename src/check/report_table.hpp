#pragma once
// The human view of `faro check`: a compact, aligned table printed as verdicts arrive, in
// Spanish or English, coloured only when asked (on a terminal, without NO_COLOR).
#include <ostream>

#include "check/check_run.hpp"

namespace faro {

class TablePrinter {
 public:
  // `target_width`: the widest target name, so rows align while they stream in.
  TablePrinter(std::ostream& out, Lang lang, bool color, std::size_t target_width);

  void PrintLocal(const LocalEvidence& local, const LocalAssessment& assessment);
  void PrintTarget(const TargetReport& target);
  void PrintEnd(const CheckReport& report);

 private:
  void PrintHeader();

  std::ostream& out_;
  Lang lang_;
  bool color_;
  std::size_t target_width_;
  bool header_printed_ = false;
};

// Wide enough for the longest verdict words in either language: "caído (sin confirmar)".
inline constexpr std::size_t kVerdictColumnWidth = 21;

// Code points, not bytes: "caído" is five columns wide.
std::size_t DisplayWidth(std::string_view utf8);

}  // namespace faro
