// The item catalogue: every item the engine knows by name, synonym, Chinese name, model alias,
// control code or HS code. Immutable once loaded; share across threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/items/item.hpp"
#include "clearance/rules/rule_pack.hpp"

namespace clearance {

struct ItemSource {
  std::string path;
  std::string text;
};

// What a query resolved to and how.
struct ItemMatch {
  std::shared_ptr<const Item> item;  // catalogue items are shared with the catalogue
  std::string matched_by;            // "name", "synonym", "Chinese name", "HS code 2805301200", "ECCN" …
};

class Catalogue {
 public:
  // Loads every *.yaml under dir (in path order). The rule set supplies the vocabulary checked on
  // load: item kinds, and the precisions a chip may list (its TPP definition). Errors name file,
  // line and field; nothing is half-loaded.
  static Result<std::shared_ptr<const Catalogue>> load_dir(const std::string& dir, const RuleSet& rules,
                                                           Env& env = *Env::Default());
  static Result<std::shared_ptr<const Catalogue>> load(const std::vector<ItemSource>& sources,
                                                       const RuleSet& rules);

  // Resolves a name, synonym, Chinese name, model ("H20", "NVIDIA H100 SXM5 80GB"), catalogue id,
  // China control code (1C905.b), HS code (2805301200; an 8-digit line matches its 10-digit codes),
  // or a bare ECCN ("3A090.a", "EAR99": a generic item of that class).
  // Errors: kNotFound with the nearest names ("did you mean …"); kBadInput when an HS code is
  // shared by several items (the message lists them).
  Result<ItemMatch> resolve(std::string_view query) const;

  const std::vector<std::shared_ptr<const Item>>& items() const { return items_; }
  const Item* find_id(std::string_view id) const;
  // Index in items() or -1.
  int index_of(std::string_view id) const;

  // Parses a --spec file (YAML or JSON) describing one chip, with the catalogue's chip fields.
  // Unknown keys and precisions are errors naming file, line and field.
  static Result<Item> parse_spec(std::string_view text, std::string_view filename, const RuleSet& rules);

 private:
  friend class CatalogueBuilder;
  std::vector<std::shared_ptr<const Item>> items_;
  std::unordered_map<std::string, std::pair<int, std::string>> by_key_;  // key -> (item, how)
  std::unordered_map<std::string, int> by_compact_;            // key without spaces -> item (-1: ambiguous)
  std::unordered_map<std::string, std::vector<int>> by_hs_;    // HS code -> items
  std::unordered_map<std::string, std::vector<int>> by_code_;  // China control code -> items
  std::unordered_map<std::string, int> by_id_;
  std::vector<std::string> display_names_;  // for suggestions
  std::vector<std::string> display_keys_;   // item_key() of each display name
  std::vector<int> display_item_;
};

// The lookup key of a name: NFKC + case folding, punctuation and spacing collapsed.
std::string item_key(std::string_view name);

}  // namespace clearance
