// How a loader reports what it could not import: bad rows (skipped, or fatal in strict mode), orphan
// rows, notes, and where they are (line numbers of byte offsets, invalid UTF-8, the JSON key at an
// offset). Internal to src/lists.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/loaders.hpp"

namespace clearance::formats {

// Reports bad rows for one load. skip() counts and records a skipped row; in strict mode it returns
// the error the loader must fail with ("file:line: field: message").
class RowErrors {
 public:
  RowErrors(const LoadOptions& options, LoadReport& report) : options_(options), report_(report) {}
  [[nodiscard]] std::optional<Error> skip(std::string_view file, size_t line, std::string_view field,
                                          std::string message);
  // An alias/address/comment row whose entry is missing: counted and reported, never fatal.
  void orphan(std::string_view file, size_t line, std::string_view field, std::string message);
  // A record that is well-formed but holds nothing this loader imports (e.g. an FtM schema that is
  // not a party): counted as skipped and reported, but never fatal, even in strict mode.
  void ignore(std::string_view file, size_t line, std::string_view field, std::string message);
  // A note that is neither a skip nor an orphan (e.g. a whole file missing from a set).
  void note(std::string_view file, size_t line, std::string_view field, std::string message);

 private:
  const LoadOptions& options_;
  LoadReport& report_;
};

// Maps byte offsets to 1-based line numbers.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  size_t line_of(size_t offset) const;

 private:
  std::vector<size_t> newlines_;
};

// The offset of the first invalid UTF-8 byte, or npos.
size_t invalid_utf8_at(std::string_view s);
// "… (byte 0xE9 at column 12)" for messages.
std::string invalid_utf8_message(std::string_view s, size_t at);

// The dotted key path ("properties.name") of the JSON member holding byte `offset` of `json_text`.
std::string json_key_at(std::string_view json_text, size_t offset);

}  // namespace clearance::formats
