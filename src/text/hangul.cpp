#include "clearance/text/hangul.hpp"

#include <algorithm>

#include "clearance/common/utf8.hpp"

namespace clearance::text {

std::vector<HangulSyllable> read_hangul(std::string_view word, const TextTables::Hangul& table) {
  std::vector<HangulSyllable> out;
  if (table.initials.size() != 19 || table.vowels.size() != 21 || table.finals.size() != 28) return out;
  std::vector<char32_t> cps;
  for (char32_t c : utf8::code_points(word))
    if (hangul_syllable(c)) cps.push_back(c);
  for (size_t k = 0; k < cps.size(); ++k) {
    std::uint32_t s = cps[k] - 0xAC00;
    const auto& ini = table.initials[s / (21 * 28)];
    const auto& vow = table.vowels[s / 28 % 21];
    const auto& fin = table.finals[s % 28];
    HangulSyllable h;
    utf8::append(h.written, cps[k]);
    h.text = ini[0] + vow[0] + fin[0];
    auto add = [&](std::string sp) {
      if (!sp.empty() && h.spellings.size() < kMaxHangulSpellings &&
          std::find(h.spellings.begin(), h.spellings.end(), sp) == h.spellings.end())
        h.spellings.push_back(std::move(sp));
    };
    add(h.text);
    // A surname starts a name word: its families' spellings first (a name written as one word has
    // its surname first; one of one syllable may be the surname in either order).
    if (k == 0 && cps.size() <= 4)
      if (auto it = table.surnames.find(h.written); it != table.surnames.end())
        for (const auto& sp : it->second) add(sp);
    for (const auto& i : ini)
      for (const auto& v : vow)
        for (const auto& f : fin) add(i + v + f);
    if (!h.text.empty()) out.push_back(std::move(h));
  }
  return out;
}

}  // namespace clearance::text
