// The item catalogue (Catalogue::load over the bundled rule packs): the first line names the file
// ("chips.yaml"), the rest is its YAML, loaded alone (the other catalogue files would only slow it).
#include "clearance/items/catalogue.hpp"
#include "clearance/rules/rule_pack.hpp"
#include "fuzz_support.hpp"
#include "support/paths.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  static const auto kRules = [] {
    auto r = RuleSet::load_dir(clearance::testing::data_dir() + "/rules");
    if (!r) fuzz::setup_failed(r.error().message);
    return *r;
  }();
  auto [name, text] = fuzz::head_and_rest(fuzz::text_of(data, size));
  std::vector<ItemSource> sources{{std::string(name), std::string(text)}};
  auto catalogue = Catalogue::load(sources, *kRules);
  if (catalogue)
    for (auto& item : (*catalogue)->items()) (void)(*catalogue)->resolve(item->id);
  return 0;
}
