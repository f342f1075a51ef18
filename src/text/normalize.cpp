#include "clearance/text/normalize.hpp"

#include "clearance/text/distance.hpp"
#include "clearance/text/fold.hpp"

namespace clearance::text {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Han code points are 3-byte UTF-8 sequences E3–E9 (U+3400–U+9FFF) after folding.
size_t han_len(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0xE3 && c <= 0xE9 && i + 2 < s.size()) return 3;
  if (c == 0xF0 && i + 3 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 4;  // ext. B
  return 0;
}

bool has_digit(std::string_view s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

// A misspelt one-word legal form at the start or in the last two words of a name
// ("Myanmar Economic Corporyation"), or empty. Inside a name a near-legal word is more likely a
// distinctive word (Golding is not Holding).
std::string misspelt_legal_form(const std::vector<std::string>& raw, size_t i, const TextTables& tables) {
  const std::string& w = raw[i];
  if (w.size() < kMinFuzzyLegalLength || (i != 0 && i + 2 < raw.size()) || raw.size() < 2) return {};
  if (static_cast<unsigned char>(w[0]) >= 0x80) return {};
  std::string best;
  int best_d = 3;
  for_each_deletion(w, legal_form_edits(w.size()), [&](std::string_view v) {
    auto it = tables.legal_form_typos.find(std::string(v));
    if (it == tables.legal_form_typos.end()) return;
    for (auto& form : it->second) {
      int k = legal_form_edits(std::min(form.size(), w.size()));
      int d = osa_distance(w, form, k);
      if (d <= k && d < best_d) { best_d = d; best = form; }
    }
  });
  if (best.empty()) return {};
  return tables.legal_forms.at(best);
}

}  // namespace

std::vector<std::string> raw_tokens(std::string_view s) {
  std::vector<std::string> out;
  std::vector<bool> dotted;  // single letter followed by '.'
  std::string cur;
  bool cur_han = false;
  auto flush = [&](bool dot) {
    if (cur.empty()) return;
    out.push_back(std::move(cur));
    dotted.push_back(dot && out.back().size() == 1);
    cur.clear();
    cur_han = false;
  };
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (is_alnum(c)) {
      if (cur_han) flush(false);
      cur += c;
      ++i;
      continue;
    }
    if (size_t n = han_len(s, i)) {
      if (!cur_han) flush(false);
      cur_han = true;
      cur.append(s.substr(i, n));
      i += n;
      continue;
    }
    if (c == '\'' || c == '`') { ++i; continue; }  // apostrophes join: Sha'iri -> shairi
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0x98 || static_cast<unsigned char>(s[i + 2]) == 0x99)) {
      i += 3;  // ‘ ’
      continue;
    }
    if (c == '&') { flush(false); out.push_back("and"); dotted.push_back(false); ++i; continue; }
    flush(c == '.');
    i += (static_cast<unsigned char>(c) < 0x80) ? 1 : 1;
  }
  flush(false);
  // Join initialisms written with dots: "s.a." -> "sa", "i.b.m." -> "ibm".
  std::vector<std::string> joined;
  for (size_t i = 0; i < out.size();) {
    if (dotted[i] && i + 1 < out.size() && out[i + 1].size() == 1) {
      std::string acc;
      size_t j = i;
      while (j < out.size() && out[j].size() == 1 && (dotted[j] || (j > i && dotted[j - 1]))) {
        acc += out[j];
        bool more = dotted[j];
        ++j;
        if (!more) break;
      }
      joined.push_back(std::move(acc));
      i = j;
    } else {
      joined.push_back(std::move(out[i]));
      ++i;
    }
  }
  return joined;
}

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
    if (vowel(c)) { last = 0; continue; }
    if (c == 'h' && i > 0 && !vowel(t[i - 1]) && t[i - 1] != 'h') continue;  // kh/kh, sh/s: drop aspiration
    if (c == last) continue;
    k += c;
    last = c;
  }
  return k;
}

std::vector<Token> tokenize_name(std::string_view name, PartyType type, const TextTables& tables) {
  std::string folded = fold(name);
  std::vector<std::string> raw = raw_tokens(folded);
  std::vector<Token> out;
  out.reserve(raw.size());
  bool person = type == PartyType::kPerson;
  for (size_t i = 0; i < raw.size();) {
    // Legal forms: longest phrase first (not for people).
    if (!person) {
      size_t max_n = std::min(tables.legal_form_max_tokens, raw.size() - i);
      bool found = false;
      for (size_t n = max_n; n >= 1 && !found; --n) {
        std::string phrase = raw[i];
        for (size_t k = 1; k < n; ++k) phrase += ' ' + raw[i + k];
        auto it = tables.legal_forms.find(phrase);
        if (it == tables.legal_forms.end()) continue;
        // Two-letter forms (AO, SA, AG, Co …) count as legal forms only at either end of a name;
        // inside it they are more often initials or words.
        if (n == 1 && phrase.size() <= 2 && i != 0 && i + 1 != raw.size()) continue;
        std::string joined;
        for (size_t k = 0; k < n; ++k) joined += raw[i + k];
        out.push_back({"~" + it->second, std::move(joined), TokenKind::kLegal});
        i += n;
        found = true;
      }
      if (found) continue;
      if (auto cls = misspelt_legal_form(raw, i, tables); !cls.empty()) {
        out.push_back({"~" + cls, raw[i], TokenKind::kLegal});
        ++i;
        continue;
      }
    }
    const std::string& r = raw[i];
    Token t;
    t.raw = r;
    if (person && tables.titles.count(r) && raw.size() > 1) { ++i; continue; }
    if (static_cast<unsigned char>(r[0]) >= 0x80) {
      t.text = r;
      t.kind = TokenKind::kHan;
    } else if (has_digit(r)) {
      t.text = r;
      t.kind = TokenKind::kNumber;
    } else {
      auto ab = tables.abbreviations.find(r);
      std::string base = ab == tables.abbreviations.end() ? r : ab->second;
      if (tables.stop_words.count(base)) t.kind = TokenKind::kStop;
      else if (tables.generic_words.count(base)) t.kind = TokenKind::kGeneric;
      t.text = stem(base);
    }
    out.push_back(std::move(t));
    ++i;
  }
  return out;
}

}  // namespace clearance::text
