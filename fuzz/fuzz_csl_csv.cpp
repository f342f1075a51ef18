// The Consolidated Screening List as CSV (load_csl_csv), lenient and strict.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "consolidated.csv"), ListFormat::kCslCsv);
  return 0;
}
