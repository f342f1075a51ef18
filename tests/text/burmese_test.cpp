// Burmese read syllable by syllable into the spellings Burmese names have in the lists
// (text/burmese.hpp, data/text/burmese.tsv).
#include "clearance/text/burmese.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "clearance/text/normalize.hpp"
#include "test_support.hpp"

namespace clearance::text {
namespace {

// The usual spelling of each syllable, space-separated.
std::string usual(const std::string& s, std::string* unread = nullptr) {
  std::string out;
  for (auto& w : read_burmese(s, testing::tables()->burmese, unread))
    out += (out.empty() ? "" : " ") + w.text;
  return out;
}

bool spelt(const std::string& syllable, const std::string& spelling) {
  auto r = read_burmese(syllable, testing::tables()->burmese);
  return r.size() == 1 &&
         std::find(r[0].spellings.begin(), r[0].spellings.end(), spelling) != r[0].spellings.end();
}

TEST(Burmese, SyllablesReadAsNamesAreSpelt) {
  EXPECT_EQ(usual("မင်းအောင်လှိုင်"), "min aung hlaing");  // ှ puts h before; tone marks unwritten
  EXPECT_EQ(usual("စိုးဝင်း"), "so win");
  EXPECT_EQ(usual("မြင့်ဆွေ"), "myint hswe");  // the creaky tone: int; ြ y, ွ w
  EXPECT_EQ(usual("ညွန့်"), "nyunt");          // ွ before a final is the vowel u
  EXPECT_EQ(usual("ထွန်း"), "htun");
  EXPECT_EQ(usual("ရွှေ"), "shwe");  // an onset the letters do not spell one by one
  EXPECT_EQ(usual("ကျော်"), "kyaw");
  EXPECT_EQ(usual("ဒေါ်"), "daw");
  EXPECT_EQ(usual("ဦး"), "oo");          // an independent vowel
  EXPECT_EQ(usual("ဥ\u102Eး"), "oo");    // the same written in two code points
  EXPECT_EQ(usual("သစ္စာ"), "thit sar");  // a final stacked under the next consonant
  EXPECT_EQ(usual("သန်းငြိမ်း"), "than nyein");
  EXPECT_EQ(usual("မြ"), "mya");  // the vowel no sign writes
  EXPECT_EQ(usual("Min"), "");
  auto r = read_burmese("မင်း", testing::tables()->burmese);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].written, "မင်း");
  EXPECT_EQ(r[0].script, std::string("Burmese"));
}

TEST(Burmese, OtherSpellingsOfASyllable) {
  EXPECT_TRUE(spelt("စိုး", "soe"));
  EXPECT_TRUE(spelt("ဆွေ", "swe"));
  EXPECT_TRUE(spelt("ထွန်း", "tun"));
  EXPECT_TRUE(spelt("ဦး", "u"));
  EXPECT_TRUE(spelt("ခိုင်", "khine"));
  EXPECT_TRUE(spelt("အုန်း", "ohn"));
}

// A syllable the table cannot read is named, and the run is read letter by letter as before.
TEST(Burmese, ASyllableTheTableLacksIsNamed) {
  std::string unread;
  auto r = read_burmese("ဂုဏ်", testing::tables()->burmese, &unread);
  EXPECT_EQ(unread, "ဂုဏ်");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].script, std::string("Burmese, letter by letter"));
  EXPECT_FALSE(r[0].text.empty());
  unread.clear();
  usual("မင်းအောင်လှိုင်", &unread);
  EXPECT_EQ(unread, "");
}

TEST(Burmese, EachSyllableIsAWordOfTheName) {
  std::vector<std::string> words;
  for (auto& t : tokenize_name("မင်းအောင်လှိုင်", PartyType::kPerson, *testing::tables())) words.push_back(t.text);
  EXPECT_EQ(words, (std::vector<std::string>{"min", "aung", "hlaing"}));
}

TEST(Burmese, TableErrorsNameFileAndLine) {
  for (auto [row, what] : std::initializer_list<std::pair<const char*, const char*>>{
           {"initial\tက\tK", "lower-case Latin letters"},
           {"rhyme\tab\tx", "not Burmese"},
           {"initial\tကျ\tky", "is not a Burmese initial"},
           {"tone\tး\t-", "part: unknown"}}) {
    std::string error = testing::text_table_error("burmese.tsv", row);
    EXPECT_NE(error.find("burmese.tsv:"), std::string::npos) << row << ": " << error;
    EXPECT_NE(error.find(what), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace clearance::text
