#pragma once
// Crisis cards: a suspected crisis told in plain words (Spanish or English) for a community
// manager, and the same facts as JSON (docs/listening.md, "Crisis cards", gives the schema).
#include <nlohmann/json.hpp>

#include <string>

#include "core/lang.hpp"
#include "crisis/crisis.hpp"

namespace faro::crisis {

class CrisisWatch;

// The first sentence: what, where, how big. "Posible crisis en «Panadería Sol» (pico de
// menciones): 48 menciones/min (lo normal: 2), 71 % negativas (lo normal: 12 %)."
std::string CrisisHeadline(const Crisis& crisis, Lang lang);
// The whole card: headline, origin, distinguishing words, figures, earliest and most
// amplified posts; lines end in '\n'. Times are UTC.
std::string CrisisCardText(const Crisis& crisis, Lang lang);
// The card as JSON (also the evidence of crisis-* events).
nlohmann::json CrisisCardJson(const Crisis& crisis);

// Every crisis the watch knows (open first, then the last ones over), as cards, for
// `faro listen --rules`: a title line, then one card per crisis separated by blank lines.
std::string CrisisReport(const CrisisWatch& watch, Lang lang);

}  // namespace faro::crisis
