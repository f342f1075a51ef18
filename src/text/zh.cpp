#include "clearance/text/zh.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "clearance/common/utf8.hpp"
#include "clearance/text/tables.hpp"
#include "text/translit.hpp"

namespace clearance::text {
namespace {

std::string apply(icu::Transliterator* t, std::string_view s) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (t) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

ZhWord::How how_of(ZhPhrase::Kind k) {
  switch (k) {
    case ZhPhrase::Kind::kPlace:
      return ZhWord::How::kPlace;
    case ZhPhrase::Kind::kLegal:
      return ZhWord::How::kLegal;
    case ZhPhrase::Kind::kName:
      return ZhWord::How::kName;
    default:
      return ZhWord::How::kIndustry;
  }
}

}  // namespace

const char* to_string(ZhWord::How how) {
  switch (how) {
    case ZhWord::How::kPinyin:
      return "pinyin";
    case ZhWord::How::kPlace:
      return "place name";
    case ZhWord::How::kIndustry:
      return "translated word";
    case ZhWord::How::kLegal:
      return "legal form";
    case ZhWord::How::kPinyinPhrase:
      return "pinyin of a known word";
    case ZhWord::How::kName:
      return "pinyin of a listed name";
  }
  return "pinyin";
}

std::string zh_simplify(std::string_view han) {
  thread_local icu::Transliterator* t = thread_transliterator("Traditional-Simplified");
  return apply(t, han);
}

std::string zh_pinyin(std::string_view han) {
  thread_local icu::Transliterator* t = thread_transliterator("Han-Latin; Latin-ASCII; Lower");
  std::string latin = apply(t, han), out;
  for (char c : latin)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  return out;
}

namespace {

int numeral_value(std::string_view ch) {
  static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  for (int d = 0; d < 10; ++d)
    if (ch == kDigits[d]) return d;
  if (ch == "〇") return 0;
  if (ch == "两") return 2;
  if (ch == "十") return -10;
  if (ch == "百") return -100;
  if (ch == "千") return -1000;
  return -1;
}

// A run of Chinese numerals as an arabic number: 三十二 -> 32, 一百零八 -> 108, 七二五 -> 725 (read
// digit by digit when there is no unit). Empty when the run is not a number.
std::string numeral_number(const std::vector<std::string_view>& chars) {
  bool units = false;
  for (auto c : chars) units |= numeral_value(c) <= -10;
  long value = 0;
  if (!units) {
    for (auto c : chars) value = value * 10 + numeral_value(c);
    return std::to_string(value);
  }
  long section = 0, digit = -1;
  for (auto c : chars) {
    int v = numeral_value(c);
    if (v >= 0) {
      digit = v;
    } else {
      section += (digit < 0 ? 1 : digit) * -v;
      digit = -1;
    }
  }
  if (digit > 0) section += digit;
  return std::to_string(value + section);
}

}  // namespace

std::vector<ZhWord> zh_to_words(std::string_view han_in, const TextTables& tables) {
  std::string han = zh_simplify(han_in);
  auto at = utf8::starts(han);
  size_t n = at.size() - 1;
  auto ch = [&](size_t i) { return std::string_view(han).substr(at[i], at[i + 1] - at[i]); };
  auto phrase_at = [&](size_t i, size_t len) -> const ZhPhrase* {
    auto it = tables.zh_phrases.find(han.substr(at[i], at[i + len] - at[i]));
    return it == tables.zh_phrases.end() ? nullptr : &it->second;
  };
  // Vocabulary phrases (not names) of two characters or more: a listed entity's short name may not
  // cut through one (复旦微电 must not take the 微电 of 微电子).
  std::vector<std::pair<size_t, size_t>> protect;
  for (size_t i = 0; i < n; ++i)
    for (size_t len = 2; len <= tables.zh_max_chars && i + len <= n; ++len)
      if (auto* p = phrase_at(i, len); p && p->kind != ZhPhrase::Kind::kName)
        protect.emplace_back(i, i + len);
  auto cuts_through = [&](size_t b, size_t e) {
    for (auto [pb, pe] : protect)
      if ((pb < b && b < pe && pe < e) || (b < pb && pb < e && e < pe)) return true;
    return false;
  };
  // Segmentation by dynamic programming over pieces: a known phrase costs 1; a run of unknown
  // characters (a distinctive name, read in pinyin) costs 100 plus twice its length; a number
  // (第三十二) costs 1. best[i] is the cost of the first i characters.
  struct Step {
    int cost = 1 << 30;
    size_t from = 0;
    const ZhPhrase* phrase = nullptr;
    bool number = false;
  };
  std::vector<Step> best(n + 1);
  best[0].cost = 0;
  auto relax = [&](size_t i, size_t j, int cost, const ZhPhrase* p, bool number) {
    if (best[i].cost + cost < best[j].cost) best[j] = {best[i].cost + cost, i, p, number};
  };
  for (size_t i = 0; i < n; ++i) {
    if (best[i].cost == (1 << 30)) continue;
    for (size_t j = i + 1; j <= n; ++j) relax(i, j, 100 + 2 * static_cast<int>(j - i), nullptr, false);
    for (size_t len = 1; len <= tables.zh_max_chars && i + len <= n; ++len) {
      auto* p = phrase_at(i, len);
      if (!p || (p->kind == ZhPhrase::Kind::kName && cuts_through(i, i + len))) continue;
      relax(i, i + len, 1, p, false);
    }
    size_t j = i + (ch(i) == "第" ? 1 : 0), k = j;
    while (k < n && numeral_value(ch(k)) != -1) ++k;
    if (k > j) relax(i, k, 1, nullptr, true);
  }
  struct Piece {
    size_t begin, end;
    const ZhPhrase* phrase;
    bool number;
  };
  std::vector<Piece> pieces;
  for (size_t i = n; i > 0; i = best[i].from)
    pieces.push_back({best[i].from, i, best[i].phrase, best[i].number});
  std::vector<ZhWord> out;
  for (size_t k = pieces.size(); k-- > 0;) {
    const auto& p = pieces[k];
    std::string source = han.substr(at[p.begin], at[p.end] - at[p.begin]);
    if (p.number) {
      std::vector<std::string_view> digits;
      for (size_t i = p.begin; i < p.end; ++i)
        if (ch(i) != "第") digits.push_back(ch(i));
      out.push_back({numeral_number(digits), source, ZhWord::How::kIndustry});
    } else if (p.phrase) {
      for (auto& w : p.phrase->words) out.push_back({w, source, how_of(p.phrase->kind)});
    } else {
      out.push_back({zh_pinyin(source), source, ZhWord::How::kPinyin});
    }
  }
  return out;
}

}  // namespace clearance::text
