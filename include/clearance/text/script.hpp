// The writing system of a name. Lives in text/ (which detects it) so that lists/ and match/ can
// use it without text/ depending on them.
#pragma once

#include <cstdint>
#include <string_view>

namespace clearance {

// The dominant script of a name, as detected by text::detect_script.
enum class Script : std::uint8_t { kLatin, kHan, kCyrillic, kArabic, kGreek, kHangul, kKana, kOther, kMixed };
std::string_view to_string(Script s);

}  // namespace clearance
