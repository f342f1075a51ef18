// A transaction to determine: items, route, parties, end use and the date the answer is for.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/decide/party_checker.hpp"
#include "clearance/items/item.hpp"

namespace clearance {

struct ItemLine {
  std::string item;                  // name, synonym, Chinese name, model, control code, HS code or ECCN
  std::shared_ptr<const Item> spec;  // or an item described by a --spec file (takes precedence)
  std::optional<double> quantity;
  std::optional<double> value;
  // The item's ECCN as the exporter classified it (--eccn). Describes an item the catalogue does
  // not know, or one it cannot classify on the date; a classification the catalogue decides wins
  // (the answer notes the difference).
  std::string eccn;
};

struct PartyRef {
  std::string name;
  std::string country;  // ISO alpha-2 or a country name; may be empty
  std::string role;     // buyer, end_user, consignee, intermediate … (free text, echoed)
  // true: `findings` are the party's list hits (the checker is not asked). false: the engine asks
  // the PartyChecker passed to determine(), if any.
  bool screened = false;
  std::vector<PartyFinding> findings;
};

struct Transaction {
  std::string id;               // the caller's order id, echoed
  Date as_of;                   // REQUIRED: the date the answer is for (the library never reads the clock)
  std::vector<ItemLine> items;  // REQUIRED: at least one
  std::string destination;      // REQUIRED: ISO alpha-2 or a country name
  std::string from;             // exporting country; default: each item's country of origin
  std::string origin;           // country of origin; default: the item's catalogue origin
  std::vector<PartyRef> parties;
  std::string exporter;               // exporter's name (company-specific letters)
  std::vector<std::string> end_uses;  // words of the vocabulary (data/rules/vocabulary.yaml)
  std::string buyer_hq;               // where the buyer or its ultimate parent is headquartered
  std::string region;                 // ISO 3166-2 subdivision of the destination (UA-43), optional
  // The shipment was on dock for loading, laden or en route from this date (savings clauses).
  std::optional<Date> en_route_since;
  // Also list uncertainty marks that cannot change the answer (hidden by default, counted).
  bool show_all_uncertain = false;
};

}  // namespace clearance
