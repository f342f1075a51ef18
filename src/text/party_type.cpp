#include "clearance/text/party_type.hpp"

#include "clearance/common/strings.hpp"

namespace clearance {

std::string_view to_string(PartyType t) {
  switch (t) {
    case PartyType::kPerson:
      return "person";
    case PartyType::kEntity:
      return "entity";
    case PartyType::kVessel:
      return "vessel";
    case PartyType::kAircraft:
      return "aircraft";
    case PartyType::kUnknown:
      break;
  }
  return "unknown";
}

PartyType party_type_from_string(std::string_view s) {
  auto t = to_lower_ascii(trim(s));
  if (t == "person" || t == "individual") return PartyType::kPerson;
  if (t == "entity" || t == "organization" || t == "organisation" || t == "company" || t == "legalentity" ||
      t == "publicbody")
    return PartyType::kEntity;
  if (t == "vessel") return PartyType::kVessel;
  if (t == "aircraft" || t == "airplane") return PartyType::kAircraft;
  return PartyType::kUnknown;
}

}  // namespace clearance
