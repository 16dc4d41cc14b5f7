#pragma once
// Bilingual text as the incident record carries it: {"es": "…", "en": "…"}. The record library
// reads incidents only as JSON, so it keeps its own small copy of the plan's text type instead
// of depending on the plan engine.
#include <string>

#include "core/lang.hpp"

namespace faro::record {

struct Text {
  std::string es, en;

  // The text in `lang`; when that one is empty, the other language (better than nothing).
  const std::string& In(Lang lang) const {
    const std::string& wanted = lang == Lang::kEs ? es : en;
    return wanted.empty() ? (lang == Lang::kEs ? en : es) : wanted;
  }
  bool empty() const { return es.empty() && en.empty(); }
  friend bool operator==(const Text&, const Text&) = default;
};

}  // namespace faro::record
