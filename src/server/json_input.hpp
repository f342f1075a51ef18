// Reading request bodies: JSON under a nesting limit, objects whose fields are checked by name and
// type (an unknown field is an error, so a misspelt option is never silently ignored). Every
// failure is an ApiError naming the field.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_error.hpp"

namespace clearance::server {

// Parses `body` as JSON. Throws 400 malformed_json, or 400 json_too_deep past `max_depth` nested
// arrays/objects (checked before parsing, so a hostile body costs one linear scan).
nlohmann::json parse_json_body(std::string_view body, int max_depth);

// The fields of one JSON object. `path` prefixes field names in errors ("parties[2].").
class JsonObject {
 public:
  // Throws 400 unknown_field for a field not in `allowed` (checked first, so a misspelt field is
  // reported as such rather than as the required field it was meant to be).
  JsonObject(const nlohmann::json& j, std::initializer_list<std::string_view> allowed, std::string path = "");

  std::optional<std::string> str(const char* name, bool required = false);
  std::string str_or(const char* name, std::string fallback) {
    return str(name).value_or(std::move(fallback));
  }
  std::optional<double> number(const char* name, bool required = false);
  std::optional<std::int64_t> integer(const char* name, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const char* name);
  // A string or an array of strings.
  std::vector<std::string> strings(const char* name);
  // Raw access (marks the field as known); null when absent.
  const nlohmann::json* raw(const char* name);
  std::string field(const char* name) const { return path_ + name; }

 private:
  const nlohmann::json& j_;
  std::string path_;
};

}  // namespace clearance::server
