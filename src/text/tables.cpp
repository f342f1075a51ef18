#include "clearance/text/tables.hpp"

#include <algorithm>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/utf8.hpp"
#include "clearance/text/burmese.hpp"
#include "clearance/text/distance.hpp"
#include "clearance/text/fold.hpp"
#include "clearance/text/japanese.hpp"
#include "clearance/text/normalize.hpp"
#include "clearance/text/zh.hpp"

namespace clearance {
namespace {

// Calls fn(line_no, columns) for each data row of a TSV with '#' comments and one header row.
template <class Fn>
Status for_each_row(Env& env, const std::string& path, size_t min_cols, Fn fn) {
  auto data = read_file(env, path, 64 << 20);
  if (!data) return data.error();
  size_t line_no = 0;
  bool header = true;
  for (auto line : split(*data, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    auto cols = split(line, '\t');
    if (cols.size() < min_cols)
      return Error::BadInput(path + ":" + std::to_string(line_no) + ": expected " + std::to_string(min_cols) +
                             " tab-separated columns, found " + std::to_string(cols.size()));
    if (auto st = fn(line_no, cols); !st) return st;
  }
  return Status::Ok();
}

std::string phrase_key(std::string_view s) {
  auto toks = text::raw_tokens(text::fold(trim(s)));
  std::string out;
  for (auto& t : toks) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace

namespace {

std::vector<std::string> words_of(std::string_view s) { return split_trimmed(phrase_key(s), " "); }

bool all_digits_ascii(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// English words for a phrase row: the first rendering, or a plain number when one is offered
// (第七 -> 7, so that it meets "7th"); the pinyin when there is no English.
std::vector<std::string> rendering(std::string_view english, std::string_view pinyin) {
  auto alts = split_trimmed(english, "|");
  for (auto& a : alts)
    if (all_digits_ascii(trim(a))) return {std::string(trim(a))};
  if (!alts.empty()) {
    auto w = words_of(alts[0]);
    if (!w.empty()) return w;
  }
  return split_trimmed(pinyin, " ");
}

Status load_zh_phrases(Env& env, TextTables& t, const std::string& path, bool places) {
  return for_each_row(env, path, 3, [&](size_t line, auto& cols) -> Status {
    std::string zh = text::zh_simplify(trim(cols[0]));
    if (zh.empty()) return Status::Ok();
    ZhPhrase ph;
    auto kind = trim(cols.size() > 3 ? cols[3] : std::string_view());
    if (places)
      ph.kind = ZhPhrase::Kind::kPlace;
    else if (kind == "legal")
      ph.kind = ZhPhrase::Kind::kLegal;
    else if (kind == "industry")
      ph.kind = ZhPhrase::Kind::kIndustry;
    else if (kind == "org")
      ph.kind = ZhPhrase::Kind::kOrg;
    else if (kind == "generic")
      ph.kind = ZhPhrase::Kind::kGeneric;
    else
      return Error::BadInput(path + ":" + std::to_string(line) + ": kind: unknown '" + std::string(kind) +
                             "'");
    ph.pinyin = to_lower_ascii(trim(cols[1]));
    ph.words = rendering(cols[2], ph.pinyin);
    ph.chars = utf8::count(zh);
    t.zh_max_chars = std::max(t.zh_max_chars, ph.chars);
    t.zh_phrases.emplace(std::move(zh), std::move(ph));
    return Status::Ok();
  });
}

Status load_aliases(Env& env, TextTables& t, const std::string& path) {
  return for_each_row(env, path, 2, [&](size_t line, auto& cols) -> Status {
    NameAlias a{std::string(trim(cols[0])), std::string(trim(cols[1])),
                cols.size() > 2 ? std::string(trim(cols[2])) : std::string()};
    if (a.chinese.empty() || a.english.empty())
      return Error::BadInput(path + ":" + std::to_string(line) +
                             ": chinese/english: both names are required");
    if (find_invalid_utf8(a.chinese) != std::string::npos ||
        find_invalid_utf8(a.english) != std::string::npos)
      return Error::BadInput(path + ":" + std::to_string(line) + ": invalid UTF-8");
    t.aliases.push_back(std::move(a));
    return Status::Ok();
  });
}

// The letters of a Hangul syllable in the order Unicode composes them.
constexpr std::u32string_view kHangulInitials = U"ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
constexpr std::u32string_view kHangulVowels = U"ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
constexpr std::u32string_view kHangulFinals = U"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ";

Status load_hangul(Env& env, TextTables::Hangul& h, const std::string& path) {
  h.initials.assign(kHangulInitials.size(), {});
  h.vowels.assign(kHangulVowels.size(), {});
  h.finals.assign(kHangulFinals.size() + 1, {});
  h.finals[0] = {""};
  auto st = for_each_row(env, path, 3, [&](size_t line, auto& cols) -> Status {
    auto part = trim(cols[0]);
    std::string letter(trim(cols[1]));
    std::vector<std::string> spellings;
    for (auto w : split(trim(cols[2]), ' '))
      if (!w.empty()) spellings.push_back(w == "-" ? std::string() : std::string(w));
    auto bad = [&](const std::string& what) {
      return Error::BadInput(path + ":" + std::to_string(line) + ": " + what);
    };
    if (spellings.empty()) return bad("spellings: at least one is required");
    if (part == "surname") {
      h.surnames[letter] = std::move(spellings);
      return Status::Ok();
    }
    std::u32string_view order = part == "initial" ? kHangulInitials
                                : part == "vowel" ? kHangulVowels
                                : part == "final" ? kHangulFinals
                                                  : std::u32string_view();
    if (order.empty()) return bad("part: unknown '" + std::string(part) + "'");
    size_t i = 0;
    char32_t c = utf8::next(letter, i);
    size_t at = order.find(c);
    if (i != letter.size() || at == std::u32string_view::npos)
      return bad("letter: not a Hangul " + std::string(part) + " letter: '" + letter + "'");
    auto& slot = part == "initial" ? h.initials[at] : part == "vowel" ? h.vowels[at] : h.finals[at + 1];
    slot = std::move(spellings);
    return Status::Ok();
  });
  if (!st) return st;
  for (auto* v : {&h.initials, &h.vowels, &h.finals})
    for (auto& s : *v)
      if (s.empty()) return Error::BadInput(path + ": every Hangul letter needs its spellings");
  return Status::Ok();
}

// A spellings column of the script tables (thai.tsv, burmese.tsv): words of lower-case Latin letters,
// "-" for none, at least one. With `usual`, one word may end in "*" (not the first): its index is
// stored there (0 when none is marked). Fails with what is wrong.
Result<std::vector<std::string>> parse_spellings(std::string_view column, size_t* usual = nullptr) {
  std::vector<std::string> out;
  if (usual) *usual = 0;
  for (auto w : split(trim(column), ' ')) {
    if (w.empty()) continue;
    if (usual && w.back() == '*') {
      if (*usual != 0) return Error::BadInput("spellings: at most one is marked * (usual in names)");
      if (out.empty()) return Error::BadInput("spellings: the first spelling is RTGS; mark another one *");
      w.remove_suffix(1);
      *usual = out.size();
    }
    for (char c : w)
      if ((c < 'a' || c > 'z') && !(c == '-' && w.size() == 1))
        return Error::BadInput("spellings: lower-case Latin letters only (or - for none): '" +
                               std::string(w) + "'");
    out.push_back(w == "-" ? std::string() : std::string(w));
  }
  if (out.empty()) return Error::BadInput("spellings: at least one is required");
  return out;
}

// Thai letters and vowel patterns (text/thai.hpp); "-" stands for the consonant in a pattern.
bool thai_pattern(std::u32string_view s) {
  if (s.empty()) return false;
  for (char32_t c : s)
    if (c != U'-' && (c < 0x0E01 || c > 0x0E5B)) return false;
  return true;
}

Status load_thai(Env& env, TextTables::Thai& t, const std::string& path) {
  auto st = for_each_row(env, path, 3, [&](size_t line, auto& cols) -> Status {
    auto bad = [&](const std::string& what) {
      return Error::BadInput(path + ":" + std::to_string(line) + ": " + what);
    };
    auto part = trim(cols[0]);
    TextTables::ThaiSpellings sp;
    auto forms = parse_spellings(cols[2], &sp.usual);
    if (!forms) return bad(forms.error().message);
    sp.forms = std::move(*forms);
    if (part == "implicit") {
      auto which = trim(cols[1]);
      if (which != "closed" && which != "open") return bad("letters: implicit is 'closed' or 'open'");
      (which == "closed" ? t.closed : t.open) = std::move(sp);
      return Status::Ok();
    }
    for (auto letters : split(trim(cols[1]), ' ')) {
      if (letters.empty()) continue;
      auto cps = utf8::code_points(letters);
      std::u32string u(cps.begin(), cps.end());
      if (!thai_pattern(u)) return bad("letters: not Thai: '" + std::string(letters) + "'");
      bool one = u.size() == 1 && u[0] != U'-';
      if (part == "title" && u.find(U'-') == std::u32string::npos) {
        t.titles.push_back(u);
        continue;
      }
      if ((part == "initial" || part == "final") && one)
        (part == "initial" ? t.initials : t.finals)[u[0]] = sp;
      else if (part == "cluster" && u.size() == 2 && u.find(U'-') == std::u32string::npos)
        t.clusters[u] = sp;
      else if (part == "vowel" && std::count(u.begin(), u.end(), U'-') == 1)
        t.vowels[u] = sp;
      else
        return bad(part == "initial" || part == "final" || part == "cluster" || part == "vowel"
                       ? "letters: '" + std::string(letters) + "' is not a Thai " + std::string(part)
                       : "part: unknown '" + std::string(part) + "'");
    }
    return Status::Ok();
  });
  if (!st) return st;
  std::stable_sort(t.titles.begin(), t.titles.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  if (t.initials.empty() || t.finals.empty() || t.vowels.empty() || t.closed.forms.empty() ||
      t.open.forms.empty())
    return Error::BadInput(path + ": initials, finals, vowels and both implicit vowels are required");
  return Status::Ok();
}

Status load_burmese(Env& env, TextTables::Burmese& b, const std::string& path) {
  auto st = for_each_row(env, path, 3, [&](size_t line, auto& cols) -> Status {
    auto bad = [&](const std::string& what) {
      return Error::BadInput(path + ":" + std::to_string(line) + ": " + what);
    };
    auto part = trim(cols[0]);
    auto parsed = parse_spellings(cols[2]);
    if (!parsed) return bad(parsed.error().message);
    const std::vector<std::string>& spellings = *parsed;
    for (auto letters : split(trim(cols[1]), ' ')) {
      if (letters.empty()) continue;
      auto cps = utf8::code_points(letters);
      std::u32string u(cps.begin(), cps.end());
      bool burmese = std::all_of(u.begin(), u.end(), [](char32_t c) { return text::burmese_letter(c); });
      if (part == "rhyme" && letters == "-") {
        b.rhymes[std::u32string()] = spellings;
      } else if (!burmese) {
        return bad("letters: not Burmese: '" + std::string(letters) + "'");
      } else if (part == "initial" && u.size() == 1) {
        b.initials[u[0]] = spellings;
      } else if (part == "onset" && u.size() >= 2) {
        b.onsets[u] = spellings;
      } else if (part == "rhyme") {
        bool creaky = u.find(U'\u1037') != std::u32string::npos;
        b.rhymes[text::burmese_rhyme_key(u, creaky)] = spellings;
      } else if (part == "syllable") {
        b.syllables[text::burmese_rhyme_key(u, false)] = spellings;
      } else {
        return bad(part == "initial" || part == "onset"
                       ? "letters: '" + std::string(letters) + "' is not a Burmese " + std::string(part)
                       : "part: unknown '" + std::string(part) + "'");
      }
    }
    return Status::Ok();
  });
  if (!st) return st;
  if (b.initials.empty() || b.rhymes.empty() || !b.rhymes.count(std::u32string()))
    return Error::BadInput(path + ": initials and rhymes (with \"-\", the unwritten vowel) are required");
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const TextTables>> TextTables::load(const std::string& data_dir,
                                                           const std::vector<std::string>& alias_files,
                                                           Env& env, const std::string& mecab_dictionary) {
  auto t = std::make_shared<TextTables>();
  if (auto jp = text::JapaneseReader::open(mecab_dictionary.empty() ? text::JapaneseReader::kDefaultDictionary
                                                                    : mecab_dictionary))
    t->japanese = *jp;
  else
    t->japanese_warning = jp.error().message;
  auto countries = CountryTable::load(data_dir + "/text/countries.tsv", env);
  if (!countries) return countries.error();
  t->countries = std::move(*countries);

  auto st =
      for_each_row(env, data_dir + "/text/generic_words.tsv", 2, [&](size_t line, auto& cols) -> Status {
        std::string word = phrase_key(cols[0]);
        auto kind = trim(cols[1]);
        if (word.empty()) return Status::Ok();
        if (kind == "stop")
          t->stop_words.insert(word);
        else if (kind == "generic")
          t->generic_words.insert(word);
        else if (kind == "title") {
          t->title_max_words = std::max(t->title_max_words, words_of(word).size());
          t->titles.insert(word);
        } else if (kind == "particle")
          t->particles.insert(word);
        else if (kind == "abbrev" || kind == "form") {
          std::string exp = cols.size() > 2 ? phrase_key(cols[2]) : "";
          if (exp.empty() || exp.find(' ') != std::string::npos)
            return Status::Ok();  // one-word expansions only
          // A form reads as a generic word listed above it (institution -> institute).
          if (kind == "form" && !t->generic_words.count(exp))
            return Error::BadInput(data_dir + "/text/generic_words.tsv:" + std::to_string(line) +
                                   ": expansion: '" + exp + "' is not a generic word listed above");
          (kind == "form" ? t->generic_forms : t->abbreviations)[word] = exp;
        } else {
          return Error::BadInput(data_dir + "/text/generic_words.tsv:" + std::to_string(line) +
                                 ": kind: unknown '" + std::string(kind) + "'");
        }
        return Status::Ok();
      });
  if (!st) return st.error();
  // Expansions of abbreviations inherit the kind of the expanded word (tech -> technology: generic).

  auto add_legal = [&](const std::string& phrase, const std::string& cls) {
    t->legal_forms.emplace(phrase, cls);
    size_t n = 1;
    for (char c : phrase) n += c == ' ';
    t->legal_form_max_tokens = std::max(t->legal_form_max_tokens, n);
  };
  st = for_each_row(env, data_dir + "/text/legal_forms.tsv", 2, [&](size_t, auto& cols) -> Status {
    std::string phrase = phrase_key(cols[0]);
    std::string cls = to_lower_ascii(trim(cols[1]));
    if (phrase.empty() || cls.empty()) return Status::Ok();
    add_legal(phrase, cls);
    auto words = split_trimmed(phrase, " ");
    for (auto& w : words) t->legal_words[w]++;
    // Variants seen in real names: two words written as one ("Jointstock Company") and the
    // Spanish "de" left out ("S.A. C.V.").
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      std::string v;
      for (size_t k = 0; k < words.size(); ++k) v += (k == 0 ? "" : (k == i + 1 ? "" : " ")) + words[k];
      t->legal_forms.emplace(v, cls);
    }
    if (words.size() >= 3 && words.back() == "company") {  // "Closed Joint Stock" without Company
      std::string v;
      for (size_t k = 0; k + 1 < words.size(); ++k) v += (k ? " " : "") + words[k];
      t->legal_forms.emplace(v, cls);
    }
    if (words.size() >= 3) {
      std::string v;
      for (auto& w : words)
        if (w != "de" && w != "del") v += (v.empty() ? "" : " ") + w;
      if (v != phrase) t->legal_forms.emplace(v, cls);
    }
    return Status::Ok();
  });
  if (!st) return st.error();
  for (auto& [phrase, cls] : t->legal_forms) t->legal_starts.insert(phrase.substr(0, phrase.find(' ')));
  std::unordered_set<std::string> shared_keys;  // class-words keys of phrases of two classes
  for (auto& [phrase, cls] : t->legal_forms) {
    if (phrase.find(' ') == std::string::npos) continue;
    auto [it, added] = t->legal_forms_by_class_words.emplace(t->legal_class_words(phrase), cls);
    if (!added && it->second != cls) shared_keys.insert(it->first);
  }
  for (auto& k : shared_keys) t->legal_forms_by_class_words.erase(k);
  // Each phrase's proper beginnings and endings of two words or more; an ending takes the class of
  // the shortest phrase it ends (ties: the first class by name).
  std::unordered_map<std::string, std::pair<size_t, std::string>> ends;  // -> (phrase words, class)
  for (auto& [phrase, cls] : t->legal_forms) {
    auto words = split_trimmed(phrase, " ");
    std::string start = words.empty() ? "" : words[0], end = words.empty() ? "" : words.back();
    for (size_t n = 2; n < words.size(); ++n) {
      start += " " + words[n - 1];
      if (!t->legal_forms.count(start)) t->legal_phrase_starts.insert(start);
      end = words[words.size() - n] + " " + end;
      if (t->legal_forms.count(end)) continue;
      auto [it, added] = ends.emplace(end, std::make_pair(words.size(), cls));
      if (!added && std::make_pair(words.size(), cls) < it->second) it->second = {words.size(), cls};
    }
  }
  for (auto& [end, shortest] : ends) t->legal_phrase_ends.emplace(end, std::move(shortest.second));
  std::vector<std::pair<std::uint64_t, std::uint32_t>> typos;
  for (auto& [w, uses] : t->legal_words) {
    if (w.size() < kMinFuzzyLegalLength || static_cast<unsigned char>(w[0]) >= 0x80) continue;
    auto id = static_cast<std::uint32_t>(t->legal_word_list.size());
    t->legal_word_list.push_back(w);
    if (t->legal_masks_by_length.size() <= w.size()) t->legal_masks_by_length.resize(w.size() + 1);
    std::uint32_t m = 0;
    for (unsigned char c : w) m |= c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << 26;
    t->legal_masks_by_length[w.size()].push_back(m);
    text::for_each_deletion_hash(w, legal_word_edits(w.size()),
                                 [&](std::uint64_t h) { typos.emplace_back(h, id); });
  }
  t->legal_word_typos.build(typos);
  st = for_each_row(env, data_dir + "/text/name_parts.tsv", 3, [&](size_t line, auto& cols) -> Status {
    std::string form = phrase_key(cols[0]);
    auto parts = words_of(cols[1]);
    auto where = trim(cols[2]);
    if (form.empty() || form.find(' ') != std::string::npos || parts.empty())
      return Error::BadInput(data_dir + "/text/name_parts.tsv:" + std::to_string(line) +
                             ": form/parts: one word and its parts are required");
    if (where == "prefix")
      t->name_prefixes.push_back({form, parts});
    else if (where == "suffix")
      t->name_suffixes.push_back({form, parts});
    else if (where == "word")
      t->name_words[form] = parts;
    else
      return Error::BadInput(data_dir + "/text/name_parts.tsv:" + std::to_string(line) +
                             ": where: unknown '" + std::string(where) + "'");
    return Status::Ok();
  });
  if (!st) return st.error();
  st = for_each_row(env, data_dir + "/text/nicknames.tsv", 2, [&](size_t line, auto& cols) -> Status {
    std::string nick = phrase_key(cols[0]), full = phrase_key(cols[1]);
    if (nick.empty() || full.empty() || nick.find(' ') != std::string::npos ||
        full.find(' ') != std::string::npos)
      return Error::BadInput(data_dir + "/text/nicknames.tsv:" + std::to_string(line) +
                             ": nickname/full name: one word each is required");
    t->nicknames[nick] = full;
    return Status::Ok();
  });
  if (!st) return st.error();
  st = for_each_row(env, data_dir + "/text/zh_romanisations.tsv", 2, [&](size_t line, auto& cols) -> Status {
    std::string spelling = phrase_key(cols[0]);
    auto pinyin = words_of(phrase_key(cols[1]));
    if (spelling.empty() || spelling.find(' ') != std::string::npos || pinyin.empty())
      return Error::BadInputAt(data_dir + "/text/zh_romanisations.tsv", line, "spelling/pinyin",
                               "one syllable and at least one pinyin syllable are required");
    for (const auto& py : pinyin) {
      if (py != spelling) t->zh_spellings[py].push_back(spelling);
      t->pinyin_syllables.insert(py);
    }
    t->zh_romanisations[spelling] = std::move(pinyin);
    return Status::Ok();
  });
  if (!st) return st.error();
  for (auto& [py, spellings] : t->zh_spellings) {
    std::sort(spellings.begin(), spellings.end());
    spellings.erase(std::unique(spellings.begin(), spellings.end()), spellings.end());
  }
  if (auto st2 = load_hangul(env, t->hangul, data_dir + "/text/hangul.tsv"); !st2) return st2.error();
  if (auto st2 = load_thai(env, t->thai, data_dir + "/text/thai.tsv"); !st2) return st2.error();
  if (auto st2 = load_burmese(env, t->burmese, data_dir + "/text/burmese.tsv"); !st2) return st2.error();
  for (auto* v : {&t->name_prefixes, &t->name_suffixes})
    std::stable_sort(v->begin(), v->end(),
                     [](const auto& a, const auto& b) { return a.form.size() > b.form.size(); });
  if (auto st2 = load_zh_phrases(env, *t, data_dir + "/text/zh_places.tsv", true); !st2) return st2.error();
  if (auto st2 = load_zh_phrases(env, *t, data_dir + "/text/zh_words.tsv", false); !st2) return st2.error();
  if (auto st2 = load_aliases(env, *t, data_dir + "/text/zh_aliases.tsv"); !st2) return st2.error();
  for (auto& f : alias_files)
    if (auto st2 = load_aliases(env, *t, f); !st2) return st2.error();
  // Short Chinese names of listed entities (龙芯, 曙光) segment as names of their own, so that
  // 龙芯幼儿园 reads "loongson youeryuan", not one unknown run. Their words are the distinctive
  // words of the longest English name given for them (长江存储 -> yangtze memory, not "YMTC"); their
  // pinyin when the English has none (a translated name).
  std::unordered_map<std::string, std::vector<std::string>> short_names;
  for (auto& a : t->aliases) {
    std::string zh = text::zh_simplify(a.chinese);
    size_t chars = utf8::count(zh);
    bool han =
        std::all_of(zh.begin(), zh.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (!han || chars < 2 || chars > 4 || t->zh_phrases.count(zh)) continue;
    std::vector<std::string> words;
    for (auto& tok : text::tokenize_name(a.english, PartyType::kEntity, *t))
      if (tok.kind == text::TokenKind::kWord) words.push_back(tok.raw);
    auto& best = short_names[zh];
    if (words.size() > best.size()) best = std::move(words);
  }
  for (auto& [zh, words] : short_names) {
    ZhPhrase ph;
    ph.kind = ZhPhrase::Kind::kName;
    ph.chars = utf8::count(zh);
    ph.pinyin = text::zh_pinyin(zh);
    ph.words = words.empty() ? std::vector<std::string>{ph.pinyin} : words;
    t->zh_phrases.emplace(zh, std::move(ph));
  }
  // Pinyin spellings of the phrases, for names written in pinyin ("Longxin Zhongke Jishu"). Only
  // phrases of two characters or more that are places, legal forms, industry words or listed
  // names: a single syllable ("liang", two) is too often part of a name.
  for (auto& [zh, ph] : t->zh_phrases) {
    if (ph.chars < 2 || ph.kind == ZhPhrase::Kind::kGeneric) continue;
    std::string joined;
    for (auto& w : ph.words) joined += (joined.empty() ? "" : " ") + w;
    if (joined == ph.pinyin) continue;
    auto [it, inserted] = t->pinyin_phrases.emplace(ph.pinyin, &ph);
    if (!inserted && ph.kind == ZhPhrase::Kind::kPlace) it->second = &ph;  // places win ties
    size_t n = 1;
    for (char c : ph.pinyin) n += c == ' ';
    t->pinyin_max_words = std::max(t->pinyin_max_words, n);
  }
  // Stems of generic words are generic too (technologies -> technology).
  std::vector<std::string> stems;
  for (auto& g : t->generic_words) stems.push_back(text::stem(g));
  for (auto& g : stems) t->generic_words.insert(g);
  return std::shared_ptr<const TextTables>(std::move(t));
}

const std::string* TextTables::legal_class(const std::string& phrase) const {
  auto it = legal_forms.find(phrase);
  return it == legal_forms.end() ? nullptr : &it->second;
}

std::string TextTables::legal_class_words(std::string_view phrase) const {
  std::string key;
  for (const auto& w : split_trimmed(phrase, " ")) {
    auto it = legal_forms.find(w);
    key += (key.empty() ? "" : " ") + (it == legal_forms.end() ? w : "~" + it->second);
  }
  return key;
}

const std::string* TextTables::legal_class_by_class_words(const std::string& key) const {
  auto it = legal_forms_by_class_words.find(key);
  return it == legal_forms_by_class_words.end() ? nullptr : &it->second;
}

}  // namespace clearance
