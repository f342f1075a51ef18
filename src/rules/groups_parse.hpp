// Private: parsing the country-groups document (shared by CountryGroups::parse and RuleSet).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string_view>

#include "clearance/rules/country_groups.hpp"

namespace clearance::detail {

// Throws PackError on a bad document.
CountryGroups parse_groups_node(const YAML::Node& root, std::string_view file);

}  // namespace clearance::detail
