#include "clearance/common/date.hpp"

#include <cstdio>

#include "clearance/common/strings.hpp"

namespace clearance {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

}  // namespace

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t pos, size_t n, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return from_ymd(y, m, d);
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year(), month(), day());
  return buf;
}

std::int32_t Date::days_since_epoch() const {
  return days_from_civil(year(), static_cast<unsigned>(month()), static_cast<unsigned>(day()));
}

Date Date::from_days_since_epoch(std::int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return from_ymd(y + (m <= 2), static_cast<int>(m), static_cast<int>(d));
}

namespace {

int month_from_name(std::string_view m) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  if (m.size() < 3) return 0;
  for (int i = 0; i < 12; ++i)
    if (starts_with_icase(m, kMonths[i])) return i + 1;
  return 0;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 4) return false;  // dates have at most four-digit parts
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {  // REQUIRES: all_digits(s)
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string ymd(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool real_day(int y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

// The reader behind normalize_date and date_problem: the date, or empty with *why set.
std::string read_date(std::string_view in, DayMonthOrder order, std::string* why) {
  const bool strict = order == DayMonthOrder::kUnambiguous;
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return std::string();
  };
  auto s = trim(in);
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
      all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2))) {
    if (strict &&
        (s.size() != 10 || !real_day(to_int(s.substr(0, 4)), to_int(s.substr(5, 2)), to_int(s.substr(8, 2)))))
      return fail("no such day");
    return std::string(s.substr(0, 10));
  }
  if (s.size() == 7 && s[4] == '-' && all_digits(s.substr(0, 4)) && all_digits(s.substr(5, 2))) {
    if (strict && (to_int(s.substr(5, 2)) < 1 || to_int(s.substr(5, 2)) > 12)) return fail("no such month");
    return std::string(s);
  }
  if (s.size() == 4 && all_digits(s)) return std::string(s);

  // Numeric, year last: a/b/y (and, for people's input, a.b.y and a-b-y).
  for (char sep : {'/', '.', '-'}) {
    if (sep != '/' && !strict) break;
    auto parts = split(s, sep);
    if (parts.size() != 3 || !all_digits(parts[0]) || !all_digits(parts[1]) || !all_digits(parts[2]))
      continue;
    int a = to_int(parts[0]), b = to_int(parts[1]), y = to_int(parts[2]);
    if (strict && parts[0].size() == 4) {  // 1971-4-3: year first, then month and day
      if (!real_day(a, b, y)) return fail("no such day");
      return ymd(a, b, y);
    }
    if (!strict) {  // month first, as the US sources write
      if (parts[2].size() == 2) y += (y < 50 ? 2000 : 1900);
      if (a < 1 || a > 12 || b < 1 || b > 31) return fail("not a date");
      return ymd(y, a, b);
    }
    if (parts[2].size() != 4) return fail("two-digit year: write the year in full");
    bool day_first = real_day(y, b, a), month_first = real_day(y, a, b);
    if (day_first && month_first && a != b) return fail("ambiguous: day and month could be either way round");
    if (day_first) return ymd(y, b, a);
    if (month_first) return ymd(y, a, b);
    return fail("no such day");
  }

  // "3 Apr 1971", "3 April 1971", "Apr 1971".
  auto words = split_trimmed(s, " ");
  if (words.size() == 3 && all_digits(words[0]) && month_from_name(words[1]) && all_digits(words[2])) {
    int d = to_int(words[0]), m = month_from_name(words[1]), y = to_int(words[2]);
    if (words[2].size() != 4 || d < 1 || d > 31) return fail("not a date");
    if (strict && !real_day(y, m, d)) return fail("no such day");
    return ymd(y, m, d);
  }
  if (words.size() == 2 && month_from_name(words[0]) && all_digits(words[1]) && words[1].size() == 4) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s-%02d", words[1].c_str(), month_from_name(words[0]));
    return buf;
  }
  return fail("not a date");
}

}  // namespace

std::string normalize_date(std::string_view s, DayMonthOrder order) { return read_date(s, order, nullptr); }

std::string date_problem(std::string_view s) {
  std::string why;
  if (!read_date(s, DayMonthOrder::kUnambiguous, &why).empty()) return {};
  return why;
}

}  // namespace clearance
