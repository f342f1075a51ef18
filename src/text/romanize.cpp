#include "clearance/text/romanize.hpp"

#include <algorithm>
#include <span>

#include "clearance/common/utf8.hpp"

namespace clearance::text {
namespace {

bool arabic(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}
bool hebrew(char32_t c) { return (c >= 0x0590 && c <= 0x05FF) || (c >= 0xFB1D && c <= 0xFB4F); }
bool cyrillic(char32_t c) { return c >= 0x0400 && c <= 0x052F; }

// A letter and what it becomes.
struct Spelling {
  char32_t letter;
  const char* latin;
};
template <size_t N>
const char* spell(const Spelling (&table)[N], char32_t c) {
  for (const auto& s : table)
    if (s.letter == c) return s.latin;
  return "";
}

// Skeleton classes shared by both sides of a family: B T D J K S F H L M N R (abjad) and
// B V F G D Z S C K L M N P R T (Slavic). Appends a class unless it repeats the last one
// (doubled letters and gemination are one consonant).
void push(std::string& key, char cls) {
  if (cls && (key.empty() || key.back() != cls)) key += cls;
}

// --- Arabic script -----------------------------------------------------------------------------

// A letter's skeleton classes: "" for letters romanisations write as vowels or leave out (alif,
// waw, ya, ayn, hamza, ta marbuta), two classes where systems differ (ث th or s; ج j or
// Egyptian g; ذ ض ظ d/dh or z; خ kh, or ch in German and Dutch spellings: Barich, Chalid).
const char* abjad_classes(char32_t c) {
  static constexpr Spelling kClasses[] = {
      {U'ب', "B"},  {U'پ', "B"}, {U'ت', "T"}, {U'ط', "T"},  {U'ٹ', "T"},  {U'ټ', "T"},  {U'ث', "TS"},
      {U'ج', "JK"}, {U'چ', "S"}, {U'ز', "S"}, {U'س', "S"},  {U'ص', "S"},  {U'ش', "S"},  {U'ښ', "S"},
      {U'خ', "KS"}, {U'غ', "K"}, {U'ق', "K"}, {U'ك', "K"},  {U'ک', "K"},  {U'گ', "K"},  {U'ګ', "K"},
      {U'د', "D"},  {U'ڈ', "D"}, {U'ډ', "D"}, {U'ذ', "DS"}, {U'ض', "DS"}, {U'ظ', "SD"}, {U'ر', "R"},
      {U'ڑ', "R"},  {U'ړ', "R"}, {U'ژ', "J"}, {U'ږ', "J"},  {U'ځ', "SJ"}, {U'ف', "F"},  {U'ح', "H"},
      {U'ه', "H"},  {U'ہ', "H"}, {U'ھ', "H"}, {U'ل', "L"},  {U'م', "M"},  {U'ن', "N"},  {U'ں', "N"},
      {U'ڼ', "N"}};
  return spell(kClasses, c);
}

// The long vowel a letter writes, which the Latin spelling must show between the same
// consonants: 'a' (alif, alif maqsura), 'u' (waw), 'i' (ya); 0 for consonants and for letters
// written with any vowel or none (hamza seats, ayn).
char abjad_gap(char32_t c, bool first) {
  switch (c) {
    case U'ا':
    case U'آ':
    case U'ٱ':
      return first ? 'e' : 'a';
    // A word that starts with alif, hamza or ayin (Hebrew alef, ayin) starts with a vowel in
    // Latin: Ahmad, Omar, Emma; one that starts with a consonant does not.
    case U'أ':
    case U'إ':
    case U'ع':
    case U'א':
    case U'ע':
      return first ? 'e' : 0;
    case U'ى':  // alif maqsura: Musa, Mustafa; Persian and Pashto write final ya with it (حقانى)
      return first ? 0 : 'e';
    case U'و':
      return 'u';
    case U'ي':
    case U'ی':
    case U'ے':
    case U'ې':
    case U'ۍ':
      return 'i';
    case U'ו':
      return 'u';
    case U'י':
      return 'i';
    default:
      return 0;
  }
}

// The primary spelling of an Arabic-script letter; `first` and `last` say where it stands.
std::string arabic_latin(char32_t c, bool first, char32_t prev) {
  static constexpr Spelling kLetters[] = {
      {U'ا', "a"},  {U'أ', "a"},  {U'آ', "a"},  {U'ٱ', "a"},  {U'إ', "i"},  {U'ى', "a"}, {U'ة', "a"},
      {U'ۃ', "a"},  {U'ب', "b"},  {U'پ', "p"},  {U'ت', "t"},  {U'ط', "t"},  {U'ٹ', "t"}, {U'ټ', "t"},
      {U'ث', "th"}, {U'ج', "j"},  {U'چ', "ch"}, {U'ح', "h"},  {U'ه', "h"},  {U'ہ', "h"}, {U'ھ', "h"},
      {U'خ', "kh"}, {U'د', "d"},  {U'ڈ', "d"},  {U'ډ', "d"},  {U'ذ', "dh"}, {U'ر', "r"}, {U'ڑ', "r"},
      {U'ړ', "r"},  {U'ز', "z"},  {U'ژ', "zh"}, {U'ږ', "zh"}, {U'ځ', "dz"}, {U'س', "s"}, {U'ص', "s"},
      {U'ش', "sh"}, {U'ښ', "sh"}, {U'ض', "d"},  {U'ظ', "z"},  {U'غ', "gh"}, {U'ف', "f"}, {U'ق', "q"},
      {U'ك', "k"},  {U'ک', "k"},  {U'ګ', "k"},  {U'گ', "g"},  {U'ل', "l"},  {U'م', "m"}, {U'ن', "n"},
      {U'ں', "n"},  {U'ڼ', "n"}};
  if (c == U'ع') return first ? "a" : "";
  if (c == U'و') return first || prev == U'ا' ? "w" : "u";
  if (c == U'ي' || c == U'ی' || c == U'ے' || c == U'ې' || c == U'ۍ') return first || prev == U'ا' ? "y" : "i";
  return spell(kLetters, c);  // hamza seats and marks: nothing
}

// --- Hebrew --------------------------------------------------------------------------------------

const char* hebrew_classes(char32_t c) {
  // ב is b or v (dropped, as Latin v is); ח kh, ch or h; כ k or ch; פ f or p; ת t or s (Ashkenazi).
  static constexpr Spelling kClasses[] = {
      {U'ב', "B-"}, {U'ג', "K"},  {U'ק', "K"},  {U'ד', "D"}, {U'ה', "H-"},  {U'ז', "S"},
      {U'ס', "S"},  {U'צ', "S"},  {U'ץ', "S"},  {U'ש', "S"}, {U'ח', "KSH"}, {U'ט', "T"},
      {U'כ', "KS"}, {U'ך', "KS"}, {U'ל', "L"},  {U'מ', "M"}, {U'ם', "M"},   {U'נ', "N"},
      {U'ן', "N"},  {U'פ', "FB"}, {U'ף', "FB"}, {U'ר', "R"}, {U'ת', "TS"}};
  return spell(kClasses, c);  // א ה ו י ע and points: no class
}

std::string hebrew_latin(char32_t c) {
  static constexpr Spelling kLetters[] = {
      {U'א', "a"}, {U'ע', "a"},  {U'ב', "b"},  {U'ג', "g"},  {U'ד', "d"}, {U'ה', "h"}, {U'ו', "o"},
      {U'ז', "z"}, {U'ח', "ch"}, {U'ט', "t"},  {U'ת', "t"},  {U'י', "i"}, {U'כ', "k"}, {U'ך', "k"},
      {U'ק', "k"}, {U'ל', "l"},  {U'מ', "m"},  {U'ם', "m"},  {U'נ', "n"}, {U'ן', "n"}, {U'ס', "s"},
      {U'פ', "p"}, {U'ף', "p"},  {U'צ', "tz"}, {U'ץ', "tz"}, {U'ר', "r"}, {U'ש', "sh"}};
  return spell(kLetters, c);
}

// Keys of a letter sequence whose letters each offer one or more classes ('-': none) and may
// write a long vowel: at most kMaxKeys patterns, the first options first. A pattern is the key's
// classes with the long vowels after each in lower case ("HSiN" for حسين); loose_key_of() takes
// the key back out.
constexpr size_t kMaxKeys = 8;
struct Letter {
  const char* classes;
  char gap;
  bool again = false;  // the same letter as the one before: two consonants (Hebrew עודד Oded)
};
std::vector<std::string> expand_keys(const std::vector<Letter>& letters, bool short_word = false) {
  std::vector<std::string> pats{""};
  for (const auto& l : letters) {
    if (l.gap) {
      for (auto& p : pats)
        if (p.empty() || p.back() != l.gap) p += l.gap;
      continue;
    }
    if (!*l.classes) continue;
    std::vector<std::string> next;
    for (auto& p : pats)
      for (const char* o = l.classes; *o && next.size() < kMaxKeys; ++o) {
        std::string p2 = p;
        if (*o != '-' && l.again && !p2.empty() && p2.back() == *o)
          p2 += *o;  // not gemination: Hebrew writes the vowel between two equal letters unwritten
        else if (*o != '-')
          push(p2, *o);
        if (std::find(next.begin(), next.end(), p2) == next.end()) next.push_back(std::move(p2));
      }
    pats = std::move(next);
  }
  std::vector<std::string> out;
  for (auto& p : pats)
    if (size_t n = loose_key_of(p).size(); n >= kMinLooseKey || (short_word && n == 1))
      out.push_back(std::move(p));
  return out;
}

// --- Cyrillic ------------------------------------------------------------------------------------

// BGN/PCGN-style spelling, the one the US lists mostly use (Dmitriy, Yevgeniy, Aleksandr).
// Ukrainian letters switch г to h and и to y.
std::string cyrillic_latin(const std::vector<char32_t>& w) {
  bool ukrainian = false;
  for (char32_t c : w) ukrainian |= c == U'і' || c == U'ї' || c == U'є' || c == U'ґ';
  std::string out;
  auto vowel = [](char32_t c) {
    return std::u32string_view(U"аеёиоуыэюяіїєьъ").find(c) != std::u32string_view::npos;
  };
  // The letters whose spelling does not depend on their neighbours.
  static constexpr Spelling kLetters[] = {
      {U'а', "a"}, {U'б', "b"}, {U'в', "v"},  {U'ґ', "g"},  {U'д', "d"},  {U'є', "ye"}, {U'ж', "zh"},
      {U'з', "z"}, {U'і', "i"}, {U'ї', "yi"}, {U'й', "y"},  {U'к', "k"},  {U'л', "l"},  {U'м', "m"},
      {U'н', "n"}, {U'о', "o"}, {U'п', "p"},  {U'р', "r"},  {U'с', "s"},  {U'т', "t"},  {U'у', "u"},
      {U'ў', "w"}, {U'ф', "f"}, {U'х', "kh"}, {U'ц', "ts"}, {U'ч', "ch"}, {U'ш', "sh"}, {U'щ', "shch"},
      {U'ы', "y"}, {U'э', "e"}, {U'ю', "yu"}, {U'я', "ya"}};
  for (size_t i = 0; i < w.size(); ++i) {
    char32_t c = w[i];
    bool after_vowel = i == 0 || vowel(w[i - 1]);
    if (c == U'е')
      out += after_vowel ? "ye" : "e";
    else if (c == U'ё')
      out += after_vowel ? "yo" : "e";
    else if (c == U'г')
      out += ukrainian ? "h" : "g";
    else if (c == U'и')
      out += ukrainian ? "y" : "i";
    else
      out += spell(kLetters, c);  // ъ ь and anything else: nothing
  }
  return out;
}

// Words that name-forming compounds are made of, written as the lists write them: الله is
// "allah" (Abdullah, Saifullah), عبد "abd" (Abd al-Qadir, Abdelkader), بن "bin" (Ben, Ibn).
struct Fixed {
  std::u32string_view letters;
  const char* latin;
};
constexpr Fixed kFixedWords[] = {{U"الله", "allah"}, {U"لله", "allah"}, {U"اله", "allah"}, {U"عبد", "abd"},
                                 {U"بن", "bin"},     {U"ابن", "ibn"},   {U"بنت", "bint"},  {U"ولد", "ould"},
                                 {U"ابو", "abu"},    {U"أبو", "abu"},   {U"ام", "umm"},    {U"أم", "umm"}};

const char* fixed_word(std::u32string_view w) {
  for (const auto& f : kFixedWords)
    if (f.letters == w) return f.latin;
  return nullptr;
}

bool article_at(const std::vector<char32_t>& l, size_t i) {
  return i + 1 < l.size() && (l[i] == U'ا' || l[i] == U'ٱ') && l[i + 1] == U'ل';
}

// One Arabic-script word read into Latin words: the article is a word of its own, as the lists
// write it (الزهراني -> al zahrani), and so are the parts of the compounds the lists split
// (عبدالحليم -> abd al halim, خيرالله -> khayr allah, صلاح‌الدين -> salah al din).
void arabic_words(const std::vector<char32_t>& letters, std::vector<RomanWord>& out) {
  std::u32string_view all(letters.data(), letters.size());
  if (const char* f = fixed_word(all)) {
    out.push_back({f, LooseFamily::kAbjad, {}, "Arabic"});
    return;
  }
  // عبد followed by the article or by الله: two words.
  if (all.size() > 4 && all.substr(0, 3) == U"عبد" && (article_at(letters, 3) || fixed_word(all.substr(3)))) {
    out.push_back({"abd", LooseFamily::kAbjad, {}, "Arabic"});
    arabic_words(std::vector<char32_t>(letters.begin() + 3, letters.end()), out);
    return;
  }
  // A word ending in الله or الدين: the stem, then the ending.
  for (std::u32string_view end :
       {std::u32string_view(U"الله"), std::u32string_view(U"الدين"), std::u32string_view(U"الدین")})
    if (all.size() >= end.size() + 2 && all.substr(all.size() - end.size()) == end) {
      std::vector<char32_t> stem(letters.begin(), letters.end() - static_cast<std::ptrdiff_t>(end.size()));
      arabic_words(stem, out);
      if (end.size() == 4)
        out.push_back({"allah", LooseFamily::kAbjad, {}, "Arabic"});
      else
        arabic_words(
            std::vector<char32_t>(letters.end() - static_cast<std::ptrdiff_t>(end.size()), letters.end()),
            out);
      return;
    }
  size_t begin = 0;
  if (letters.size() > 3 && article_at(letters, 0)) {
    out.push_back({"al", LooseFamily::kAbjad, {}, "Arabic"});
    begin = 2;
  }
  RomanWord w;
  w.family = LooseFamily::kAbjad;
  w.script = "Arabic";
  std::vector<Letter> seq;
  for (size_t i = begin; i < letters.size(); ++i) {
    w.text += arabic_latin(letters[i], i == begin, i > begin ? letters[i - 1] : 0);
    bool last = i + 1 == letters.size();
    char32_t c = letters[i];
    // A final h (ه ح) is often the feminine ending, left out or written -a, -ah, -eh, or a
    // consonant (Taha, Fattah): with and without its class. Inside a word, ه ہ ھ after a
    // consonant mark the aspiration Latin writes in the consonant before it or not at all
    // (چوہدری Chaudhry, Chowdhury).
    if (last && i > begin && (c == U'ه' || c == U'ح' || c == U'ہ'))
      seq.push_back({"-H", 0});
    else if (!last && i > begin && (c == U'ه' || c == U'ہ' || c == U'ھ'))
      seq.push_back({"H-", 0});
    else
      seq.push_back({abjad_classes(c), abjad_gap(c, i == begin)});
  }
  w.keys = expand_keys(seq, letters.size() - begin <= 4);
  if (!w.text.empty()) out.push_back(std::move(w));
}

}  // namespace

bool romanized_script(char32_t c) { return arabic(c) || hebrew(c) || cyrillic(c); }

namespace {

// Letter groups read as one consonant, longest first, and the class of each single letter a–z
// ('.': no class, kept in the pattern as a vowel would be).
struct Digraph {
  std::string_view letters;
  char cls;
};
constexpr Digraph kAbjadDigraphs[] = {{"sch", 'S'}, {"sh", 'S'}, {"ch", 'S'}, {"ts", 'S'},
                                      {"tz", 'S'},  {"kh", 'K'}, {"gh", 'K'}, {"th", 'T'},
                                      {"dh", 'D'},  {"ph", 'F'}, {"dj", 'J'}, {"zh", 'J'}};
constexpr std::string_view kAbjadLetters = ".BKD.FKH.JKLMN.BKRST...S.S";  // a..z; c, h and x below
// BGN/PCGN, ISO 9 without diacritics, passport (ICAO), French and German spellings. The
// sibilants are one class: the systems spell ж ш щ ч ц з с with the same letters in different
// roles (ch is ч in English, ш in French, х in German; sch is ш in German, щ in passports).
constexpr Digraph kSlavicDigraphs[] = {{"shch", 'S'}, {"tsch", 'S'}, {"sch", 'S'}, {"tch", 'S'}, {"ch", 'S'},
                                       {"ts", 'S'},   {"tz", 'S'},   {"sh", 'S'},  {"zh", 'S'},  {"kh", 'K'}};
constexpr std::string_view kSlavicLetters = ".BSD.FGG..KLMN.PKRST.VVS.S";

}  // namespace

std::string loose_pattern(std::string_view s, LooseFamily family, bool soft_c) {
  std::string key;  // the pattern: classes, and after each the letters left out of the key
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
  bool abjad = family == LooseFamily::kAbjad;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c < 'a' || c > 'z') return {};  // digits: not a name word
    bool matched = false;
    for (const auto& d :
         abjad ? std::span<const Digraph>(kAbjadDigraphs) : std::span<const Digraph>(kSlavicDigraphs))
      if (s.substr(i, d.letters.size()) == d.letters) {
        push(key, d.cls);
        i += d.letters.size();
        matched = true;
        break;
      }
    if (matched) continue;
    char cls = (abjad ? kAbjadLetters : kSlavicLetters)[static_cast<size_t>(c - 'a')];
    if (c == 'x') {
      push(key, 'K');
      cls = 'S';
    } else if (abjad && c == 'c') {
      char n = i + 1 < s.size() ? s[i + 1] : '\0';
      cls = soft_c || n == 'e' || n == 'i' || n == 'y' ? 'S' : 'K';
    } else if (abjad && c == 'h' && i + 1 == s.size() && i > 0 && vowel(s[i - 1])) {
      cls = '.';  // -ah, -eh: an ending, often left out
    }
    if (cls == '.') {
      if (key.empty() || key.back() != c) key += c;  // vowels (and w, y, j): kept for the vowel check
    } else {
      push(key, cls);
    }
    ++i;
  }
  return key;
}

std::string loose_key_of(std::string_view pattern) {
  std::string k;
  for (char c : pattern)
    if (c >= 'A' && c <= 'Z') k += c;
  return k;
}

std::string loose_key(std::string_view latin, LooseFamily family, bool soft_c) {
  std::string k = loose_key_of(loose_pattern(latin, family, soft_c));
  return k.size() >= kMinLooseKey || (k.size() == 1 && latin.size() <= kMaxShortLoose) ? k : std::string();
}

namespace {

// The vowel classes a gap of a Slavic pattern shows: 1 a/o, 2 e/i/y/j, 4 u.
int slavic_vowels(std::string_view gap) {
  int m = 0;
  for (char c : gap)
    m |= c == 'a' || c == 'o' ? 1 : (c == 'u' ? 4 : (c == 'e' || c == 'i' || c == 'y' || c == 'j' ? 2 : 0));
  return m;
}

// Cyrillic writes every vowel: each vowel the script writes between two consonants shows in the
// Latin with a vowel of the same kind (щириця is not Syrus, nor Coresco); the Latin may add one
// where the script writes none (Alexander for Александр).
bool slavic_vowels_agree(std::string_view script, std::string_view latin) {
  size_t i = 0, j = 0;
  while (true) {
    size_t i2 = i, j2 = j;
    while (i2 < script.size() && !(script[i2] >= 'A' && script[i2] <= 'Z')) ++i2;
    while (j2 < latin.size() && !(latin[j2] >= 'A' && latin[j2] <= 'Z')) ++j2;
    int sv = slavic_vowels(script.substr(i, i2 - i)), lv = slavic_vowels(latin.substr(j, j2 - j));
    if (sv && !(sv & lv)) return false;
    if (i2 >= script.size() || j2 >= latin.size()) return (i2 >= script.size()) == (j2 >= latin.size());
    i = i2 + 1;
    j = j2 + 1;
  }
}

}  // namespace

bool loose_vowels_agree(std::string_view script, std::string_view latin, LooseFamily family) {
  if (family == LooseFamily::kSlavic) return slavic_vowels_agree(script, latin);
  // Walk both patterns gap by gap (the keys are equal, so the gaps correspond).
  size_t i = 0, j = 0;
  while (true) {
    std::string_view sg, lg;
    size_t i2 = i, j2 = j;
    while (i2 < script.size() && !(script[i2] >= 'A' && script[i2] <= 'Z')) ++i2;
    while (j2 < latin.size() && !(latin[j2] >= 'A' && latin[j2] <= 'Z')) ++j2;
    sg = script.substr(i, i2 - i);
    lg = latin.substr(j, j2 - j);
    for (char g : sg) {
      std::string_view want = g == 'a' ? "aeo" : (g == 'u' ? "ouwv" : (g == 'i' ? "iey" : "aeiouy"));
      if (lg.find_first_of(want) == std::string_view::npos) return false;
    }
    // A long vowel or diphthong spelt out in Latin (ou, oo, ee, aa, ai, au) where the script
    // writes none: Mahmoudi is not محمدی, Taha not Tai. Nor does a Latin word start with a vowel
    // where the script starts with a consonant (Amu is not מוה).
    if (sg.empty() && i == 0 && !lg.empty() && lg[0] != 'y' && lg[0] != 'w') return false;
    if (sg.empty())
      for (std::string_view lv : {"ou", "oo", "uu", "ee", "ii", "aa", "ai", "ay", "au", "aw", "ei", "ey"})
        if (lg.find(lv) != std::string_view::npos) return false;
    if (i2 >= script.size() || j2 >= latin.size()) {
      if ((i2 >= script.size()) != (j2 >= latin.size())) return false;
      // A Latin ending in -i or -y (the nisba: Muhammadi, Zahrani) needs the script's final ya.
      bool latin_i = !lg.empty() && (lg.back() == 'i' || lg.back() == 'y');
      return !latin_i || sg.find_first_of("ie") != std::string_view::npos;
    }
    i = i2 + 1;
    j = j2 + 1;
  }
}

std::vector<RomanWord> romanize_word(std::string_view word) {
  std::vector<char32_t> cps;
  for (char32_t c : utf8::code_points(word))
    if (romanized_script(c)) cps.push_back(c);
  std::vector<RomanWord> out;
  if (cps.empty()) return out;
  if (cyrillic(cps[0])) {
    RomanWord w;
    w.text = cyrillic_latin(cps);
    w.family = LooseFamily::kSlavic;
    w.script = "Cyrillic";
    // х is kh, h or the German ch; ж is zh or the French j: a key for each reading.
    auto add_key = [&](const std::string& latin) {
      if (loose_key(latin, LooseFamily::kSlavic).empty()) return;
      auto k = loose_pattern(latin, LooseFamily::kSlavic);
      if (std::find(w.keys.begin(), w.keys.end(), k) == w.keys.end()) w.keys.push_back(std::move(k));
    };
    // ё is also written o (Khrushchov, Chruschtschow).
    std::vector<std::string> readings{w.text};
    if (std::find(cps.begin(), cps.end(), U'ё') != cps.end()) {
      std::vector<char32_t> o = cps;
      std::replace(o.begin(), o.end(), U'ё', U'о');
      readings.push_back(cyrillic_latin(o));
    }
    for (const auto& r : readings) {
      add_key(r);
      auto replaced = [&](std::string_view from, std::string_view to) {
        std::string t = r;
        for (size_t p = t.find(from); p != std::string::npos; p = t.find(from, p + to.size()))
          t.replace(p, from.size(), to);
        return t;
      };
      if (r.find("kh") != std::string::npos) {
        add_key(replaced("kh", "ch"));
        add_key(replaced("kh", "h"));
      }
      if (r.find("zh") != std::string::npos) add_key(replaced("zh", "j"));
    }
    if (!w.text.empty()) out.push_back(std::move(w));
    return out;
  }
  if (hebrew(cps[0])) {
    RomanWord w;
    w.family = LooseFamily::kAbjad;
    w.script = "Hebrew";
    std::vector<Letter> letters;
    for (size_t i = 0; i < cps.size(); ++i) {
      w.text += hebrew_latin(cps[i]);
      letters.push_back({hebrew_classes(cps[i]), abjad_gap(cps[i], i == 0), i > 0 && cps[i] == cps[i - 1]});
    }
    w.keys = expand_keys(letters);
    if (!w.text.empty()) out.push_back(std::move(w));
    return out;
  }
  // Arabic script.
  std::vector<char32_t> letters;
  for (char32_t c : cps)
    if (!(c >= 0x064B && c <= 0x065F) && c != 0x0670 && c != 0x0640) letters.push_back(c);  // marks, tatweel
  arabic_words(letters, out);
  return out;
}

}  // namespace clearance::text
