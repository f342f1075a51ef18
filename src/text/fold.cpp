#include "clearance/text/fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include "text/translit.hpp"

namespace clearance {

std::string_view to_string(Script s) {
  switch (s) {
    case Script::kLatin:
      return "latin";
    case Script::kHan:
      return "han";
    case Script::kCyrillic:
      return "cyrillic";
    case Script::kArabic:
      return "arabic";
    case Script::kGreek:
      return "greek";
    case Script::kHangul:
      return "hangul";
    case Script::kKana:
      return "kana";
    case Script::kOther:
      return "other";
    case Script::kMixed:
      return "mixed";
  }
  return "other";
}

}  // namespace clearance

namespace clearance::text {
namespace {

// Format characters (Unicode category Cf: soft hyphen, zero-width space and joiners, bidi marks,
// BOM) are invisible and must not split or hide a word: removed first. Han stays Han: Chinese gets
// its own phrase-table-driven path in text/zh.
icu::Transliterator* to_ascii_translit() {
  thread_local icu::Transliterator* t =
      thread_transliterator("NFKC; [:Cf:] Remove; [^[:Han:]] Any-Latin; Latin-ASCII; Lower");
  return t;
}

// The same, leaving Arabic, Hebrew and Cyrillic letters for text/romanize (lower-cased), Hangul
// for text/hangul, kana and Greek for text/readings, Thai for text/thai and Burmese for text/burmese
// (their digits are left to Any-Latin, which writes them as ASCII digits: ๑๒๓ 123).
icu::Transliterator* to_ascii_keeping_romanized() {
  // The scripts the readers take, as a set (their digits are not in it).
  static const std::string scripts =
      "[:Arabic:][:Hebrew:][:Cyrillic:][:Hangul:][:Hiragana:][:Katakana:][:Greek:]"
      "[[:Thai:][:Myanmar:]-[:Nd:]]\\u30FC";
  static const std::string id =
      "NFKC; [:Cf:] Remove; [^[:Han:]" + scripts + "] Any-Latin; [^" + scripts + "] Latin-ASCII; Lower";
  thread_local icu::Transliterator* t = thread_transliterator(id.c_str());
  return t;
}

std::string fold_with(std::string_view utf8, icu::Transliterator* t) {
  if (is_ascii(utf8)) {
    std::string out(utf8);
    for (auto& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
  }
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (t) t->transliterate(u);
  u.foldCase();
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string fold(std::string_view utf8) { return fold_with(utf8, to_ascii_translit()); }

std::string fold_name(std::string_view utf8) { return fold_with(utf8, to_ascii_keeping_romanized()); }

std::string nfkc_casefold(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString n = nfkc_cf->normalize(u, status);
  std::string out;
  (U_FAILURE(status) ? u : n).toUTF8String(out);
  return out;
}

Script detect_script(std::string_view utf8) {
  int counts[9] = {0};
  int total = 0;
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isalpha(c)) continue;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &st);
    Script s;
    switch (sc) {
      case USCRIPT_LATIN:
        s = Script::kLatin;
        break;
      case USCRIPT_HAN:
        s = Script::kHan;
        break;
      case USCRIPT_CYRILLIC:
        s = Script::kCyrillic;
        break;
      case USCRIPT_ARABIC:
        s = Script::kArabic;
        break;
      case USCRIPT_GREEK:
        s = Script::kGreek;
        break;
      case USCRIPT_HANGUL:
        s = Script::kHangul;
        break;
      case USCRIPT_HIRAGANA:
      case USCRIPT_KATAKANA:
        s = Script::kKana;
        break;
      default:
        s = Script::kOther;
    }
    counts[static_cast<int>(s)]++;
    total++;
  }
  if (total == 0) return Script::kLatin;
  int best = 0, second = 0;
  for (int i = 0; i < 9; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  for (int i = 0; i < 9; ++i)
    if (i != best && counts[i] > second) second = counts[i];
  // Japanese names mix kana and Han: call them kana.
  if (counts[static_cast<int>(Script::kKana)] > 0 && best == static_cast<int>(Script::kHan))
    return Script::kKana;
  if (second * 4 > total) return Script::kMixed;
  return static_cast<Script>(best);
}

}  // namespace clearance::text
