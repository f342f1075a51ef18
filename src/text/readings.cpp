#include "clearance/text/readings.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "clearance/common/utf8.hpp"
#include "text/translit.hpp"

namespace clearance::text {
namespace {

std::string replaced(std::string s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

struct Rule {
  std::string_view from, to;
};

// Every spelling the rules give, each rule applied to every spelling found before it (the first
// rules' variants first), at most kMaxSpellings.
ScriptWord with_variants(std::string written, std::vector<std::string> bases,
                         std::initializer_list<Rule> rules, const char* script) {
  ScriptWord w;
  w.written = std::move(written);
  w.script = script;
  auto add = [&](std::string s) {
    if (!s.empty() && w.spellings.size() < kMaxSpellings &&
        std::find(w.spellings.begin(), w.spellings.end(), s) == w.spellings.end())
      w.spellings.push_back(std::move(s));
  };
  for (auto& b : bases) add(std::move(b));
  for (const auto& r : rules)
    for (size_t i = 0, n = w.spellings.size(); i < n; ++i)
      if (w.spellings[i].find(r.from) != std::string::npos) add(replaced(w.spellings[i], r.from, r.to));
  if (!w.spellings.empty()) w.text = w.spellings[0];
  return w;
}

bool has_letter(std::string_view word, bool (*of)(char32_t)) {
  for (char32_t c : utf8::code_points(word))
    if (of(c)) return true;
  return false;
}

}  // namespace

bool kana_letter(char32_t c) {
  return (c >= 0x3041 && c <= 0x30FA) || c == 0x30FC || (c >= 0x31F0 && c <= 0x31FF);
}

bool greek_letter(char32_t c) { return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF); }

std::vector<ScriptWord> read_kana(std::string_view word) {
  if (!has_letter(word, kana_letter)) return {};
  // ICU reads kana in Hepburn; the prolonged sound mark ー repeats the vowel before it, and a small
  // ya, yu, yo after a katakana i-syllable comes back as "i~y" (キョ ki~yo): kyo.
  std::string latin = transliterate(word, "Katakana-Hiragana; Hiragana-Latin; Latin-ASCII; Lower");
  std::string s;
  for (size_t i = 0; i < latin.size(); ++i) {
    if (latin.compare(i, 3, "\xE3\x83\xBC") == 0) {  // ー
      for (size_t k = s.size(); k-- > 0;)
        if (std::string_view("aeiou").find(s[k]) != std::string_view::npos) {
          s += s[k];
          break;
        }
      i += 2;
      continue;
    }
    s += latin[i];
  }
  s = ascii_letters(replaced(s, "i~y", "y"));
  if (s.empty()) return {};
  return {with_variants(std::string(word), {s},
                        {{"ou", "o"},
                         {"ou", "oh"},
                         {"oo", "o"},
                         {"oo", "oh"},
                         {"uu", "u"},
                         {"shi", "si"},
                         {"chi", "ti"},
                         {"tsu", "tu"},
                         {"ji", "zi"},
                         {"fu", "hu"},
                         {"sh", "sy"},
                         {"ch", "ty"},
                         {"nb", "mb"},
                         {"nm", "mm"},
                         {"np", "mp"}},
                        "kana")};
}

std::vector<ScriptWord> read_greek(std::string_view word) {
  if (!has_letter(word, greek_letter)) return {};
  std::string ungegn = ascii_letters(transliterate(word, "Greek-Latin/UNGEGN; Latin-ASCII; Lower"));
  std::string classical = ascii_letters(transliterate(word, "Greek-Latin; Latin-ASCII; Lower"));
  if (ungegn.empty()) return {};
  return {with_variants(std::string(word), {ungegn, classical},
                        {{"mp", "b"},
                         {"mp", "mb"},
                         {"nt", "d"},
                         {"nt", "nd"},
                         {"gk", "g"},
                         {"gg", "ng"},
                         {"ou", "u"},
                         {"ch", "h"},
                         {"ch", "kh"},
                         {"y", "i"},
                         {"oi", "i"},
                         {"ei", "i"},
                         {"ai", "e"}},
                        "Greek")};
}

}  // namespace clearance::text
