// Chinese to Latin words: phrase tables before per-character readings, places, industry words,
// legal forms, numbers, listed short names, traditional script and pinyin-written names.
#include "clearance/text/zh.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "clearance/text/normalize.hpp"
#include "test_support.hpp"

namespace clearance::text {
namespace {

std::string words(const std::string& name, PartyType type = PartyType::kEntity) {
  std::string s;
  for (auto& t : tokenize_name(name, type, *testing::tables())) s += (s.empty() ? "" : " ") + t.text;
  return s;
}

TEST(Zh, PinyinWithoutTonesJoined) {
  EXPECT_EQ(zh_pinyin("华为"), "huawei");
  EXPECT_EQ(zh_pinyin("拉法特"), "lafate");
}

TEST(Zh, TraditionalFoldsToSimplified) {
  EXPECT_EQ(zh_simplify("曙光信息產業股份有限公司"), "曙光信息产业股份有限公司");
  EXPECT_EQ(words("華為技術有限公司"), words("华为技术有限公司"));
}

TEST(Zh, PlaceNamesUseTheirOfficialFormsNotPerCharacterReadings) {
  // ICU alone reads 厦门 "sha men" and 长沙 "zhang sha"; the phrase table knows better.
  EXPECT_EQ(words("厦门"), "xiamen");
  EXPECT_EQ(words("长沙"), "changsha");
  EXPECT_EQ(words("哈尔滨"), "harbin");
  EXPECT_EQ(words("乌鲁木齐"), "urumqi");
}

TEST(Zh, CompanyNameStructure) {
  // place + distinctive name (pinyin) + industry word + legal form
  EXPECT_EQ(words("深圳市华为技术有限公司"), "shenzhen huawei technology ~ltd");
  EXPECT_EQ(words("华为技术有限公司"), words("Huawei Technologies Co., Ltd."));
  EXPECT_EQ(words("北京复旦微电子技术有限公司"), "beijing fudan microelectronic technology ~ltd");
  // 银行 reads yinhang and means bank.
  EXPECT_EQ(words("大华银行"), "dahua bank");
}

TEST(Zh, NumberedInstitutes) {
  EXPECT_NE(words("中国电子科技集团公司第三十二研究所").find(" 32 "), std::string::npos);
  EXPECT_NE(words("中国船舶重工集团公司第七二五研究所").find(" 725 "), std::string::npos);
  // ... and the English side reads "7th" as 7.
  EXPECT_NE(words("7th Research Institute").find("7 "), std::string::npos);
}

TEST(Zh, ListedShortNamesDoNotSwallowTheWordsAfterThem) {
  auto w = words("龙芯幼儿园");
  EXPECT_EQ(w.find("loongson"), 0u) << w;
  EXPECT_NE(w.find("youeryuan"), std::string::npos) << w;
}

TEST(Zh, PinyinWrittenNamesReadLikeTheChinese) {
  EXPECT_EQ(words("Huawei Jishu Youxian Gongsi"), words("华为技术有限公司"));
  EXPECT_EQ(words("Longxin Zhongke Jishu"), "loongson zhongke technology");
  // One-syllable words are left alone: "Liang" is a name, not the numeral 两.
  EXPECT_EQ(words("Liang Ping Huang"), "liang ping huang");
}

TEST(Zh, ChinesePersonNamesSplitSurnameFromGivenName) {
  EXPECT_EQ(words("李方伟", PartyType::kPerson), "li fangwei");
}

TEST(Zh, OtherScriptsTransliterate) {
  // Cyrillic is read with the lists' own spelling (BGN/PCGN: -ich, not ICU's scholarly -ic).
  EXPECT_EQ(words("Дерипаска Олег Владимирович", PartyType::kPerson), "deripaska oleg vladimirovich");
}

// Issue 11: Chinese names in Wade-Giles (Mao Tse-tung, Ch'ing) and Cantonese (Wong, Cheung, Chan)
// read with the pinyin syllables they may stand for (data/text/zh_romanisations.tsv).
TEST(Zh, WadeGilesAndCantoneseSyllablesCarryTheirPinyin) {
  auto spelt = [](const std::string& name, size_t i, const std::string& sp) {
    auto toks = tokenize_name(name, PartyType::kPerson, *testing::tables());
    return i < toks.size() &&
           std::find(toks[i].spellings.begin(), toks[i].spellings.end(), sp) != toks[i].spellings.end();
  };
  EXPECT_TRUE(spelt("Mao Tse-tung", 1, "ze"));
  EXPECT_TRUE(spelt("Mao Tse-tung", 2, "dong"));
  EXPECT_TRUE(spelt("Chiang Kai-shek", 0, "jiang"));
  EXPECT_TRUE(spelt("Chiang Kai-shek", 2, "shi"));
  EXPECT_TRUE(spelt("Ch'ing Hsiao-ping", 0, "qing"));  // the apostrophe of aspiration dropped
  EXPECT_TRUE(spelt("Wong Kam Sing", 0, "huang"));
  EXPECT_TRUE(spelt("Cheung Tak Wing", 0, "zhang"));
  for (const char* s : {"chan", "lee", "ho", "leung", "tsang"})
    EXPECT_TRUE(testing::tables()->zh_romanisations.count(s)) << s;
  // A name with any other word is left alone.
  EXPECT_TRUE(tokenize_name("John Lee", PartyType::kPerson, *testing::tables())[1].spellings.empty());
  EXPECT_TRUE(tokenize_name("Wong Trading", PartyType::kEntity, *testing::tables())[0].spellings.empty());
  // The other way: a name in pinyin or in Chinese characters carries the Wade-Giles and Cantonese
  // spellings of its words, syllable by syllable (zedong: ze dong -> tsetung), as other forms of
  // words still compared by typos.
  EXPECT_TRUE(spelt("Mao Zedong", 1, "tsetung"));
  EXPECT_TRUE(spelt("毛泽东", 1, "tsetung"));
  EXPECT_TRUE(spelt("Li Ming", 0, "lee"));
  EXPECT_TRUE(spelt("鄧炳強", 1, "pingkeung"));
  EXPECT_TRUE(tokenize_name("Mao Zedong", PartyType::kPerson, *testing::tables())[1].other_spellings);
  // Not a name of pinyin syllables: left alone.
  EXPECT_TRUE(tokenize_name("Mao Zedongx", PartyType::kPerson, *testing::tables())[0].spellings.empty());
}

}  // namespace
}  // namespace clearance::text
