#include "clearance/lists/party.hpp"

#include "clearance/common/strings.hpp"

namespace clearance {

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
