#include "clearance/text/thai.hpp"

#include <algorithm>
#include <tuple>

#include "clearance/common/utf8.hpp"

namespace clearance::text {
namespace {

constexpr char32_t kSaraA = 0x0E30, kMaiHanAkat = 0x0E31, kSaraAa = 0x0E32, kSaraAm = 0x0E33, kSaraI = 0x0E34,
                   kSaraIi = 0x0E35, kSaraUe = 0x0E37, kSaraU = 0x0E38, kLakkhangyao = 0x0E45,
                   kNikhahit = 0x0E4D, kThanthakhat = 0x0E4C;
constexpr char32_t kORo = 0x0E2D, kWoWaen = 0x0E27, kYoYak = 0x0E22, kRoRuea = 0x0E23, kRue = 0x0E24,
                   kLue = 0x0E26, kSaraE = 0x0E40, kSaraAiMaimuan = 0x0E43, kSaraAiMaimalai = 0x0E44;

bool consonant(char32_t c) { return c >= 0x0E01 && c <= 0x0E2E && c != kRue && c != kLue; }
bool leading_vowel(char32_t c) { return c >= 0x0E40 && c <= 0x0E44; }
// Vowel signs written above or below the consonant (ั ิ ี ึ ื ุ ู ็), and after it (ะ า ำ ๅ).
bool above_below(char32_t c) { return c == kMaiHanAkat || (c >= kSaraI && c <= 0x0E39) || c == 0x0E47; }
bool following(char32_t c) { return c == kSaraA || c == kSaraAa || c == kSaraAm || c == kLakkhangyao; }
bool vowel_sign(char32_t c) { return above_below(c) || following(c); }

// The word's Thai letters without what no romanisation writes: tone marks, the repetition and
// abbreviation signs, digits, and letters made silent by ์ (with a vowel written on them: ดิ์; and
// a ท, ต or ด before a silent ร: จันทร์). ํา (how NFKC writes ำ) is ำ again.
std::u32string clean(std::string_view word, bool* silent_end = nullptr) {
  std::u32string s;
  if (silent_end) *silent_end = false;
  for (char32_t c : utf8::code_points(word)) {
    if (!thai_letter(c)) continue;
    if (c == kSaraAa && !s.empty() && s.back() == kNikhahit) {
      s.back() = kSaraAm;
      continue;
    }
    if (c == kNikhahit) {  // kept until the letter after it is seen
      s += c;
      continue;
    }
    if (c == kThanthakhat) {
      while (!s.empty() && above_below(s.back())) s.pop_back();
      if (s.empty()) continue;
      bool ro = s.back() == kRoRuea;
      s.pop_back();
      if (ro && s.size() >= 2 && (s.back() == 0x0E17 || s.back() == 0x0E15 || s.back() == 0x0E14) &&
          consonant(s[s.size() - 2]))
        s.pop_back();
      if (silent_end) *silent_end = true;
      continue;
    }
    if (consonant(c) || leading_vowel(c) || vowel_sign(c) || c == kRue || c == kLue) {
      s += c;
      if (silent_end) *silent_end = false;
    }
  }
  s.erase(std::remove(s.begin(), s.end(), kNikhahit), s.end());
  return s;
}

// One spelling of a part of the word, and how far it is from the RTGS and the usual spelling.
struct Alt {
  std::string text;
  int from_rtgs, from_usual;
};
using Part = std::vector<Alt>;

Part part_of(const TextTables::ThaiSpellings& sp, const std::string& suffix = "", int extra = 0) {
  Part p;
  for (size_t i = 0; i < sp.forms.size(); ++i)
    p.push_back({sp.forms[i] + suffix, extra + (i != 0), extra + (i != sp.usual)});
  return p;
}

// The word's parts, syllable by syllable (the header explains the reading).
std::vector<Part> parts_of(const std::u32string& s, bool silent_end, const TextTables::Thai& t,
                           bool open_runs) {
  std::vector<Part> parts;
  bool closed_before = false;  // the syllable before ended in a final
  const size_t n = s.size();
  auto sign = [&](size_t k) { return k < n && vowel_sign(s[k]); };
  auto cons = [&](size_t k) { return k < n && consonant(s[k]); };
  auto cluster = [&](size_t k) -> const TextTables::ThaiSpellings* {  // s[k], s[k+1]
    if (!cons(k) || !cons(k + 1)) return nullptr;
    auto it = t.clusters.find(std::u32string{s[k], s[k + 1]});
    return it == t.clusters.end() ? nullptr : &it->second;
  };
  // Whether the bare consonant at k starts a syllable (a vowel sign or -อ follows it, or it starts
  // a cluster that one follows) rather than ending the one before.
  auto starts_syllable = [&](size_t k) {
    return sign(k + 1) || (k + 1 < n && s[k + 1] == kORo && !sign(k + 2)) ||
           (cluster(k) && (sign(k + 2) || (k + 2 < n && s[k + 2] == kORo)));
  };
  for (size_t i = 0; i < n;) {
    char32_t lead = leading_vowel(s[i]) ? s[i++] : 0;
    if (i >= n) break;
    std::u32string pattern;
    if (lead) pattern += lead;
    pattern += U'-';
    if (s[i] == kRue || s[i] == kLue) {  // ฤ ฤๅ ฦ: a syllable of their own
      parts.push_back(s[i] == kRue ? Part{{"rue", 0, 1}, {"ri", 1, 0}, {"roe", 1, 1}} : Part{{"lue", 0, 0}});
      closed_before = false;
      ++i;
      if (i < n && s[i] == kLakkhangyao) ++i;
      continue;
    }
    if (!consonant(s[i])) {  // a vowel sign with no consonant: nothing to read
      ++i;
      continue;
    }
    // The initial: a cluster when a vowel follows it (or a leading vowel came first).
    const TextTables::ThaiSpellings* initial = nullptr;
    if (const auto* c = cluster(i); c && (lead || sign(i + 2) || (i + 2 < n && s[i + 2] == kORo))) {
      initial = c;
      i += 2;
    } else {
      auto it = t.initials.find(s[i]);
      if (it == t.initials.end()) {
        ++i;
        continue;
      }
      initial = &it->second;
      ++i;
    }
    parts.push_back(part_of(*initial));
    // The vowel: the signs around the consonant, and the letters that complete a pattern.
    while (i < n && above_below(s[i])) pattern += s[i++];
    auto take = [&](char32_t c) {
      if (i < n && s[i] == c) {
        pattern += s[i++];
        return true;
      }
      return false;
    };
    if (i < n && following(s[i])) {
      pattern += s[i++];
      if (lead == kSaraE && pattern.back() == kSaraAa) take(kSaraA);  // เ-าะ
    } else if (lead == kSaraE && pattern.back() == kSaraIi && take(kYoYak)) {
      take(kSaraA);  // เ-ีย เ-ียะ
    } else if (pattern.back() == kSaraUe && take(kORo)) {
      if (lead) take(kSaraA);  // -ือ เ-ือ เ-ือะ
    } else if (pattern.back() == kMaiHanAkat && take(kWoWaen)) {
      take(kSaraA);  // -ัว -ัวะ
    } else if ((pattern == U"-" || pattern == U"เ-" || pattern == U"-็") && i < n && s[i] == kORo &&
               !sign(i + 1)) {
      pattern += s[i++];  // -อ เ-อ -็อ
    } else if (pattern == U"-" && i + 1 < n && s[i] == kRoRuea && s[i + 1] == kRoRuea) {
      pattern += s[i++];
      pattern += s[i++];  // -รร
    } else if (pattern == U"-" && i < n && s[i] == kWoWaen && cons(i + 1) && !starts_syllable(i + 1)) {
      pattern += s[i++];  // -ว- (ua) before a final
    }
    const TextTables::ThaiSpellings* vowel = nullptr;
    bool bare = pattern == U"-";
    if (!bare) {
      auto it = t.vowels.find(pattern);
      if (it == t.vowels.end()) {  // a pattern the table lacks: the shortening sign is dropped
        std::u32string shorter = pattern;
        shorter.erase(std::remove(shorter.begin(), shorter.end(), char32_t{0x0E47}), shorter.end());
        it = t.vowels.find(shorter);
      }
      vowel = it == t.vowels.end() ? &t.open : &it->second;
    }
    // Vowels that end a syllable: no final follows them (ไทย: the ย is silent).
    bool open_only = pattern.back() == kSaraA || pattern.back() == kSaraAm || lead == kSaraAiMaimuan ||
                     lead == kSaraAiMaimalai || (lead == kSaraE && pattern.back() == kSaraAa);
    if ((lead == kSaraAiMaimuan || lead == kSaraAiMaimalai) && i < n && s[i] == kYoYak && !starts_syllable(i))
      ++i;
    bool final = !open_only && cons(i) && !starts_syllable(i);
    // The bare consonants from i on, up to the next syllable with a vowel of its own.
    size_t run = 0;
    while (cons(i + run) && !starts_syllable(i + run)) ++run;
    // A ร after a final is silent after a short vowel (เพชร phet, ชินวัตร chinwat, มิตร mit), but
    // -พร and a ร after a long vowel are a syllable of their own (ศิริพร si-ri-phon, ภาพร pha-phon).
    bool short_vowel =
        pattern.find_first_of(U"\u0E31\u0E34\u0E38\u0E36") != std::u32string::npos || pattern == U"เ-";
    bool silent_ro = final && run == 2 && s[i + 1] == kRoRuea && s[i] != 0x0E1E && short_vowel;
    if (final && !bare && run == 2 && s[i + 1] == kRoRuea && !silent_ro) final = false;
    // Three bare consonants: the first open, the next two a closed syllable (ถนน tha-non).
    if (bare && final && cons(i + 1) && !starts_syllable(i + 1) &&
        (i + 2 >= n || leading_vowel(s[i + 2]) || starts_syllable(i + 2)))
      final = false;
    // The other reading: a vowel that may end a syllable does, when two bare consonants or more
    // follow (วิมล wi-mon, ภูมิพล phu-mi-phon; the first reading gives wim-la, as in กระดุม kra-dum).
    if (open_runs && final && !bare && !silent_ro && run >= 2 && pattern.back() != kMaiHanAkat &&
        pattern.back() != 0x0E47)
      final = false;
    // A bare consonant left at the end by a silent letter after a final is silent too (ลักษณ์ lak).
    if (bare && !final && i == n && silent_end && !parts.empty() && closed_before) {
      parts.pop_back();
      continue;
    }
    closed_before = final;
    if (bare) vowel = final ? &t.closed : &t.open;
    parts.push_back(part_of(*vowel));
    if (!final) continue;
    char32_t f = s[i++];
    auto fit = t.finals.find(f);
    if (fit == t.finals.end()) continue;
    Part fin = part_of(fit->second);
    if (silent_ro) ++i;
    // The final read as the start of a syllable of its own with an a (พิชยศ phi-cha-yot).
    if (i < n)
      if (auto iit = t.initials.find(f); iit != t.initials.end())
        for (auto& a : part_of(iit->second, "a", 1)) fin.push_back(a);
    parts.push_back(std::move(fin));
  }
  return parts;
}

}  // namespace

std::vector<ScriptWord> read_thai(std::string_view word, const TextTables::Thai& table) {
  if (table.initials.empty()) return {};
  bool silent_end = false;
  std::u32string s = clean(word, &silent_end);
  // A title written before the name (นายสมชาย: Mr Somchai) is not part of it.
  for (const auto& title : table.titles)
    if (s.size() >= title.size() + 2 && s.compare(0, title.size(), title) == 0) {
      s.erase(0, title.size());
      break;
    }
  // The spellings nearest the RTGS or the usual one, part by part: a beam of the best so far, for
  // each of the two readings.
  constexpr size_t kBeam = 96;
  auto rank = [](const Alt& a) { return std::make_tuple(std::min(a.from_rtgs, a.from_usual), a.from_rtgs); };
  auto by_rank = [&](const Alt& x, const Alt& y) { return rank(x) < rank(y); };
  std::vector<Alt> all;
  for (bool open_runs : {false, true}) {
    std::vector<Alt> beam = {{"", 0, 0}}, next;
    for (const auto& p : parts_of(s, silent_end, table, open_runs)) {
      next.clear();
      for (const auto& b : beam)
        for (const auto& a : p)
          next.push_back({b.text + a.text, b.from_rtgs + a.from_rtgs, b.from_usual + a.from_usual});
      std::stable_sort(next.begin(), next.end(), by_rank);
      if (next.size() > kBeam) next.resize(kBeam);
      beam.swap(next);
    }
    all.insert(all.end(), beam.begin(), beam.end());
  }
  std::stable_sort(all.begin(), all.end(), by_rank);
  ScriptWord w;
  w.written = std::string(word);
  w.script = "Thai";
  for (auto& b : all)
    if (!b.text.empty() && w.spellings.size() < kMaxSpellings &&
        std::find(w.spellings.begin(), w.spellings.end(), b.text) == w.spellings.end())
      w.spellings.push_back(std::move(b.text));
  if (w.spellings.empty()) return {};
  w.text = w.spellings[0];
  return {std::move(w)};
}

}  // namespace clearance::text
