// The data tables behind name normalisation, loaded from the bundled data/text directory:
// legal forms, generic words and abbreviations, titles, and the Chinese place, vocabulary and
// alias tables. Immutable once loaded; share one instance across threads.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/countries.hpp"

namespace clearance {

// Misspelt legal forms: words of at least this length, one edit (two from 10 letters).
inline constexpr size_t kMinFuzzyLegalLength = 7;
inline int legal_form_edits(size_t len) { return len >= 10 ? 2 : 1; }

struct TextTables {
  CountryTable countries;
  // Legal-form phrases as token sequences (normalised, space-separated) -> canonical class.
  std::unordered_map<std::string, std::string> legal_forms;
  size_t legal_form_max_tokens = 1;
  // Deletion variants of one-word legal forms of 7+ letters -> the form, so that misspellings
  // ("Corporyation", "Limwted") are still read as legal forms.
  std::unordered_map<std::string, std::vector<std::string>> legal_form_typos;
  std::unordered_set<std::string> stop_words;
  std::unordered_set<std::string> generic_words;
  std::unordered_set<std::string> titles;
  std::unordered_map<std::string, std::string> abbreviations;  // "intl" -> "international"

  // Loads every table from a data directory (the one holding text/). Errors name file and line.
  static Result<std::shared_ptr<const TextTables>> load(const std::string& data_dir);
};

}  // namespace clearance
