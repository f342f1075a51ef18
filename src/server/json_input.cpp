#include "server/json_input.hpp"

#include <algorithm>
#include <cmath>

#include "clearance/common/strings.hpp"

namespace clearance::server {

nlohmann::json parse_json_body(std::string_view body, int max_depth) {
  if (trim(body).empty())
    throw ApiError::bad_request("malformed_json", "the request body is empty: JSON expected");
  int depth = 0;
  bool in_string = false, escape = false;
  for (char c : body) {
    if (in_string) {
      if (escape)
        escape = false;
      else if (c == '\\')
        escape = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        throw ApiError::bad_request("json_too_deep", "JSON nested deeper than " + std::to_string(max_depth) +
                                                         " levels (the limit is --max-json-depth)");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded()) {
    // Parse again for the position of the fault: only on the error path.
    try {
      auto again = nlohmann::json::parse(body.begin(), body.end());
      (void)again;
    } catch (const nlohmann::json::parse_error& e) {
      throw ApiError::bad_request("malformed_json", "the body is not valid JSON: " + std::string(e.what()));
    }
    throw ApiError::bad_request("malformed_json", "the body is not valid JSON");
  }
  return j;
}

JsonObject::JsonObject(const nlohmann::json& j, std::initializer_list<std::string_view> allowed,
                       std::string path)
    : j_(j), path_(std::move(path)) {
  if (!j_.is_object())
    throw ApiError::invalid(path_.empty() ? "" : path_.substr(0, path_.size() - 1),
                            "expected a JSON object, got " + std::string(j_.type_name()));
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      throw ApiError{400, "unknown_field", "unknown field '" + path_ + it.key() + "'", path_ + it.key(), {}};
}

const nlohmann::json* JsonObject::raw(const char* name) {
  auto it = j_.find(name);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> JsonObject::str(const char* name, bool required) {
  const auto* v = raw(name);
  if (!v) {
    if (required) throw ApiError{400, "missing_field", std::string(name) + " is required", field(name), {}};
    return std::nullopt;
  }
  if (!v->is_string())
    throw ApiError::invalid(field(name), field(name) + ": expected a string, got " + v->type_name());
  const auto& s = v->get_ref<const std::string&>();
  if (find_invalid_utf8(s) != std::string::npos)
    throw ApiError::invalid(field(name), field(name) + ": invalid UTF-8");
  return s;
}

std::optional<double> JsonObject::number(const char* name, bool required) {
  const auto* v = raw(name);
  if (!v) {
    if (required) throw ApiError{400, "missing_field", std::string(name) + " is required", field(name), {}};
    return std::nullopt;
  }
  if (!v->is_number())
    throw ApiError::invalid(field(name), field(name) + ": expected a number, got " + v->type_name());
  double d = v->get<double>();
  if (!std::isfinite(d)) throw ApiError::invalid(field(name), field(name) + ": not a finite number");
  return d;
}

std::optional<std::int64_t> JsonObject::integer(const char* name, std::int64_t min, std::int64_t max) {
  const auto* v = raw(name);
  if (!v) return std::nullopt;
  if (!v->is_number_integer())
    throw ApiError::invalid(field(name), field(name) + ": expected an integer, got " + v->type_name());
  auto i = v->get<std::int64_t>();
  if (i < min || i > max)
    throw ApiError::invalid(field(name), field(name) + ": must be between " + std::to_string(min) + " and " +
                                             std::to_string(max));
  return i;
}

std::optional<bool> JsonObject::boolean(const char* name) {
  const auto* v = raw(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) throw ApiError::invalid(field(name), field(name) + ": expected true or false");
  return v->get<bool>();
}

std::vector<std::string> JsonObject::strings(const char* name) {
  const auto* v = raw(name);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) {
    out.push_back(v->get<std::string>());
  } else if (v->is_array()) {
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string())
        throw ApiError::invalid(field(name) + "[" + std::to_string(i) + "]", "expected a string");
      out.push_back((*v)[i].get<std::string>());
    }
  } else {
    throw ApiError::invalid(field(name), field(name) + ": expected a string or an array of strings");
  }
  for (auto& s : out)
    if (find_invalid_utf8(s) != std::string::npos)
      throw ApiError::invalid(field(name), field(name) + ": invalid UTF-8");
  return out;
}

}  // namespace clearance::server
