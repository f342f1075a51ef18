#include "server/api_error.hpp"

#include <cctype>

namespace clearance::server {

namespace {
// "country: unknown country 'XX'" → "country"; "" when the message does not start with a field.
std::string leading_field(const std::string& m) {
  auto colon = m.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > 40) return "";
  for (size_t i = 0; i < colon; ++i) {
    char c = m[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']' ||
          c == '-'))
      return "";
  }
  std::string f = m.substr(0, colon);
  while (!f.empty() && f[0] == '-') f.erase(0, 1);  // "--as-of" (a CLI option's name) → "as-of"
  for (auto& c : f)
    if (c == '-') c = '_';
  return f;
}
}  // namespace

ApiError from_library(const Error& e, const std::string& field) {
  std::string f = !field.empty() ? field : !e.field.empty() ? e.field : leading_field(e.message);
  switch (e.kind) {
    case Error::Kind::kBadInput:
      // The library's words for a field the request should not have, or lacks.
      if (!f.empty() && e.message.ends_with(f + ": unknown field"))
        return {400, "unknown_field", e.message, f, {}};
      if (!f.empty() && e.message.find(f + ": required") != std::string::npos)
        return {400, "missing_field", e.message, f, {}};
      return ApiError::invalid(f, e.message);
    case Error::Kind::kNotFound:
      // Something named in the body that does not exist is the body's fault; a path that names
      // nothing is a 404.
      if (!f.empty()) return ApiError::invalid(f, e.message);
      return ApiError::not_found(e.message);
    case Error::Kind::kIo:
    case Error::Kind::kInternal:
      break;
  }
  return ApiError{500, "internal", e.message, "", {}};
}

}  // namespace clearance::server
