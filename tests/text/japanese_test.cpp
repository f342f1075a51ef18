// Japanese names in kanji read as Japanese with MeCab and IPAdic, keeping the dictionary's other
// readings; Chinese names stay Chinese; without the dictionary kanji are read as before.
#include "clearance/text/japanese.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "clearance/text/normalize.hpp"
#include "test_support.hpp"

namespace clearance::text {
namespace {

#define SKIP_WITHOUT_IPADIC()                                                                 \
  if (!std::filesystem::exists(std::string(JapaneseReader::kDefaultDictionary) + "/sys.dic")) \
  GTEST_SKIP() << "mecab-ipadic-utf8 is not installed (make deps)"

std::string words(const std::string& name, PartyType type, const TextTables& t = *testing::tables()) {
  std::string s;
  for (auto& tok : tokenize_name(name, type, t)) s += (s.empty() ? "" : " ") + tok.text;
  return s;
}

bool spelt(const Token& t, const std::string& sp) {
  return std::find(t.spellings.begin(), t.spellings.end(), sp) != t.spellings.end();
}

TEST(Japanese, KanjiPersonNamesAreReadAsJapaneseWithTheirOtherReadings) {
  SKIP_WITHOUT_IPADIC();
  ASSERT_TRUE(testing::tables()->japanese) << testing::tables()->japanese_warning;
  EXPECT_EQ(words("野村悟", PartyType::kPerson), "nomura satoru");
  EXPECT_EQ(words("井上邦雄", PartyType::kPerson), "inoue kunio");
  // Written apart, the name is still read as one Japanese name (高山 alone is also a place).
  EXPECT_EQ(words("高山 清司", PartyType::kPerson), words("高山清司", PartyType::kPerson));
  // Names are ambiguous: 清司 is Seiji or Kiyoshi, 力 Tsutomu or Chikara; both readings are kept,
  // each with its Hepburn variants (ジロウ jirou, jiro).
  auto toks = tokenize_name("高山清司", PartyType::kPerson, *testing::tables());
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].text, "takayama");
  EXPECT_TRUE(spelt(toks[1], "seiji") && spelt(toks[1], "kiyoshi"));
  EXPECT_TRUE(spelt(tokenize_name("津田力", PartyType::kPerson, *testing::tables())[1], "chikara"));
  EXPECT_TRUE(spelt(tokenize_name("清田次郎", PartyType::kPerson, *testing::tables())[1], "jiro"));
  EXPECT_NE(toks[1].bridge.find("Japanese reading"), std::string::npos);
}

TEST(Japanese, ChineseNamesInHanAreStillReadAsMandarin) {
  SKIP_WITHOUT_IPADIC();
  // One-character surnames are Chinese: the dictionary's 李 (リ) does not make 李方伟 Japanese.
  EXPECT_EQ(words("李方伟", PartyType::kPerson), "li fangwei");
  EXPECT_EQ(words("王小明", PartyType::kPerson), "wang xiaoming");
  // A Chinese company without kana or a Japanese legal form keeps the Chinese tables.
  EXPECT_EQ(words("华为技术有限公司", PartyType::kEntity),
            words("Huawei Technology Co Ltd", PartyType::kEntity));
}

TEST(Japanese, KanaAndKanjiTogetherAndJapaneseLegalFormsAreJapanese) {
  SKIP_WITHOUT_IPADIC();
  // オウム真理教 is one Japanese run, not the kana word "oumu" and Mandarin "zhen li jiao".
  auto aum = tokenize_name("オウム真理教", PartyType::kEntity, *testing::tables());
  ASSERT_EQ(aum.size(), 1u);
  EXPECT_TRUE(spelt(aum[0], "omushinrikyo")) << aum[0].text;
  // 株式会社 is the legal form, and the rest is read as Japanese.
  auto toshiba = tokenize_name("株式会社東芝", PartyType::kEntity, *testing::tables());
  ASSERT_EQ(toshiba.size(), 2u);
  EXPECT_EQ(toshiba[0].kind, TokenKind::kLegal);
  EXPECT_TRUE(spelt(toshiba[1], "toshiba"));
}

// The tables as they are without the dictionary: kanji read as Chinese.
const TextTables* chinese_only() {
  static const auto t =
      TextTables::load(clearance::testing::data_dir(), {}, *Env::Default(), "/nonexistent/ipadic");
  return &**t;
}

TEST(Japanese, KanjiOrganisationNamesReadAsJapaneseOnlyWhenTheyAreJapanese) {
  SKIP_WITHOUT_IPADIC();
  ASSERT_TRUE(testing::tables()->japanese) << testing::tables()->japanese_warning;
  // Known to the dictionary as organisations, or a proper noun and a suffix.
  EXPECT_EQ(words("山口組", PartyType::kEntity), "yamaguchigumi");
  EXPECT_EQ(words("稲川会", PartyType::kEntity), "inagawa kai");
  // A common noun and a suffix is not enough (基金会 is a Chinese foundation as well); a character
  // Japanese does not write keeps a name Chinese.
  EXPECT_EQ(words("基金会", PartyType::kEntity), words("基金会", PartyType::kEntity, *chinese_only()));
  EXPECT_EQ(words("中国扶贫基金会", PartyType::kEntity),
            words("中国扶贫基金会", PartyType::kEntity, *chinese_only()));
  EXPECT_NE(words("山口組", PartyType::kEntity, *chinese_only()), "yamaguchigumi");
}

TEST(Japanese, WithoutTheDictionaryKanjiAreReadAsBeforeAndTheTablesSaySo) {
  auto reader = JapaneseReader::open("/nonexistent/ipadic");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("/nonexistent/ipadic"), std::string::npos);
  auto t = TextTables::load(clearance::testing::data_dir(), {}, *Env::Default(), "/nonexistent/ipadic");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_FALSE((*t)->japanese);
  EXPECT_NE((*t)->japanese_warning.find("read as Chinese"), std::string::npos);
  // Kanji still read, as a Chinese name of four characters (two and two): 高山清司 -> gaoshan qingsi.
  EXPECT_EQ(words("高山清司", PartyType::kPerson, **t), "gaoshan qingsi");
}

}  // namespace
}  // namespace clearance::text
