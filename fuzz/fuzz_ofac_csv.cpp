// An OFAC CSV set (sdn.csv, alt.csv, add.csv, sdn_comments.csv or cons_*.csv; more files after "#FILE name"
// lines).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "sdn.csv"), ListFormat::kOfacCsv);
  return 0;
}
