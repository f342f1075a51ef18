#include "clearance/common/numbers.hpp"

#include <cmath>
#include <cstdio>

namespace clearance {

namespace {
std::string grouped(const std::string& digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}
}  // namespace

std::string format_fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string format_general(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return format_fixed(v, 0);
  return format_general(v);
}

std::string format_plain(double v) {
  std::string s = format_fixed(v, 2);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string format_count(std::uint64_t n) { return grouped(std::to_string(n)); }

std::string format_money(double v) {
  bool neg = v < 0;
  v = std::fabs(v);
  std::string digits, frac;
  if (v < 1e15) {
    long long cents = std::llround(v * 100);
    digits = std::to_string(cents / 100);
    if (cents % 100) {
      char buf[8];
      std::snprintf(buf, sizeof buf, ".%02lld", cents % 100);
      frac = buf;
    }
    neg = neg && cents != 0;
  } else {
    digits = format_fixed(v, 0);
  }
  return (neg ? "-" : "") + grouped(digits) + frac;
}

}  // namespace clearance
