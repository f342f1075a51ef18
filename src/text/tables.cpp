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

  st = for_each_row(data_dir + "/text/legal_forms.tsv", 2, [&](size_t, auto& cols) -> Status {
    std::string phrase = phrase_key(cols[0]);
    std::string cls = to_lower_ascii(trim(cols[1]));
    if (phrase.empty() || cls.empty()) return Status::Ok();
    t->legal_forms.emplace(phrase, cls);
    if (phrase.size() >= kMinFuzzyLegalLength && phrase.find(' ') == std::string::npos &&
        static_cast<unsigned char>(phrase[0]) < 0x80)
      text::for_each_deletion(phrase, legal_form_edits(phrase.size()), [&](std::string_view v) {
        auto& forms = t->legal_form_typos[std::string(v)];
        if (std::find(forms.begin(), forms.end(), phrase) == forms.end()) forms.push_back(phrase);
      });
    size_t n = 1;
    for (char c : phrase) n += c == ' ';
    t->legal_form_max_tokens = std::max(t->legal_form_max_tokens, n);
    return Status::Ok();
  });
  if (!st) return st.error();
  return std::shared_ptr<const TextTables>(std::move(t));
}

}  // namespace clearance
