#include "clearance/text/tables.hpp"

#include <algorithm>

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/text/distance.hpp"
#include "clearance/text/fold.hpp"
#include "clearance/text/normalize.hpp"

namespace clearance {
namespace {

// Calls fn(line_no, columns) for each data row of a TSV with '#' comments and one header row.
template <class Fn>
Status for_each_row(const std::string& path, size_t min_cols, Fn fn) {
  auto data = read_file(path, 64 << 20);
  if (!data) return data.error();
  size_t line_no = 0;
  bool header = true;
  for (auto line : split(*data, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line[0] == '#') continue;
    if (header) { header = false; continue; }
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

Result<std::shared_ptr<const TextTables>> TextTables::load(const std::string& data_dir) {
  auto t = std::make_shared<TextTables>();
  auto countries = CountryTable::load(data_dir + "/text/countries.tsv");
  if (!countries) return countries.error();
  t->countries = std::move(*countries);

  auto st = for_each_row(data_dir + "/text/generic_words.tsv", 2, [&](size_t line, auto& cols) -> Status {
    std::string word = phrase_key(cols[0]);
    auto kind = trim(cols[1]);
    if (word.empty()) return Status::Ok();
    if (kind == "stop") t->stop_words.insert(word);
    else if (kind == "generic") t->generic_words.insert(word);
    else if (kind == "title") t->titles.insert(word);
    else if (kind == "abbrev") {
      std::string exp = cols.size() > 2 ? phrase_key(cols[2]) : "";
      if (exp.empty() || exp.find(' ') != std::string::npos) return Status::Ok();  // one-word expansions only
      t->abbreviations[word] = exp;
    } else {
      return Error::BadInput(data_dir + "/text/generic_words.tsv:" + std::to_string(line) + ": kind: unknown '" +
                             std::string(kind) + "'");
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
  st = for_each_row(data_dir + "/text/legal_forms.tsv", 2, [&](size_t, auto& cols) -> Status {
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
  std::vector<std::pair<std::uint64_t, std::uint32_t>> typos;
  for (auto& [w, uses] : t->legal_words) {
    if (w.size() < kMinFuzzyLegalLength || static_cast<unsigned char>(w[0]) >= 0x80) continue;
    auto id = static_cast<std::uint32_t>(t->legal_word_list.size());
    t->legal_word_list.push_back(w);
    text::for_each_deletion_hash(w, legal_word_edits(w.size()), [&](std::uint64_t h) { typos.emplace_back(h, id); });
  }
  t->legal_word_typos.build(typos);
  // Stems of generic words are generic too (technologies -> technology).
  std::vector<std::string> stems;
  for (auto& g : t->generic_words) stems.push_back(text::stem(g));
  for (auto& g : stems) t->generic_words.insert(g);
  return std::shared_ptr<const TextTables>(std::move(t));
}

}  // namespace clearance
