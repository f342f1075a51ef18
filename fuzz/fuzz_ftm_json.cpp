// FollowTheMoney JSON lines (load_ftm_json).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "entities.ftm.json"),
                       ListFormat::kFtmJson);
  return 0;
}
