// Thai read into Latin as the lists write Thai names (ICU's Thai-Latin spells letter by letter, in
// ISO 11940: ทักษิณ thaks'in). A word is cut into syllables — an optional leading vowel (เ แ โ ใ ไ),
// an initial consonant or cluster (กร kr; ห before a sonorant is silent), the vowel signs around
// it, and a final consonant — and each part spelt from data/text/thai.tsv. Tone marks are not
// written; a letter under the silent mark ์ is dropped (จันทร์ chan, สุวิทย์ suwit), and so is a ร
// after a final (เพชร phet). The vowel no sign writes is o before a final and a without one, and
// in a run of three bare consonants the first is open (ถนน thanon).
//
// A word gets its RTGS spelling (สมบูรณ์ sombun) first, then the one names most often use
// (somboon), then the spellings closest to either: one letter read otherwise (พ ph or p, จ ch or
// j, ู u or oo, final ร n, rn or r), or a final consonant read as the start of the next syllable
// with its own a, as Sanskrit names are spoken (พิชยศ phityot, phichayot, Pichayos). Pure
// functions, safe from any thread.
#pragma once

#include <string_view>
#include <vector>

#include "clearance/text/readings.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::text {

// True for a letter, vowel sign or mark of the Thai block (U+0E01–U+0E5B).
inline bool thai_letter(char32_t c) { return c >= 0x0E01 && c <= 0x0E5B; }

// Reads a word of Thai letters (other code points are skipped); empty when nothing Latin comes of
// it. At most kMaxSpellings spellings.
std::vector<ScriptWord> read_thai(std::string_view word, const TextTables::Thai& table);

}  // namespace clearance::text
