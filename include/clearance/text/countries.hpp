// ISO 3166-1 alpha-2 country table with the name variants seen in real list data
// (Burma, Türkiye, "People's Republic of China", Crimea …). Loaded from data/text/countries.tsv.
// Immutable once loaded; safe to share across threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance {

class CountryTable {
 public:
  // Reads a TSV with columns code, name, variants ('|'-separated); '#' lines are comments.
  static Result<CountryTable> load(const std::string& path, Env& env = *Env::Default());
  static Result<CountryTable> parse(std::string_view tsv, std::string_view filename);

  // Resolves an alpha-2 code (any case) or a name/variant (case- and accent-insensitive,
  // surrounding punctuation ignored) to its alpha-2 code.
  std::optional<std::string> resolve(std::string_view name_or_code) const;
  // True for a known alpha-2 code (upper case).
  bool is_code(std::string_view code) const;
  // The English short name of a code, or empty.
  std::string_view name_of(std::string_view code) const;
  // Finds the country named at the end of a free-text address ("…, Shenzhen, China").
  std::optional<std::string> resolve_address_tail(std::string_view address) const;
  size_t size() const { return names_.size(); }

 private:
  static std::string key(std::string_view s);
  std::unordered_map<std::string, std::string> names_;   // code -> English name
  std::unordered_map<std::string, std::string> by_key_;  // normalised name/variant -> code
};

}  // namespace clearance
