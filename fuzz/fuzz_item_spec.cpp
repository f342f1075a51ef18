// An item spec file (`check --spec`, the "spec" of POST /v1/check; YAML or JSON): parsed with the
// bundled rule packs' vocabulary, then classified as of a fixed date.
#include "clearance/common/date.hpp"
#include "clearance/decide/engine.hpp"
#include "fuzz_support.hpp"
#include "support/paths.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  static const auto kEngine = [] {
    auto e = Engine::load(clearance::testing::data_dir());
    if (!e) fuzz::setup_failed(e.error().message);
    return *e;
  }();
  static const Date kAsOf = *Date::parse("2025-06-01");
  auto item = kEngine->parse_spec(fuzz::text_of(data, size), "spec.yaml");
  if (item) (void)kEngine->classify(*item, kAsOf);
  return 0;
}
