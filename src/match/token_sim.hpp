// Token-level similarity shared by the index and the brute-force reference, so the two agree.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "clearance/text/normalize.hpp"

namespace clearance::match {

// Spacing variants ("hik vision" / "hikvision") and transliteration variants (Aly / Ali).
inline constexpr float kJoinedSim = 0.95f;
inline constexpr float kPhoneticSim = 0.88f;
// A word read from Arabic script, Hebrew or Cyrillic and a Latin word with the same loose key
// (text/romanize.hpp): another romanisation of the same name.
inline constexpr float kLooseSim = 0.92f;
// A syllable read from Hangul and a list word that writes it in another standard spelling than
// Revised Romanisation (McCune-Reischauer, a surname's own: 김 -> Kim, 정 -> Jong).
inline constexpr float kSpellingSim = 0.95f;
// An initial and a word it may stand for (J. against John), between person names only: half a
// match, so that an initial and a surname never alert by themselves (J. Smith against John Smith
// scores about 0.75).
inline constexpr float kInitialSim = 0.5f;
// Whether one of two words is a single letter and the other a longer word starting with it.
inline bool initial_of(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return a.size() == 1 && b.size() >= 2 && a[0] == b[0] && a[0] >= 'a' && a[0] <= 'z';
}
// Similarity of words within the allowed edits: 1 - kEditCost * edits / length. One typo in a
// five-letter word gives 0.88, in a ten-letter word 0.94.
inline constexpr float kEditCost = 0.75f;

// Edits allowed between two words, by the shorter length: short words (ZTE, 360, DJI) must
// match whole; 4–7 letters allow one edit; 8 and more allow two.
inline int max_edits(size_t shorter_len) { return shorter_len >= 8 ? 2 : (shorter_len >= 4 ? 1 : 0); }

// Similarity of two comparison forms in [0, 1]; 0 when they do not match at all.
// Legal forms, numbers and Han runs match only exactly. The phonetic key is passed precomputed.
// edit_cap lowers the allowed edits (joined query words allow one).
// *phonetic is set when the similarity comes from the phonetic key alone (such matches count only
// between person names).
float word_similarity(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b,
                      bool fuzzy_allowed, int edit_cap = 2, bool* phonetic = nullptr);

// Letters present in a word, one bit each (a–z, then digits folded into one bit, then the rest).
// Each edit changes at most two bits, so words within k edits differ in at most 2k bits.
inline std::uint32_t letter_mask(std::string_view w) {
  std::uint32_t m = 0;
  for (unsigned char c : w)
    m |= c >= 'a' && c <= 'z' ? 1u << (c - 'a') : (c >= '0' && c <= '9' ? 1u << 26 : 1u << 27);
  return m;
}
inline bool masks_within(std::uint32_t a, std::uint32_t b, int k) {
  return __builtin_popcount(a ^ b) <= 2 * k;
}

// Edits allowed when two query words are joined to match one list word.
inline constexpr int kJoinedEditCap = 1;

// Whether a token may match fuzzily (distinctive, generic and stop words; not legal forms,
// numbers or Han).
inline bool fuzzy_kind(text::TokenKind k) {
  return k == text::TokenKind::kWord || k == text::TokenKind::kGeneric || k == text::TokenKind::kStop ||
         k == text::TokenKind::kPlace;
}

}  // namespace clearance::match
