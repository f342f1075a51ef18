// The screening index: a vocabulary of list words with their weights, a typo neighbourhood
// (deletion) index and a phonetic index over it, postings from words to names, and every list
// name as a sequence of units (single words and adjacent-word joins). Built once; immutable.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "clearance/lists/party.hpp"
#include "clearance/text/distance.hpp"
#include "clearance/text/flat_multimap.hpp"
#include "clearance/text/normalize.hpp"

namespace clearance::match {

// Weights of words that carry little identity, independent of their frequency.
inline constexpr float kLegalWeight = 0.4f;
inline constexpr float kStopWeight = 0.3f;
inline constexpr float kGenericFactor = 0.7f;
inline constexpr size_t kMaxSurfaces = 8;

struct VocabEntry {
  std::string text;                   // comparison form (single word) or joined raw form (pair)
  std::vector<std::string> surfaces;  // the word as written when its comparison form differs
                                      // ("telecom" for "telecommunication", "services" for
                                      // "service"); typos are measured against these too
  std::string key;                    // phonetic key (single fuzzy words only)
  std::string abjad_key, slavic_key;  // loose keys (text/romanize.hpp), empty when too short
  std::string abjad_soft_key;         // the abjad key with c read as s (Faycal), when it differs
  std::vector<std::uint32_t> masks;   // letter_mask of the text, then of each surface form
  float weight = 0;
  std::uint32_t df = 0;  // names containing it
  text::TokenKind kind = text::TokenKind::kWord;
  bool pair = false;    // a join of two adjacent list words
  bool pinyin = false;  // text::long_pinyin_word
};

struct NameUnit {
  std::uint32_t vocab;
  std::uint8_t first;  // first token position in the name
  std::uint8_t count;  // 1 (word) or 2 (join of two words)
};

// A name a party is known by that its list does not carry: the Chinese name of a listed entity
// from an alias table.
struct ExtraName {
  std::uint32_t party;
  std::string text;
  std::string note;   // where the alias comes from
  std::uint32_t row;  // its row in the alias tables: earlier rows name the main entry
};

inline constexpr std::uint32_t kNoExtra = 0xFFFFFFFFu;

struct NameRecord {
  std::uint32_t party;       // index into the flattened party array
  std::uint16_t name_index;  // index into Party::names (when extra == kNoExtra)
  std::uint32_t extra;       // index into the extra names, or kNoExtra
  NameKind kind;
  std::uint8_t n_tokens;
  std::uint32_t first_unit;  // into Index::units
  std::uint16_t n_units;
  bool person = false;  // the party is a person (read on every candidate: kept here, not chased)
};

// Heterogeneous lookup: find by string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringIdMap = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

class Index {
 public:
  // Indexes every name of every party, then the extra names. With `weights`, words take their
  // weights and written forms from that index instead of from these names (comparing two names
  // as a screening against the lists in force would).
  void build(const std::vector<const Party*>& parties, const std::vector<ExtraName>& extra,
             const TextTables& tables, const Index* weights = nullptr);

  // The vocabulary, weights, document frequencies and typo indexes of `full`, with only the names of
  // the parties party_map keeps (party_map[old] = new index, or -1; extra names by extra_map):
  // screening against it scores exactly as against `full`, restricted to those parties (rescreen).
  void build_subset(const Index& full, const std::vector<std::int64_t>& party_map,
                    const std::vector<std::int64_t>& extra_map);

  const std::vector<VocabEntry>& vocab() const { return shared_ ? shared_->vocab_ : vocab_; }
  const std::vector<NameRecord>& names() const { return names_; }
  const std::vector<NameUnit>& units() const { return units_; }
  // What scoring reads of every word of every candidate name, eight bytes per vocabulary entry
  // kept apart from the entries (a cache line holds eight words, not a third of one entry).
  struct Hot {
    float weight;
    text::TokenKind kind;
    // The first letter for pairing initials: 0 when it is no name word starting with a-z; else
    // the letter + 1, with 0x80 set when the word is that one letter.
    std::uint8_t initial;
  };
  const Hot& hot(std::uint32_t v) const { return (shared_ ? shared_->hot_ : hot_)[v]; }

  // Exact lookups; return -1 when absent.
  std::int64_t find_word(std::string_view text) const;
  std::int64_t find_pair(std::string_view joined) const;
  // Fuzzy candidates (unverified) for a word: via deletion variants up to d edits, and via its
  // phonetic key.
  // fn may see the same vocabulary id more than once.
  template <class Fn>
  void for_each_deletion_candidate(std::string_view s, int d, Fn fn) const {
    thread_local std::vector<std::uint64_t> hashes;
    hashes.clear();
    text::for_each_deletion_hash(s, d, [&](std::uint64_t h) { hashes.push_back(h); });
    deletions_.for_each_batch(hashes.data(), hashes.size(), fn);
  }
  template <class Fn>
  void for_each_phonetic_candidate(std::string_view key, Fn fn) const {
    phonetic_.for_each(text::word_hash(key), fn);
  }
  // Words whose loose key in `family` is `key`.
  template <class Fn>
  void for_each_loose_candidate(text::LooseFamily family, std::string_view key, Fn fn) const {
    const Index& maps = shared_ ? *shared_ : *this;  // a subset keeps the loose maps whole
    (family == text::LooseFamily::kAbjad ? maps.abjad_ : maps.slavic_).for_each(text::word_hash(key), fn);
  }
  // Names containing a vocabulary entry.
  const std::uint32_t* postings_begin(std::uint32_t v) const {
    return postings_.data() + posting_offsets_[v];
  }
  const std::uint32_t* postings_end(std::uint32_t v) const {
    return postings_.data() + posting_offsets_[v + 1];
  }
  size_t posting_size(std::uint32_t v) const { return posting_offsets_[v + 1] - posting_offsets_[v]; }

  // Weight for a query word absent from the vocabulary.
  float unseen_weight(text::TokenKind kind) const;
  float max_idf() const { return max_idf_; }
  size_t memory_bytes() const;

  struct FuzzyKeys {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> deletions, phonetic, abjad, slavic;
  };
  // The keys a fuzzy single word is found by (its keys and masks already computed): the deletion
  // variants of its forms, its phonetic key and its loose keys.
  static void add_fuzzy_keys(const VocabEntry& e, std::uint32_t v, FuzzyKeys& out);

 private:
  void build_fuzzy_maps(FuzzyKeys& keys);
  std::uint32_t intern(StringIdMap& map, const std::string& text, bool pair, text::TokenKind kind);

  std::vector<VocabEntry> vocab_;
  StringIdMap word_ids_;
  StringIdMap pair_ids_;
  // A subset (build_subset) reads the vocabulary and its maps from the full index, which outlives
  // it (the subset's Screener holds the full one), instead of copying them.
  const Index* shared_ = nullptr;
  text::FlatMultimap deletions_;
  text::FlatMultimap phonetic_;
  text::FlatMultimap abjad_, slavic_;
  std::vector<NameRecord> names_;
  std::vector<NameUnit> units_;
  std::vector<Hot> hot_;
  std::vector<std::uint32_t> posting_offsets_;
  std::vector<std::uint32_t> postings_;
  float max_idf_ = 10;
};

}  // namespace clearance::match
