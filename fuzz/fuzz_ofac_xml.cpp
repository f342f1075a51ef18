// OFAC's XML (SDN and consolidated) as load_ofac_xml reads it.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  fuzz::load_both_ways(fuzz::split_files(fuzz::text_of(data, size), "sdn.xml"), ListFormat::kOfacXml);
  return 0;
}
