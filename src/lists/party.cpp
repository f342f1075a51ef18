#include "clearance/lists/party.hpp"

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

std::string_view to_string(NameKind k) {
  switch (k) {
    case NameKind::kPrimary:
      return "primary";
    case NameKind::kAka:
      return "aka";
    case NameKind::kFka:
      return "fka";
    case NameKind::kWeak:
      return "weak";
  }
  return "aka";
}

std::string_view to_string(Script s) {
  switch (s) {
    case Script::kLatin:
      return "latin";
    case Script::kHan:
      return "han";
    case Script::kCyrillic:
      return "cyrillic";
    case Script::kArabic:
      return "arabic";
    case Script::kGreek:
      return "greek";
    case Script::kHangul:
      return "hangul";
    case Script::kKana:
      return "kana";
    case Script::kOther:
      return "other";
    case Script::kMixed:
      return "mixed";
  }
  return "other";
}

const std::string& Party::primary_name() const {
  static const std::string kEmpty;
  return names.empty() ? kEmpty : names.front().text;
}

std::string derive_party_id(std::string_view list, std::string_view name, std::string_view notice) {
  std::string key;
  key.append(list).push_back('\x1f');
  key.append(name).push_back('\x1f');
  key.append(notice);
  return hash_hex64(key);
}

}  // namespace clearance
