// String distances on byte strings (used on folded ASCII words).
#pragma once

#include <string>
#include <string_view>

namespace clearance::text {

// Optimal string alignment distance (Levenshtein + adjacent transposition), or k + 1 when it
// exceeds k.
int osa_distance(std::string_view a, std::string_view b, int k);

// Calls fn(variant) for s and every string obtained by deleting up to d characters (duplicates
// possible). Two strings within edit distance d share a variant (the deletion-neighbourhood
// property the typo index relies on).
template <class Fn>
void for_each_deletion(const std::string& s, int d, Fn fn) {
  fn(std::string_view(s));
  if (d <= 0 || s.size() <= 1) return;
  std::string buf;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // deleting either of a double letter gives the same string
    buf.assign(s, 0, i);
    buf.append(s, i + 1, std::string::npos);
    if (d == 1) fn(std::string_view(buf));
    else for_each_deletion(buf, d - 1, fn);
  }
}

}  // namespace clearance::text
