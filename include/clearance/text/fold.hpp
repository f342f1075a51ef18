// Script-level folding: NFKC, case folding, diacritics removal and transliteration to Latin.
// Pure functions over UTF-8 strings; ICU objects are cached per thread, so every function here is
// safe to call from many threads.
#pragma once

#include <string>
#include <string_view>

#include "clearance/text/script.hpp"

namespace clearance::text {

// Lower-case ASCII folding for comparison keys: "Türkiye" → "turkiye", "ＡＢＣ" → "abc",
// "Москва" → "moskva". Han is left as Han (see zh/ for Chinese). Invalid UTF-8 bytes are dropped;
// format characters (category Cf: soft hyphens, zero-width spaces and joiners) are removed.
std::string fold(std::string_view utf8);

// fold(), except that Arabic-script, Hebrew and Cyrillic letters are kept (lower-cased) for
// text/romanize, which reads them with the spellings the lists use.
std::string fold_name(std::string_view utf8);

// NFKC + case folding only (keeps accents and scripts).
std::string nfkc_casefold(std::string_view utf8);

// The dominant script of letters in the string (kMixed when two scripts each hold > 25 %).
Script detect_script(std::string_view utf8);

// True when every byte is ASCII.
bool is_ascii(std::string_view s);

}  // namespace clearance::text
