// Japanese kana and Greek read into Latin with ICU, and the other spellings the lists and passports
// use for the same word, which a word read so meets (like a syllable read from Hangul,
// text/hangul.hpp): kana in Hepburn (ICU) and its variants — long vowels written ou, o or oh
// (ごとう Goto, Gotou, Gotoh), Kunrei-shiki si, ti, tu, zi, hu for shi, chi, tsu, ji, fu, m before
// b, m, p (Shimbun); Greek in ELOT 743 / UN (ICU Greek-Latin/UNGEGN: Ξηρός Xiros) and its
// variants — the classical reading (Xeros), mp b, nt d, gk g, ou u, ch h or kh, y i, oi ei i,
// ai e. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clearance::text {

// True for kana (hiragana, katakana, the prolonged sound mark) and Greek letters.
bool kana_letter(char32_t c);
bool greek_letter(char32_t c);

struct ScriptWord {
  std::string written;                 // the word as written (UTF-8)
  std::string text;                    // the primary Latin spelling, lower-case ASCII
  std::vector<std::string> spellings;  // every spelling, text first (at most kMaxSpellings)
  const char* script = "";             // "kana", "Greek": for explanations
};

inline constexpr size_t kMaxSpellings = 24;

// Reads a run of kana or of Greek letters (lower-cased); empty when nothing Latin comes of it.
std::vector<ScriptWord> read_kana(std::string_view word);
std::vector<ScriptWord> read_greek(std::string_view word);

}  // namespace clearance::text
