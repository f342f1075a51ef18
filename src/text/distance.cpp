#include "clearance/text/distance.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace clearance::text {

int osa_distance(std::string_view a, std::string_view b, int k) {
  int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > k) return k + 1;
  // Three rolling rows, banded by k; on the stack for ordinary words.
  constexpr int kInf = 1 << 20;
  constexpr int kStack = 64;
  int s0[kStack], s1[kStack], s2[kStack];
  std::vector<int> h0, h1, h2;
  int *r0 = s0, *r1 = s1, *r2 = s2;
  if (lb + 1 > kStack) {
    h0.resize(lb + 1);
    h1.resize(lb + 1);
    h2.resize(lb + 1);
    r0 = h0.data();
    r1 = h1.data();
    r2 = h2.data();
  }
  std::fill(r0, r0 + lb + 1, kInf);
  std::fill(r1, r1 + lb + 1, kInf);
  std::fill(r2, r2 + lb + 1, kInf);
  for (int j = 0; j <= std::min(lb, k); ++j) r1[j] = j;
  // r1 = row i-1, r0 = row i-2, r2 = row i
  for (int i = 1; i <= la; ++i) {
    std::fill(r2, r2 + lb + 1, kInf);
    if (i <= k) r2[0] = i;
    int lo = std::max(1, i - k), hi = std::min(lb, i + k);
    int row_min = r2[0];
    for (int j = lo; j <= hi; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, r0[j - 2] + 1);
      r2[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > k) return k + 1;
    std::swap(r0, r1);
    std::swap(r1, r2);
  }
  return std::min(r1[lb], k + 1);
}

std::uint64_t word_hash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

}  // namespace clearance::text
