// Thai read syllable by syllable into the Royal Thai General System and the spellings Thai names
// use on passports and in the lists (text/thai.hpp, data/text/thai.tsv).
#include "clearance/text/thai.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "clearance/text/normalize.hpp"
#include "test_support.hpp"

namespace clearance::text {
namespace {

std::vector<ScriptWord> read(const std::string& s) { return read_thai(s, testing::tables()->thai); }

std::string rtgs(const std::string& s) {
  auto r = read(s);
  return r.empty() ? "" : r[0].text;
}

// Whether `spelling` is among the word's spellings (all of them listed on failure).
::testing::AssertionResult spelt(const std::string& thai, const std::string& spelling) {
  auto r = read(thai);
  std::string all;
  for (auto& w : r)
    for (auto& sp : w.spellings) all += sp + " ";
  if (r.size() == 1 &&
      std::find(r[0].spellings.begin(), r[0].spellings.end(), spelling) != r[0].spellings.end())
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << thai << " is not spelt " << spelling << ": " << all;
}

TEST(Thai, WordsReadIntoRtgsSyllableBySyllable) {
  EXPECT_EQ(rtgs("สมชาย"), "somchai");  // the vowel no sign writes: o before a final
  EXPECT_EQ(rtgs("ถนน"), "thanon");     // three bare consonants: tha-non
  EXPECT_EQ(rtgs("ชนก"), "chanok");
  EXPECT_EQ(rtgs("ทักษิณ"), "thaksin");
  EXPECT_EQ(rtgs("ชินวัตร"), "chinwat");       // a ร after a final is silent
  EXPECT_EQ(rtgs("พวงเพชร"), "phuangphet");  // ว between consonants is ua
  EXPECT_EQ(rtgs("เมือง"), "mueang");         // a vowel written around its consonant
  EXPECT_EQ(rtgs("ไทย"), "thai");            // ย after ไ is silent
  EXPECT_EQ(rtgs("หนึ่ง"), "nueng");           // ห before a sonorant is silent; tone marks unwritten
  EXPECT_EQ(rtgs("ประยุทธ์"), "prayut");       // a cluster; the letter under ์ is silent
  EXPECT_EQ(rtgs("จันทร์โอชา"), "chanocha");   // ทร์: both silent
  EXPECT_EQ(rtgs("ศักดิ์"), "sak");             // ดิ์: the letter and its vowel
  EXPECT_EQ(rtgs("ยิ่งลักษณ์"), "yinglak");      // ษณ์
  EXPECT_EQ(rtgs("เศรษฐา"), "settha");
  EXPECT_EQ(rtgs("รุ่งตะวันคีรี"), "rungtawankhiri");
  EXPECT_EQ(rtgs("ภาพร"), "phaphon");  // -พร after a long vowel is a syllable
  EXPECT_EQ(rtgs("สำราญ"), "samran");
  EXPECT_EQ(rtgs("ส\u0E4D\u0E32ราญ"), "samran");  // ำ as NFKC writes it
}

TEST(Thai, NamesGetTheSpellingsTheirFamiliesUse) {
  auto r = read("สมบูรณ์");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].text, "sombun");
  EXPECT_EQ(r[0].spellings[1], "somboon");  // the usual spelling second
  EXPECT_EQ(r[0].script, std::string("Thai"));
  EXPECT_EQ(r[0].written, "สมบูรณ์");
  EXPECT_TRUE(spelt("กระดุมพร", "kradumporn"));        // พ p, final ร rn
  EXPECT_TRUE(spelt("จันทร์ประภาพร", "janprapaporn"));  // จ j, ภ p
  EXPECT_TRUE(spelt("ชัยจำรูญพันธ์", "chaijamroonphan"));
  EXPECT_TRUE(spelt("บุญชัว", "boonchua"));
  EXPECT_TRUE(spelt("วารี", "varee"));
  EXPECT_TRUE(spelt("กมล", "kamol"));
  EXPECT_TRUE(spelt("แพทองธาร", "paethongtharn"));
  // A final read as the start of a syllable of its own, as Sanskrit names are spoken.
  EXPECT_TRUE(spelt("พิชยศ", "pichayos"));
  EXPECT_TRUE(spelt("ชัยวรสิน", "chaiworasin"));
  // The other reading of two bare consonants after a vowel: wi-mon, not wim-la.
  EXPECT_TRUE(spelt("วิมลศรี", "wimonsi"));
  EXPECT_TRUE(spelt("ภูมิพล", "phumiphon"));
  for (const char* w : {"ชัยวรสิน", "รุ่งตะวันคีรี", "แพทองธาร"})
    EXPECT_LE(read(w)[0].spellings.size(), kMaxSpellings);
}

// Found reviewing the readers (2026-12-05): Thai and Burmese digits were kept for the readers, which
// read letters only, so a name or number written in them read into nothing. They are digits.
TEST(Thai, ThaiAndBurmeseDigitsAreDigits) {
  for (const char* name : {"\u0E51\u0E52\u0E53", "\u1041\u1042\u1043"}) {
    auto tokens = tokenize_name(name, PartyType::kEntity, *testing::tables());
    ASSERT_EQ(tokens.size(), 1u) << name;
    EXPECT_EQ(tokens[0].kind, TokenKind::kNumber) << name;
  }
  auto tokens =
      tokenize_name("\u0E2A\u0E21\u0E0A\u0E32\u0E22 \u0E51", PartyType::kPerson, *testing::tables());
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].text, "somchai");
}

TEST(Thai, TitlesAndOtherScriptsAreLeftOut) {
  EXPECT_EQ(rtgs("นายสมชาย"), "somchai");  // Mr
  EXPECT_EQ(rtgs("นางสาววารี"), "wari");    // Miss, not Mrs + sao
  EXPECT_EQ(rtgs("นาย"), "nai");           // a title alone is a word
  EXPECT_TRUE(read("Somchai").empty());
  EXPECT_TRUE(read("่้").empty());  // marks without a letter
  EXPECT_TRUE(thai_letter(U'ก'));
  EXPECT_FALSE(thai_letter(U'ກ'));  // Lao
}

// The table is data an analyst may change: its errors name the file, the line and what is wrong,
// and the tables are not loaded.
TEST(Thai, TableErrorsNameFileAndLine) {
  for (auto [row, what] : std::initializer_list<std::pair<const char*, const char*>>{
           {"initial\tก\tK", "lower-case Latin letters"},
           {"initial\tA\tk", "not Thai"},
           {"vowel\tเ-ี-ย\tia", "is not a Thai vowel"},
           {"final\tร\tn rn* r*", "at most one"},
           {"tone\t่\t-", "part: unknown"}}) {
    std::string error = testing::text_table_error("thai.tsv", row);
    EXPECT_NE(error.find("thai.tsv:"), std::string::npos) << row << ": " << error;
    EXPECT_NE(error.find(what), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace clearance::text
