#include "match/index.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cmath>

#include "match/token_sim.hpp"

namespace clearance::match {

std::uint32_t Index::intern(StringIdMap& map, const std::string& text, bool pair, text::TokenKind kind) {
  auto [it, inserted] = map.emplace(text, static_cast<std::uint32_t>(vocab_.size()));
  if (inserted) {
    VocabEntry e;
    e.text = text;
    e.kind = kind;
    e.pair = pair;
    vocab_.push_back(std::move(e));
  } else if (kind == text::TokenKind::kWord && vocab_[it->second].kind == text::TokenKind::kStop) {
    vocab_[it->second].kind = kind;  // a stop word that is a person's name too (Il): a word
  }
  return it->second;
}

std::int64_t Index::find_word(std::string_view text) const {
  const auto& ids = shared_ ? shared_->word_ids_ : word_ids_;
  auto it = ids.find(text);
  return it == ids.end() ? -1 : static_cast<std::int64_t>(it->second);
}

std::int64_t Index::find_pair(std::string_view joined) const {
  const auto& ids = shared_ ? shared_->pair_ids_ : pair_ids_;
  auto it = ids.find(joined);
  return it == ids.end() ? -1 : static_cast<std::int64_t>(it->second);
}

float Index::unseen_weight(text::TokenKind kind) const {
  switch (kind) {
    case text::TokenKind::kLegal:
      return kLegalWeight;
    case text::TokenKind::kStop:
      return kStopWeight;
    case text::TokenKind::kGeneric:
      return max_idf_ * kGenericFactor;
    default:
      return max_idf_;
  }
}

size_t Index::memory_bytes() const {
  size_t b =
      deletions_.memory_bytes() + phonetic_.memory_bytes() + abjad_.memory_bytes() + slavic_.memory_bytes();
  b += names_.size() * sizeof(NameRecord) + units_.size() * sizeof(NameUnit) + hot_.size() * sizeof(Hot);
  b += (postings_.size() + posting_offsets_.size()) * 4;
  for (auto& v : vocab_) b += sizeof(VocabEntry) + v.text.capacity() + v.key.capacity();
  return b;
}

void Index::add_fuzzy_keys(const VocabEntry& e, std::uint32_t v, FuzzyKeys& out) {
  if (e.text.size() >= 3) out.phonetic.emplace_back(text::word_hash(e.key), v);
  if (!e.abjad_key.empty()) out.abjad.emplace_back(text::word_hash(e.abjad_key), v);
  if (!e.abjad_soft_key.empty()) out.abjad.emplace_back(text::word_hash(e.abjad_soft_key), v);
  if (!e.slavic_key.empty()) out.slavic.emplace_back(text::word_hash(e.slavic_key), v);
  auto index_form = [&](const std::string& form) {
    int d = max_edits(form.size());
    if (d > 0)
      text::for_each_deletion_hash(form, d, [&](std::uint64_t h) { out.deletions.emplace_back(h, v); });
  };
  index_form(e.text);
  for (auto& sf : e.surfaces) index_form(sf);
}

void Index::build_fuzzy_maps(FuzzyKeys& keys) {
  deletions_.build(keys.deletions);
  phonetic_.build(keys.phonetic);
  abjad_.build(keys.abjad);
  slavic_.build(keys.slavic);
}

void Index::build_subset(const Index& full, const std::vector<std::int64_t>& party_map,
                         const std::vector<std::int64_t>& extra_map) {
  shared_ = full.shared_ ? full.shared_ : &full;
  const auto& vocab = this->vocab();
  max_idf_ = full.max_idf_;
  names_.clear();
  units_.clear();
  std::vector<std::vector<std::uint32_t>> postings(vocab.size());
  for (const auto& rec : full.names_) {
    std::int64_t p = rec.party < party_map.size() ? party_map[rec.party] : -1;
    if (p < 0) continue;
    NameRecord r = rec;
    r.party = static_cast<std::uint32_t>(p);
    if (rec.extra != kNoExtra) {
      std::int64_t x = rec.extra < extra_map.size() ? extra_map[rec.extra] : -1;
      if (x < 0) continue;
      r.extra = static_cast<std::uint32_t>(x);
    }
    r.first_unit = static_cast<std::uint32_t>(units_.size());
    auto name_id = static_cast<std::uint32_t>(names_.size());
    for (std::uint32_t u = rec.first_unit; u < rec.first_unit + rec.n_units; ++u) {
      units_.push_back(full.units_[u]);
      auto& pl = postings[full.units_[u].vocab];
      if (pl.empty() || pl.back() != name_id) pl.push_back(name_id);
    }
    names_.push_back(r);
  }
  posting_offsets_.assign(vocab.size() + 1, 0);
  for (std::uint32_t v = 0; v < vocab.size(); ++v)
    posting_offsets_[v + 1] = posting_offsets_[v] + static_cast<std::uint32_t>(postings[v].size());
  postings_.clear();
  postings_.reserve(posting_offsets_.back());
  for (auto& pl : postings) postings_.insert(postings_.end(), pl.begin(), pl.end());
  // The typo and phonetic keys of the words these names use, and no others: a word no kept name
  // uses leads to no kept name, so screening finds the same names, without looking through the
  // whole vocabulary for every query word (what makes a rescreen cheap). The loose maps stay whole:
  // a word read from another script weighs what the lightest list word its loose keys meet weighs
  // (QueryPlan::prepare), over all the lists.
  FuzzyKeys fk;
  for (std::uint32_t v = 0; v < vocab.size(); ++v)
    if (!postings[v].empty() && !vocab[v].pair && fuzzy_kind(vocab[v].kind)) add_fuzzy_keys(vocab[v], v, fk);
  deletions_.build(fk.deletions);
  phonetic_.build(fk.phonetic);
}

void Index::build(const std::vector<const Party*>& parties, const std::vector<ExtraName>& extra,
                  const TextTables& tables, const Index* weights) {
  std::vector<std::vector<std::uint32_t>> postings;  // per vocab entry, names (deduplicated per name)
  auto add_name = [&](std::uint32_t p, std::uint16_t ni, std::uint32_t xi, NameKind kind,
                      const std::string& text) {
    auto toks = text::tokenize_name(text, parties[p]->type, tables);
    if (toks.empty()) return;
    if (toks.size() > 64) toks.resize(64);
    NameRecord rec;
    rec.party = p;
    rec.name_index = ni;
    rec.extra = xi;
    rec.kind = kind;
    rec.person = parties[p]->type == PartyType::kPerson;
    rec.n_tokens = static_cast<std::uint8_t>(toks.size());
    rec.first_unit = static_cast<std::uint32_t>(units_.size());
    auto name_id = static_cast<std::uint32_t>(names_.size());
    auto add_posting = [&](std::uint32_t v) {
      if (postings.size() <= v) postings.resize(v + 1);
      auto& pl = postings[v];
      if (pl.empty() || pl.back() != name_id) pl.push_back(name_id);
    };
    for (size_t i = 0; i < toks.size(); ++i) {
      auto v = intern(word_ids_, toks[i].text, false, toks[i].kind);
      auto& sf = vocab_[v].surfaces;
      if (toks[i].raw != toks[i].text && toks[i].kind != text::TokenKind::kLegal &&
          sf.size() < kMaxSurfaces && std::find(sf.begin(), sf.end(), toks[i].raw) == sf.end())
        sf.push_back(toks[i].raw);
      units_.push_back({v, static_cast<std::uint8_t>(i), 1});
      add_posting(v);
    }
    for (size_t i = 0; i + 1 < toks.size(); ++i) {
      auto v = intern(pair_ids_, toks[i].raw + toks[i + 1].raw, true, text::TokenKind::kWord);
      units_.push_back({v, static_cast<std::uint8_t>(i), 2});
      add_posting(v);
    }
    rec.n_units = static_cast<std::uint16_t>(units_.size() - rec.first_unit);
    names_.push_back(rec);
  };
  for (std::uint32_t p = 0; p < parties.size(); ++p) {
    const Party& party = *parties[p];
    for (std::uint16_t ni = 0; ni < party.names.size() && ni < 0xFFFF; ++ni)
      add_name(p, ni, kNoExtra, party.names[ni].kind, party.names[ni].text);
  }
  for (std::uint32_t x = 0; x < extra.size(); ++x)
    add_name(extra[x].party, 0, x, NameKind::kAka, extra[x].text);
  postings.resize(vocab_.size());

  // Weights: inverse document frequency over names, damped for generic words, fixed for legal
  // forms and stop words.
  double n = static_cast<double>(std::max<size_t>(names_.size(), 1));
  max_idf_ = static_cast<float>(std::log(1.0 + n));
  for (std::uint32_t v = 0; v < vocab_.size(); ++v) {
    auto& e = vocab_[v];
    e.df = static_cast<std::uint32_t>(postings[v].size());
    float idf = static_cast<float>(std::log(1.0 + n / std::max<double>(e.df, 1)));
    if (e.pair) {
      e.weight = 0;
      continue;
    }
    switch (e.kind) {
      case text::TokenKind::kLegal:
        e.weight = kLegalWeight;
        break;
      case text::TokenKind::kStop:
        e.weight = std::min(idf, kStopWeight);
        break;
      case text::TokenKind::kGeneric:
        e.weight = idf * kGenericFactor;
        break;
      default:
        e.weight = idf;
    }
  }
  if (weights) {
    max_idf_ = weights->max_idf_;
    for (auto& e : vocab_) {
      if (e.pair) continue;
      auto v = weights->find_word(e.text);
      if (v < 0) {
        e.weight = weights->unseen_weight(e.kind);
        continue;
      }
      // The word as the lists in force write it: typos are measured against those forms too.
      const auto& w = weights->vocab()[static_cast<size_t>(v)];
      e.weight = w.weight;
      e.surfaces = w.surfaces;
    }
  }
  // A join weighs what its two words weigh.
  for (auto& rec : names_) {
    for (std::uint32_t u = rec.first_unit; u < rec.first_unit + rec.n_units; ++u) {
      auto& unit = units_[u];
      if (unit.count != 2) continue;
      float w = vocab_[units_[rec.first_unit + unit.first].vocab].weight +
                vocab_[units_[rec.first_unit + unit.first + 1].vocab].weight;
      vocab_[unit.vocab].weight = std::max(vocab_[unit.vocab].weight, w);
    }
  }

  // Postings in one array.
  posting_offsets_.assign(vocab_.size() + 1, 0);
  for (std::uint32_t v = 0; v < vocab_.size(); ++v)
    posting_offsets_[v + 1] = posting_offsets_[v] + static_cast<std::uint32_t>(postings[v].size());
  postings_.reserve(posting_offsets_.back());
  for (auto& pl : postings) postings_.insert(postings_.end(), pl.begin(), pl.end());

  hot_.clear();
  hot_.reserve(vocab_.size());
  for (const auto& e : vocab_) {
    Hot h{e.weight, e.kind, 0};
    if (!e.pair && e.kind == text::TokenKind::kWord && !e.text.empty() && e.text[0] >= 'a' &&
        e.text[0] <= 'z')
      h.initial = static_cast<std::uint8_t>((e.text[0] - 'a' + 1) | (e.text.size() == 1 ? 0x80 : 0));
    hot_.push_back(h);
  }

  // Typo neighbourhoods and phonetic keys for single words that may match fuzzily.
  FuzzyKeys fk;
  for (std::uint32_t v = 0; v < vocab_.size(); ++v) {
    auto& e = vocab_[v];
    if (e.pair || !fuzzy_kind(e.kind)) continue;
    e.key = text::phonetic_key(e.text);
    e.pinyin = text::long_pinyin_word(e.text, tables);
    e.masks.push_back(letter_mask(e.text));
    for (auto& sf : e.surfaces) e.masks.push_back(letter_mask(sf));
    e.abjad_key = text::loose_key(e.text, text::LooseFamily::kAbjad);
    e.slavic_key = text::loose_key(e.text, text::LooseFamily::kSlavic);
    if (e.text.find('c') != std::string::npos) {
      e.abjad_soft_key = text::loose_key(e.text, text::LooseFamily::kAbjad, true);
      if (e.abjad_soft_key == e.abjad_key) e.abjad_soft_key.clear();
    }
    add_fuzzy_keys(e, v, fk);
  }
  build_fuzzy_maps(fk);
}

}  // namespace clearance::match
