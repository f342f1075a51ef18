// Name normalisation for matching: folding, tokenisation, initialisms, legal forms, abbreviations,
// stop/generic words and titles. Deterministic and pure; the same function prepares list names
// and queries, so both sides always agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/text/party_type.hpp"
#include "clearance/text/romanize.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::text {

enum class TokenKind : std::uint8_t {
  kWord,     // a distinctive word
  kGeneric,  // a common organisation word (international, trading …)
  kStop,     // a function word (of, the, and, de …)
  kLegal,    // a legal form, text is "~" + its class (e.g. "~ltd")
  kNumber,   // contains a digit
  kHan,      // Han characters the Chinese tables could not convert (kept as written)
  kPlace,    // a place name read from a Chinese name (深圳市 -> shenzhen): weak evidence
};

struct Token {
  std::string text;  // the comparison form: folded, abbreviation expanded, lightly stemmed
  std::string raw;   // the folded surface form (for joining split words: "hik" + "vision")
  TokenKind kind = TokenKind::kWord;
  std::string bridge;  // for words read from another script: "华为 -> huawei (pinyin)"
  // For words read from Arabic script, Hebrew or Cyrillic: their loose keys (text/romanize.hpp),
  // which meet the same keys of Latin words.
  LooseFamily loose = LooseFamily::kNone;
  std::vector<std::string> loose_keys;
  // For a syllable read from Hangul (text/hangul.hpp): its spellings, Revised Romanisation first;
  // it meets a list word written in any of them, and no other.
  std::vector<std::string> spellings;
  // The spellings are other forms of a word that is still compared by typo distance as well: a
  // Chinese name word read in pinyin, as Wade-Giles and Cantonese write it (月娥 yuee: yuetngor).
  bool other_spellings = false;
  // A word of a legal phrase's beginning that ends the name, its legal form left out ("… Sanayi
  // ve Ticaret" for "… Sanayi ve Ticaret A.S."): left unaligned, it weighs as a stop word.
  bool legal_tail = false;
};

// Splits a folded name into raw tokens (no table lookups). Exposed for the tables' own parsing.
std::vector<std::string> raw_tokens(std::string_view folded);

// Full pipeline. Person names skip legal-form detection and drop titles (Mr, Dr, Haji …).
std::vector<Token> tokenize_name(std::string_view name, PartyType type, const TextTables& tables);

// A transliteration-tolerant key: first letter, then the consonants with vowels (and y) dropped
// and doubled letters collapsed: Mohamed/Muhammad → "mhmd", Hussein/Husain → "hsn", Ali/Aly → "al".
std::string phonetic_key(std::string_view token);

// Whether a Latin word of eight letters or more is made wholly of pinyin syllables, two or more
// (tianlang, hangzhou): such words differ by whole syllables, not by typing slips alone.
bool long_pinyin_word(const std::string& word, const TextTables& tables);

// Light English plural folding used on comparison forms: technologies → technology, systems → system.
std::string stem(std::string_view token);

}  // namespace clearance::text
