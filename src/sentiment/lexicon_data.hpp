#pragma once
// The lexicon data files (src/sentiment/data/*.tsv), embedded as text at build time by
// embed_lexicons.cmake, so the faro binary carries them and reads no file at run time.
namespace faro::lexicon_data {
extern const char k_vader_en[];   // English valences (VADER, MIT licence)
extern const char k_en_overrides[];  // project adjustments to the English valences
extern const char k_es[];         // Spanish valences, written for this project
extern const char k_emoji[];      // emoji and emoticons, any language
extern const char k_common[];     // laughter, shorthand, outage hashtags, any language
extern const char k_modifiers[];  // negators, boosters, contrast and concession words
}  // namespace faro::lexicon_data
