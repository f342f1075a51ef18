// Number formatting shared by every formatter (text, JSON, CSV, HTML), so that a value prints the
// same wherever it appears. Locale-independent.
#pragma once

#include <cstdint>
#include <string>

namespace clearance {

// printf "%.*f": format_fixed(0.8249, 2) == "0.82".
std::string format_fixed(double v, int decimals);
// printf "%.6g": six significant digits, no trailing zeros ("4800", "2.91", "1e+06").
std::string format_general(double v);
// Whole numbers without an exponent below 1e15 ("1000000"), else as format_general.
std::string format_number(double v);
// At most two decimals, trailing zeros dropped, no grouping ("1234567.5", "0"): for CSV.
std::string format_plain(double v);
// Digits grouped by thousands: "1,234,567".
std::string format_count(std::uint64_t n);
// Grouped, with cents when there are any: "1,234,567", "1,234.50", "-12".
std::string format_money(double v);

}  // namespace clearance
