// The data tables behind name normalisation, loaded from the bundled data/text directory:
// legal forms, generic words and abbreviations, titles, and the Chinese place, vocabulary and
// alias tables. Immutable once loaded; share one instance across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/text/countries.hpp"
#include "clearance/text/flat_multimap.hpp"

namespace clearance {
namespace text {
class JapaneseReader;
}

// Misspelt legal-form words: at least this long; one edit, two from 8 letters.
inline constexpr size_t kMinFuzzyLegalLength = 4;
inline int legal_word_edits(size_t len) { return len >= 8 ? 2 : (len >= kMinFuzzyLegalLength ? 1 : 0); }

// One entry of the Chinese phrase tables (places and company vocabulary).
struct ZhPhrase {
  enum class Kind : unsigned char { kPlace, kLegal, kIndustry, kGeneric, kOrg, kName };
  Kind kind = Kind::kGeneric;
  size_t chars = 0;                // length in Chinese characters
  std::vector<std::string> words;  // its English rendering as folded words ("hong", "kong")
  std::string pinyin;              // toneless, words separated by spaces ("youxian gongsi")
};

// A Chinese name and the English list name it stands for (curated or user-supplied).
struct NameAlias {
  std::string chinese;
  std::string english;
  std::string note;  // where the fact comes from
};

struct TextTables {
  CountryTable countries;
  // Legal-form phrases as token sequences (normalised, space-separated) -> canonical class.
  std::unordered_map<std::string, std::string> legal_forms;
  // Phrases of several words keyed with each word that is a legal form by itself replaced by its
  // class ("dis ticaret ~ltd ~co"), so that "Dis Ticaret Ltd. Sirketi" reads as the listed
  // "Dis Ticaret Limited Sirketi". Keys two classes share are left out.
  std::unordered_map<std::string, std::string> legal_forms_by_class_words;
  // Proper beginnings of legal phrases, of two words or more, that are no phrase themselves
  // ("sanayi ve ticaret" of "sanayi ve ticaret anonim sirketi"): ending a name, its legal form
  // left out, they weigh as stop words.
  std::unordered_set<std::string> legal_phrase_starts;
  // Proper endings of legal phrases, of two words or more, that are no phrase themselves, with
  // the class of the shortest phrase they end ("de c v": "S.A. de C.V."): ending a name, the rest
  // of the phrase left out ("Felixtapia de R.L. de C.V."), they read as that legal form, not as
  // rare words (rl, cv).
  std::unordered_map<std::string, std::string> legal_phrase_ends;
  // The class of a legal phrase, or null.
  const std::string* legal_class(const std::string& phrase) const;
  // The class of a phrase's class-words key (legal_forms_by_class_words), or null.
  const std::string* legal_class_by_class_words(const std::string& key) const;
  // A phrase's key in legal_forms_by_class_words.
  std::string legal_class_words(std::string_view phrase) const;
  size_t legal_form_max_tokens = 1;
  // Every word that occurs in a legal-form phrase, and the deletion variants of those of 4+
  // letters (one edit; two from 8 letters) -> the words, so that misspelt legal forms
  // ("Joint Svtock Copany", "Limied") are still read as legal forms.
  std::unordered_map<std::string, int> legal_words;  // word -> number of phrases using it
  std::unordered_set<std::string> legal_starts;      // first words of every legal phrase and variant
  std::vector<std::string> legal_word_list;          // legal_word_typos values index this
  std::vector<std::vector<std::uint32_t>> legal_masks_by_length;  // letter masks of legal_word_list
  text::FlatMultimap legal_word_typos;  // word_hash(deletion variant) -> legal word id
  std::unordered_set<std::string> stop_words;
  std::unordered_set<std::string> generic_words;
  std::unordered_set<std::string> titles;
  std::unordered_map<std::string, std::string> abbreviations;  // "intl" -> "international"
  // Other forms of generic words, read as the word in names other than people's (a person may be
  // called Engineer): "institution" -> "institute", "engineers" -> "engineering".
  std::unordered_map<std::string, std::string> generic_forms;
  // Particles of person names (bin, ibn, bint, ould, ben): a query's particle that the list name
  // lacks says little.
  std::unordered_set<std::string> particles;
  // Arabic name compounds read as their parts (data/text/name_parts.tsv): "abdelkader" -> abd al
  // kader, "saifullah" -> saif allah. Prefixes and suffixes longest first.
  struct NamePart {
    std::string form;
    std::vector<std::string> parts;
  };
  std::vector<NamePart> name_prefixes, name_suffixes;
  std::unordered_map<std::string, std::vector<std::string>> name_words;
  // Nicknames of given names -> the full name (data/text/nicknames.tsv): Bob -> robert.
  std::unordered_map<std::string, std::string> nicknames;
  // Chinese syllables as Wade-Giles and Cantonese write them -> the pinyin syllables they may stand
  // for (data/text/zh_romanisations.tsv): tse -> ze ce xie, tung -> dong tong, wong -> huang wang.
  std::unordered_map<std::string, std::vector<std::string>> zh_romanisations;
  // The same table read backwards: a pinyin syllable -> the other spellings that may stand for it
  // (qiang -> chiang keung), sorted.
  std::unordered_map<std::string, std::vector<std::string>> zh_spellings;
  std::unordered_set<std::string> pinyin_syllables;  // every pinyin syllable the table names
  size_t title_max_words = 1;                        // the longest title in words ("his royal highness": 3)
  // Latin spellings of Hangul (data/text/hangul.tsv), Revised Romanisation first: of the letters a
  // syllable is made of, in Unicode order (19 initials, 21 vowels, 28 finals, finals[0] = no final
  // consonant), and of surnames (syllable in UTF-8 -> spellings).
  struct Hangul {
    std::vector<std::vector<std::string>> initials, vowels, finals;
    std::unordered_map<std::string, std::vector<std::string>> surnames;
  } hangul;
  // Latin spellings of Thai (data/text/thai.tsv), read syllable by syllable (text/thai.hpp): of
  // initial consonants, two-letter clusters, vowel patterns (the consonant written "-": เ-ีย),
  // final consonants, the vowel no sign writes ("closed" before a final, "open" without), and
  // titles.
  // Each has its RTGS spelling first and `usual` indexes the one names most often use.
  struct ThaiSpellings {
    std::vector<std::string> forms;
    size_t usual = 0;
  };
  struct Thai {
    std::unordered_map<char32_t, ThaiSpellings> initials, finals;
    std::unordered_map<std::u32string, ThaiSpellings> clusters, vowels;
    ThaiSpellings closed, open;
    std::vector<std::u32string> titles;  // written before a name without a space, longest first
  } thai;
  // Latin spellings of Burmese (data/text/burmese.tsv), read syllable by syllable
  // (text/burmese.hpp): of initials (consonants and independent vowels), onsets with medials the
  // letters do not spell one by one (ကျ ky), rhymes (by text::burmese_rhyme_key; "-" is the vowel
  // no sign writes) and whole syllables. The usual spelling first.
  struct Burmese {
    std::unordered_map<char32_t, std::vector<std::string>> initials;
    std::unordered_map<std::u32string, std::vector<std::string>> onsets, rhymes, syllables;
  } burmese;

  // Chinese phrase tables, keyed by simplified Chinese; the longest key in characters.
  std::unordered_map<std::string, ZhPhrase> zh_phrases;
  size_t zh_max_chars = 1;
  // Pinyin of the same phrases (two syllables or more) -> their English words, for names written
  // in pinyin ("Longxin Zhongke Jishu"); the longest key in words.
  std::unordered_map<std::string, const ZhPhrase*> pinyin_phrases;
  size_t pinyin_max_words = 1;
  // Chinese <-> English names of listed entities (data/text/zh_aliases.tsv and user tables).
  std::vector<NameAlias> aliases;

  // Japanese readings of kanji (text/japanese.hpp: MeCab with IPAdic); null when the dictionary is
  // absent, and then `japanese_warning` says so once for the front ends to show (kanji are then
  // read as Chinese).
  std::shared_ptr<const text::JapaneseReader> japanese;
  std::string japanese_warning;

  // Loads every table from a data directory (the one holding text/), plus any user alias tables
  // (TSV: chinese, english, note). Errors name file and line. Files are read through env.
  static Result<std::shared_ptr<const TextTables>> load(const std::string& data_dir,
                                                        const std::vector<std::string>& alias_files = {},
                                                        Env& env = *Env::Default(),
                                                        const std::string& mecab_dictionary = "");
};

}  // namespace clearance
