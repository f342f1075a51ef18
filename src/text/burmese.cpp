#include "clearance/text/burmese.hpp"

#include <algorithm>

#include "clearance/common/utf8.hpp"
#include "text/translit.hpp"

namespace clearance::text {
namespace {

constexpr char32_t kDotBelow = 0x1037, kVisarga = 0x1038, kVirama = 0x1039, kAsat = 0x103A,
                   kMedialWa = 0x103D, kMedialHa = 0x103E;

bool consonant(char32_t c) { return c >= 0x1000 && c <= 0x1021; }
bool independent_vowel(char32_t c) { return (c >= 0x1023 && c <= 0x102A) || c == 0x103F; }
bool medial(char32_t c) { return c >= 0x103B && c <= 0x103E; }
bool tone(char32_t c) { return c == kDotBelow || c == kVisarga; }

// The word's Burmese letters, a final stacked under the next consonant (္) written as a final (်),
// and ဥ + ီ as ဦ.
std::u32string clean(std::string_view word) {
  std::u32string s;
  for (char32_t c : utf8::code_points(word)) {
    if (!burmese_letter(c)) continue;
    if (c == 0x102E && !s.empty() && s.back() == 0x1025) {
      s.back() = 0x1026;
      continue;
    }
    s += c == kVirama ? kAsat : c;
  }
  return s;
}

// Whether the consonant at k ends the syllable before it: ် (after any tone mark) follows it.
bool final_at(const std::u32string& s, size_t k) {
  size_t j = k + 1;
  while (j < s.size() && tone(s[j])) ++j;
  return j < s.size() && s[j] == kAsat;
}

std::vector<std::u32string> syllables_of(const std::u32string& s) {
  std::vector<std::u32string> out;
  for (size_t k = 0; k < s.size(); ++k) {
    bool starts = (consonant(s[k]) && !final_at(s, k)) || independent_vowel(s[k]);
    if (starts || out.empty())
      out.emplace_back(1, s[k]);
    else
      out.back() += s[k];
  }
  return out;
}

const std::vector<std::string>* find(const std::unordered_map<std::u32string, std::vector<std::string>>& m,
                                     const std::u32string& key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// Every combination of two lists of spellings, the usual ones (the first) first.
std::vector<std::string> combine(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (size_t rank = 0; rank < a.size() + b.size(); ++rank)
    for (size_t i = 0; i <= rank && i < a.size(); ++i)
      if (size_t j = rank - i; j < b.size() && out.size() < kMaxSpellings) {
        std::string sp = a[i] + b[j];
        if (!sp.empty() && std::find(out.begin(), out.end(), sp) == out.end()) out.push_back(std::move(sp));
      }
  return out;
}

// The spellings of one syllable, or empty when it cannot be read.
std::vector<std::string> read_syllable(const std::u32string& syl, const TextTables::Burmese& t) {
  if (const auto* whole = find(t.syllables, burmese_rhyme_key(syl, false))) return *whole;
  auto ini = t.initials.find(syl[0]);
  if (ini == t.initials.end()) return {};
  size_t k = 1;
  std::u32string medials;
  while (k < syl.size() && medial(syl[k])) medials += syl[k++];
  std::u32string rest = syl.substr(k);
  if (independent_vowel(syl[0]))
    return burmese_rhyme_key(rest, false).empty() ? ini->second : std::vector<std::string>();
  // The rhyme, with its tone first; ွ before a final is the vowel u (ထွန်း tun), so it is tried
  // as part of the rhyme first.
  auto rhyme_of = [&](const std::u32string& r) -> const std::vector<std::string>* {
    if (const auto* x = find(t.rhymes, burmese_rhyme_key(r, true))) return x;
    return find(t.rhymes, burmese_rhyme_key(r, false));
  };
  const std::vector<std::string>* rhyme = nullptr;
  if (auto w = medials.find(kMedialWa); w != std::u32string::npos && !rest.empty()) {
    if ((rhyme = rhyme_of(std::u32string(1, kMedialWa) + rest))) medials.erase(w, 1);
  }
  if (!rhyme) rhyme = rhyme_of(rest);
  if (!rhyme) return {};
  // The onset: listed with its medials, or the initial's spellings with each medial's letter.
  std::vector<std::string> onset;
  if (const auto* listed = find(t.onsets, std::u32string(1, syl[0]) + medials)) {
    onset = *listed;
  } else {
    for (std::string sp : ini->second) {
      for (char32_t m : medials) {
        if (m == kMedialHa)
          sp = "h" + sp;
        else
          sp += m == kMedialWa ? "w" : "y";
      }
      onset.push_back(std::move(sp));
    }
  }
  return combine(onset, *rhyme);
}

// ICU's reading, letter by letter (မင်း minn): what a word the table cannot read is compared as.
std::vector<ScriptWord> letter_by_letter(std::string_view word) {
  std::string letters = ascii_letters(transliterate(word, "Any-Latin; Latin-ASCII; Lower"));
  if (letters.empty()) return {};
  ScriptWord w;
  w.written = std::string(word);
  w.text = letters;
  w.spellings = {letters};
  w.script = "Burmese, letter by letter";
  return {std::move(w)};
}

}  // namespace

std::u32string burmese_rhyme_key(std::u32string_view rhyme, bool creaky) {
  std::u32string key;
  bool dot = false;
  for (char32_t c : rhyme) {
    dot |= c == kDotBelow;
    if (!tone(c)) key += c;
  }
  if (creaky && dot) key += kDotBelow;
  return key;
}

std::vector<ScriptWord> read_burmese(std::string_view word, const TextTables::Burmese& table,
                                     std::string* unread) {
  std::vector<ScriptWord> out;
  if (table.initials.empty()) return out;
  for (const auto& syl : syllables_of(clean(word))) {
    ScriptWord w;
    for (char32_t c : syl) utf8::append(w.written, c);
    w.script = "Burmese";
    w.spellings = read_syllable(syl, table);
    if (w.spellings.empty()) {
      if (unread) *unread = w.written;
      return letter_by_letter(word);
    }
    w.text = w.spellings[0];
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace clearance::text
