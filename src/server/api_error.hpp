// The one error shape of the API, {"error": {"code", "message", "field"}}, and the one place
// where library errors become HTTP statuses (from_library). Handlers throw ApiError; the
// dispatcher catches it and answers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "clearance/common/result.hpp"

namespace clearance::server {

struct ApiError {
  int status = 500;
  std::string code;                // stable, documented in docs/API.md
  std::string message;             // for people
  std::string field;               // the request field at fault ("" when none)
  std::optional<int> retry_after;  // seconds, for 429 and 503

  static ApiError bad_request(std::string code, std::string message, std::string field = "") {
    return {400, std::move(code), std::move(message), std::move(field), {}};
  }
  static ApiError invalid(std::string field, std::string message) {
    return {400, "invalid_field", std::move(message), std::move(field), {}};
  }
  static ApiError not_found(std::string message) { return {404, "not_found", std::move(message), "", {}}; }
  static ApiError unavailable(std::string message) { return {503, "unavailable", std::move(message), "", 1}; }

  nlohmann::json to_json() const {
    return {{"error",
             {{"code", code},
              {"message", message},
              {"field", field.empty() ? nlohmann::json() : nlohmann::json(field)}}}};
  }
};

// Library error → API error. kBadInput becomes 400 invalid_field (naming `field` when the caller
// knows it, else the error's field, else the message's leading "field:" when it has one;
// "FIELD: unknown field" is unknown_field and "FIELD: required" missing_field), kNotFound 404, I/O and
// internal failures 500 (no answer is ever made up from a failure).
ApiError from_library(const Error& e, const std::string& field = "");

}  // namespace clearance::server
