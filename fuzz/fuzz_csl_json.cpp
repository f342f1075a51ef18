// The Consolidated Screening List as JSON (load_csl_json), lenient and strict.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "consolidated.json"),
                       ListFormat::kCslJson);
  return 0;
}
