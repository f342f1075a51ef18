// Burmese read into Latin as Burmese names are spelt on passports and in the lists (ICU spells
// letter by letter: မင်းအောင်လှိုင် mainnaaunglhaine, not Min Aung Hlaing). A word is cut into
// syllables — an onset (consonant or independent vowel, with its medials ျ ြ ွ ှ) and a rhyme (vowel
// signs, a final consonant under ်, tone marks) — and each syllable spelt from data/text/burmese.tsv:
// every combination of its onset's and rhyme's spellings, the usual first. Each syllable is a word
// of its own, as the lists write Burmese names ("HLAING, Min Aung"). Pure functions, safe from any
// thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearance/text/readings.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::text {

// True for a letter or sign of the Myanmar block (U+1000–U+109F).
inline bool burmese_letter(char32_t c) { return c >= 0x1000 && c <= 0x109F; }

// The syllables of a run of Burmese letters, one word each (other code points are skipped). When a
// syllable cannot be read (its rhyme is not in the table), *unread (if given) names it and the run
// is ICU's letter-by-letter reading, one word, as before the table.
std::vector<ScriptWord> read_burmese(std::string_view word, const TextTables::Burmese& table,
                                     std::string* unread = nullptr);

// The key the table and the reader look a rhyme up by: tone marks (့ း) dropped, and with
// `creaky` a ့ appended when the rhyme had one.
std::u32string burmese_rhyme_key(std::u32string_view rhyme, bool creaky);

}  // namespace clearance::text
