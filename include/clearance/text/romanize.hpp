// Names written in Arabic script (Arabic, Persian, Urdu, Pashto), Hebrew and Cyrillic, read into
// Latin words that meet the Latin spellings the lists carry.
//
// A word gets a primary spelling (the common English-language romanisation: محمد -> muhammad,
// Дмитрий -> dmitriy) that is matched like any Latin word, and loose keys: consonant skeletons in
// which the letters that romanisation systems render differently fall into one class. The Latin
// words of the lists get the same skeleton (text::loose_key), so a key shared is a spelling of the
// same word in another system: Дмитрий, Dmitry, Dmitrij and Dmitri share "DMTR"; محمد, Muhammad,
// Mohamed and Mohammad share "MMD"; حسين, Hussein and Husayn share "SN". Arabic and Hebrew write
// long vowels only: their keys drop vowels on both sides, and where one letter has two common
// readings (ث: th or s) the word gets a key for each. Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clearance::text {

// Which skeleton the keys of a word are drawn with: the Latin words of the lists get one key of
// each family, a word read from another script the keys of its own.
enum class LooseFamily : std::uint8_t { kNone, kAbjad, kSlavic };

// Loose keys shorter than this are not trusted (Ali, Yuri: one consonant says too little) except
// on short words, whose vowels are then checked: Taha (طه), Zia (ضيا), Isa (عيسى).
inline constexpr size_t kMinLooseKey = 2;
inline constexpr size_t kMaxShortLoose = 4;  // Latin letters of a short word

struct RomanWord {
  std::string text;  // primary Latin spelling, lower-case ASCII
  LooseFamily family = LooseFamily::kNone;
  std::vector<std::string> keys;  // loose key patterns (at most a few; see loose_key_of), empty
                                  // when the word is too short
  const char* script = "";        // "Arabic", "Hebrew", "Cyrillic": for explanations
};

// True for a code point this module reads (Arabic, Hebrew and Cyrillic letters and marks).
bool romanized_script(char32_t c);

// Reads one word (a run of romanized_script code points, lower-cased). An Arabic word that starts
// with the article is returned as two words ("الزهراني" -> "al", "zahrani"), as the lists write it.
std::vector<RomanWord> romanize_word(std::string_view word);

// The loose key of a Latin word (lower-case ASCII) in a family; empty when it has too few
// consonants. soft_c reads every c that is not part of ch as s, as French spellings of Arabic
// names write it (Faycal, Faical for Faysal: the cedilla folded away); without it, c is k unless
// e, i or y follows.
std::string loose_key(std::string_view latin, LooseFamily family, bool soft_c = false);
// The key with the letters between its classes in lower case ("HaSaN" for hasan).
std::string loose_pattern(std::string_view latin, LooseFamily family, bool soft_c = false);
// The key of a pattern (its upper-case letters).
std::string loose_key_of(std::string_view pattern);
// Whether a Latin word's pattern shows the long vowels a word read from Arabic or Hebrew writes
// (its pattern, from RomanWord::keys): حسين (HSiN) is Hussein or Husayn, not Hasan. The keys of
// the two must be equal.
// Cyrillic words (kSlavic) need the vowels they write to show in the Latin.
bool loose_vowels_agree(std::string_view script_pattern, std::string_view latin_pattern,
                        LooseFamily family = LooseFamily::kAbjad);

}  // namespace clearance::text
