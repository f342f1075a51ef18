#include "clearance/text/flat_multimap.hpp"

#include <algorithm>

namespace clearance::text {

void FlatMultimap::build(std::vector<std::pair<std::uint64_t, std::uint32_t>>& items) {
  std::sort(items.begin(), items.end());
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
