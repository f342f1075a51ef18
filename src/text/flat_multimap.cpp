#include "clearance/text/flat_multimap.hpp"

#include <algorithm>
#include <boost/sort/spreadsort/integer_sort.hpp>

namespace clearance::text {

void FlatMultimap::build(std::vector<std::pair<std::uint64_t, std::uint32_t>>& items) {
  // By hash, then value: a radix sort on the hash (Boost spreadsort), about three times as fast as
  // std::sort on the few tens of thousands of keys of a rescreen's subset index.
  using Item = std::pair<std::uint64_t, std::uint32_t>;
  boost::sort::spreadsort::integer_sort(
      items.begin(), items.end(), [](const Item& x, unsigned shift) { return x.first >> shift; },
      [](const Item& a, const Item& b) { return a < b; });
  items.erase(std::unique(items.begin(), items.end()), items.end());
  size_t cap = 16;
  while (cap < items.size() * 2) cap <<= 1;
  slots_.assign(cap, Slot{0, kEmpty});
  mask_ = cap - 1;
  for (auto& [h, v] : items) {
    size_t i = h & mask_;
    while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
    slots_[i] = {h, v};
  }
}

}  // namespace clearance::text
