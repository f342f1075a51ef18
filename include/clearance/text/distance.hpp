// String distances on byte strings (used on folded ASCII words).
#pragma once

#include <cstdint>
#include <cstring>
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
    if (d == 1)
      fn(std::string_view(buf));
    else
      for_each_deletion(buf, d - 1, fn);
  }
}

// 64-bit hash of a byte string (xxh3), the key of the deletion indexes.
std::uint64_t word_hash(std::string_view s);

// Calls fn(word_hash(variant)) for the same variants as for_each_deletion, without allocating
// (words up to 63 bytes; longer words fall back to for_each_deletion).
template <class Fn>
void for_each_deletion_hash(std::string_view s, int d, Fn fn) {
  if (s.size() > 63) {
    for_each_deletion(std::string(s), d, [&](std::string_view v) { fn(word_hash(v)); });
    return;
  }
  fn(word_hash(s));
  if (d <= 0 || s.size() <= 1) return;
  char buf[64];
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;
    std::memcpy(buf, s.data(), i);
    std::memcpy(buf + i, s.data() + i + 1, s.size() - i - 1);
    std::string_view v(buf, s.size() - 1);
    if (d == 1) {
      fn(word_hash(v));
    } else {
      char copy[64];
      std::memcpy(copy, buf, v.size());
      for_each_deletion_hash(std::string_view(copy, v.size()), d - 1, fn);
    }
  }
}

}  // namespace clearance::text
