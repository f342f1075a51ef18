// The scorer: aligns query words with the words of one list name and turns the alignment into a
// calibrated name score. Two ways find the word pairs that may align: through the index
// (QueryPlan::from_index) or by comparing every pair directly (brute force); both feed the same
// score_alignment(), and tests hold them to the same answers.
//
// Score = M / (F + α·Uq + β·Un), where for each aligned pair with similarity s and weight w
// (the list word's weight) M += 2·s·w and F += 2·w; Uq sums the weights of unaligned query words
// and Un those of unaligned list words. α = 1, β = 0.5: a list word the query leaves out
// ("Huawei" for "Huawei Technologies Co., Ltd.") costs less than a query word the list name
// lacks, which is what a near miss with a replaced distinctive word looks like.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "match/index.hpp"

namespace clearance::match {

inline constexpr float kAlpha = 1.0f;
inline constexpr float kBeta = 0.5f;
inline constexpr float kLegalConflictFactor = 0.9f;
// A place word read from a Chinese name (深圳市) that the list name lacks weighs this share: Chinese
// legal names carry their city, English list names mostly do not.
inline constexpr float kPlaceQueryFactor = 0.3f;
inline constexpr float kGenericQueryFloor = 0.6f;
inline constexpr float kMiddleNameFactor = 0.3f;

struct QueryUnit {
  std::string text;  // single: comparison form; joined: stem(raw_i + raw_{i+1})
  std::string raw;   // single: raw form (to meet joined list words)
  std::string alt;   // plural-folded form when it differs ("servines" -> "servine"), to meet
                     // generic list words that were folded ("services" -> "service")
  std::string key;   // phonetic key
  text::LooseFamily loose = text::LooseFamily::kNone;  // words read from another script (single
  std::vector<std::string> loose_keys;                 // units): loose keys, and the patterns they
  std::vector<std::string> loose_patterns;             // come from (text/romanize.hpp)
  std::vector<std::string> spellings;  // syllables read from Hangul: every spelling (text/hangul.hpp);
                                       // such a unit meets only the list words spelt so, unless
  bool other_spellings = false;        // these are other forms of a word still compared by typos
                                       // (Token::other_spellings), which may meet a list pair
  std::uint8_t first = 0;
  std::uint8_t count = 1;
  bool fuzzy = false;
  bool pinyin = false;  // text::long_pinyin_word (single units)
  struct Neighbour {
    std::uint32_t vocab;
    float sim;
    bool phonetic;  // only through the phonetic key: counts between person names only
  };
  std::vector<Neighbour> neighbours;  // vocabulary entries it may align with
};

struct QueryPlan {
  std::vector<text::Token> tokens;
  std::vector<float> weights;  // per token: weight when left unaligned
  // per token: weight when left unaligned while the first and last words of the query align: a
  // middle name (father's and grandfather's names, a patronymic) of a person's name that the list
  // name leaves out counts kMiddleNameFactor of its weight. Never above weights.
  std::vector<float> middle_weights;
  // per token: weight when left unaligned by a list name of three words or more that the query
  // holds whole (the query adds names to it). Never above middle_weights.
  std::vector<float> extra_weights;
  std::vector<QueryUnit> units;  // singles first, then joins of adjacent words
  bool phonetic = true;          // transliteration variants allowed (not for entity queries)
  bool legal_form = false;       // the query's own words state a legal form: it names a company
  struct ByVocab {
    std::uint32_t vocab;
    std::uint8_t unit;
    float sim;
    bool phonetic;
    bool operator<(const ByVocab& o) const { return vocab != o.vocab ? vocab < o.vocab : unit < o.unit; }
  };
  std::vector<ByVocab> by_vocab;  // sorted by vocab id, for the index path
  // Which vocab ids may be in by_vocab: a bit per id hashed into kVocabFilterBits, so that the list
  // words no unit meets (most of a candidate name's) are passed over without a search.
  static constexpr unsigned kVocabFilterBits = 4096;
  std::uint64_t vocab_filter[kVocabFilterBits / 64] = {};
  static unsigned vocab_filter_bit(std::uint32_t v) { return (v * 0x9E3779B1u) >> 20; }
  bool may_meet(std::uint32_t v) const {
    unsigned b = vocab_filter_bit(v);
    return vocab_filter[b / 64] >> (b % 64) & 1;
  }
  // The single units (bit per unit) that are one letter (an initial) or a word of two letters or
  // more, by first letter a-z, not read from Hangul: what candidate_alignments pairs initials with.
  std::uint64_t initial_units[26] = {}, word_units[26] = {};

  // Prepares units from the query's tokens; neighbours are left empty.
  static QueryPlan prepare(std::vector<text::Token> tokens, const Index& index, bool phonetic,
                           const TextTables& tables);
  // Fills neighbours through the index (exact, typo neighbourhood, phonetic, joins).
  void find_neighbours(const Index& index);
  // Sets weights, middle_weights and extra_weights of the tokens from the index (prepare does).
  void weigh(const Index& index, const TextTables& tables);
};

// What QueryPlan::weigh computes, for tokens held elsewhere (a rescreen's probes).
void weigh_tokens(const std::vector<text::Token>& tokens, bool phonetic, const Index& index,
                  const TextTables& tables, std::vector<float>& weights, std::vector<float>& middle,
                  std::vector<float>& extra);

// The rescreen filter (Screener::may_hit): every key find_neighbours looks a unit up by, as one
// 32-bit number per lookup, each once and in no particular order (unit_probe_keys appends them to
// `out`: a deletion of a word and of its plural fold often coincide, a quarter of all keys), and
// every key a vocabulary entry is found by (vocab_probe_keys). A unit can have the entry as a
// neighbour only if they share a key.
void unit_probe_keys(const QueryUnit& u, bool phonetic, std::vector<std::uint32_t>& out);
void vocab_probe_keys(const Index& index, std::uint32_t v, std::vector<std::uint32_t>& out);

struct Alignment {
  std::uint8_t unit;        // query unit
  std::uint16_t name_unit;  // offset within the name's units
  float sim;
  float weight;
};

struct NameScore {
  float score = 0;
  std::vector<Alignment> chosen;
  std::uint64_t query_used = 0;
  std::uint64_t name_used = 0;
  bool legal_conflict = false;
  bool frame = false;      // the query's first and last words align (middle names count less)
  bool contained = false;  // every word of the list name aligns (extra query words count less)
};

// Pairs (query unit, name unit) that may align, through the plan's neighbour lists.
// person: the list name is a person's (transliteration variants count).
void candidate_alignments(const QueryPlan& plan, const Index& index, const NameRecord& name, bool person,
                          std::vector<Alignment>& out);
// Word similarities of one query against the vocabulary, computed on first use: the reference
// scores every list name, and most list words recur in many names. Holds no answer of its own:
// a memoised value is the value word_similarity gives.
class SimilarityMemo {
 public:
  SimilarityMemo(const QueryPlan& plan, const Index& index);
  // The similarities of every query unit with vocabulary entry `vocab` (negative when they come
  // through the phonetic key alone), computed by compute(unit, &phonetic) on first use; nullptr
  // when none is above zero.
  template <class Compute>
  const float* row(std::uint32_t vocab, Compute compute) {
    auto& st = state_[vocab];
    if (st == kUnknown) {
      float* r = &sims_[vocab * stride_];
      st = kZero;
      for (size_t u = 0; u < stride_; ++u) {
        bool ph = false;
        float s = compute(u, &ph);
        r[u] = ph && s > 0 ? -s : s;
        if (s > 0) st = kSome;
      }
    }
    return st == kSome ? &sims_[vocab * stride_] : nullptr;
  }
  bool enabled() const { return !state_.empty(); }

 private:
  enum : std::uint8_t { kUnknown, kZero, kSome };
  static constexpr size_t kMaxSlots = size_t{16} << 20;  // 64 MiB; longer queries are not memoised
  size_t stride_;
  std::vector<float> sims_;
  std::vector<std::uint8_t> state_;
};

// The same pairs computed directly with the word similarity (the reference). With a memo, each
// (query unit, list word) similarity is computed once per query.
void brute_force_alignments(const QueryPlan& plan, const Index& index, const NameRecord& name, bool person,
                            std::vector<Alignment>& out, SimilarityMemo* memo = nullptr);
// Greedy alignment (best weighted similarity first, each word used once) and the score.
NameScore score_alignment(const QueryPlan& plan, const Index& index, const NameRecord& name,
                          std::vector<Alignment>& candidates);

// Human-readable lines for an alignment.
std::vector<std::string> explain_alignment(const QueryPlan& plan, const Index& index, const NameRecord& name,
                                           const NameScore& s);

}  // namespace clearance::match
