// An open-addressing multimap from 64-bit hashes to 32-bit values, built once and read by many
// threads. Lookups of many keys at once prefetch every slot first, so their cache misses overlap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace clearance::text {

class FlatMultimap {
 public:
  // Builds from (hash, value) pairs; duplicates are dropped. The vector is sorted in place.
  void build(std::vector<std::pair<std::uint64_t, std::uint32_t>>& items);

  template <class Fn>
  void for_each(std::uint64_t h, Fn fn) const {
    if (slots_.empty()) return;
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return;
      if (s.hash == h) fn(s.value);
    }
  }
  // Looks up n hashes: prefetches all their slots, then visits them.
  template <class Fn>
  void for_each_batch(const std::uint64_t* hashes, size_t n, Fn fn) const {
    if (slots_.empty()) return;
    for (size_t k = 0; k < n; ++k) __builtin_prefetch(&slots_[hashes[k] & mask_]);
    for (size_t k = 0; k < n; ++k) for_each(hashes[k], fn);
  }
  size_t memory_bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  struct Slot {
    std::uint64_t hash;
    std::uint32_t value;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

}  // namespace clearance::text
