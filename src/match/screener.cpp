#include "clearance/match/screener.hpp"

#include <algorithm>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <unordered_map>

#include "clearance/common/numbers.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/text/distance.hpp"
#include "clearance/text/fold.hpp"
#include "match/index.hpp"
#include "match/scorer.hpp"
#include "match/token_sim.hpp"

namespace clearance {
namespace {

constexpr float kWeakAliasFactor = 0.90f;
constexpr float kCountryMismatchFactor = 0.92f;
constexpr float kBirthMismatchFactor = 0.85f;
constexpr float kTypeMismatchFactor = 0.85f;
// Entity lists often type people as entities, so only a query for an entity against an entry
// known to be a person is a mismatch.
constexpr float kEntityPersonFactor = 0.90f;
// A query whose name states a legal form names a company; a vessel or aircraft has none. The
// type alone says nothing (a vessel is screened as an entity), the legal form does.
constexpr float kCompanyCraftFactor = 0.90f;
// A person's name whose every word is common on the lists (John Smith): many people share it, so
// a date of birth or country that conflicts says it is someone else (below the default threshold).
constexpr std::uint32_t kCommonWordNames = 3;  // list names a word is in to be common
constexpr float kCommonBirthMismatchFactor = 0.75f;
constexpr float kCommonCountryMismatchFactor = 0.80f;

// Identifier numbers compare on letters and digits only, upper case.
std::string id_key(std::string_view number) {
  std::string k;
  for (char c : number) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
      k += c;
    else if (c >= 'a' && c <= 'z')
      k += static_cast<char>(c - 32);
  }
  return k;
}

// The identifier keys of a query: "IMO 9187629" with type IMO without the type word; keys shorter
// than four characters say too little to match on.
std::vector<std::string> query_id_keys(const ScreenQuery& q) {
  std::vector<std::string> keys;
  for (auto& qid : q.ids) {
    std::string_view number = qid.number;
    for (std::string_view prefix :
         {std::string_view(qid.type), std::string_view("IMO"), std::string_view("MMSI")})
      if (!prefix.empty() && starts_with_icase(number, prefix) && number.size() > prefix.size() + 5) {
        number.remove_prefix(prefix.size());
        break;
      }
    if (auto k = id_key(number); k.size() >= 4) keys.push_back(std::move(k));
  }
  return keys;
}

// Prefix filtering: a name that aligns only with the words in L cannot reach min_score when
// 2·P_L / (2·P_L + α·A_H) < min_score, where P_L bounds the weight the words of L can align and
// A_H is the weight of the other words, left unaligned. So only units touching a word outside L
// need their postings scanned. Costly words go to L first. Returns L as a mask of token positions.
std::uint64_t words_that_cannot_hit(const match::QueryPlan& plan, const match::Index& index,
                                    float min_score) {
  const auto& vocab = index.vocab();
  size_t n = plan.tokens.size();
  std::vector<float> potential(n, 0.0f);
  std::vector<size_t> cost(n, 0);
  for (auto& u : plan.units) {
    float wmax = 0;
    size_t c = 0;
    for (auto& nb : u.neighbours) {
      auto v = nb.vocab;
      wmax = std::max(wmax, vocab[v].weight);
      c += index.posting_size(v);
    }
    for (size_t i = u.first; i < u.first + u.count; ++i) {
      potential[i] = std::max(potential[i], wmax);
      cost[i] += c;
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost[a] > cost[b]; });
  std::uint64_t in_l = 0;
  float pl = 0, ah = 0;
  // The least the other words may cost: a middle or extra name left out costs less.
  for (size_t i = 0; i < n; ++i) ah += plan.extra_weights[i];
  for (size_t i : order) {
    float pl2 = pl + potential[i], ah2 = ah - plan.extra_weights[i];
    float denom = 2 * pl2 + match::kAlpha * ah2;
    float bound = denom > 0 ? 2 * pl2 / denom : 1.0f;
    if (bound < min_score - 1e-4f) {
      in_l |= 1ull << i;
      pl = pl2;
      ah = ah2;
    }
  }
  return in_l;
}

// The mask of query tokens a unit covers.
std::uint64_t unit_mask(const match::QueryUnit& u) { return (u.count == 2 ? 3ull : 1ull) << u.first; }

// A name as written, folded and with runs of spaces and punctuation made one space: the form
// ties are broken on.
std::string surface(std::string_view name) {
  std::string f = text::fold(name), out;
  bool gap = false;
  for (char c : f) {
    bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (!word) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

// Whether a query may align an initial of its own with list words by their first letter
// (names_may_hit): a person's name with a one-letter word.
bool has_initial(const QueryProbe& probe) {
  if (!probe.phonetic) return false;
  for (const auto& t : probe.tokens)
    if (t.spellings.empty() && t.text.size() == 1 && t.text[0] >= 'a' && t.text[0] <= 'z') return true;
  return false;
}

}  // namespace

struct Screener::Impl {
  std::shared_ptr<const Screener> base;  // build_subset: the screener whose parties these are
  // build_subset: every lookup key of the words of these names -> the heaviest such word's weight
  // and the words themselves (key_words[begin, end)), in a table by open addressing (key 0 empty),
  // for may_hit.
  struct KeySlot {
    std::uint32_t key = 0;
    float weight = 0;
    std::uint32_t begin = 0, end = 0;
  };
  std::vector<KeySlot> key_slots;
  struct KeyWord {
    std::uint32_t vocab;
    // The most of a name here the word can cover: over the names holding it, (its weight × how
    // often the name holds it + the name's initials' weight) / the weight of the name's single
    // words. A query whose met words' shares add up to less than names_may_hit needs of some name
    // cannot hit any name (may_hit), and need not be weighed.
    float share;
    // Its weight times the most often one name here holds it: with name_singles and name_initials
    // (per name here, the weight of its single words and of its initials), may_hit's second bound,
    // name by name, still without weighing the query.
    float weight;
  };
  std::vector<KeyWord> key_words;
  std::vector<float> name_singles, name_initials;
  // One bit per key value modulo its size, set for the keys of key_slots: small enough to stay
  // in cache, it answers most lookups (keys no name here has) without touching the table.
  std::vector<std::uint64_t> key_bits;
  // Whether the key may be in key_slots (its bit is set): no branch, so that a row's keys are
  // tested with their loads overlapping.
  std::uint32_t key_may_be(std::uint32_t key) const {
    const std::uint32_t bit = key & static_cast<std::uint32_t>(key_bits.size() * 64 - 1);
    return static_cast<std::uint32_t>(key_bits[bit >> 6] >> (bit & 63) & 1);
  }
  // The key's slot, for a key whose bit is set (key_may_be).
  const KeySlot* key_slot(std::uint32_t key) const {
    const size_t mask = key_slots.size() - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
      const auto& s = key_slots[i];
      if (s.key == key) return &s;
      if (s.key == 0) return nullptr;
    }
  }
  // For every word of these names (the index's vocabulary numbering): KeyWord::share, and its
  // weight times the most often one name holds it (KeyWord). Fills name_singles, name_initials.
  void word_shares(std::vector<float>& share, std::vector<float>& weight) {
    const auto& vocab = index.vocab();
    const auto& units = index.units();
    share.assign(vocab.size(), 0.0f);
    weight.assign(vocab.size(), 0.0f);
    name_singles.clear();
    name_initials.clear();
    for (const auto& rec : index.names()) {
      float singles = 0, initials = 0;
      for (std::uint32_t k = rec.first_unit; k < rec.first_unit + rec.n_units; ++k) {
        const auto& e = vocab[units[k].vocab];
        if (units[k].count != 1) continue;
        singles += e.weight;
        // A list initial meets every query word of its letter (names_may_hit), met or not.
        if (e.kind == text::TokenKind::kWord && e.text.size() == 1 && e.text[0] >= 'a' && e.text[0] <= 'z')
          initials += e.weight;
      }
      const bool unbounded = singles <= 0 || rec.n_tokens > 64;  // names_may_hit: true at once
      name_singles.push_back(unbounded ? 0.0f : singles);
      name_initials.push_back(initials);
      for (std::uint32_t k = rec.first_unit; k < rec.first_unit + rec.n_units; ++k) {
        const std::uint32_t v = units[k].vocab;
        float times = 0;
        for (std::uint32_t j = rec.first_unit; j < rec.first_unit + rec.n_units; ++j)
          times += units[j].vocab == v;
        float s = unbounded ? std::numeric_limits<float>::infinity()
                            : (times * vocab[v].weight + initials) / singles;
        share[v] = std::max(share[v], s);
        weight[v] = std::max(weight[v], times * vocab[v].weight);
      }
    }
  }
  void index_probe_keys() {
    std::vector<float> share, weight;
    word_shares(share, weight);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> all;  // (key, vocabulary entry)
    std::vector<std::uint32_t> keys;
    for (std::uint32_t v = 0; v < index.vocab().size(); ++v) {
      if (index.posting_size(v) == 0) continue;
      keys.clear();
      match::vocab_probe_keys(index, v, keys);
      for (auto k : keys) all.emplace_back(k, v);
    }
    using Item = std::pair<std::uint32_t, std::uint32_t>;  // a radix sort on the key (Boost spreadsort)
    boost::sort::spreadsort::integer_sort(
        all.begin(), all.end(), [](const Item& x, unsigned shift) { return x.first >> shift; },
        [](const Item& a, const Item& b) { return a < b; });
    all.erase(std::unique(all.begin(), all.end()), all.end());
    size_t distinct = 0;
    for (size_t i = 0; i < all.size(); ++i) distinct += i == 0 || all[i].first != all[i - 1].first;
    size_t size = 16;
    while (size < distinct * 2) size <<= 1;
    key_slots.assign(size, {});
    key_words.clear();
    // 64 bits per slot, 128 per key: few keys no name here has reach the table.
    key_bits.assign(std::max<size_t>(size, 1), 0);
    const std::uint32_t bit_mask = static_cast<std::uint32_t>(key_bits.size() * 64 - 1);
    for (size_t b = 0; b < all.size();) {
      const std::uint32_t k = all[b].first;
      size_t e = b;
      float w = 0;
      for (; e < all.size() && all[e].first == k; ++e) {
        key_words.push_back({all[e].second, share[all[e].second], weight[all[e].second]});
        w = std::max(w, index.vocab()[all[e].second].weight);
      }
      key_bits[(k & bit_mask) >> 6] |= std::uint64_t{1} << (k & bit_mask & 63);
      for (size_t i = k & (size - 1);; i = (i + 1) & (size - 1))
        if (key_slots[i].key == 0) {
          key_slots[i] = {k, w, static_cast<std::uint32_t>(key_words.size() - (e - b)),
                          static_cast<std::uint32_t>(key_words.size())};
          break;
        }
      b = e;
    }
  }
  // may_hit: a word of a name here that a query unit shares a key with.
  struct Met {
    std::uint32_t vocab;
    std::uint8_t unit;
    float share;   // KeyWord::share
    float weight;  // KeyWord::weight
    bool operator<(const Met& o) const { return vocab != o.vocab ? vocab < o.vocab : unit < o.unit; }
  };
  // may_hit: the names here whose words met (`met` in word order) and initials cover `needed` of
  // their single words' weight, each once: the only names names_may_hit may find reachable.
  void covered_names(const std::vector<Met>& met, float needed, std::vector<std::uint32_t>& names) const {
    thread_local std::vector<float> covered;
    thread_local std::vector<std::uint32_t> stamp;
    thread_local std::uint32_t generation = 0;
    if (stamp.size() != name_singles.size()) {
      stamp.assign(name_singles.size(), 0);
      covered.assign(name_singles.size(), 0.0f);
      generation = 0;
    }
    if (++generation == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      generation = 1;
    }
    for (size_t i = 0; i < met.size(); ++i) {
      if (i > 0 && met[i].vocab == met[i - 1].vocab) continue;
      for (auto* it = index.postings_begin(met[i].vocab); it != index.postings_end(met[i].vocab); ++it) {
        const std::uint32_t name = *it;
        if (stamp[name] != generation) {
          stamp[name] = generation;
          covered[name] = name_initials[name];
        }
        covered[name] += met[i].weight;
        if (covered[name] >= needed * name_singles[name]) {
          names.push_back(name);
          covered[name] = -std::numeric_limits<float>::infinity();  // listed once
        }
      }
    }
  }
  // may_hit, name by name: whether some name holding a word met may score min_score. A bound on
  // score_alignment's M / (F + α·Uq + β·Un) for that name: every name word met (or that a query
  // word may be an initial of, or the other way) aligned at similarity 1 (F, and M ≤ F), the query
  // words no unit covering them meets a word of the name left out at their least weight (Uq), and
  // the name's words at positions no word met covers left out (Un). The factors screen() applies
  // after it never raise a score. `met` is in word order.
  // With `names`, only those are looked at (covered_names); else every name holding a word met.
  bool names_may_hit(const QueryProbe& probe, const std::vector<Met>& met,
                     const std::vector<std::uint32_t>* names, const std::vector<float>& weights,
                     const std::vector<float>& middle, const std::vector<float>& extra,
                     float min_score) const {
    const auto& vocab = index.vocab();
    const auto& units = index.units();
    const size_t n = probe.tokens.size();
    if (n > 64) return true;  // beyond the masks (screening reads at most 60 words)
    // The query's tokens each word met can align with: through single units, through joins.
    struct Reach {
      std::uint32_t vocab;
      std::uint64_t singles = 0, joins = 0;
    };
    thread_local std::vector<Reach> reach;
    thread_local std::vector<std::uint32_t> cand;
    reach.clear();
    cand.clear();
    for (const auto& m : met) {
      if (m.unit >= probe.units.size()) continue;
      const auto& u = probe.units[m.unit];
      if (u.first >= n || u.first + u.count > n) continue;
      if (reach.empty() || reach.back().vocab != m.vocab) {
        reach.push_back({m.vocab});
        if (!names) cand.insert(cand.end(), index.postings_begin(m.vocab), index.postings_end(m.vocab));
      }
      (u.count == 2 ? reach.back().joins : reach.back().singles) |= (u.count == 2 ? 3ull : 1ull) << u.first;
    }
    if (names) {
      cand = *names;
    } else {
      std::sort(cand.begin(), cand.end());
      cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    }
    // The query's words by first letter: initials (one letter), and words of two letters or more
    // (initial_of), each word that is a unit of its own (no Hangul spellings).
    std::uint64_t initial_by_letter[26] = {}, word_by_letter[26] = {};
    for (size_t i = 0; i < n; ++i) {
      const auto& t = probe.tokens[i];
      if (!t.spellings.empty() || t.text.empty() || t.text[0] < 'a' || t.text[0] > 'z') continue;
      (t.text.size() == 1 ? initial_by_letter : word_by_letter)[t.text[0] - 'a'] |= 1ull << i;
    }
    // The least a query word left out weighs (as an extra name; an article by its aligned word).
    float least[64];
    for (size_t i = 0; i < n; ++i) {
      least[i] = std::min({weights[i], middle[i], extra[i]});
      if (probe.phonetic && probe.tokens[i].text == "al") least[i] = std::min(least[i], match::kStopWeight);
    }
    for (auto name : cand) {
      const auto& rec = index.names()[name];
      if (rec.n_tokens > 64) return true;
      std::uint64_t query_reached = 0, name_reached = 0;
      float f = 0;
      for (std::uint32_t k = rec.first_unit; k < rec.first_unit + rec.n_units; ++k) {
        const auto& nu = units[k];
        const auto& e = vocab[nu.vocab];
        std::uint64_t q = 0;
        auto it = std::lower_bound(reach.begin(), reach.end(), nu.vocab,
                                   [](const Reach& r, std::uint32_t v) { return r.vocab < v; });
        if (it != reach.end() && it->vocab == nu.vocab)
          q = nu.count == 2 ? it->singles : it->singles | it->joins;
        // Initials, either way (candidate_alignments, match::initial_of): between single words,
        // names of people.
        if (probe.phonetic && nu.count == 1 && e.kind == text::TokenKind::kWord && !e.text.empty() &&
            e.text[0] >= 'a' && e.text[0] <= 'z')
          q |= e.text.size() == 1 ? word_by_letter[e.text[0] - 'a'] : initial_by_letter[e.text[0] - 'a'];
        if (!q) continue;
        query_reached |= q;
        name_reached |= (nu.count == 2 ? 3ull : 1ull) << nu.first;
        f += e.weight;
      }
      if (f <= 0) continue;
      float uq = 0, un = 0;
      for (size_t i = 0; i < n; ++i)
        if (!(query_reached >> i & 1)) uq += least[i];
      for (std::uint32_t k = rec.first_unit; k < rec.first_unit + rec.n_units; ++k) {
        const auto& nu = units[k];
        if (nu.count == 1 && !(name_reached >> nu.first & 1)) un += vocab[nu.vocab].weight;
      }
      if (2 * f / (2 * f + match::kAlpha * uq + match::kBeta * un) >= min_score) return true;
    }
    return false;
  }
  std::vector<ListSnapshot> snapshots;
  std::shared_ptr<const TextTables> tables;
  std::vector<const Party*> parties;
  std::vector<match::ExtraName> extra_names;  // Chinese names from the alias tables
  match::Index index;

  const std::string& name_text(const match::NameRecord& rec) const {
    return rec.extra != match::kNoExtra ? extra_names[rec.extra].text
                                        : parties[rec.party]->names[rec.name_index].text;
  }

  // Alias-table names of listed entities: a Chinese name is added to every party that has a name
  // equal (after normalisation) to the row's English name.
  void attach_aliases() {
    auto key = [&](const std::string& name, PartyType type) {
      std::string k;
      for (auto& t : text::tokenize_name(name, type, *tables)) k += t.text + ' ';
      return k;
    };
    std::unordered_map<std::string, std::vector<std::uint32_t>> wanted;  // key of an English alias -> rows
    for (std::uint32_t r = 0; r < tables->aliases.size(); ++r)
      wanted[key(tables->aliases[r].english, PartyType::kEntity)].push_back(r);
    if (wanted.empty()) return;
    for (std::uint32_t p = 0; p < parties.size(); ++p) {
      if (parties[p]->type == PartyType::kPerson) continue;
      std::vector<std::uint32_t> rows;
      for (auto& n : parties[p]->names) {
        auto it = wanted.find(key(n.text, parties[p]->type));
        if (it != wanted.end()) rows.insert(rows.end(), it->second.begin(), it->second.end());
      }
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      for (auto r : rows) {
        const auto& a = tables->aliases[r];
        bool known = false;
        for (auto& n : parties[p]->names) known |= n.text == a.chinese;
        for (auto& x : extra_names) known |= x.party == p && x.text == a.chinese;
        if (!known)
          extra_names.push_back(
              {p, a.chinese, a.chinese + " = " + a.english + (a.note.empty() ? "" : " (" + a.note + ")"), r});
      }
    }
  }
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_id;  // identifier key -> parties
  void index_ids() {
    for (std::uint32_t p = 0; p < parties.size(); ++p)
      for (auto& id : parties[p]->ids) {
        auto k = id_key(id.number);
        if (k.size() >= 4) {
          auto& v = by_id[k];
          if (v.empty() || v.back() != p) v.push_back(p);
        }
      }
  }

  struct Candidate {
    std::uint32_t name;
    float score;
  };

  std::vector<Hit> screen_plan(const ScreenQuery& q, match::QueryPlan plan, QueryProbe* probe) const;
  match::QueryPlan plan(const ScreenQuery& q, const QueryProbe* known = nullptr) const {
    auto toks = known ? known->tokens : text::tokenize_name(q.name, q.type, *tables);
    return match::QueryPlan::prepare(std::move(toks), index, q.type != PartyType::kEntity, *tables);
  }

  // Whether a person's name is made of words common on the lists (kCommonWordNames).
  bool common_person_name(const Party& p, const match::NameRecord& rec) const {
    if (p.type != PartyType::kPerson) return false;
    bool any = false;
    for (std::uint32_t u = rec.first_unit; u < rec.first_unit + rec.n_units; ++u) {
      const auto& unit = index.units()[u];
      if (unit.count != 1) continue;
      const auto& e = index.vocab()[unit.vocab];
      if (e.kind != text::TokenKind::kWord) continue;
      if (e.df < kCommonWordNames) return false;
      any = true;
    }
    return any;
  }

  // Multiplies in the factors beyond the name; appends their explanation when asked.
  float apply_factors(const ScreenQuery& q, const match::QueryPlan& plan, const Party& p,
                      const match::NameRecord& rec, float s, std::vector<std::string>* why) const {
    bool common = q.type != PartyType::kEntity && common_person_name(p, rec);
    float country_factor = common ? kCommonCountryMismatchFactor : kCountryMismatchFactor;
    float birth_factor = common ? kCommonBirthMismatchFactor : kBirthMismatchFactor;
    const char* common_note = common ? " (a common name)" : "";
    if (rec.kind == NameKind::kWeak) {
      s *= kWeakAliasFactor;
      if (why) why->push_back("weak a.k.a. counts less: x" + format_fixed(kWeakAliasFactor, 2));
    }
    if (!q.country.empty() && !p.countries.empty()) {
      bool found = std::find(p.countries.begin(), p.countries.end(), q.country) != p.countries.end();
      if (!found) {
        s *= country_factor;
        if (why) {
          std::string cs;
          for (auto& c : p.countries) cs += (cs.empty() ? "" : ",") + c;
          why->push_back("country " + q.country + " not among the entry's countries (" + cs + ")" +
                         common_note + ": x" + format_fixed(country_factor, 2));
        }
      } else if (why) {
        why->push_back("country " + q.country + " matches");
      }
    }
    if (q.type == PartyType::kEntity && p.type == PartyType::kPerson) {
      s *= kEntityPersonFactor;
      if (why)
        why->push_back("query is an entity, entry is a person: x" + format_fixed(kEntityPersonFactor, 2));
    }
    if (q.type == PartyType::kPerson && (p.type == PartyType::kVessel || p.type == PartyType::kAircraft)) {
      s *= kTypeMismatchFactor;
      if (why)
        why->push_back("query is a person, entry is a " + std::string(to_string(p.type)) + ": x" +
                       format_fixed(kTypeMismatchFactor, 2));
    }
    if (plan.legal_form && (p.type == PartyType::kVessel || p.type == PartyType::kAircraft)) {
      s *= kCompanyCraftFactor;
      if (why)
        why->push_back("query names a company (a legal form), entry is a " + std::string(to_string(p.type)) +
                       ": x" + format_fixed(kCompanyCraftFactor, 2));
    }
    if (q.birth_date.size() >= 4 && !p.birth_dates.empty()) {
      int qy = std::atoi(q.birth_date.substr(0, 4).c_str());
      bool close = false;
      for (auto& d : p.birth_dates)
        if (d.size() >= 4 && std::abs(std::atoi(d.substr(0, 4).c_str()) - qy) <= 1) close = true;
      if (!close) {
        s *= birth_factor;
        if (why)
          why->push_back("date of birth " + q.birth_date + " differs from the entry's" + common_note + ": x" +
                         format_fixed(birth_factor, 2));
      } else if (why) {
        why->push_back("date of birth " + q.birth_date + " consistent with the entry");
      }
    }
    return s;
  }

  std::vector<Hit> finish(const ScreenQuery& q, const match::QueryPlan& plan, std::vector<Candidate>& cands,
                          bool brute) const {
    // Best name per party; among equal scores the name written as the query is.
    // The query as written, folded: only ties need it, and most queries have no hit at all.
    std::optional<std::string> folded;
    auto folded_query = [&]() -> const std::string& {
      if (!folded) folded = surface(q.name);
      return *folded;
    };
    auto as_written = [&](std::uint32_t name) {
      return surface(name_text(index.names()[name])) == folded_query();
    };
    std::unordered_map<std::uint32_t, Candidate> best;
    for (auto& c : cands) {
      auto party = index.names()[c.name].party;
      auto it = best.find(party);
      if (it == best.end() || c.score > it->second.score) {
        best[party] = c;
      } else if (c.score == it->second.score) {
        bool a = as_written(c.name), b = as_written(it->second.name);
        if (a > b || (a == b && c.name < it->second.name)) it->second = c;
      }
    }
    // Identifiers: an exact match is decisive.
    std::unordered_map<std::uint32_t, std::string> id_hits;
    for (auto& qid : q.ids) {
      for (auto& k : query_id_keys({.ids = {qid}})) {
        auto it = by_id.find(k);
        if (it == by_id.end()) continue;
        for (auto p : it->second) id_hits[p] = (qid.type.empty() ? "" : qid.type + " ") + qid.number;
      }
    }
    std::vector<std::pair<std::uint32_t, Candidate>> ranked(best.begin(), best.end());
    for (auto& [p, why] : id_hits)
      if (!best.count(p)) {
        // Find the party's primary name record for display.
        for (std::uint32_t n = 0; n < index.names().size(); ++n)
          if (index.names()[n].party == p) {
            ranked.push_back({p, {n, 0.0f}});
            break;
          }
      }
    for (auto& [p, c] : ranked) {
      if (id_hits.count(p)) c.score = 1.0f;
      c.score = std::round(c.score * 10000.0f) / 10000.0f;  // ties are ties at the precision shown
    }
    // Best score first. Equal scores: the entry whose matched name is written most like the query
    // comes first (same spelling, then the entry's primary name, then fewest character
    // differences, then the alias table's first row for a Chinese name). The keys are computed
    // only for entries that tie.
    std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
      if (a.second.score != b.second.score) return a.second.score > b.second.score;
      return a.first < b.first;
    });
    auto key = [&](const std::pair<std::uint32_t, Candidate>& r) {
      const auto& rec = index.names()[r.second.name];
      std::string m = surface(name_text(rec));
      return std::make_tuple(m == folded_query() ? 0 : 1, rec.kind == NameKind::kPrimary ? 0 : 1,
                             text::osa_distance(m, folded_query(), 64),
                             rec.extra == match::kNoExtra ? 0u : extra_names[rec.extra].row, r.first);
    };
    for (size_t b = 0; b < ranked.size() && b < q.limit;) {
      size_t e = b + 1;
      while (e < ranked.size() && ranked[e].second.score == ranked[b].second.score) ++e;
      if (e - b > 1) {
        std::vector<std::pair<decltype(key(ranked[b])), size_t>> keyed;
        for (size_t i = b; i < e; ++i) keyed.emplace_back(key(ranked[i]), i);
        std::sort(keyed.begin(), keyed.end());
        std::vector<std::pair<std::uint32_t, Candidate>> run;
        for (auto& [k, i] : keyed) run.push_back(ranked[i]);
        std::copy(run.begin(), run.end(), ranked.begin() + static_cast<std::ptrdiff_t>(b));
      }
      b = e;
    }
    std::vector<Hit> hits;
    std::vector<match::Alignment> al;
    for (auto& [p, c] : ranked) {
      if (hits.size() >= q.limit) break;
      const auto& rec = index.names()[c.name];
      const Party& party = *parties[p];
      Hit h;
      h.score = std::round(static_cast<double>(c.score) * 10000.0) / 10000.0;
      h.party = &party;
      h.matched_name = name_text(rec);
      h.matched_kind = rec.kind;
      bool person = party.type == PartyType::kPerson;
      if (brute)
        match::brute_force_alignments(plan, index, rec, person, al);
      else
        match::candidate_alignments(plan, index, rec, person, al);
      auto ns = match::score_alignment(plan, index, rec, al);
      h.explanation = match::explain_alignment(plan, index, rec, ns);
      if (rec.extra != match::kNoExtra)
        h.explanation.insert(h.explanation.begin(),
                             "name from the alias table: " + extra_names[rec.extra].note);
      apply_factors(q, plan, party, rec, ns.score, &h.explanation);
      if (id_hits.count(p))
        h.explanation.push_back("identifier " + id_hits[p] + " matches the entry: decisive");
      hits.push_back(std::move(h));
    }
    return hits;
  }
};

Screener::Screener() : impl_(std::make_unique<Impl>()) {}
Screener::~Screener() = default;

std::unique_ptr<Screener> Screener::build(std::vector<ListSnapshot> snapshots,
                                          std::shared_ptr<const TextTables> tables) {
  std::unique_ptr<Screener> s(new Screener());
  auto& im = *s->impl_;
  im.snapshots = std::move(snapshots);
  im.tables = std::move(tables);
  for (auto& snap : im.snapshots)
    for (auto& p : snap.parties) im.parties.push_back(&p);
  im.attach_aliases();
  im.index.build(im.parties, im.extra_names, *im.tables);
  im.index_ids();
  return s;
}

std::unique_ptr<Screener> Screener::build_subset(std::shared_ptr<const Screener> full,
                                                 const std::function<bool(const Party&)>& keep) {
  std::unique_ptr<Screener> s(new Screener());
  auto& im = *s->impl_;
  const auto& fm = *full->impl_;
  im.tables = fm.tables;
  std::vector<std::int64_t> party_map(fm.parties.size(), -1), extra_map(fm.extra_names.size(), -1);
  for (std::uint32_t p = 0; p < fm.parties.size(); ++p)
    if (keep(*fm.parties[p])) {
      party_map[p] = static_cast<std::int64_t>(im.parties.size());
      im.parties.push_back(fm.parties[p]);
    }
  for (std::uint32_t x = 0; x < fm.extra_names.size(); ++x)
    if (party_map[fm.extra_names[x].party] >= 0) {
      extra_map[x] = static_cast<std::int64_t>(im.extra_names.size());
      auto e = fm.extra_names[x];
      e.party = static_cast<std::uint32_t>(party_map[e.party]);
      im.extra_names.push_back(std::move(e));
    }
  im.index.build_subset(fm.index, party_map, extra_map);
  im.index_ids();
  im.index_probe_keys();
  im.base = std::move(full);
  return s;
}

const std::vector<ListSnapshot>& Screener::snapshots() const { return impl_->snapshots; }
std::string Screener::lists_note() const {
  size_t entries = 0;
  for (const auto& s : impl_->snapshots)
    if (s.info.bundled_sample) entries += s.parties.size();
  if (!entries) return {};
  return "no lists imported in this data home: screened against the " + std::to_string(entries) +
         " entries of the bundled sample lists, not the official lists (import them with "
         "`clearance lists import FILE…`)";
}

size_t Screener::party_count() const { return impl_->parties.size(); }
size_t Screener::name_count() const { return impl_->index.names().size(); }

std::vector<Hit> Screener::screen(const ScreenQuery& q) const { return screen(q, nullptr); }

std::vector<Hit> Screener::screen(const ScreenQuery& q, QueryProbe* probe, const QueryProbe* known) const {
  auto plan = impl_->plan(q, known);
  return impl_->screen_plan(q, std::move(plan), probe);
}

Result<std::vector<Hit>> Screener::screen_words(const ScreenQuery& q, QueryProbe* probe,
                                                const QueryProbe* known) const {
  auto plan = impl_->plan(q, known);
  if (plan.tokens.empty())
    return Error::BadInput(
        "name: no word to screen in '" + q.name +
        "': screening reads none of its characters as a letter of a name (give its Latin spelling)");
  return impl_->screen_plan(q, std::move(plan), probe);
}

std::vector<Hit> Screener::Impl::screen_plan(const ScreenQuery& q, match::QueryPlan plan,
                                             QueryProbe* probe) const {
  const auto& im = *this;
  float min_score = static_cast<float>(std::max(q.min_score, 0.01));
  if (probe) {
    probe->tokens = plan.tokens;
    probe->units.clear();
    probe->keys.clear();
    for (const auto& u : plan.units) {
      match::unit_probe_keys(u, plan.phonetic, probe->keys);
      probe->units.push_back({u.first, u.count, static_cast<std::uint32_t>(probe->keys.size())});
    }
    probe->id_keys = query_id_keys(q);
    probe->phonetic = plan.phonetic;
  }
  plan.find_neighbours(im.index);
  const std::uint64_t in_l = words_that_cannot_hit(plan, im.index, min_score);

  thread_local std::vector<std::uint32_t> stamp;
  thread_local std::uint32_t generation = 0;
  const auto& names = im.index.names();
  if (stamp.size() != names.size()) {
    stamp.assign(names.size(), 0);
    generation = 0;
  }
  if (++generation == 0) {
    std::fill(stamp.begin(), stamp.end(), 0);
    generation = 1;
  }

  std::vector<Impl::Candidate> cands;
  std::vector<match::Alignment> al;
  for (auto& u : plan.units) {
    if ((unit_mask(u) & ~in_l) == 0) continue;  // only words of L: skipped by the bound
    for (auto& nb : u.neighbours) {
      auto v = nb.vocab;
      for (auto* it = im.index.postings_begin(v); it != im.index.postings_end(v); ++it) {
        std::uint32_t name = *it;
        if (stamp[name] == generation) continue;
        stamp[name] = generation;
        const auto& rec = names[name];
        match::candidate_alignments(plan, im.index, rec, rec.person, al);
        auto ns = match::score_alignment(plan, im.index, rec, al);
        if (ns.score < min_score) continue;  // factors never raise a score
        float f = im.apply_factors(q, plan, *im.parties[rec.party], rec, ns.score, nullptr);
        if (f >= min_score) cands.push_back({name, f});
      }
    }
  }
  return im.finish(q, plan, cands, false);
}

bool Screener::may_hit(const QueryProbe& probe, double min_score_in) const {
  const auto& im = *impl_;
  if (!im.base) return true;
  for (const auto& k : probe.id_keys)
    if (im.by_id.count(k)) return true;
  const float min_score = static_cast<float>(std::max(min_score_in, 0.01)) - 1e-4f;
  // The words of the names here each unit shares a key with (a superset of the neighbours
  // screen() finds), and the most each token can align with: the heaviest of them.
  const size_t n = probe.tokens.size();
  thread_local std::vector<Impl::Met> met;
  thread_local std::vector<float> potential;
  // First every key's bit, without a branch: most rows have no key a name here has.
  thread_local std::vector<std::uint32_t> flagged;  // the keys whose bit is set, in order
  const auto keys = static_cast<std::uint32_t>(probe.keys.size());
  flagged.resize(keys);
  std::uint32_t n_flagged = 0;
  if (!im.key_slots.empty())
    for (std::uint32_t k = 0; k < keys; ++k) {
      flagged[n_flagged] = k;
      n_flagged += im.key_may_be(probe.keys[k]);
    }
  if (n_flagged == 0) return false;
  met.clear();
  potential.assign(n, 0.0f);
  std::uint32_t f = 0;
  for (size_t ui = 0; ui < probe.units.size(); ++ui) {
    const auto& u = probe.units[ui];
    float w = 0;
    const size_t unit_met = met.size();
    for (; f < n_flagged && flagged[f] < u.keys_end; ++f)
      if (const auto* slot = im.key_slot(probe.keys[flagged[f]])) {
        w = std::max(w, slot->weight);
        for (std::uint32_t x = slot->begin; x < slot->end; ++x) {
          const auto& kw = im.key_words[x];
          // A word met by several keys of the unit (its typo variants) is met once.
          bool known = false;
          for (size_t j = unit_met; j < met.size() && !known; ++j) known = met[j].vocab == kw.vocab;
          if (!known) met.push_back({kw.vocab, static_cast<std::uint8_t>(ui), kw.share, kw.weight});
        }
      }
    if (w <= 0) continue;
    for (size_t i = u.first; i < size_t{u.first} + u.count && i < n; ++i)
      potential[i] = std::max(potential[i], w);
  }
  if (met.empty()) return false;
  std::sort(met.begin(), met.end());  // by word (names_may_hit)
  // Without weighing the query: every name here needs a share of its words' weight met that the
  // words met cannot add up to. Not when a query initial may meet words no key met.
  thread_local std::vector<std::uint32_t> reachable;  // the names that may still be reached
  const std::vector<std::uint32_t>* names = nullptr;
  if (n <= 64 && !has_initial(probe)) {
    const float needed = match::kBeta * min_score / (2 * (1 - min_score) + match::kBeta * min_score);
    float shares = 0;
    for (size_t i = 0; i < met.size(); ++i)
      if (i == 0 || met[i].vocab != met[i - 1].vocab) shares += met[i].share;
    if (shares < needed * (1 - 1e-4f)) return false;
    // Name by name: the weight of its words met (and its initials) against what it needs.
    reachable.clear();
    im.covered_names(met, needed * (1 - 1e-4f), reachable);
    if (reachable.empty()) return false;
    names = &reachable;
  }
  // Weighed as screen() weighs it: 2·P / (2·P + α·A), P the potentials, A what the tokens no name
  // here can align with weigh left out (the least: as extra names).
  thread_local std::vector<float> weights, middle, extra;
  match::weigh_tokens(probe.tokens, probe.phonetic, im.index, *im.tables, weights, middle, extra);
  float p = 0, a = 0;
  for (size_t i = 0; i < n; ++i) (potential[i] > 0 ? p : a) += potential[i] > 0 ? potential[i] : extra[i];
  float denom = 2 * p + match::kAlpha * a;
  if (denom > 0 && 2 * p / denom < min_score) return false;
  return im.names_may_hit(probe, met, names, weights, middle, extra, min_score);
}

std::vector<Hit> Screener::screen_brute_force(const ScreenQuery& q) const {
  const auto& im = *impl_;
  float min_score = static_cast<float>(std::max(q.min_score, 0.01));
  auto plan = im.plan(q);
  std::vector<Impl::Candidate> cands;
  std::vector<match::Alignment> al;
  const auto& names = im.index.names();
  match::SimilarityMemo memo(plan, im.index);
  for (std::uint32_t name = 0; name < names.size(); ++name) {
    match::brute_force_alignments(plan, im.index, names[name],
                                  im.parties[names[name].party]->type == PartyType::kPerson, al, &memo);
    if (al.empty()) continue;
    auto ns = match::score_alignment(plan, im.index, names[name], al);
    float f = im.apply_factors(q, plan, *im.parties[names[name].party], names[name], ns.score, nullptr);
    if (f >= min_score) cands.push_back({name, f});
  }
  return im.finish(q, plan, cands, true);
}

Screener::Comparison Screener::compare(const std::string& a, const std::string& b, PartyType type) const {
  const auto& im = *impl_;
  // The second name indexed alone with the word weights of the lists in force; the first prepared
  // against the lists in force, as a screening query is (a word of it that the second name lacks
  // weighs what it weighs in a screening); then the same alignment and score.
  Party other;
  other.type = type;
  other.names.push_back({b, NameKind::kPrimary, text::detect_script(b)});
  std::vector<const Party*> one{&other};
  match::Index single;
  single.build(one, {}, *im.tables, &im.index);
  Comparison out;
  if (single.names().empty()) return out;
  auto plan = match::QueryPlan::prepare(text::tokenize_name(a, type, *im.tables), im.index,
                                        type != PartyType::kEntity, *im.tables);
  std::vector<match::Alignment> al;
  match::brute_force_alignments(plan, single, single.names()[0], type == PartyType::kPerson, al);
  auto ns = match::score_alignment(plan, single, single.names()[0], al);
  out.score = std::round(static_cast<double>(ns.score) * 10000.0) / 10000.0;
  out.explanation = match::explain_alignment(plan, single, single.names()[0], ns);
  return out;
}

}  // namespace clearance
