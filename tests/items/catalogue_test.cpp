// Resolving items by name, synonym, Chinese name, formula, control code and HS code; unknown items
// suggest near names.
#include <gtest/gtest.h>

#include "rules/rules_support.hpp"

namespace clearance {
namespace {

using testing::engine;

std::string id_of(std::string_view q) {
  auto m = engine()->resolve_item(q);
  return m.ok() ? m->item->id : "error: " + m.error().message;
}

TEST(Catalogue, ResolvesNamesSynonymsChineseNamesAndFormulas) {
  ASSERT_TRUE(engine());
  EXPECT_EQ(id_of("dysprosium oxide"), "dysprosium-oxide");
  EXPECT_EQ(id_of("氧化镝"), "dysprosium-oxide");
  EXPECT_EQ(id_of("Dy2O3"), "dysprosium-oxide");
  EXPECT_EQ(id_of("Dy₂O₃"), "dysprosium-oxide");  // NFKC folds the subscripts
  EXPECT_EQ(id_of("  Dysprosium  Oxide "), "dysprosium-oxide");
  EXPECT_EQ(id_of("镝"), "dysprosium-metal");
  EXPECT_EQ(id_of("镓"), "gallium-metal");
  EXPECT_EQ(id_of("gallium"), "gallium-metal");
  EXPECT_EQ(id_of("锗"), "germanium-metal");
  EXPECT_EQ(id_of("石墨"), "graphite");
  EXPECT_EQ(id_of("锑"), "antimony-metal");
  EXPECT_EQ(id_of("磷酸铁锂正极材料制备技术"), "lfp-cathode-preparation-technology");
  EXPECT_EQ(id_of("LFP cathode material preparation technology"), "lfp-cathode-preparation-technology");
  EXPECT_EQ(id_of("含镝钕铁硼磁体"), "ndfeb-magnets-with-dysprosium");
  EXPECT_EQ(id_of("NdFeB magnets containing terbium"), "ndfeb-magnets-with-terbium");
  EXPECT_EQ(id_of("H20"), "nvidia-h20");
  EXPECT_EQ(id_of("NVIDIA H100"), "nvidia-h100-sxm5-80gb");
  EXPECT_EQ(id_of("RTX4090"), "nvidia-rtx-4090");
  EXPECT_EQ(id_of("昇腾910B"), "huawei-ascend-910b");
}

TEST(Catalogue, ResolvesCodes) {
  ASSERT_TRUE(engine());
  EXPECT_EQ(id_of("2805301200"), "dysprosium-metal");    // HS code
  EXPECT_EQ(id_of("2805.30.1200"), "dysprosium-metal");  // dotted
  EXPECT_EQ(id_of("2846901940"), "samarium-oxide");
  EXPECT_EQ(id_of("1C905.b"), "dysprosium-oxide");  // China control code
  EXPECT_EQ(id_of("252604X"), id_of("252604x"));
  auto eccn = engine()->resolve_item("3A090.a");
  ASSERT_TRUE(eccn.ok());
  EXPECT_EQ(eccn->item->kind, "generic");
  EXPECT_EQ(eccn->item->eccn, "3A090.a");
  auto ear99 = engine()->resolve_item("EAR99");
  ASSERT_TRUE(ear99.ok());
  EXPECT_TRUE(ear99->item->subject_to_ear);
}

TEST(Catalogue, SharedHsCodeIsAmbiguousAndSaysSo) {
  ASSERT_TRUE(engine());
  auto m = engine()->resolve_item("2805301910");  // samarium, gadolinium and lutetium metal
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind, Error::Kind::kBadInput);
  EXPECT_NE(m.error().message.find("samarium metal"), std::string::npos) << m.error().message;
  EXPECT_NE(m.error().message.find("lutetium metal"), std::string::npos);
}

TEST(Catalogue, UnknownItemSuggestsNearNames) {
  ASSERT_TRUE(engine());
  auto m = engine()->resolve_item("dysprosium oxyde");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind, Error::Kind::kNotFound);
  EXPECT_NE(m.error().message.find("dysprosium oxide"), std::string::npos) << m.error().message;
  auto g = engine()->resolve_item("galium");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("gallium"), std::string::npos) << g.error().message;
  auto hs = engine()->resolve_item("9999999999");
  ASSERT_FALSE(hs.ok());
  EXPECT_EQ(hs.error().kind, Error::Kind::kNotFound);
}

TEST(Catalogue, BadCatalogueGivesFileLineField) {
  auto e = engine();
  ASSERT_TRUE(e);
  std::vector<ItemSource> bad = {
      {"x.yaml",
       "kind: items\nitems:\n  - id: a\n    name: A\n    kind: chip\n    confidence: S\n"
       "  - id: b\n    name: B\n    kind: chip\n    confidence: S\n    synonyms: [A]\n"}};
  auto c = Catalogue::load(bad, e->rules());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("x.yaml:7"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("already names item 'a'"), std::string::npos) << c.error().message;
  std::vector<ItemSource> kind = {
      {"k.yaml", "kind: items\nitems:\n  - id: a\n    name: A\n    kind: chp\n    confidence: S\n"}};
  auto k = Catalogue::load(kind, e->rules());
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().message.find("k.yaml:5"), std::string::npos) << k.error().message;
  EXPECT_NE(k.error().message.find("'chip'"), std::string::npos) << k.error().message;
}

}  // namespace
}  // namespace clearance
