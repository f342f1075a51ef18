#include "lists/formats/row_errors.hpp"

#include <cstdio>
#include <cstring>

#include "clearance/common/strings.hpp"

namespace clearance::formats {

// ---------------------------------------------------------------------------------------------
// Reporting

std::optional<Error> RowErrors::skip(std::string_view file, size_t line, std::string_view field,
                                     std::string message) {
  RowProblem p{std::string(file), line, std::string(field), std::move(message)};
  ++report_.skipped;
  if (options_.strict) return Error::BadInputAt(p.file, p.line, p.field, p.message + " (strict mode)");
  report_.add_problem(options_, std::move(p));
  return std::nullopt;
}

void RowErrors::orphan(std::string_view file, size_t line, std::string_view field, std::string message) {
  ++report_.orphans;
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

void RowErrors::ignore(std::string_view file, size_t line, std::string_view field, std::string message) {
  ++report_.skipped;
  ++report_.ignored;
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

void RowErrors::note(std::string_view file, size_t line, std::string_view field, std::string message) {
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

LineIndex::LineIndex(std::string_view text) {
  const char* base = text.data();
  size_t pos = 0;
  while (pos < text.size()) {
    const void* hit = std::memchr(base + pos, '\n', text.size() - pos);
    if (!hit) break;
    size_t nl = static_cast<size_t>(static_cast<const char*>(hit) - base);
    newlines_.push_back(nl);
    pos = nl + 1;
  }
}

size_t LineIndex::line_of(size_t offset) const {
  return static_cast<size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) -
                             newlines_.begin()) +
         1;
}

size_t invalid_utf8_at(std::string_view s) { return find_invalid_utf8(s); }

std::string invalid_utf8_message(std::string_view s, size_t at) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "invalid UTF-8 (byte 0x%02X at offset %zu)",
                static_cast<unsigned>(static_cast<unsigned char>(s[at])), at);
  return buf;
}

std::string json_key_at(std::string_view text, size_t offset) {
  std::vector<std::string> keys;  // keys[d]: the member key at nesting depth d+1 ("" inside arrays)
  size_t depth = 0;
  for (size_t i = 0; i < text.size() && i < offset; ++i) {
    char c = text[i];
    if (c == '"') {
      size_t e = i + 1;
      while (e < text.size() && text[e] != '"') e += text[e] == '\\' ? 2 : 1;
      if (e >= text.size() || e >= offset) break;
      size_t after = e + 1;
      while (after < text.size() &&
             (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r'))
        ++after;
      if (after < text.size() && text[after] == ':' && depth > 0)
        keys[depth - 1] = std::string(text.substr(i + 1, e - i - 1));
      i = e;
    } else if (c == '{' || c == '[') {
      ++depth;
      keys.resize(depth);
      keys[depth - 1].clear();
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
      keys.resize(depth);
    }
  }
  std::string path;
  for (size_t d = 0; d < depth && d < keys.size(); ++d) {
    if (keys[d].empty()) continue;
    if (!path.empty()) path += '.';
    path += keys[d];
  }
  return path;
}

}  // namespace clearance::formats
