#include "match/scorer.hpp"

#include <algorithm>
#include <cstdio>

#include "clearance/common/numbers.hpp"
#include "match/token_sim.hpp"

namespace clearance::match {
namespace {

// Whether a word read from another script, through one of its key patterns, meets a list word:
// the keys equal and the vowels the script writes showing in the Latin. An abjad key may meet the
// list word's key with c read as s.
bool loose_meets(std::string_view pattern, std::string_view key, const VocabEntry& e,
                 text::LooseFamily family) {
  if (family == text::LooseFamily::kSlavic)
    return key == e.slavic_key &&
           text::loose_vowels_agree(pattern, text::loose_pattern(e.text, family), family);
  if (key == e.abjad_key && text::loose_vowels_agree(pattern, text::loose_pattern(e.text, family), family))
    return true;
  return !e.abjad_soft_key.empty() && key == e.abjad_soft_key &&
         text::loose_vowels_agree(pattern, text::loose_pattern(e.text, family, true), family);
}

// Similarity of a query unit and a list word, over the unit's forms; the one function both the
// index path and the brute-force path use.
float unit_similarity(const QueryUnit& u, const VocabEntry& e, int cap, bool* phonetic) {
  // An initial: half a match, between person names only.
  if (u.count == 1 && u.spellings.empty() && e.kind == text::TokenKind::kWord && !e.pair &&
      initial_of(u.text, e.text)) {
    if (phonetic) *phonetic = true;
    return kInitialSim;
  }
  if (!u.spellings.empty()) {  // read from Hangul: its spellings only; other spellings: first
    bool spelt = std::find(u.spellings.begin(), u.spellings.end(), e.text) != u.spellings.end();
    if (u.text == e.text || spelt || !u.other_spellings) {
      // Another spelling of a Chinese name word counts between people's names only, like a
      // phonetic match.
      if (phonetic) *phonetic = spelt && u.text != e.text && u.other_spellings;
      return u.text == e.text ? 1.0f : spelt ? kSpellingSim : 0.0f;
    }
  }
  bool fuzzy = u.fuzzy && fuzzy_kind(e.kind);
  // Two long pinyin words two edits apart differ in a syllable (Tianlang, Tiangong): one edit only.
  if (u.pinyin && e.pinyin) cap = std::min(cap, 1);
  float sim = word_similarity(u.text, e.text, u.key, e.key, fuzzy, cap, phonetic);
  if (!fuzzy || sim >= 1.0f) return sim;
  // The other forms: the query word's plural fold, the list word as written. Typo distance only.
  auto consider = [&](const std::string& a, const std::string& b) {
    float s2 = word_similarity(a, b, "", "", true, cap);
    if (s2 > sim) {
      sim = s2;
      if (phonetic) *phonetic = false;
    }
  };
  if (!u.alt.empty()) consider(u.alt, e.text);
  for (auto& sf : e.surfaces) {
    consider(u.text, sf);
    if (!u.alt.empty()) consider(u.alt, sf);
  }
  // Another romanisation of a word read from another script.
  if (u.loose != text::LooseFamily::kNone && (sim < kLooseSim || (phonetic && *phonetic))) {
    for (size_t i = 0; i < u.loose_keys.size(); ++i) {
      if (!loose_meets(u.loose_patterns[i], u.loose_keys[i], e, u.loose)) continue;
      sim = kLooseSim;
      // Two words of the query as one list word: a habit of people's names only.
      if (phonetic) *phonetic = u.count == 2;
      break;
    }
  }
  return sim;
}

// The weight of the lightest list word a word read from another script meets through its loose
// keys (vowels agreeing), or `unseen`.
float loose_weight(const text::Token& t, const Index& index, float unseen) {
  float w = unseen;
  for (const auto& pat : t.loose_keys)
    index.for_each_loose_candidate(t.loose, text::loose_key_of(pat), [&](std::uint32_t v) {
      const auto& e = index.vocab()[v];
      if (e.kind == text::TokenKind::kWord && e.weight < w &&
          loose_meets(pat, text::loose_key_of(pat), e, t.loose))
        w = e.weight;
    });
  return w;
}

}  // namespace

void weigh_tokens(const std::vector<text::Token>& tokens, bool phonetic, const Index& index,
                  const TextTables& tables, std::vector<float>& weights, std::vector<float>& middle,
                  std::vector<float>& extra) {
  weights.clear();
  for (auto& t : tokens) {
    auto v = index.find_word(t.text);
    float w = v >= 0 ? index.vocab()[static_cast<size_t>(v)].weight : index.unseen_weight(t.kind);
    // A word read from another script weighs what the list word it reads as weighs (محمد as
    // much as Muhammad, not as an unknown word): its most common spelling there.
    if (v < 0 && t.loose != text::LooseFamily::kNone && fuzzy_kind(t.kind)) w = loose_weight(t, index, w);
    // A syllable read from Hangul weighs what its lightest spelling among the lists' name words
    // weighs (not a stop word it happens to spell: 일 il).
    // Other spellings of a word weigh no more than the word itself.
    if (!t.spellings.empty()) {
      if (!t.other_spellings) w = index.unseen_weight(text::TokenKind::kWord);
      for (const auto& sp : t.spellings)
        if (auto sv = index.find_word(sp);
            sv >= 0 && index.vocab()[static_cast<size_t>(sv)].kind == text::TokenKind::kWord)
          w = std::min(w, index.vocab()[static_cast<size_t>(sv)].weight);
    }
    // A particle (bin, ibn, ould) of a person's name that the list name lacks says little.
    if (phonetic && t.spellings.empty() && tables.particles.count(t.text)) w = std::min(w, kStopWeight);
    // A generic word the list name lacks ("Artin Technologies" against "Artin") says the query
    // names a different business: left unaligned it weighs at least this much.
    if (t.kind == text::TokenKind::kGeneric) w = std::max(w, kGenericQueryFloor * index.max_idf());
    if (t.kind == text::TokenKind::kPlace) w *= kPlaceQueryFactor;
    if (t.legal_tail) w = std::min(w, kStopWeight);
    weights.push_back(w);
  }
  // Middle names: between the first and the last word of a person's name of three words or more.
  // Extra names: any word of a person's name that holds the whole list name.
  middle = weights;
  extra = weights;
  for (size_t i = 0; i < tokens.size() && phonetic; ++i) {
    // The article of a word that aligns counts as a stop word (article_of_aligned).
    if (tokens[i].text == "al") extra[i] = std::min(extra[i], kStopWeight);
  }
  if (phonetic && tokens.size() >= 3)
    for (size_t i = 0; i < tokens.size(); ++i) {
      const auto& t = tokens[i];
      // The article belongs to its word; a word read from a Chinese name is a syllable of it.
      if (t.text == "al" || (!t.bridge.empty() && t.loose == text::LooseFamily::kNone)) continue;
      extra[i] *= kMiddleNameFactor;
      if (i > 0 && i + 1 < tokens.size()) middle[i] *= kMiddleNameFactor;
    }
}

void QueryPlan::weigh(const Index& index, const TextTables& tables) {
  weigh_tokens(tokens, phonetic, index, tables, weights, middle_weights, extra_weights);
}

QueryPlan QueryPlan::prepare(std::vector<text::Token> tokens, const Index& index, bool phonetic,
                             const TextTables& tables) {
  QueryPlan p;
  p.phonetic = phonetic;
  if (tokens.size() > 60) tokens.resize(60);
  p.tokens = std::move(tokens);
  for (auto& t : p.tokens) p.legal_form |= t.kind == text::TokenKind::kLegal && t.bridge.empty();
  p.weigh(index, tables);
  for (size_t i = 0; i < p.tokens.size(); ++i) {
    QueryUnit u;
    u.text = p.tokens[i].text;
    u.raw = p.tokens[i].raw;
    u.first = static_cast<std::uint8_t>(i);
    u.count = 1;
    u.fuzzy = fuzzy_kind(p.tokens[i].kind);
    u.spellings = p.tokens[i].spellings;
    u.other_spellings = p.tokens[i].other_spellings;
    if (!u.spellings.empty() && !u.other_spellings) u.fuzzy = false;
    if (u.fuzzy) {
      u.key = text::phonetic_key(u.text);
      u.pinyin = text::long_pinyin_word(u.text, tables);
      if (auto st = text::stem(u.text); st != u.text) u.alt = std::move(st);
      u.loose = p.tokens[i].loose;
      u.loose_patterns = p.tokens[i].loose_keys;
      for (auto& pat : u.loose_patterns) u.loose_keys.push_back(text::loose_key_of(pat));
    }
    p.units.push_back(std::move(u));
  }
  for (size_t i = 0; i < p.units.size(); ++i) {
    const auto& u = p.units[i];
    if (!u.spellings.empty() || u.text.empty() || u.text[0] < 'a' || u.text[0] > 'z') continue;
    (u.text.size() == 1 ? p.initial_units : p.word_units)[u.text[0] - 'a'] |= 1ull << i;
  }
  for (size_t i = 0; i + 1 < p.tokens.size(); ++i) {
    QueryUnit u;
    u.text = text::stem(p.tokens[i].raw + p.tokens[i + 1].raw);
    u.first = static_cast<std::uint8_t>(i);
    u.count = 2;
    u.fuzzy = fuzzy_kind(p.tokens[i].kind) || fuzzy_kind(p.tokens[i + 1].kind);
    // Two syllables read from Hangul meet a list word that writes them as one (Jongun): every
    // pair of their spellings, the most usual first.
    const auto &ta = p.tokens[i], &tb = p.tokens[i + 1];
    if ((!ta.spellings.empty() && !ta.other_spellings) || (!tb.spellings.empty() && !tb.other_spellings))
      u.fuzzy = false;
    u.other_spellings = ta.other_spellings && tb.other_spellings;
    if (!ta.spellings.empty() && !tb.spellings.empty()) {
      for (size_t rank = 0; rank < ta.spellings.size() + tb.spellings.size() && u.spellings.size() < 64;
           ++rank)
        for (size_t ia = 0; ia <= rank && ia < ta.spellings.size(); ++ia)
          if (size_t ib = rank - ia; ib < tb.spellings.size() && u.spellings.size() < 64)
            u.spellings.push_back(ta.spellings[ia] + tb.spellings[ib]);
    }
    if (u.fuzzy) u.key = text::phonetic_key(u.text);
    // Two words read from the same script that the list writes as one (ما يشو, Maychou): the
    // keys of the two read on.
    const auto &a = p.tokens[i], &b = p.tokens[i + 1];
    if (u.fuzzy && a.loose != text::LooseFamily::kNone && a.loose == b.loose)
      for (const auto& pa : a.loose_keys)
        for (const auto& pb : b.loose_keys) {
          std::string pat = pa + pb, key = text::loose_key_of(pat);
          if (key.size() < text::kMinLooseKey || u.loose_patterns.size() >= 8) continue;
          u.loose = a.loose;
          u.loose_patterns.push_back(std::move(pat));
          u.loose_keys.push_back(std::move(key));
        }
    p.units.push_back(std::move(u));
  }
  return p;
}

// unit_probe_keys lists the same lookups: a lookup added here must be added there
// (tests/match/rescreen_test.cpp holds a rescreen to what a full screening finds).
void QueryPlan::find_neighbours(const Index& index) {
  const auto& vocab = index.vocab();
  // Each vocabulary word is verified once per unit, however many deletion variants lead to it.
  thread_local std::vector<std::uint32_t> seen;
  thread_local std::uint32_t generation = 0;
  if (seen.size() != vocab.size()) {
    seen.assign(vocab.size(), 0);
    generation = 0;
  }
  for (size_t ui = 0; ui < units.size(); ++ui) {
    if (++generation == 0) {
      std::fill(seen.begin(), seen.end(), 0);
      generation = 1;
    }
    auto& u = units[ui];
    u.neighbours.clear();
    bool joined = u.count == 2;
    float scale = joined ? kJoinedSim : 1.0f;
    int cap = joined ? kJoinedEditCap : 2;
    auto add = [&](std::uint32_t v, float sim, bool ph) {
      for (auto& n : u.neighbours)
        if (n.vocab == v) return;  // the same word found twice: the similarity is the same
      u.neighbours.push_back({v, sim, ph});
    };
    if (auto v = index.find_word(u.text); v >= 0) add(static_cast<std::uint32_t>(v), scale, false);
    if (!joined)
      if (auto v = index.find_pair(u.raw); v >= 0) add(static_cast<std::uint32_t>(v), kJoinedSim, false);
    for (const auto& sp : u.spellings) {
      if (auto v = index.find_word(sp); v >= 0) {
        const auto& e = vocab[static_cast<size_t>(v)];
        bool ph = false;
        float sim = e.pair ? 0.0f : unit_similarity(u, e, cap, &ph);
        if (sim > 0 && (!ph || phonetic)) add(static_cast<std::uint32_t>(v), sim * scale, ph);
      }
      // A Chinese given name written as two list words (Ping-keung).
      if (!joined && u.other_spellings && phonetic && sp != u.raw)
        if (auto v = index.find_pair(sp); v >= 0)
          add(static_cast<std::uint32_t>(v), kJoinedSim * kSpellingSim, true);
    }
    if (!u.fuzzy) continue;
    auto verify = [&](std::uint32_t v) {
      if (seen[v] == generation) return;
      seen[v] = generation;
      const auto& e = vocab[v];
      if (e.pair || !fuzzy_kind(e.kind) || e.text == u.text) return;
      bool ph = false;
      float sim = unit_similarity(u, e, cap, &ph);
      if (sim > 0 && (!ph || phonetic)) add(v, sim * scale, ph);
    };
    // Candidates from the typo neighbourhood can only match by edits: skip those whose letters
    // differ too much from every form of the query word (phonetic candidates were seen first).
    std::uint32_t qm[2] = {letter_mask(u.text), u.alt.empty() ? letter_mask(u.text) : letter_mask(u.alt)};
    auto verify_edits = [&](std::uint32_t v) {
      if (seen[v] == generation) return;
      const auto& e = vocab[v];
      bool close = false;
      for (auto m : e.masks) close |= masks_within(qm[0], m, cap) || masks_within(qm[1], m, cap);
      if (close) verify(v);
    };
    if (phonetic && u.text.size() >= 3) index.for_each_phonetic_candidate(u.key, verify);
    for (auto& k : u.loose_keys) index.for_each_loose_candidate(u.loose, k, verify);
    int d = std::min(max_edits(u.text.size()), cap);
    if (d > 0) index.for_each_deletion_candidate(u.text, d, verify_edits);
    if (!u.alt.empty())
      if (int d2 = std::min(max_edits(u.alt.size()), cap); d2 > 0)
        index.for_each_deletion_candidate(u.alt, d2, verify_edits);
  }
  by_vocab.clear();
  std::fill(std::begin(vocab_filter), std::end(vocab_filter), 0);
  for (size_t ui = 0; ui < units.size(); ++ui)
    for (auto& n : units[ui].neighbours) {
      by_vocab.push_back({n.vocab, static_cast<std::uint8_t>(ui), n.sim, n.phonetic});
      unsigned b = vocab_filter_bit(n.vocab);
      vocab_filter[b / 64] |= 1ull << (b % 64);
    }
  std::sort(by_vocab.begin(), by_vocab.end());
}

namespace {

// A lookup key of the rescreen filter: what the index is looked up by, and in which of its maps.
enum class KeyMap : std::uint64_t { kWord = 1, kPair, kDeletion, kPhonetic, kAbjad, kSlavic };
std::uint32_t probe_key(KeyMap map, std::uint64_t hash) {
  std::uint64_t h = hash ^ (static_cast<std::uint64_t>(map) * 0x9E3779B97F4A7C15ull);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  auto k = static_cast<std::uint32_t>(h);
  return k == 0 ? 1 : k;  // 0 marks an empty slot of the filter's table
}

// The lookups of find_neighbours, in its order (some repeated).
void unit_lookups(const QueryUnit& u, bool phonetic, std::vector<std::uint32_t>& out) {
  bool joined = u.count == 2;
  int cap = joined ? kJoinedEditCap : 2;
  out.push_back(probe_key(KeyMap::kWord, text::word_hash(u.text)));
  if (!joined) out.push_back(probe_key(KeyMap::kPair, text::word_hash(u.raw)));
  for (const auto& sp : u.spellings) {
    out.push_back(probe_key(KeyMap::kWord, text::word_hash(sp)));
    if (!joined && u.other_spellings && phonetic && sp != u.raw)
      out.push_back(probe_key(KeyMap::kPair, text::word_hash(sp)));
  }
  if (!u.fuzzy) return;
  if (phonetic && u.text.size() >= 3) out.push_back(probe_key(KeyMap::kPhonetic, text::word_hash(u.key)));
  for (const auto& k : u.loose_keys)
    out.push_back(probe_key(u.loose == text::LooseFamily::kAbjad ? KeyMap::kAbjad : KeyMap::kSlavic,
                            text::word_hash(k)));
  auto deletions = [&](const std::string& form) {
    if (int d = std::min(max_edits(form.size()), cap); d > 0)
      text::for_each_deletion_hash(form, d,
                                   [&](std::uint64_t h) { out.push_back(probe_key(KeyMap::kDeletion, h)); });
  };
  deletions(u.text);
  if (!u.alt.empty()) deletions(u.alt);
}

}  // namespace

void unit_probe_keys(const QueryUnit& u, bool phonetic, std::vector<std::uint32_t>& out) {
  const auto first = static_cast<std::ptrdiff_t>(out.size());
  unit_lookups(u, phonetic, out);
  std::sort(out.begin() + first, out.end());
  out.erase(std::unique(out.begin() + first, out.end()), out.end());
}

void vocab_probe_keys(const Index& index, std::uint32_t v, std::vector<std::uint32_t>& out) {
  const auto& e = index.vocab()[v];
  out.push_back(probe_key(e.pair ? KeyMap::kPair : KeyMap::kWord, text::word_hash(e.text)));
  if (e.pair || !fuzzy_kind(e.kind)) return;
  Index::FuzzyKeys fk;
  Index::add_fuzzy_keys(e, v, fk);
  for (auto& [h, id] : fk.deletions) out.push_back(probe_key(KeyMap::kDeletion, h));
  for (auto& [h, id] : fk.phonetic) out.push_back(probe_key(KeyMap::kPhonetic, h));
  for (auto& [h, id] : fk.abjad) out.push_back(probe_key(KeyMap::kAbjad, h));
  for (auto& [h, id] : fk.slavic) out.push_back(probe_key(KeyMap::kSlavic, h));
}

void candidate_alignments(const QueryPlan& plan, const Index& index, const NameRecord& name, bool person,
                          std::vector<Alignment>& out) {
  out.clear();
  const auto& units = index.units();
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    std::uint32_t v = units[name.first_unit + k].vocab;
    if (!plan.may_meet(v)) continue;
    auto it =
        std::lower_bound(plan.by_vocab.begin(), plan.by_vocab.end(), QueryPlan::ByVocab{v, 0, 0, false});
    for (; it != plan.by_vocab.end() && it->vocab == v; ++it) {
      const auto& qu = plan.units[it->unit];
      if (qu.count == 2 && units[name.first_unit + k].count == 2) continue;
      if (it->phonetic && !person) continue;
      out.push_back({it->unit, k, it->sim, index.hot(v).weight});
    }
  }
  // Initials against the words they may stand for, either way (the vocabulary holds too many words
  // of each first letter to list them as neighbours).
  // By first letter (Index::Hot::initial): a list initial pairs with the query's words of that
  // letter, a list word with the query's initials (initial_of).
  if (!person || !plan.phonetic) return;
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    const auto& nu = units[name.first_unit + k];
    std::uint8_t code = nu.count == 1 ? index.hot(nu.vocab).initial : 0;
    if (!code) continue;
    unsigned letter = (code & 0x7f) - 1;
    for (std::uint64_t m = (code & 0x80) ? plan.word_units[letter] : plan.initial_units[letter]; m;
         m &= m - 1)
      out.push_back(
          {static_cast<std::uint8_t>(__builtin_ctzll(m)), k, kInitialSim, index.hot(nu.vocab).weight});
  }
}

SimilarityMemo::SimilarityMemo(const QueryPlan& plan, const Index& index) : stride_(plan.units.size()) {
  size_t slots = index.vocab().size() * stride_;
  if (slots > kMaxSlots) return;
  sims_.resize(slots);
  state_.assign(index.vocab().size(), kUnknown);
}

void brute_force_alignments(const QueryPlan& plan, const Index& index, const NameRecord& name, bool person,
                            std::vector<Alignment>& out, SimilarityMemo* memo) {
  out.clear();
  const auto& units = index.units();
  const auto& vocab = index.vocab();
  if (memo && !memo->enabled()) memo = nullptr;
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    const auto& nu = units[name.first_unit + k];
    const auto& e = vocab[nu.vocab];
    auto compute = [&](size_t ui, bool* ph) {
      const auto& qu = plan.units[ui];
      *ph = false;
      if (qu.count == 1 && nu.count == 1) return unit_similarity(qu, e, 2, ph);
      if (qu.count == 1 && nu.count == 2) {
        if (qu.raw == e.text) return kJoinedSim;
        *ph = qu.other_spellings &&
              std::find(qu.spellings.begin(), qu.spellings.end(), e.text) != qu.spellings.end();
        return *ph ? kJoinedSim * kSpellingSim : 0.0f;
      }
      if (qu.count == 2 && nu.count == 1) return kJoinedSim * unit_similarity(qu, e, kJoinedEditCap, ph);
      return 0.0f;
    };
    const float* row = memo ? memo->row(nu.vocab, compute) : nullptr;
    if (memo && !row) continue;
    for (std::uint8_t ui = 0; ui < plan.units.size(); ++ui) {
      bool ph = false;
      float sim;
      if (row) {
        sim = row[ui] < 0 ? -row[ui] : row[ui];
        ph = row[ui] < 0;
      } else {
        sim = compute(ui, &ph);
      }
      if (ph && !(plan.phonetic && person)) continue;
      if (sim > 0) out.push_back({ui, k, sim, e.weight});
    }
  }
}

// Whether query word i is the Arabic article of the next word and that word aligns: al-Aouadi is
// Aouadi.
bool article_of_aligned(const QueryPlan& plan, std::uint64_t used, size_t i) {
  return plan.phonetic && plan.tokens[i].text == "al" && i + 1 < plan.tokens.size() && (used >> (i + 1) & 1);
}

// Whether the first and the last word of a query of three words or more are aligned.
bool frame_aligned(const QueryPlan& plan, std::uint64_t used) {
  size_t n = plan.tokens.size();
  return n >= 3 && (used & 1) && (used >> (n - 1) & 1);
}

NameScore score_alignment(const QueryPlan& plan, const Index& index, const NameRecord& name,
                          std::vector<Alignment>& cands) {
  NameScore r;
  std::sort(cands.begin(), cands.end(), [](const Alignment& a, const Alignment& b) {
    float ga = a.sim * a.weight, gb = b.sim * b.weight;
    if (ga != gb) return ga > gb;
    if (a.sim != b.sim) return a.sim > b.sim;
    if (a.unit != b.unit) return a.unit < b.unit;
    return a.name_unit < b.name_unit;
  });
  const auto& units = index.units();
  float m = 0, f = 0;
  for (auto& c : cands) {
    const auto& qu = plan.units[c.unit];
    const auto& nu = units[name.first_unit + c.name_unit];
    std::uint64_t qmask = (qu.count == 2 ? 3ull : 1ull) << qu.first;
    std::uint64_t nmask = (nu.count == 2 ? 3ull : 1ull) << nu.first;
    if ((r.query_used & qmask) || (r.name_used & nmask)) continue;
    r.query_used |= qmask;
    r.name_used |= nmask;
    r.chosen.push_back(c);
    m += 2 * c.sim * c.weight;
    f += 2 * c.weight;
  }
  float uq = 0, un = 0;
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    const auto& nu = units[name.first_unit + k];
    if (nu.count == 1 && !(r.name_used >> nu.first & 1)) un += index.hot(nu.vocab).weight;
  }
  // The query's frame (first and last word) aligns: its other words are middle names. It holds
  // every word of a list name of three words or more: its other words are names the list leaves out.
  r.contained = un == 0 && name.n_tokens >= 3;
  r.frame = frame_aligned(plan, r.query_used);
  const auto& unaligned = r.contained ? plan.extra_weights : (r.frame ? plan.middle_weights : plan.weights);
  for (size_t i = 0; i < plan.tokens.size(); ++i)
    if (!(r.query_used >> i & 1))
      uq += article_of_aligned(plan, r.query_used, i) ? std::min(unaligned[i], kStopWeight) : unaligned[i];
  float denom = f + kAlpha * uq + kBeta * un;
  r.score = denom > 0 ? m / denom : 0;
  if (r.score > 1) r.score = 1;
  // Both names state a legal form and they differ ("Powerair Co., Ltd." against "PowerAir Pte.
  // Ltd."): more likely two companies sharing a name.
  bool query_legal = false, name_legal = false, legal_aligned = false;
  for (size_t i = 0; i < plan.tokens.size(); ++i)
    if (plan.tokens[i].kind == text::TokenKind::kLegal &&
        plan.tokens[i].bridge.empty()) {  // not a translation
      query_legal = true;
      legal_aligned |= (r.query_used >> i & 1) != 0;
    }
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    const auto& nu = units[name.first_unit + k];
    if (nu.count == 1 && index.hot(nu.vocab).kind == text::TokenKind::kLegal) name_legal = true;
  }
  r.legal_conflict = query_legal && name_legal && !legal_aligned;
  if (r.legal_conflict) r.score *= kLegalConflictFactor;
  return r;
}

std::vector<std::string> explain_alignment(const QueryPlan& plan, const Index& index, const NameRecord& name,
                                           const NameScore& s) {
  std::vector<std::string> out;
  const auto& units = index.units();
  const auto& vocab = index.vocab();
  auto name_words = [&](const NameUnit& nu) {
    if (nu.count == 1) return vocab[nu.vocab].text;
    return vocab[units[name.first_unit + nu.first].vocab].text + " " +
           vocab[units[name.first_unit + nu.first + 1].vocab].text;
  };
  for (auto& c : s.chosen) {
    const auto& qu = plan.units[c.unit];
    const auto& nu = units[name.first_unit + c.name_unit];
    std::string q = qu.count == 1 ? plan.tokens[qu.first].text
                                  : plan.tokens[qu.first].text + " " + plan.tokens[qu.first + 1].text;
    for (size_t i = qu.first; i < qu.first + qu.count; ++i)
      if (!plan.tokens[i].bridge.empty()) q += " [" + plan.tokens[i].bridge + "]";
    std::string how;
    if (c.sim >= 1.0f)
      how = "exact";
    else if (qu.count == 2 || nu.count == 2)
      how = "words joined";
    else if (c.sim == kPhoneticSim)
      how = "transliteration variant";
    else if (c.sim == kInitialSim)
      how = "initial";
    else
      how = "spelling variant";
    out.push_back("'" + q + "' ~ '" + name_words(nu) + "': " + how + ", similarity " +
                  format_fixed(c.sim, 2) + ", weight " + format_fixed(c.weight, 1));
  }
  for (size_t i = 0; i < plan.tokens.size(); ++i)
    if (!(s.query_used >> i & 1)) {
      float w = s.contained ? plan.extra_weights[i] : (s.frame ? plan.middle_weights[i] : plan.weights[i]);
      if (article_of_aligned(plan, s.query_used, i)) w = std::min(w, kStopWeight);
      const char* why = w >= plan.weights[i]
                            ? ""
                            : (s.contained ? " (a name the list name leaves out)" : " (a middle name)");
      out.push_back("query word '" + plan.tokens[i].text + "' not in the list name: weight " +
                    format_fixed(w, 1) + " against" + why);
    }
  for (std::uint16_t k = 0; k < name.n_units; ++k) {
    const auto& nu = units[name.first_unit + k];
    if (nu.count == 1 && !(s.name_used >> nu.first & 1))
      out.push_back("list word '" + vocab[nu.vocab].text + "' not in the query: weight " +
                    format_fixed(vocab[nu.vocab].weight, 1) + " counted at half");
  }
  if (s.legal_conflict) out.push_back("legal forms differ: x" + format_fixed(kLegalConflictFactor, 2));
  out.push_back("name score " + format_fixed(s.score, 3));
  return out;
}

}  // namespace clearance::match
