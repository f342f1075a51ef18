// The determination engine: rule packs + item catalogue (+ country names) loaded once, then
// determine() for any number of transactions. Immutable after load: one Engine may be shared by
// any number of threads calling determine() and classify() concurrently (the PartyChecker passed
// in must be thread-safe too).
//
//   auto engine = Engine::load(data_dir);            // data_dir/rules, data_dir/items, data_dir/text
//   Transaction tx;  tx.as_of = *Date::parse("2024-01-10");
//   tx.items.push_back({"H100"});  tx.destination = "CN";
//   auto d = (*engine)->determine(tx, &checker);     // checker may be nullptr
//   std::string json = determination_to_json(*d).dump();
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/decide/determination.hpp"
#include "clearance/decide/party_checker.hpp"
#include "clearance/decide/transaction.hpp"
#include "clearance/items/catalogue.hpp"
#include "clearance/items/classify.hpp"
#include "clearance/rules/rule_pack.hpp"
#include "clearance/text/countries.hpp"

namespace clearance {

struct EngineOptions {
  std::string rules_dir;       // rule packs (data/rules)
  std::string items_dir;       // item catalogue (data/items)
  std::string countries_path;  // required: data/text/countries.tsv (codes and names: "China", "中国");
                               // without it every country would pass unchecked, so load() fails
  // Party findings below this score are not treated as list membership (the screening default).
  double min_party_score = 0.80;
  Env* env = Env::Default();  // every file is read through it
};

class Engine {
 public:
  // Loads data_dir/rules, data_dir/items and data_dir/text/countries.tsv (all three required).
  static Result<std::shared_ptr<const Engine>> load(const std::string& data_dir);
  static Result<std::shared_ptr<const Engine>> load(const EngineOptions& options);
  // From already-loaded parts; all three are required (no country table: an error, not "any code").
  static Result<std::shared_ptr<const Engine>> build(std::shared_ptr<const RuleSet> rules,
                                                     std::shared_ptr<const Catalogue> catalogue,
                                                     std::shared_ptr<const CountryTable> countries,
                                                     double min_party_score = 0.80);
  ~Engine();

  // Evaluates every rule in force on tx.as_of for every jurisdiction.
  // Errors (kBadInput / kNotFound): no date, no items, unknown item (with suggestions), unknown
  // country, unknown end use (with suggestions). Never prints, never throws.
  Result<Determination> determine(const Transaction& tx, const PartyChecker* checker = nullptr) const;

  // Resolves an item as determine() does.
  Result<ItemMatch> resolve_item(std::string_view query) const;
  // Classifies an item (catalogue query or spec) as of a date, showing the computation.
  Result<std::shared_ptr<const Classification>> classify(std::string_view query, Date as_of) const;
  std::shared_ptr<const Classification> classify(const Item& item, Date as_of) const;
  // Parses a --spec file (YAML or JSON) into an item.
  Result<Item> parse_spec(std::string_view text, std::string_view filename) const;
  // Resolves a country code or name to ISO alpha-2.
  Result<std::string> resolve_country(std::string_view name_or_code) const;

  const RuleSet& rules() const;
  const Catalogue& catalogue() const;

 private:
  Engine();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clearance
