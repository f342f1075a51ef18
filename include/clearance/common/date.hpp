// Calendar dates for rule effectivity. Dates are always passed in by the caller (the library never
// reads the clock); a Date is a plain value, cheap to copy and compare.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clearance {

class Date {
 public:
  constexpr Date() = default;
  // REQUIRES: a valid proleptic Gregorian date (use parse() for untrusted input).
  static constexpr Date from_ymd(int y, int m, int d) { return Date(y * 10000 + m * 100 + d); }
  // Parses exactly "YYYY-MM-DD" with a real month and day (leap years checked). nullopt otherwise.
  static std::optional<Date> parse(std::string_view s);
  // The earliest / latest representable dates: open interval ends.
  static constexpr Date min() { return Date(0); }
  static constexpr Date max() { return Date(99991231); }

  int year() const { return v_ / 10000; }
  int month() const { return v_ / 100 % 100; }
  int day() const { return v_ % 100; }
  std::string to_string() const;  // "YYYY-MM-DD"
  // Days since 1970-01-01 (for arithmetic such as "the day before").
  std::int32_t days_since_epoch() const;
  static Date from_days_since_epoch(std::int32_t days);
  Date plus_days(int n) const { return from_days_since_epoch(days_since_epoch() + n); }

  constexpr std::int32_t ymd() const { return v_; }
  friend constexpr auto operator<=>(Date a, Date b) = default;

 private:
  constexpr explicit Date(std::int32_t v) : v_(v) {}
  std::int32_t v_ = 0;  // YYYYMMDD: orders like the date
};

}  // namespace clearance
