// Small byte-level string helpers shared by loaders and front ends (no Unicode semantics here;
// see text/ for that).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clearance {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on a multi-character separator, trimming each part and dropping empty ones.
std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep);
bool starts_with_icase(std::string_view s, std::string_view prefix);
bool equals_icase(std::string_view a, std::string_view b);
std::string to_lower_ascii(std::string_view s);
std::string to_upper_ascii(std::string_view s);

// Returns the byte offset of the first invalid UTF-8 sequence, or npos when valid.
size_t find_invalid_utf8(std::string_view s);
// Latin-1 (ISO 8859-1, with Windows-1252 punctuation in 0x80–0x9F) to UTF-8.
std::string latin1_to_utf8(std::string_view s);
// Replaces invalid sequences with U+FFFD.
std::string sanitize_utf8(std::string_view s);

// 64-bit hash as 16 hex digits (xxh3); 128-bit as 32 hex digits.
std::string hash_hex64(std::string_view s);
std::string hash_hex128(std::string_view s);

}  // namespace clearance
