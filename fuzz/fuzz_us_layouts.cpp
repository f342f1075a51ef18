// The BIS and State Department source layouts: the first line names the format (bis-dpl, bis-csv,
// state-isn, bis-uvl, ddtc-debarred), the rest is the file.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  auto text = fuzz::text_of(data, size);
  size_t eol = text.find('\n');
  if (eol == std::string_view::npos) return 0;
  auto format = list_format_from_string(text.substr(0, eol));
  if (!format) return 0;
  switch (*format) {
    case ListFormat::kBisDpl:
    case ListFormat::kBisCsv:
    case ListFormat::kStateIsn:
    case ListFormat::kBisUvl:
    case ListFormat::kDdtcDebarred:
      break;
    default:
      return 0;  // the other formats have targets of their own
  }
  fuzz::load_both_ways({{"source.csv", std::string(text.substr(eol + 1))}}, *format);
  return 0;
}
