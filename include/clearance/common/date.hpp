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

// How to read a numeric date whose year comes last (3/4/1971, 21.04.1971, 11/21/11).
enum class DayMonthOrder : std::uint8_t {
  kMonthFirst,   // US list sources: 11/21/2011 and 11/21/11 (two-digit years 00–49 are 20xx)
  kUnambiguous,  // what people type: day and month in either order, read only when one order is
                 // impossible (a part above 12) or both agree (5/5/1971); the year has four digits
};

// Reads the common ways of writing a (partial) date into "YYYY-MM-DD", "YYYY-MM" or "YYYY":
// "1971-04-03", "1971-04", "1971", "3 Apr 1971", "3 April 1971", "Apr 1971", and numeric dates
// with the year last as `order` says. Returns empty when it cannot. The one date reader of the
// library: list loaders (kMonthFirst, as the US sources write) and screening qualifiers
// (kUnambiguous: a query date is never guessed).
std::string normalize_date(std::string_view s, DayMonthOrder order = DayMonthOrder::kMonthFirst);

// Why normalize_date(s, DayMonthOrder::kUnambiguous) returns empty, for messages: "ambiguous: day
// and month could be either way round", "two-digit year", "not a date".
std::string date_problem(std::string_view s);

}  // namespace clearance
