// Whether a name belongs to a person, an entity, a vessel or an aircraft. Name normalisation
// depends on it (person names drop titles and skip legal forms), so it lives in text/, below the
// party model of lists/.
#pragma once

#include <cstdint>
#include <string_view>

namespace clearance {

enum class PartyType : std::uint8_t { kUnknown, kPerson, kEntity, kVessel, kAircraft };
std::string_view to_string(PartyType t);
// Parses "person", "individual", "entity", "organization", "company", "vessel", "aircraft" (any case).
// Unknown words give kUnknown.
PartyType party_type_from_string(std::string_view s);

}  // namespace clearance
