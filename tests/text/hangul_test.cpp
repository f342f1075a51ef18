// Hangul read syllable by syllable into Revised Romanisation and the other spellings the lists use.
#include "clearance/text/hangul.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.hpp"

namespace clearance::text {
namespace {

std::vector<HangulSyllable> read(const std::string& s) { return read_hangul(s, testing::tables()->hangul); }

bool spelt(const HangulSyllable& h, const std::string& sp) {
  return std::find(h.spellings.begin(), h.spellings.end(), sp) != h.spellings.end();
}

TEST(Hangul, SyllablesDecomposeIntoRevisedRomanisation) {
  auto r = read("김정은");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].text, "gim");
  EXPECT_EQ(r[1].text, "jeong");
  EXPECT_EQ(r[2].text, "eun");
  EXPECT_EQ(r[1].written, "정");
  auto c = read("최룡해");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].text, "choe");
  EXPECT_EQ(c[1].text, "ryong");
  EXPECT_EQ(c[2].text, "hae");
  EXPECT_EQ(read("한국어")[2].text, "eo");  // no initial consonant
  EXPECT_EQ(read("닭")[0].text, "dak");     // a final of two letters
  EXPECT_TRUE(read("Kim").empty());
}

TEST(Hangul, McCuneReischauerAndCommonSpellings) {
  auto r = read("김정은");
  EXPECT_TRUE(spelt(r[1], "jong"));   // North Korean: Kim Jong Un
  EXPECT_TRUE(spelt(r[1], "chong"));  // McCune-Reischauer: Chŏng
  EXPECT_TRUE(spelt(r[1], "jung"));
  EXPECT_TRUE(spelt(r[2], "un"));
  auto b = read("황병서");
  EXPECT_TRUE(spelt(b[1], "pyong"));
  EXPECT_TRUE(spelt(b[2], "so"));
  EXPECT_TRUE(spelt(read("택")[0], "thaek"));  // North Korean th for ㅌ
  EXPECT_FALSE(spelt(r[1], "jang"));
}

TEST(Hangul, SurnamesGetTheirFamiliesSpellings) {
  for (const char* s : {"kim", "gim"}) EXPECT_TRUE(spelt(read("김정은")[0], s)) << s;
  for (const char* s : {"lee", "yi", "rhee", "ri"}) EXPECT_TRUE(spelt(read("이순신")[0], s)) << s;
  for (const char* s : {"park", "pak", "bak"}) EXPECT_TRUE(spelt(read("박")[0], s)) << s;
  for (const char* s : {"choi", "choe"}) EXPECT_TRUE(spelt(read("최")[0], s)) << s;
  // Only at the start of a word: 이 inside a given name is i, not Lee.
  EXPECT_FALSE(spelt(read("김이")[1], "lee"));
}

}  // namespace
}  // namespace clearance::text
