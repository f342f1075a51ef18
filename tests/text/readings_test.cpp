// Kana and Greek read into Latin (ICU) with the other spellings the lists and passports use.
#include "clearance/text/readings.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "clearance/text/fold.hpp"

namespace clearance::text {
namespace {

bool spelt(const std::vector<ScriptWord>& w, const std::string& sp) {
  return w.size() == 1 && std::find(w[0].spellings.begin(), w[0].spellings.end(), sp) != w[0].spellings.end();
}

TEST(Readings, KanaInHepburnWithLongVowelAndKunreiVariants) {
  auto g = read_kana("ごとう");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].text, "gotou");
  for (const char* s : {"goto", "gotoh"}) EXPECT_TRUE(spelt(g, s)) << s;
  EXPECT_EQ(read_kana("ゴトウ")[0].text, "gotou");  // katakana reads as hiragana
  EXPECT_TRUE(spelt(read_kana("ジロー"), "jiro"));  // the prolonged sound mark
  EXPECT_TRUE(spelt(read_kana("じろう"), "jiro"));
  EXPECT_TRUE(spelt(read_kana("しんぶん"), "shimbun"));  // m before b
  EXPECT_TRUE(spelt(read_kana("しんぶん"), "sinbun"));   // Kunrei-shiki
  EXPECT_TRUE(spelt(read_kana("つしま"), "tusima"));
  EXPECT_TRUE(spelt(read_kana("キョウコ"), "kyoko"));
  EXPECT_FALSE(spelt(read_kana("ごとう"), "gato"));
}

TEST(Readings, GreekInElot743AndItsVariants) {
  auto x = read_greek(fold_name("Ξηρός"));
  ASSERT_EQ(x.size(), 1u);
  EXPECT_EQ(x[0].text, "xiros");   // ELOT 743 / UN
  EXPECT_TRUE(spelt(x, "xeros"));  // the classical reading
  EXPECT_TRUE(spelt(read_greek(fold_name("Μπάμπης")), "babis"));
  EXPECT_TRUE(spelt(read_greek(fold_name("Ντίνος")), "dinos"));
  EXPECT_TRUE(spelt(read_greek(fold_name("Ευάγγελος")), "evangelos"));
  EXPECT_TRUE(spelt(read_greek(fold_name("Παπαδόπουλος")), "papadopulos"));
  EXPECT_TRUE(read_greek("abc").empty());
}

}  // namespace
}  // namespace clearance::text
