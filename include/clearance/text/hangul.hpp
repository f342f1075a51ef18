// Hangul read into Latin, syllable by syllable (ICU has no Revised Romanisation): each syllable
// block is decomposed into its letters by arithmetic on its code point, and each letter spelt from
// data/text/hangul.tsv. A syllable gets its Revised Romanisation (김 gim, 정 jeong, 은 eun) and every
// other spelling the table's letters give (McCune-Reischauer as the lists write North Korean names:
// kim, chong, jong, un), and surname spellings (이 Lee, Yi, Rhee; 박 Park, Pak) at the start of a
// word. Each syllable is a word of its own: the lists write Korean given names syllable by syllable
// ("KIM, Jong Un", "Jong-un"), and the words of a name written as one ("Jongun") meet the joined
// syllables. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearance/text/tables.hpp"

namespace clearance::text {

// True for a precomposed Hangul syllable (U+AC00–U+D7A3).
inline bool hangul_syllable(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }

struct HangulSyllable {
  std::string written;                 // the syllable in Hangul (UTF-8)
  std::string text;                    // Revised Romanisation, lower-case ASCII
  std::vector<std::string> spellings;  // every spelling, text first (at most kMaxHangulSpellings)
};

inline constexpr size_t kMaxHangulSpellings = 24;

// Reads a run of Hangul syllables (other code points are skipped).
std::vector<HangulSyllable> read_hangul(std::string_view word, const TextTables::Hangul& table);

}  // namespace clearance::text
