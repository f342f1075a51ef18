// UTF-8 iteration at the byte level: decoding, counting and clipping by code point. No Unicode
// semantics beyond the encoding (folding, scripts and normalisation live in text/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace clearance::utf8 {

// Length of the valid sequence starting at s[i] (1 to 4), or 0 when it is not valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
// REQUIRES: i < s.size().
size_t sequence_length(std::string_view s, size_t i);

// Decodes the code point at s[i] and advances i past it. An invalid byte decodes as U+FFFD and
// advances by one, so every loop over next() ends.
char32_t next(std::string_view s, size_t& i);

std::vector<char32_t> code_points(std::string_view s);

// Byte offsets where each code point starts, then s.size().
std::vector<size_t> starts(std::string_view s);

// Number of code points (counts the bytes that are not continuation bytes).
size_t count(std::string_view s);

// s cut after max_code_points code points, with `ellipsis` appended when something was cut.
std::string clip(std::string_view s, size_t max_code_points, std::string_view ellipsis = "…");

// Appends the UTF-8 encoding of cp.
void append(std::string& out, char32_t cp);

}  // namespace clearance::utf8
