// Snapshot files (decode_snapshot). The input is decoded as it is (the checksum almost always
// refuses it), then with its trailing checksum recomputed so the decoder proper is reached. What
// decodes must encode to bytes that decode to the same encoding.
#include <xxhash.h>

#include <cstring>

#include "clearance/lists/snapshot.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  auto text = fuzz::text_of(data, size);
  (void)decode_snapshot(text, "fuzz.snap");
  if (size < 8) return 0;
  std::string fixed(text);
  std::uint64_t sum = XXH3_64bits(fixed.data(), fixed.size() - 8);
  std::memcpy(fixed.data() + fixed.size() - 8, &sum, 8);
  auto s = decode_snapshot(fixed, "fuzz.snap");
  if (!s) return 0;
  auto once = encode_snapshot(*s);
  auto again = decode_snapshot(once, "fuzz.snap");
  if (!again || encode_snapshot(*again) != once) {
    std::fprintf(stderr, "a decoded snapshot does not survive encode/decode\n");
    std::abort();
  }
  return 0;
}
