// The UN Security Council consolidated list XML (load_un_xml).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "consolidated.xml"), ListFormat::kUnXml);
  return 0;
}
