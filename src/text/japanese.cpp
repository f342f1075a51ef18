#include "clearance/text/japanese.hpp"

#include <mecab.h>

#include <algorithm>
#include <filesystem>

#include "clearance/common/utf8.hpp"

namespace clearance::text {
namespace {

// The fields of an IPAdic feature string: part of speech, three sub-classes, conjugation (2),
// base form, reading (katakana), pronunciation. Unknown words have fewer.
std::vector<std::string_view> fields(const char* feature) {
  std::vector<std::string_view> out;
  std::string_view f(feature ? feature : "");
  for (size_t b = 0;;) {
    size_t e = f.find(',', b);
    out.push_back(f.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  return out;
}

size_t chars(std::string_view s) { return utf8::code_points(s).size(); }

// Per reading this many of its spellings come first, so that a second reading (清司 Kiyoshi after
// Seiji) is not crowded out by the first one's variants.
constexpr size_t kSpellingsPerReading = 6;

}  // namespace

Result<std::shared_ptr<const JapaneseReader>> JapaneseReader::open(const std::string& dictionary_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dictionary_dir + "/sys.dic", ec))
    return Error::NotFound("MeCab dictionary " + dictionary_dir +
                           " is absent (install mecab-ipadic-utf8: make deps): Japanese names in kanji "
                           "are read as Chinese");
  // No resource file: everything the tagger needs is said here (the system's mecabrc may name
  // another dictionary).
  std::string args = "-r /dev/null -d " + dictionary_dir;
  std::shared_ptr<JapaneseReader> r(new JapaneseReader());
  r->model_ = MeCab::createModel(args.c_str());
  if (r->model_) r->tagger_ = r->model_->createTagger();
  if (r->tagger_) r->lattice_ = r->model_->createLattice();
  if (!r->lattice_)
    return Error::NotFound("MeCab cannot open the dictionary " + dictionary_dir + " (" +
                           MeCab::getLastError() + "): Japanese names in kanji are read as Chinese");
  return std::shared_ptr<const JapaneseReader>(std::move(r));
}

JapaneseReader::~JapaneseReader() {
  delete lattice_;
  delete tagger_;
  delete model_;
}

std::vector<JapaneseWord> JapaneseReader::read(std::string_view run) const {
  std::string sentence(run);
  std::vector<JapaneseWord> out;
  std::lock_guard<std::mutex> lock(mu_);
  lattice_->clear();
  lattice_->set_sentence(sentence.c_str(), sentence.size());
  if (!tagger_->parse(lattice_)) return {};
  const char* base = lattice_->sentence();
  for (const MeCab::Node* n = lattice_->bos_node()->next; n && n->stat != MECAB_EOS_NODE; n = n->next) {
    auto f = fields(n->feature);
    if (n->stat == MECAB_UNK_NODE || f.size() < 8 || f[7] == "*") return {};  // no reading known
    JapaneseWord w;
    w.written.assign(n->surface, n->length);
    w.person_name = f.size() > 2 && f[2] == "人名";
    w.surname = w.person_name && f.size() > 3 && f[3] == "姓";
    w.proper_noun = f.size() > 1 && f[1] == "固有名詞";
    w.organisation = w.proper_noun && f.size() > 2 && f[2] == "組織";
    w.suffix = f.size() > 1 && f[1] == "接尾";
    w.readings.emplace_back(f[7]);
    // The dictionary's other readings of the same characters: every word of the lattice that
    // spans exactly them (清司: セイジ, キヨシ).
    size_t pos = static_cast<size_t>(n->surface - base);
    for (const MeCab::Node* m = lattice_->begin_nodes(pos); m; m = m->bnext) {
      if (m->length != n->length || m->stat == MECAB_UNK_NODE) continue;
      auto g = fields(m->feature);
      if (g.size() < 8 || g[7] == "*" || g[0] != f[0]) continue;
      std::string reading(g[7]);
      if (std::find(w.readings.begin(), w.readings.end(), reading) == w.readings.end())
        w.readings.push_back(std::move(reading));
    }
    // Each reading's spellings, the first reading's first; then the rest of each in turn.
    std::vector<std::vector<std::string>> per;
    for (const auto& rd : w.readings)
      for (auto& k : read_kana(rd)) per.push_back(std::move(k.spellings));
    for (size_t from = 0, to = kSpellingsPerReading; from < kMaxSpellings; from = to, to = kMaxSpellings)
      for (auto& sp : per)
        for (size_t i = from; i < sp.size() && i < to && w.spellings.size() < kMaxSpellings; ++i)
          if (std::find(w.spellings.begin(), w.spellings.end(), sp[i]) == w.spellings.end())
            w.spellings.push_back(sp[i]);
    if (w.spellings.empty()) return {};
    out.push_back(std::move(w));
  }
  return out;
}

bool JapaneseReader::looks_like_japanese_person(const std::vector<JapaneseWord>& words) {
  if (words.size() < 2 || !words[0].surname || chars(words[0].written) < 2) return false;
  for (size_t i = 1; i < words.size(); ++i)
    if (words[i].person_name) return true;
  return false;
}

bool JapaneseReader::looks_like_japanese_organisation(const std::vector<JapaneseWord>& words) {
  if (std::any_of(words.begin(), words.end(), [](const JapaneseWord& w) { return w.organisation; }))
    return true;
  if (words.size() < 2 || !words.back().suffix) return false;
  const std::string& s = words.back().written;
  if (s != "会" && s != "組" && s != "一家" && s != "連合") return false;
  return std::any_of(words.begin(), words.end() - 1, [](const JapaneseWord& w) { return w.proper_noun; });
}

}  // namespace clearance::text
