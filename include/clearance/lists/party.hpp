// The canonical restricted-party record every loader produces, whatever the source format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/text/party_type.hpp"
#include "clearance/text/script.hpp"

namespace clearance {

// How strongly a name identifies the party. OFAC marks some a.k.a.s "weak"; fka = formerly known as.
enum class NameKind : std::uint8_t { kPrimary, kAka, kFka, kWeak };
std::string_view to_string(NameKind k);

struct Name {
  std::string text;
  NameKind kind = NameKind::kAka;
  Script script = Script::kLatin;
  bool operator==(const Name&) const = default;
};

struct Address {
  std::string text;     // the address as written by the source, without the country
  std::string country;  // ISO 3166-1 alpha-2, empty when unknown
  bool operator==(const Address&) const = default;
};

struct Identifier {
  std::string type;  // e.g. "Passport", "IMO", "Registration Number", "Call Sign"
  std::string number;
  std::string country;  // issuing country, ISO alpha-2, may be empty
  bool operator==(const Identifier&) const = default;
};

struct Party {
  std::string id;    // stable: the source's own id where it has one, else a hash of list + name + notice
  std::string list;  // the source list, e.g. "Entity List (EL) - Bureau of Industry and Security"
  PartyType type = PartyType::kUnknown;
  std::vector<Name> names;  // names[0] is the primary name
  std::vector<Address> addresses;
  std::vector<std::string> countries;  // ISO alpha-2, unique, from addresses, nationality, citizenship
  std::vector<Identifier> ids;
  std::vector<std::string> programs;
  std::string listed_on;                 // YYYY-MM-DD when known
  std::vector<std::string> birth_dates;  // YYYY, YYYY-MM or YYYY-MM-DD
  std::string citation;                  // Federal Register notice or MOFCOM announcement
  std::string license_requirement;
  std::string license_policy;
  std::string remarks;
  std::string source_url;

  const std::string& primary_name() const;
  bool operator==(const Party&) const = default;
};

// A stable id for sources without their own: hex hash of list + name + notice.
std::string derive_party_id(std::string_view list, std::string_view name, std::string_view notice);

}  // namespace clearance
