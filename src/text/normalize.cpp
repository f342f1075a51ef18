#include "clearance/text/normalize.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "clearance/common/utf8.hpp"
#include "clearance/text/burmese.hpp"
#include "clearance/text/distance.hpp"
#include "clearance/text/fold.hpp"
#include "clearance/text/hangul.hpp"
#include "clearance/text/japanese.hpp"
#include "clearance/text/readings.hpp"
#include "clearance/text/thai.hpp"
#include "clearance/text/zh.hpp"

namespace clearance::text {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Han code points are 3-byte UTF-8 sequences E3 90 80–E9 BF BF (U+3400–U+9FFF) after folding;
// U+3000–U+33FF (CJK punctuation, kana) is not Han.
size_t han_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x90) return 3;
  if (c > 0xE3 && c <= 0xE9 && i + 2 < s.size()) return 3;
  if (c == 0xF0 && i + 3 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 4;  // ext. B
  return 0;
}

// Length of an Arabic-script, Hebrew, Cyrillic, Hangul, kana, Greek, Thai or Burmese code point at
// s[i] (kept by fold_name for text/romanize, text/hangul, text/readings, text/thai and
// text/burmese), or 0.
size_t romanized_len(std::string_view s, size_t i) {
  if (static_cast<unsigned char>(s[i]) < 0x80) return 0;
  size_t j = i;
  char32_t c = utf8::next(s, j);
  bool read = romanized_script(c) || hangul_syllable(c) || kana_letter(c) || greek_letter(c) ||
              thai_letter(c) || burmese_letter(c);
  return read ? j - i : 0;
}

bool has_digit(std::string_view s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// "7th", "2nd", "21st" -> the number, so that 第七研究所 (7) meets "7th Research Institute".
std::string ordinal_number(const std::string& w) {
  if (w.size() >= 3 && w[w.size() - 3] >= '0' && w[w.size() - 3] <= '9') {
    std::string suffix = w.substr(w.size() - 2);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
      bool digits = true;
      for (size_t k = 0; k + 2 < w.size(); ++k) digits &= w[k] >= '0' && w[k] <= '9';
      if (digits) return w.substr(0, w.size() - 2);
    }
  }
  return w;
}

// The legal-form word a misspelt word stands for ("copany" -> "company"), or empty.
std::string correct_legal_word(const std::string& w, const TextTables& tables) {
  if (w.size() < kMinFuzzyLegalLength || static_cast<unsigned char>(w[0]) >= 0x80 ||
      tables.legal_words.count(w))
    return {};
  // Cheap gate: a legal word of about this length with about these letters must exist.
  int k = legal_word_edits(w.size());
  std::uint32_t m = 0;
  for (unsigned char c : w) m |= c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << 26;
  bool possible = false;
  for (size_t len = w.size() > static_cast<size_t>(k) ? w.size() - k : 0; len <= w.size() + k && !possible;
       ++len)
    if (len < tables.legal_masks_by_length.size())
      for (auto lm : tables.legal_masks_by_length[len])
        if (__builtin_popcount(lm ^ m) <= 2 * k) {
          possible = true;
          break;
        }
  if (!possible) return {};
  // The closest word; among equally close ones the most used (company, not the misspelling
  // "comany" that the table also lists).
  std::string best;
  int best_d = 3, best_uses = 0;
  thread_local std::vector<std::uint64_t> hashes;
  hashes.clear();
  for_each_deletion_hash(w, legal_word_edits(w.size()), [&](std::uint64_t h) { hashes.push_back(h); });
  tables.legal_word_typos.for_each_batch(hashes.data(), hashes.size(), [&](std::uint32_t id) {
    const std::string& form = tables.legal_word_list[id];
    if (form == best) return;
    int k = legal_word_edits(std::min(form.size(), w.size()));
    int d = k > 0 ? osa_distance(w, form, k) : k + 1;
    int uses = tables.legal_words.at(form);
    if (d <= k && (d < best_d || (d == best_d && (uses > best_uses || (uses == best_uses && form < best))))) {
      best_d = d;
      best_uses = uses;
      best = form;
    }
  });
  return best;
}

}  // namespace

namespace {

// raw_tokens, and which of its words are initials joined ("j.-c." -> jc): `initials` gets a flag
// per word when given.
std::vector<std::string> raw_tokens(std::string_view s, std::vector<bool>* initials) {
  std::vector<std::string> out;
  std::string cur;
  int cur_han = 0;  // the current run: 0 Latin, 1 Han, 2 Arabic script, Hebrew or Cyrillic
  auto flush = [&] {
    if (cur.empty()) return;
    out.push_back(std::move(cur));
    cur.clear();
    cur_han = 0;
  };
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (is_alnum(c)) {
      if (cur_han) flush();
      cur += c;
      ++i;
      continue;
    }
    if (size_t n = han_len(s, i)) {
      if (cur_han != 1) flush();
      cur_han = 1;
      cur.append(s.substr(i, n));
      i += n;
      continue;
    }
    if (size_t n = romanized_len(s, i)) {
      if (cur_han != 2) flush();
      cur_han = 2;
      cur.append(s.substr(i, n));
      i += n;
      continue;
    }
    if (c == '\'' || c == '`') {
      ++i;
      continue;
    }  // apostrophes join: Sha'iri -> shairi
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0x98 || static_cast<unsigned char>(s[i + 2]) == 0x99)) {
      i += 3;  // ‘ ’
      continue;
    }
    if (c == '&') {
      flush();
      out.push_back("&");
      ++i;
      continue;
    }
    flush();
    ++i;
  }
  flush();
  // Join initialisms, dotted, spaced or with '&': "s.a." -> "sa", "k k" -> "kk", "g&m" -> "gm".
  // A '&' elsewhere is the word "and".
  auto letter = [&](size_t k) {
    return k < out.size() && out[k].size() == 1 && out[k][0] >= 'a' && out[k][0] <= 'z';
  };
  std::vector<std::string> joined;
  for (size_t i = 0; i < out.size();) {
    size_t j = i;
    std::string acc;
    while (letter(j)) {
      acc += out[j++];
      if (j + 1 < out.size() && out[j] == "&" && letter(j + 1)) ++j;
    }
    if (initials) initials->push_back(j - i >= 2);
    if (j - i >= 2) {
      joined.push_back(std::move(acc));
      i = j;
    } else {
      joined.push_back(out[i] == "&" ? std::string("and") : std::move(out[i]));
      ++i;
    }
  }
  return joined;
}

}  // namespace

std::vector<std::string> raw_tokens(std::string_view s) { return raw_tokens(s, nullptr); }

std::string stem(std::string_view t) {
  std::string s(t);
  if (s.size() >= 6 && s.compare(s.size() - 3, 3, "ies") == 0) {
    s.replace(s.size() - 3, 3, "y");
  } else if (s.size() >= 5 && s.back() == 's') {
    char p = s[s.size() - 2];
    if (p != 's' && p != 'u' && p != 'i') s.pop_back();
  }
  return s;
}

std::string phonetic_key(std::string_view t) {
  std::string k;
  if (t.empty()) return k;
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
  char first = t[0];
  k += vowel(first) ? 'a' : first;  // initial vowels vary too: Usama/Osama, Ibrahim/Ebrahim
  char last = k[0];
  for (size_t i = 1; i < t.size(); ++i) {
    char c = t[i];
    if (vowel(c)) {
      last = 0;
      continue;
    }
    if (c == 'h' && i > 0 && !vowel(t[i - 1]) && t[i - 1] != 'h') continue;  // kh/kh, sh/s: drop aspiration
    if (c == last) continue;
    k += c;
    last = c;
  }
  return k;
}

namespace {

struct Bridge {
  std::string text;  // empty for words written in Latin script
  bool place = false;
  LooseFamily loose = LooseFamily::kNone;
  std::vector<std::string> keys;
  std::vector<std::string> spellings;  // a syllable read from Hangul: its spellings
  bool other_spellings = false;        // Token::other_spellings
};

// Chinese runs become Latin words (zh.hpp); pinyin spellings of known phrases become their English
// words ("jishu" -> technology). Returns the words with where each came from.
bool kana_run(const std::string& r) {
  size_t j = 0;
  return !r.empty() && static_cast<unsigned char>(r[0]) >= 0x80 && kana_letter(utf8::next(r, j));
}

bool han_run(const std::string& r) { return !r.empty() && han_len(r, 0) > 0; }

bool has_han(const std::string& r) {
  for (size_t i = 0; i < r.size(); ++i)
    if (han_len(r, i)) return true;
  return false;
}

// A name with kana in it is Japanese: its kanji and kana written together are one run for MeCab
// (オウム真理教), not a kana word and a Chinese one.
void join_japanese_runs(std::vector<std::string>& raw) {
  if (std::none_of(raw.begin(), raw.end(), kana_run) || std::none_of(raw.begin(), raw.end(), han_run)) return;
  std::vector<std::string> out;
  for (auto& r : raw) {
    bool jp = kana_run(r) || han_run(r);
    if (jp && !out.empty() && (kana_run(out.back()) || han_run(out.back())))
      out.back() += r;
    else
      out.push_back(std::move(r));
  }
  raw = std::move(out);
}

// The Japanese words of a run of kanji (and kana) when it is read as Japanese (japanese.hpp): in a
// name with kana; in a person's name whose kanji, read together, are a Japanese surname and given
// name (japanese_person; 高山 清司 as well as 高山清司); in a company name with a Japanese legal form
// (株式会社); in an organisation's name that reads as Japanese (山口組, 稲川会). Empty otherwise: the
// run is read as Chinese.
std::vector<JapaneseWord> japanese_words(const std::string& r, bool person, bool name_has_kana,
                                         bool japanese_person, const TextTables& tables) {
  if (!tables.japanese || !has_han(r)) return {};
  auto words = tables.japanese->read(r);
  if (words.empty() || name_has_kana) return words;
  if (person) return japanese_person ? words : std::vector<JapaneseWord>{};
  for (auto& w : words)
    if (w.written == "株式会社" || w.written == "有限会社" || w.written == "合同会社") return words;
  if (JapaneseReader::looks_like_japanese_organisation(words)) return words;
  return {};
}

// The spellings of a word of a Chinese person's name given as its pinyin syllables: the pinyin,
// syllables joined, then every other joining of them as Wade-Giles or Cantonese may write each
// (TextTables::zh_spellings: yue e: yuee, yuehngor, yuetngor …), at most kMaxZhSpellings. Empty when
// no syllable is written otherwise.
constexpr size_t kMaxZhSpellings = 32;
std::vector<std::string> zh_syllable_spellings(const std::vector<std::string>& syllables,
                                               const TextTables& tables) {
  std::vector<std::string> out{""};
  bool other = false;
  for (const auto& py : syllables) {
    std::vector<std::string> forms{py};
    if (auto it = tables.zh_spellings.find(py); it != tables.zh_spellings.end()) {
      forms.insert(forms.end(), it->second.begin(), it->second.end());
      other = true;
    }
    std::vector<std::string> next;
    for (const auto& prefix : out)
      for (const auto& f : forms)
        if (next.size() < kMaxZhSpellings) next.push_back(prefix + f);
    out = std::move(next);
  }
  if (!other) out.clear();
  return out;
}

// The same for a word written in Han characters (simplified), read a character at a time.
std::vector<std::string> zh_name_spellings(const std::string& han, const TextTables& tables) {
  std::vector<std::string> syllables;
  for (size_t k = 0; k < han.size();) {
    size_t start = k;
    utf8::next(han, k);
    syllables.push_back(zh_pinyin(std::string_view(han).substr(start, k - start)));
  }
  return zh_syllable_spellings(syllables, tables);
}

// The pinyin syllables a Latin word is made of, the fewest (xian, not xi an; zedong: ze dong), or
// nothing when it is not pinyin.
std::vector<std::string> pinyin_syllables(const std::string& w, const TextTables& tables) {
  constexpr size_t kLongestSyllable = 6;  // zhuang
  const size_t n = w.size();
  if (n == 0 || n > 24) return {};
  std::vector<size_t> fewest(n + 1, SIZE_MAX), from(n + 1, 0);
  fewest[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    if (fewest[i] == SIZE_MAX) continue;
    for (size_t len = 1; len <= kLongestSyllable && i + len <= n; ++len)
      if (fewest[i] + 1 < fewest[i + len] && tables.pinyin_syllables.count(w.substr(i, len))) {
        fewest[i + len] = fewest[i] + 1;
        from[i + len] = i;
      }
  }
  if (fewest[n] == SIZE_MAX) return {};
  std::vector<std::string> out(fewest[n]);
  for (size_t end = n, k = out.size(); k-- > 0; end = from[end])
    out[k] = w.substr(from[end], end - from[end]);
  return out;
}

std::vector<std::string> bridge_scripts(std::vector<std::string> raw, bool person, const TextTables& tables,
                                        std::vector<Bridge>& bridges) {
  std::vector<std::string> out;
  bool has_kana = std::any_of(raw.begin(), raw.end(), kana_run);
  if (tables.japanese) join_japanese_runs(raw);
  bool japanese_person = false;
  if (person && tables.japanese && !has_kana) {
    std::string han;
    for (auto& r : raw)
      if (han_run(r)) han += r;
    japanese_person = !han.empty() && JapaneseReader::looks_like_japanese_person(tables.japanese->read(han));
  }
  // Latin words read as pinyin of known words ("Longxin Zhongke Jishu") only among other pinyin: one
  // word among words of another language is a word of that language (Ali is not the Tibetan
  // prefecture Ngari, nor Aman Oman).
  std::vector<size_t> pinyin_match(raw.size(), 0);  // the longest known phrase starting at each word
  size_t pinyin_single = 0;                         // words that are each a known word's pinyin
  bool pinyin_phrase = false;                       // a known phrase of several words in pinyin
  if (!person)
    for (size_t i = 0; i < raw.size(); ++i) {
      std::string key;
      for (size_t n = 1; n <= tables.pinyin_max_words && i + n <= raw.size(); ++n) {
        key += (n > 1 ? " " : "") + raw[i + n - 1];
        if (!tables.pinyin_phrases.count(key)) continue;
        pinyin_match[i] = n;
        pinyin_single += n == 1;
        pinyin_phrase |= n >= 2;
      }
    }
  bool read_pinyin = pinyin_phrase || pinyin_single >= 2;
  if (pinyin_single == 1 && !pinyin_phrase) {
    size_t pinyin = 0;  // words made of pinyin syllables ("Huawei Jishu Youxiangongsi")
    for (auto& w : raw) pinyin += !pinyin_syllables(w, tables).empty();
    read_pinyin = pinyin >= 2;
  }
  for (size_t i = 0; i < raw.size();) {
    const std::string& r = raw[i];
    if (auto jp = japanese_words(r, person, has_kana, japanese_person, tables); !jp.empty()) {
      for (auto& w : jp) {
        if (tables.legal_forms.count(w.written)) {  // 株式会社: the legal form, read as written
          out.push_back(w.written);
          bridges.push_back({});
          continue;
        }
        std::string text = w.spellings[0];
        bridges.push_back({w.written + " -> " + text + " (Japanese reading)",
                           false,
                           LooseFamily::kNone,
                           {},
                           std::move(w.spellings)});
        out.push_back(std::move(text));
      }
      ++i;
      continue;
    }
    if (size_t n = romanized_len(r, 0)) {
      char32_t c = utf8::code_points(r.substr(0, n))[0];
      auto bridge = [&](const std::string& written, std::string& text, const char* script,
                        std::vector<std::string>& spellings) {
        bridges.push_back({written + " -> " + text + " (" + script + ")",
                           false,
                           LooseFamily::kNone,
                           {},
                           std::move(spellings)});
        out.push_back(std::move(text));
      };
      if (hangul_syllable(c)) {
        for (auto& h : read_hangul(r, tables.hangul)) bridge(h.written, h.text, "Hangul", h.spellings);
        ++i;
        continue;
      }
      if (thai_letter(c)) {
        // Thai words are still compared by typo distance (names' spellings vary past the table's):
        // their other spellings count as a Chinese name word's do.
        for (auto& w : read_thai(r, tables.thai)) {
          bridge(w.written, w.text, w.script, w.spellings);
          bridges.back().other_spellings = true;
        }
        ++i;
        continue;
      }
      if (burmese_letter(c)) {  // a syllable a word, as Hangul
        for (auto& w : read_burmese(r, tables.burmese)) bridge(w.written, w.text, w.script, w.spellings);
        ++i;
        continue;
      }
      if (kana_letter(c) || greek_letter(c)) {
        for (auto& w : kana_letter(c) ? read_kana(r) : read_greek(r))
          bridge(w.written, w.text, w.script, w.spellings);
        ++i;
        continue;
      }
    }
    if (romanized_len(r, 0)) {
      for (auto& w : romanize_word(r)) {
        bridges.push_back({r + " -> " + w.text + " (" + w.script + ")", false, w.family, std::move(w.keys)});
        out.push_back(std::move(w.text));
      }
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(r[0]) >= 0x80) {
      std::vector<ZhWord> words;
      if (person) {
        // A Chinese person's name is read, not segmented: surname, then given name
        // ("李方伟" -> li fangwei); a name of four characters has a surname of two, compound
        // (欧阳) or a married woman's two (林鄭月娥: Lam Cheng, Yuet-ngor).
        std::string han = zh_simplify(r);
        std::vector<size_t> starts;  // of each character
        for (size_t k = 0; k < han.size(); ++k)
          if ((static_cast<unsigned char>(han[k]) & 0xC0) != 0x80) starts.push_back(k);
        if (starts.size() >= 2 && starts.size() <= 4) {
          size_t cut = starts[starts.size() == 4 ? 2 : 1];
          std::string surname = han.substr(0, cut), given = han.substr(cut);
          words = {{zh_pinyin(surname), surname, ZhWord::How::kPinyin},
                   {zh_pinyin(given), given, ZhWord::How::kPinyin}};
        } else {
          words = {{zh_pinyin(han), han, ZhWord::How::kPinyin}};
        }
      } else {
        words = zh_to_words(r, tables);
      }
      bool any = false;
      for (size_t k = 0; k < words.size(); ++k) {
        auto& w = words[k];
        if (w.word.empty()) continue;
        any = true;
        // The whole rendering of the piece this word comes from: 有限公司 -> co ltd.
        size_t b = k, e = k + 1;
        while (b > 0 && words[b - 1].source == w.source && words[b - 1].how == w.how) --b;
        while (e < words.size() && words[e].source == w.source && words[e].how == w.how) ++e;
        std::string rendering;
        for (size_t j = b; j < e; ++j) rendering += (j > b ? " " : "") + words[j].word;
        out.push_back(w.word);
        bridges.push_back(
            {w.source + " -> " + rendering + " (" + to_string(w.how) + ")", w.how == ZhWord::How::kPlace});
        // A person's name word meets a list name written in Wade-Giles or Cantonese too.
        if (person && w.how == ZhWord::How::kPinyin) {
          bridges.back().spellings = zh_name_spellings(w.source, tables);
          bridges.back().other_spellings = !bridges.back().spellings.empty();
        }
      }
      if (!any) {
        out.push_back(r);
        bridges.push_back({});
      }
      ++i;
      continue;
    }
    if (size_t matched = pinyin_match[i]; matched && read_pinyin) {
      std::string key;
      for (size_t n = 0; n < matched; ++n) key += (n ? " " : "") + raw[i + n];
      const ZhPhrase& ph = *tables.pinyin_phrases.at(key);
      std::string b = key + " ->";
      for (auto& w : ph.words) b += " " + w;
      b += " (pinyin of a known word)";
      for (auto& w : ph.words) {
        out.push_back(w);
        bridges.push_back({b, ph.kind == ZhPhrase::Kind::kPlace});
      }
      i += matched;
      continue;
    }
    out.push_back(r);
    bridges.push_back({});
    ++i;
  }
  return out;
}

// The parts of an Arabic name compound written as one word (name_parts.tsv): "abdelkader" ->
// abd al kader, "abdullah" -> abd allah, "jalaluddin" -> jalal al din; the word itself otherwise.
void name_parts(const std::string& w, const TextTables& t, bool words, std::vector<std::string>& out,
                int depth = 0) {
  if (auto it = t.name_words.find(w); words && it != t.name_words.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
    return;
  }
  if (depth < 2 && w.size() >= 6) {
    for (const auto& s : t.name_suffixes)
      if (w.size() >= s.form.size() + 3 && w.compare(w.size() - s.form.size(), s.form.size(), s.form) == 0) {
        name_parts(w.substr(0, w.size() - s.form.size()), t, words, out, depth + 1);
        out.insert(out.end(), s.parts.begin(), s.parts.end());
        return;
      }
    for (const auto& p : t.name_prefixes)
      if (w.size() >= p.form.size() + 3 && w.compare(0, p.form.size(), p.form) == 0) {
        out.insert(out.end(), p.parts.begin(), p.parts.end());
        name_parts(w.substr(p.form.size()), t, words, out, depth + 1);
        return;
      }
  }
  out.push_back(w);
}

// Splits the name compounds among words written in Latin script; the whole-word forms (el, ud:
// the article) only in names that may be people's (as is, "AS" is a Norwegian company).
// The first part keeps the compound as its written form (`written`), so that a typo in the
// compound ("Adul Samad") still meets it.
void split_name_parts(std::vector<std::string>& raw, std::vector<Bridge>& bridges, const TextTables& t,
                      bool whole_words, std::vector<std::string>& written) {
  written.assign(raw.size(), {});
  if (t.name_words.empty() && t.name_prefixes.empty() && t.name_suffixes.empty()) return;
  std::vector<std::string> words, as_written;
  std::vector<Bridge> how;
  std::vector<std::string> parts;
  for (size_t i = 0; i < raw.size(); ++i) {
    parts.clear();
    if (bridges[i].text.empty() && !raw[i].empty() && raw[i][0] >= 'a' && raw[i][0] <= 'z')
      name_parts(raw[i], t, whole_words, parts);
    if (parts.size() <= 1 && (parts.empty() || parts[0] == raw[i])) {
      words.push_back(std::move(raw[i]));
      how.push_back(std::move(bridges[i]));
      as_written.emplace_back();
      continue;
    }
    for (size_t k = 0; k < parts.size(); ++k) {
      as_written.push_back(k == 0 ? raw[i] : std::string());
      words.push_back(std::move(parts[k]));
      how.push_back({});
    }
  }
  raw = std::move(words);
  bridges = std::move(how);
  written = std::move(as_written);
}

// A person's word with digits in it: a number glued to the name is left out ("Igor1975" ->
// igor), and one or two digits standing for letters are read as those letters ("Ig0r" -> igor).
std::string person_word_digits(const std::string& w) {
  size_t letters = 0, digits = 0;
  for (char c : w) {
    letters += c >= 'a' && c <= 'z';
    digits += c >= '0' && c <= '9';
  }
  if (letters < 2 || digits == 0 || letters + digits != w.size()) return w;
  std::string s = w;
  auto run = [](const std::string& x, bool front) {
    size_t n = 0;
    while (n < x.size() && std::isdigit(static_cast<unsigned char>(front ? x[n] : x[x.size() - 1 - n]))) ++n;
    return n;
  };
  if (size_t n = run(s, true); n >= 2) s.erase(0, n);
  if (size_t n = run(s, false); n >= 2) s.erase(s.size() - n);
  static constexpr std::string_view kDigits = "013457", kLetters = "oieast";
  size_t left = 0;
  for (char c : s) left += c >= '0' && c <= '9';
  if (left > 2) return w;
  for (auto& c : s)
    if (auto k = kDigits.find(c); k != std::string_view::npos) c = kLetters[k];
  for (char c : s)
    if (c >= '0' && c <= '9') return w;
  return s;
}

// Habits of people's names, on both sides: nicknames read as the full name (Bob -> robert, kept
// as its written form), and, in names typed as a person's, digits in words (person_word_digits).
void person_habits(std::vector<std::string>& raw, const std::vector<Bridge>& bridges,
                   std::vector<std::string>& written, const TextTables& t, bool person) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!bridges[i].text.empty() || raw[i].empty() || static_cast<unsigned char>(raw[i][0]) >= 0x80) continue;
    if (person) {
      std::string d = person_word_digits(raw[i]);
      if (d != raw[i]) {
        if (written[i].empty()) written[i] = raw[i];
        raw[i] = std::move(d);
      }
    }
    if (auto it = t.nicknames.find(raw[i]); it != t.nicknames.end()) {
      if (written[i].empty()) written[i] = raw[i];
      raw[i] = it->second;
    }
  }
}

// A person's name written wholly in Chinese syllables spelt in Wade-Giles or Cantonese (Mao
// Tse-tung, Chiang Kai-shek, Wong Kam Sing) meets its pinyin: each syllable's spellings are itself
// and the pinyin syllables it may stand for (data/text/zh_romanisations.tsv), like a syllable read
// from Hangul, and two syllables meet a pinyin given name written as one (Tse-tung: Zedong). A
// name in pinyin only (Li Ming) or with any other word (John Lee) is left alone.
void chinese_romanisations(const std::vector<std::string>& raw, std::vector<Bridge>& bridges,
                           const TextTables& t) {
  if (raw.size() < 2) return;
  bool other = false;  // a syllable that is not already its pinyin
  for (size_t i = 0; i < raw.size(); ++i) {
    auto it = t.zh_romanisations.find(raw[i]);
    if (!bridges[i].text.empty() || it == t.zh_romanisations.end()) return;
    other |= it->second.size() > 1 || it->second[0] != raw[i];
  }
  if (!other) return;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::vector<std::string> spellings{raw[i]};
    std::string bridge = raw[i] + " ->";
    for (const auto& py : t.zh_romanisations.at(raw[i]))
      if (py != raw[i]) {
        spellings.push_back(py);
        bridge += " " + py;
      }
    if (spellings.size() > 1) bridges[i].text = bridge + " (Wade-Giles or Cantonese)";
    bridges[i].spellings = std::move(spellings);
  }
}

// A person's name written wholly in pinyin, two to four words of at most three syllables each
// (Mao Zedong, Zheng Ruohua), meets a list name in Wade-Giles or Cantonese (MAO, Tse-tung; CHENG,
// Yeuk Wah): each word carries its other spellings, as a Chinese word read in pinyin does. A name
// with any other word (John Lee) or already read otherwise is left alone.
void pinyin_other_spellings(const std::vector<std::string>& raw, std::vector<Bridge>& bridges,
                            const TextTables& t) {
  if (raw.size() < 2 || raw.size() > 4) return;
  std::vector<std::vector<std::string>> syllables;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!bridges[i].text.empty() || !bridges[i].spellings.empty()) return;
    auto s = pinyin_syllables(raw[i], t);
    if (s.empty() || s.size() > 3) return;
    syllables.push_back(std::move(s));
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    bridges[i].spellings = zh_syllable_spellings(syllables[i], t);
    bridges[i].other_spellings = !bridges[i].spellings.empty();
  }
}

// English number words read as the number they write, so that a name with the number in words
// meets it in digits ("Brigade Forty-Four" = "Brigade 44", "One Hundred Twenty" = 120): a run of
// them becomes one word, on both sides. Not in people's names.
void number_words(std::vector<std::string>& raw, std::vector<Bridge>& bridges,
                  std::vector<std::string>& written) {
  static const std::pair<std::string_view, int> kWords[] = {
      {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
      {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
      {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
      {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},
      {"seventy", 70}, {"eighty", 80},  {"ninety", 90},    {"hundred", 100}, {"thousand", 1000}};
  // Ordinal words end a run with the number they count (Forty-Fourth = 44th = 44).
  static const std::pair<std::string_view, int> kOrdinals[] = {
      {"first", 1},      {"second", 2},       {"third", 3},       {"fourth", 4},       {"fifth", 5},
      {"sixth", 6},      {"seventh", 7},      {"eighth", 8},      {"ninth", 9},        {"tenth", 10},
      {"eleventh", 11},  {"twelfth", 12},     {"thirteenth", 13}, {"fourteenth", 14},  {"fifteenth", 15},
      {"sixteenth", 16}, {"seventeenth", 17}, {"eighteenth", 18}, {"nineteenth", 19},  {"twentieth", 20},
      {"thirtieth", 30}, {"fortieth", 40},    {"fiftieth", 50},   {"sixtieth", 60},    {"seventieth", 70},
      {"eightieth", 80}, {"ninetieth", 90},   {"hundredth", 100}, {"thousandth", 1000}};
  auto in = [](const auto& table, const std::string& w) {
    for (auto& [word, v] : table)
      if (w == word) return v;
    return -1;
  };
  auto value = [&](const std::string& w) { return in(kWords, w); };
  auto ordinal = [&](const std::string& w) { return in(kOrdinals, w); };
  std::vector<std::string> words, as_written;
  std::vector<Bridge> how;
  for (size_t i = 0; i < raw.size();) {
    long total = 0, current = 0;
    size_t j = i;
    std::string joined;
    for (int v; j < raw.size() && bridges[j].text.empty(); ++j) {
      // An ordinal word ends the run; alone, "first" or "second" is a word ("First Bank").
      bool last = (v = value(raw[j])) < 0;
      if (last && ((v = ordinal(raw[j])) < 0 || (j == i && v < 10))) break;
      if (v == 100)
        current = std::max(current, 1L) * 100;
      else if (v == 1000) {
        total += std::max(current, 1L) * 1000;
        current = 0;
      } else
        current += v;
      joined += raw[j];
      if (last) {
        ++j;
        break;
      }
    }
    if (j == i) {
      words.push_back(std::move(raw[i]));
      how.push_back(std::move(bridges[i]));
      as_written.push_back(std::move(written[i]));
      ++i;
      continue;
    }
    words.push_back(std::to_string(total + current));
    how.push_back({});
    as_written.push_back(std::move(joined));
    i = j;
  }
  raw = std::move(words);
  bridges = std::move(how);
  written = std::move(as_written);
}

// A legal form glued to the word before it ("CyberinnPTE Ltd", "DONCOALTRADESP Z O O"): the
// word's last two to four letters are split off when, with the words after it, they make a legal
// phrase that ends the name (Lizenopen Joint Stock Co), and four letters are left; letters that are
// a legal form of their own only when the phrase says more than the words after it (pte ltd, not
// ltd): Tobacco Limited is not "tobac co limited", nor Thailand Co "thail and co".
void split_glued_legal_form(std::vector<std::string>& raw, std::vector<Bridge>& bridges,
                            std::vector<std::string>& written, const TextTables& tables) {
  std::string rest;
  for (size_t i = raw.size() - 1; i-- > 0;) {
    rest = raw[i + 1] + (rest.empty() ? "" : " ") + rest;
    const std::string& w = raw[i];
    if (!bridges[i].text.empty() || tables.legal_words.count(w)) continue;
    const std::string* rest_class = tables.legal_class(rest);
    for (size_t n = 2; n <= 4 && n + 4 <= w.size(); ++n) {
      std::string glued = w.substr(w.size() - n);
      if (!tables.legal_starts.count(glued) || tables.stop_words.count(glued)) continue;
      std::string phrase = glued + " " + rest;
      const std::string* cls = tables.legal_class(phrase);
      // Letters that are a legal form of their own (co, as, cia) ending a word are most often the
      // word's own: only a phrase as listed, of another class than the words after it, counts.
      if (tables.legal_class(glued)) {
        if (!cls || (rest_class && *rest_class == *cls)) continue;
      } else if (!cls) {
        cls = tables.legal_class_by_class_words(tables.legal_class_words(phrase));
        if (!cls) continue;
      }
      raw[i].resize(raw[i].size() - n);
      raw.insert(raw.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(glued));
      bridges.insert(bridges.begin() + static_cast<std::ptrdiff_t>(i) + 1, Bridge{});
      written.insert(written.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::string());
      return;
    }
  }
}

// Stop words that are also names or name syllables of people: in a person's name they are words
// (KIM Il Sung: 일 Il; 인 In; 恩 En), not the Italian, English or French function word.
bool given_name_stop_word(std::string_view w) { return w == "il" || w == "in" || w == "en"; }

}  // namespace

std::vector<Token> tokenize_name(std::string_view name, PartyType type, const TextTables& tables) {
  std::string folded = fold_name(name);
  bool person = type == PartyType::kPerson;
  std::vector<Bridge> bridges;
  std::vector<bool> initials;
  std::vector<std::string> words = raw_tokens(folded, &initials);
  if (person) {
    // A person's initials written together are initials of as many names (J.-C. Juncker: Jean
    // Claude), not one word.
    std::vector<std::string> split;
    for (size_t i = 0; i < words.size(); ++i) {
      if (!initials[i]) {
        split.push_back(std::move(words[i]));
        continue;
      }
      for (char c : words[i]) split.emplace_back(1, c);
    }
    words = std::move(split);
  }
  std::vector<std::string> raw = bridge_scripts(std::move(words), person, tables, bridges);
  std::vector<std::string> written;
  split_name_parts(raw, bridges, tables, type != PartyType::kEntity, written);
  // Nicknames on every name, whatever its type: lists type some people as entities, and both sides
  // must read a name the same way.
  person_habits(raw, bridges, written, tables, person);
  if (!person) number_words(raw, bridges, written);
  if (!person && raw.size() >= 2) split_glued_legal_form(raw, bridges, written, tables);
  if (person) chinese_romanisations(raw, bridges, tables);
  if (person) pinyin_other_spellings(raw, bridges, tables);
  std::vector<Token> out;
  out.reserve(raw.size());
  // Spelling corrections towards legal-form words; used only inside a legal phrase.
  std::vector<std::string> fixed(raw.size());
  if (!person)
    for (size_t i = 0; i < raw.size(); ++i) fixed[i] = correct_legal_word(raw[i], tables);
  // Each word's legal class when it is a legal form by itself ("ltd": "~ltd"), for phrases read
  // by class words.
  std::vector<std::string> word_class(raw.size());
  if (!person)
    for (size_t i = 0; i < raw.size(); ++i)
      if (const std::string* c = tables.legal_class(raw[i])) word_class[i] = "~" + *c;
  // Where the beginning of a legal phrase ends the name, its legal form left out ("… Sanayi ve
  // Ticaret"): legal_tail, its words Token::legal_tail. Where the ending of a legal phrase ends it
  // ("… de R.L. de C.V."): legal_end, read as the legal form unless a whole phrase takes those
  // words first.
  size_t legal_tail = raw.size(), legal_end = raw.size();
  const std::string* legal_end_class = nullptr;
  if (!person) {
    std::string tail;
    for (size_t i = raw.size(); i-- > 1;) {
      tail = raw[i] + (tail.empty() ? "" : " ") + tail;
      if (raw.size() - i < 2) continue;
      if (tables.legal_phrase_starts.count(tail)) legal_tail = i;
      if (auto e = tables.legal_phrase_ends.find(tail); e != tables.legal_phrase_ends.end()) {
        legal_end = i;
        legal_end_class = &e->second;
      }
    }
  }
  size_t distinctive_left = 0;  // words that are not legal-form words, not yet consumed
  for (auto& w : raw) distinctive_left += tables.legal_words.count(w) == 0;
  for (size_t i = 0; i < raw.size();) {
    if (i == legal_end) {
      std::string joined;
      for (size_t k = i; k < raw.size(); ++k) joined += raw[k];
      out.push_back({"~" + *legal_end_class, std::move(joined), TokenKind::kLegal, bridges[i].text});
      break;
    }
    // Legal forms: longest phrase first (not for people).
    // Every legal phrase starts with a legal word: elsewhere there is nothing to look up.
    bool hangul = !bridges[i].spellings.empty() && !bridges[i].other_spellings;  // a name's syllable
    if (!person && !hangul && (tables.legal_starts.count(raw[i]) || !fixed[i].empty())) {
      size_t max_n = std::min(tables.legal_form_max_tokens, raw.size() - i);
      bool found = false;
      for (size_t n = max_n; n >= 1 && !found; --n) {
        std::string phrase, corrected, by_class;
        bool any_fixed = false, any_exact = false;
        size_t n_fixed = 0;
        for (size_t k = 0; k < n; ++k) {
          const std::string& w = raw[i + k];
          const std::string& c = fixed[i + k].empty() ? w : fixed[i + k];
          phrase += (k ? " " : "") + w;
          corrected += (k ? " " : "") + c;
          by_class += (k ? " " : "") + (word_class[i + k].empty() ? w : word_class[i + k]);
          any_fixed |= !fixed[i + k].empty();
          n_fixed += !fixed[i + k].empty();
          any_exact |= fixed[i + k].empty() && tables.legal_words.count(w) > 0;
        }
        const std::string* cls = tables.legal_class(phrase);
        if (!cls && n >= 2) cls = tables.legal_class_by_class_words(by_class);
        if (!cls && any_fixed) {
          // A misspelt phrase counts when a correctly spelt legal word vouches for it, or when
          // it ends the name; and never when it would leave the name without a distinctive word.
          bool at_end = true;  // only legal words follow
          for (size_t k = i + n; k < raw.size() && at_end; ++k) at_end = tables.legal_words.count(raw[k]) > 0;
          // At the start only long words are trusted ("Coarporacion …", but not Golding -> Holding).
          bool at_start = i == 0 && raw[0].size() >= 8;
          if ((n >= 2 && any_exact) || at_end || at_start) cls = tables.legal_class(corrected);
          if (cls && distinctive_left <= n_fixed) cls = nullptr;
        }
        if (!cls) continue;
        // Two-letter forms (AO, SA, AG, Co …) count as legal forms only at either end of a name;
        // inside it they are more often initials or words.
        if (n == 1 && phrase.size() <= 2 && i != 0 && i + 1 != raw.size()) continue;
        std::string joined;
        for (size_t k = 0; k < n; ++k) joined += raw[i + k];
        out.push_back({"~" + *cls, std::move(joined), TokenKind::kLegal, bridges[i].text});
        for (size_t k = 0; k < n; ++k) distinctive_left -= tables.legal_words.count(raw[i + k]) == 0;
        i += n;
        found = true;
      }
      if (found) continue;
    }
    const std::string& r = raw[i];
    Token t;
    t.raw = written[i].empty() ? r : written[i];
    t.bridge = bridges[i].text;
    t.loose = bridges[i].loose;
    t.loose_keys = bridges[i].keys;
    if (hangul) {
      t.text = r;
      t.spellings = std::move(bridges[i].spellings);
      out.push_back(std::move(t));
      ++i;
      continue;
    }
    // Titles, of one word or several ("Al Haj", "His Excellency"), when a name is left.
    size_t title = 0;
    if (person) {
      std::string phrase;
      for (size_t n = 1; n <= tables.title_max_words && i + n <= raw.size() && n < raw.size(); ++n) {
        phrase += (n > 1 ? " " : "") + raw[i + n - 1];
        if (tables.titles.count(phrase)) title = n;
      }
    }
    if (title) {
      i += title;
      continue;
    }
    if (static_cast<unsigned char>(r[0]) >= 0x80) {
      t.text = r;
      t.kind = TokenKind::kHan;
    } else if (has_digit(r)) {
      t.text = ordinal_number(r);
      t.kind = TokenKind::kNumber;
    } else {
      auto ab = tables.abbreviations.find(r);
      std::string base = ab == tables.abbreviations.end() ? r : ab->second;
      if (!person)
        if (auto f = tables.generic_forms.find(base); f != tables.generic_forms.end()) base = f->second;
      // Plurals fold only for generic words (Technologies, Systems); names keep their letters
      // (Rojas, Boris).
      std::string stemmed = stem(base);
      if (tables.stop_words.count(base) && !(person && given_name_stop_word(base)))
        t.kind = TokenKind::kStop;
      else if (tables.generic_words.count(base) || tables.generic_words.count(stemmed)) {
        t.kind = TokenKind::kGeneric;
        base = stemmed;
      }
      t.text = std::move(base);
      if (bridges[i].place && t.kind == TokenKind::kWord) t.kind = TokenKind::kPlace;
      t.legal_tail = i >= legal_tail;
    }
    if (bridges[i].other_spellings) {
      t.spellings = std::move(bridges[i].spellings);
      t.other_spellings = true;
    }
    out.push_back(std::move(t));
    ++i;
  }
  return out;
}

bool long_pinyin_word(const std::string& word, const TextTables& tables) {
  return word.size() >= 8 && pinyin_syllables(word, tables).size() >= 2;
}

}  // namespace clearance::text
