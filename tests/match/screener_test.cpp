// Screening behaviour on a small list of real entries (typed from public lists), one test per
// kind of variation the engine must handle, plus the near misses it must not raise.
#include "clearance/match/screener.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace clearance {
namespace {

Party make(const std::string& id, PartyType type, std::vector<std::string> names,
           std::vector<std::string> countries,
           std::string list = "Entity List (EL) - Bureau of Industry and Security") {
  Party p;
  p.id = id;
  p.list = std::move(list);
  p.type = type;
  for (size_t i = 0; i < names.size(); ++i)
    p.names.push_back({names[i], i == 0 ? NameKind::kPrimary : NameKind::kAka, Script::kLatin});
  p.countries = std::move(countries);
  return p;
}

class ScreenerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ListSnapshot s;
    s.info.name = "test";
    s.parties = {
        make("el-huawei", PartyType::kEntity, {"Huawei Technologies Co., Ltd.", "Huawei"}, {"CN"}),
        make("el-hikvision", PartyType::kEntity, {"Hangzhou Hikvision Digital Technology Co., Ltd."}, {"CN"}),
        make("el-dahua", PartyType::kEntity, {"Zhejiang Dahua Technology Co., Ltd.", "Dahua Technology"},
             {"CN"}),
        make("el-zte", PartyType::kEntity, {"ZTE Kangxun Telecom Co., Ltd."}, {"CN"}),
        make("el-mapna", PartyType::kEntity, {"Chengdu Jiwei Technology Co., Ltd."}, {"CN"}),
        make("sdn-arreaza", PartyType::kPerson, {"ARREAZA MONTSERRAT, Jorge Alberto"}, {"VE"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
        make("sdn-torshin", PartyType::kPerson, {"TORSHIN, Alexander Porfiryevich"}, {"RU"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
        make("sdn-zakarya", PartyType::kPerson, {"MOHAMMAD ZAKARYA, Jassim"}, {"IQ"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
        make("sdn-khouzestan", PartyType::kEntity, {"KHOUZESTAN STEEL COMPANY"}, {"IR"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
        make("sdn-myanmar", PartyType::kEntity, {"Myanmar Economic Corporation"}, {"MM"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
        make("sdn-vessel", PartyType::kVessel, {"ARTAVIL"}, {"IR"},
             "Specially Designated Nationals (SDN) - Treasury Department"),
    };
    s.parties.back().ids.push_back({"IMO", "9187629", ""});
    s.parties[5].birth_dates = {"1961-03-14"};
    s.parties.push_back(make("sdn-cohen", PartyType::kPerson, {"COHEN, Avraham"}, {"IL"},
                             "Specially Designated Nationals (SDN) - Treasury Department"));
    s.parties.push_back(make("sdn-essayed", PartyType::kPerson, {"ES SAYED, Abdelkader Mahmoud"}, {"IT"},
                             "Specially Designated Nationals (SDN) - Treasury Department"));
    s.parties.push_back(make("sdn-aouadi", PartyType::kPerson, {"AOUADI, Mohamed Ben Belgacem"}, {"TN"},
                             "Specially Designated Nationals (SDN) - Treasury Department"));
    for (const char* n :
         {"BARICH, Mohammad Naim", "CHAUDHRY, Aamir Ali", "BOUGHANEMI, Faycal", "MAYCHOU, Ali"})
      s.parties.push_back(make(std::string("sdn-") + n, PartyType::kPerson, {n}, {},
                               "Specially Designated Nationals (SDN) - Treasury Department"));
    s.parties.push_back(make("el-dbc", PartyType::kEntity, {"DBC Makina Sanayi ve Ticaret A.S."}, {"TR"}));
    s.parties.push_back(
        make("el-tiangong", PartyType::kEntity, {"Suzhou Tiangong Technology Co., Ltd."}, {"CN"}));
    for (const char* n : {"MORCILLO TORRES, Gracia", "HASSAN, Khadija"})
      s.parties.push_back(make(std::string("sdn-") + n, PartyType::kPerson, {n}, {},
                               "Specially Designated Nationals (SDN) - Treasury Department"));
    s.parties.push_back(make("sdn-brigade44", PartyType::kEntity, {"BRIGADE 44"}, {"SY"},
                             "Specially Designated Nationals (SDN) - Treasury Department"));
    s.parties.push_back(make("el-haqqani", PartyType::kEntity, {"Jalaluddin Haqqani"}, {"PK"}));
    s.parties.push_back(make("sdn-taha", PartyType::kPerson, {"AL-JIZRAWI, Taha Yassin Ramadan"}, {"IQ"},
                             "Specially Designated Nationals (SDN) - Treasury Department"));
    auto weak = make("sdn-weak", PartyType::kPerson, {"AL-MASRI, Abu Ayyub", "Abu Hamza"}, {"EG"},
                     "Specially Designated Nationals (SDN) - Treasury Department");
    weak.names[1].kind = NameKind::kWeak;
    s.parties.push_back(weak);
    auto smith = make("sdn-smith", PartyType::kPerson, {"SMITH, John"}, {"GB"},
                      "Specially Designated Nationals (SDN) - Treasury Department");
    smith.birth_dates = {"1970-05-01"};
    s.parties.push_back(smith);
    for (const char* n : {"SMITH, Peter", "SMITH, Anna", "JONES, John", "BROWN, John"})
      s.parties.push_back(make(std::string("sdn-") + n, PartyType::kPerson, {n}, {"GB"},
                               "Specially Designated Nationals (SDN) - Treasury Department"));
    for (int i = 0; i < 40; ++i)  // enough ordinary names for word weights to mean something
      s.parties.push_back(make("filler-" + std::to_string(i), PartyType::kEntity,
                               {"Filler Trading " + std::string(1, static_cast<char>('A' + i % 26)) +
                                std::to_string(i) + " Technology Co., Ltd."},
                               {"CN"}));
    seal_snapshot(s);
    std::vector<ListSnapshot> v;
    v.push_back(std::move(s));
    screener_ = Screener::build(std::move(v), testing::tables()).release();
  }
  static void TearDownTestSuite() { delete screener_; }

  static std::vector<Hit> screen(const std::string& name, PartyType type = PartyType::kUnknown,
                                 const std::string& country = "", double min = kDefaultThreshold) {
    ScreenQuery q;
    q.name = name;
    q.type = type;
    q.country = country;
    q.min_score = min;
    return screener_->screen(q);
  }
  static double score_of(const std::string& name, const std::string& id, PartyType type = PartyType::kUnknown,
                         const std::string& country = "") {
    for (auto& h : screen(name, type, country, 0.05))
      if (h.party->id == id) return h.score;
    return 0;
  }
  // Whether the first hit of a person's name has an explanation line containing `text`.
  static bool top_hit_explains(const std::string& name, const std::string& text) {
    auto hits = screen(name, PartyType::kPerson);
    if (hits.empty()) return false;
    for (auto& e : hits[0].explanation)
      if (e.find(text) != std::string::npos) return true;
    return false;
  }
  static Screener* screener_;
};
Screener* ScreenerTest::screener_ = nullptr;

TEST_F(ScreenerTest, ExactFullNameScoresOne) {
  EXPECT_DOUBLE_EQ(score_of("Huawei Technologies Co., Ltd.", "el-huawei"), 1.0);
  EXPECT_DOUBLE_EQ(score_of("HUAWEI TECHNOLOGIES CO LTD", "el-huawei"), 1.0);
}

TEST_F(ScreenerTest, LegalFormVariantsStillMatchHigh) {
  EXPECT_GE(score_of("Huawei Technologies Company Limited", "el-huawei"), 0.97);
  EXPECT_GE(score_of("Huawei Technologies", "el-huawei"), 0.9);
}

TEST_F(ScreenerTest, TyposAreFound) {
  EXPECT_GE(score_of("Meyanmar Economic Corporyation", "sdn-myanmar"), kDefaultThreshold);
  EXPECT_GE(score_of("TORSHIN, Alexander Psorfiryevich", "sdn-torshin"), kDefaultThreshold);
  EXPECT_GE(score_of("Hangzou Hikvison Digital Technology", "el-hikvision"), kDefaultThreshold);
}

TEST_F(ScreenerTest, ReorderedPersonNamesMatchExactly) {
  EXPECT_DOUBLE_EQ(score_of("Jorge Alberto ARREAZA MONTSERRAT", "sdn-arreaza", PartyType::kPerson), 1.0);
  EXPECT_DOUBLE_EQ(score_of("ARREAZA MONTSERRAT JORGE ALBERTO", "sdn-arreaza", PartyType::kPerson), 1.0);
}

TEST_F(ScreenerTest, MergedAndSplitWords) {
  EXPECT_GE(score_of("KHOUZESTANSTEEL COMPANY", "sdn-khouzestan"), kDefaultThreshold);
  EXPECT_GE(score_of("Hik Vision Digital Technology", "el-hikvision"), kDefaultThreshold);
}

TEST_F(ScreenerTest, TransliterationVariants) {
  EXPECT_GE(score_of("Mohamed ZAKARYA, Jassim", "sdn-zakarya", PartyType::kPerson), kDefaultThreshold);
}

// Field bug (screening-dev negative): Teresa met Torres through the consonant key (t-r-s) as a
// transliteration variant, and "Teresa Gracia" alerted on MORCILLO TORRES, Gracia. Spellings of one
// name end alike, in a vowel (Khadija, Khadeeja; a silent h after it: Fatimah) or a consonant.
TEST_F(ScreenerTest, AWordEndingInAVowelIsNoTransliterationOfOneEndingInAConsonant) {
  EXPECT_LT(score_of("Teresa Gracia", "sdn-MORCILLO TORRES, Gracia", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("Gracia Torres", "sdn-MORCILLO TORRES, Gracia", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("Khadeeja Hassan", "sdn-HASSAN, Khadija", PartyType::kPerson), kDefaultThreshold);
  EXPECT_TRUE(top_hit_explains("Khadeeja Hassan", "transliteration variant"));
}

// screening-dev negatives: "Visa Inc." alerted on the vessel VISTA, "Midea Group Co., Ltd." on
// the vessel MIDSEA, one edit away. A name with a legal form names a company, which no vessel is.
TEST_F(ScreenerTest, ACompanysNameMeetsAVesselsOnlyWhenItIsTheSame) {
  EXPECT_GE(score_of("Artavel", "sdn-vessel"), kDefaultThreshold);  // no legal form: may be the ship
  EXPECT_LT(score_of("Artavel LLC", "sdn-vessel"), kDefaultThreshold);
  EXPECT_GE(score_of("Artavil LLC", "sdn-vessel"), kDefaultThreshold);  // the same name still alerts
  auto hits = screen("Artavil LLC", PartyType::kEntity);
  ASSERT_FALSE(hits.empty());
  bool said = false;
  for (auto& e : hits[0].explanation)
    said |= e.find("query names a company (a legal form), entry is a vessel") == 0;
  EXPECT_TRUE(said);
}

// screening-dev (missing_token): "DBC Makina Sanayi ve Ticaret" no longer found the listed name
// with "A.S." once "Sanayi ve Ticaret A.S." read as one legal form: the words that begin a legal
// phrase and end the name weigh as stop words.
TEST_F(ScreenerTest, TheBeginningOfALegalPhraseEndingANameWeighsLittle) {
  EXPECT_GE(score_of("DBC Makina Sanayi ve Ticaret", "el-dbc", PartyType::kEntity), 0.9);
  EXPECT_GE(score_of("DBC Makina Sanayi ve Ticaret Anonim Sirketi", "el-dbc", PartyType::kEntity), 0.99);
  EXPECT_LT(score_of("ABC Makina Sanayi ve Ticaret", "el-dbc", PartyType::kEntity), kDefaultThreshold);
}

// screening-dev negative: "Suzhou Tianlang Technology Co., Ltd." alerted on Suzhou Tiangong Testing
// Technology: two edits are allowed in words of eight letters, and they changed a whole pinyin
// syllable (lang, gong). Between two long pinyin words one edit is a slip, two a different name.
TEST_F(ScreenerTest, TwoLongPinyinWordsMeetWithinOneEditOnly) {
  EXPECT_LT(score_of("Suzhou Tianlang Technology Co., Ltd.", "el-tiangong"), kDefaultThreshold);
  EXPECT_GE(score_of("Suzhou Tiangonq Technology Co., Ltd.", "el-tiangong"), kDefaultThreshold);
  EXPECT_GE(score_of("Hangzou Hikvison Digital Technology", "el-hikvision"), kDefaultThreshold);
  // Words that are not pinyin keep their two edits.
  EXPECT_GE(score_of("Meyanmar Economic Corporyation", "sdn-myanmar"), kDefaultThreshold);
}

TEST_F(ScreenerTest, NearMissWithReplacedDistinctiveWordDoesNotAlert) {
  // Same place, industry and legal form; a different distinctive name.
  EXPECT_LT(score_of("Chengdu Mapna Technology Co., Ltd.", "el-mapna"), kDefaultThreshold);
  EXPECT_LT(score_of("Zhejiang Dahao Technology Co., Ltd.", "el-dahua"), kDefaultThreshold);
}

TEST_F(ScreenerTest, ShortNamesMatchOnlyAsWholeWords) {
  EXPECT_GE(score_of("ZTE Kangxun Telecom", "el-zte"), kDefaultThreshold);
  EXPECT_EQ(score_of("ZTA Kangxun Telecom", "el-zte") >= 1.0, false);
  // No fuzzy match for a three-letter word.
  auto hits = screen("ZTF", PartyType::kEntity, "", 0.3);
  for (auto& h : hits) EXPECT_NE(h.party->id, "el-zte");
}

TEST_F(ScreenerTest, CountryMismatchLowersButNeverHidesAnExactName) {
  double same = score_of("Huawei Technologies Co., Ltd.", "el-huawei", PartyType::kEntity, "CN");
  double other = score_of("Huawei Technologies Co., Ltd.", "el-huawei", PartyType::kEntity, "DE");
  EXPECT_DOUBLE_EQ(same, 1.0);
  EXPECT_LT(other, same);
  EXPECT_GE(other, kDefaultThreshold);
}

TEST_F(ScreenerTest, WeakAliasCountsLess) {
  double strong = score_of("AL-MASRI, Abu Ayyub", "sdn-weak", PartyType::kPerson);
  double weak = score_of("Abu Hamza", "sdn-weak", PartyType::kPerson);
  EXPECT_DOUBLE_EQ(strong, 1.0);
  EXPECT_LT(weak, 0.95);
}

TEST_F(ScreenerTest, IdentifierMatchIsDecisive) {
  ScreenQuery q;
  q.name = "Unknown Tanker";
  q.ids.push_back({"IMO", "IMO 9187629", ""});
  auto hits = screener_->screen(q);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].party->id, "sdn-vessel");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST_F(ScreenerTest, BirthDateMismatchLowersPersonScore) {
  ScreenQuery q;
  q.name = "ARREAZA MONTSERRAT, Jorge Alberto";
  q.type = PartyType::kPerson;
  q.birth_date = "1990";
  auto hits = screener_->screen(q);
  ASSERT_FALSE(hits.empty());
  EXPECT_LT(hits[0].score, 1.0);
  q.birth_date = "1961-03-14";
  hits = screener_->screen(q);
  ASSERT_FALSE(hits.empty());
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST_F(ScreenerTest, HitsExplainWhichWordsMatched) {
  auto hits = screen("Huawei Technologies Co Ltd", PartyType::kEntity, "CN");
  ASSERT_FALSE(hits.empty());
  bool mentions = false;
  for (auto& e : hits[0].explanation) mentions |= e.find("'huawei' ~ 'huawei'") != std::string::npos;
  EXPECT_TRUE(mentions);
}

// Regression (issue 9): soft hyphens and zero-width characters inside a word hid a listed party.
TEST_F(ScreenerTest, Regression_FormatCharactersDoNotHideAListedParty) {
  for (const char* q :
       {"Hua\u00ADwei Technologies Co., Ltd.", "Hua\u200Bwei Tech\u200Cnologies Co., Ltd.",
        "\uFEFFHuawei\u2060 Technologies\u200D Co., Ltd.", "Huawei Technologies Co.,\u00AD Ltd."})
    EXPECT_DOUBLE_EQ(score_of(q, "el-huawei"), 1.0) << q;
  EXPECT_GE(score_of("TOR\u00ADSHIN, Alexander Por\u200Bfiryevich", "sdn-torshin", PartyType::kPerson), 0.99);
}

// Issue 11: names typed in the script of the person's language find the Latin spellings the lists
// carry (text/romanize.hpp), and a different name in that script does not.
TEST_F(ScreenerTest, CyrillicArabicAndHebrewQueriesFindLatinListNames) {
  EXPECT_GE(score_of("Торшин Александр Порфирьевич", "sdn-torshin", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("ТОРШИН, Александр", "sdn-torshin", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("جاسم محمد زكريا", "sdn-zakarya", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("אברהם כהן", "sdn-cohen", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("Тарасов Андрей Петрович", "sdn-torshin", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("حسن محمد زكي", "sdn-zakarya", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("אברהם לוי", "sdn-cohen", PartyType::kPerson), kDefaultThreshold);
  // The explanation shows the reading.
  EXPECT_TRUE(top_hit_explains("جاسم محمد زكريا", "(Arabic)"));
}

// Issue 11: Arabic name compounds meet whether written as one word or several, in either script
// (Abdelkader = Abdul Qadir = عبد القادر; Jalaluddin = جلال الدين, typed by a person against an entry
// the Entity List types as an entity), and one-consonant words are read (طه Taha).
TEST_F(ScreenerTest, ArabicCompoundsMeetWrittenTogetherOrApart) {
  EXPECT_GE(score_of("Abdul Qader Mahmoud Es-Sayed", "sdn-essayed", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("Abd al-Kader Mahmoud as-Sayed", "sdn-essayed", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("عبد القادر محمود السيد", "sdn-essayed", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("جلال الدين حقانى", "el-haqqani", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("Jalal-ud-Din Haqqani", "el-haqqani", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("طه ياسين رمضان الجزراوي", "sdn-taha", PartyType::kPerson), kDefaultThreshold);
  // A typo inside the compound still meets it.
  EXPECT_GE(score_of("Abdlkader Mahmoud Es Sayed", "sdn-essayed", PartyType::kPerson), kDefaultThreshold);
  // Another compound is another name.
  EXPECT_LT(score_of("Abdelaziz Mahmoud", "sdn-essayed", PartyType::kPerson), kDefaultThreshold);
}

// Issue 11: the spelling habits of the lists' Latin: ch for kh (German and Dutch: Barich for
// بريخ), the aspiration an Urdu he marks written in the consonant before it or not at all
// (چوہدری Chaudhry), c for s (French Faycal, the cedilla folded away), and a name written in two
// words in the script that the list writes as one (ما يشو Maychou).
TEST_F(ScreenerTest, ArabicScriptMeetsTheListsSpellingHabits) {
  const std::string sdn = "sdn-";
  EXPECT_GE(score_of("محمد نعيم بريخ", sdn + "BARICH, Mohammad Naim", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("عامر علی چوہدری", sdn + "CHAUDHRY, Aamir Ali", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("فيصل بوغانمي", sdn + "BOUGHANEMI, Faycal", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("علي ما يشو", sdn + "MAYCHOU, Ali", PartyType::kPerson), kDefaultThreshold);
  // Other consonants are other names.
  EXPECT_LT(score_of("محمد نعيم بريد", sdn + "BARICH, Mohammad Naim", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("فيصل بوزيان", sdn + "BOUGHANEMI, Faycal", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("علي ما يدو", sdn + "MAYCHOU, Ali", PartyType::kPerson), kDefaultThreshold);
  // Two words as one list word is a habit of people's names: not against an entity's name.
  EXPECT_LT(score_of("ما يشو", "sdn-khouzestan", PartyType::kPerson), 0.5);
}

// Issue 11: a number in words meets it in digits.
TEST_F(ScreenerTest, NumberWordsMeetDigits) {
  EXPECT_GE(score_of("Brigade Forty-Four", "sdn-brigade44"), kDefaultThreshold);
  EXPECT_GE(score_of("Brigade Forty Four", "sdn-brigade44"), kDefaultThreshold);
  EXPECT_LT(score_of("Brigade Forty-Five", "sdn-brigade44"), kDefaultThreshold);
}

// Issue 11: an initial meets the given name it may stand for as half a match: "A. Torshin" is a
// partial match that a reviewer may look at, never an alert by itself; with the other names
// matching it fills in the middle name; it is never read into a different letter's name.
TEST_F(ScreenerTest, InitialsAgainstFullGivenNamesArePartialMatches) {
  double initial = score_of("A. Torshin", "sdn-torshin", PartyType::kPerson);
  EXPECT_GT(initial, 0.6);
  EXPECT_LT(initial, kDefaultThreshold);
  EXPECT_GT(initial, score_of("B. Torshin", "sdn-torshin", PartyType::kPerson));
  EXPECT_LT(score_of("J. Smith", "sdn-smith", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("John Smith", "sdn-smith", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_of("Alexander P. Torshin", "sdn-torshin", PartyType::kPerson), kDefaultThreshold);
  EXPECT_TRUE(top_hit_explains("Alexander P. Torshin", ": initial,"));
}

// Issue 11: a person's full name with the father's and grandfather's names (as the UN writes it)
// finds the shorter listed name; the particles bin, ibn, ould weigh little. Without the frame
// (first and last names aligned) or the whole list name, extra words still count in full.
TEST_F(ScreenerTest, MiddleNamesAndParticlesTheListLeavesOutCountLess) {
  EXPECT_GE(score_of("Mohamed Ben Belgacem Ben Abdallah Aouadi", "sdn-aouadi", PartyType::kPerson),
            kDefaultThreshold);
  EXPECT_GE(score_of("Alexander Porfiryevich Ivanovich Torshin", "sdn-torshin", PartyType::kPerson),
            kDefaultThreshold);
  EXPECT_LT(score_of("Mohamed Karim Hassan Suleiman", "sdn-aouadi", PartyType::kPerson), kDefaultThreshold);
  EXPECT_LT(score_of("Alexander Ivanovich Petrov", "sdn-torshin", PartyType::kPerson), kDefaultThreshold);
  auto hits = screen("Mohamed Ben Belgacem Ben Abdallah Aouadi", PartyType::kPerson);
  ASSERT_FALSE(hits.empty());
  bool told = false;
  for (auto& e : hits[0].explanation)
    told |= e.find("(a middle name)") != std::string::npos || e.find("leaves out)") != std::string::npos;
  EXPECT_TRUE(told);
}

// Issue 11: an identical common person name with a conflicting date of birth or nationality falls
// below the threshold; without qualifiers it stays an alert, and a rare name stays one too.
TEST_F(ScreenerTest, CommonPersonNamesWithConflictingQualifiersFallBelowTheThreshold) {
  auto score = [](const std::string& dob, const std::string& country, const std::string& name,
                  const std::string& id) {
    ScreenQuery q;
    q.name = name;
    q.type = PartyType::kPerson;
    q.birth_date = dob;
    q.country = country;
    q.min_score = 0.05;
    for (auto& h : screener_->screen(q))
      if (h.party->id == id) return h.score;
    return 0.0;
  };
  EXPECT_GE(score("", "", "John Smith", "sdn-smith"), kDefaultThreshold);
  EXPECT_GE(score("1970", "GB", "John Smith", "sdn-smith"), kDefaultThreshold);
  EXPECT_LT(score("1985-02-03", "", "John Smith", "sdn-smith"), kDefaultThreshold);
  EXPECT_LT(score("", "US", "John Smith", "sdn-smith"), kDefaultThreshold);
  EXPECT_GE(score("1985", "", "Jorge Alberto Arreaza Montserrat", "sdn-arreaza"), kDefaultThreshold);
}

TEST_F(ScreenerTest, IndexAgreesWithBruteForceOnThisList) {
  for (const char* name : {"Huawei", "Hikvison", "Khouzestan Steel", "Abu Hamza", "Filler Trading Technology",
                           "Jorge Alberto Arreaza", "Limited", "Technology Co Ltd", "Торшин Александр",
                           "جاسم محمد زكريا", "אברהם כהן", "محمد بن بلقاسم بن عبد الله العوادي",
                           "Mohamed Ben Belgacem Ben Abdallah Aouadi", "Abdul Qader Mahmoud Es-Sayed"}) {
    ScreenQuery q;
    q.name = name;
    q.min_score = 0.5;
    q.limit = 100;
    auto a = screener_->screen(q);
    auto b = screener_->screen_brute_force(q);
    ASSERT_EQ(a.size(), b.size()) << name;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].party->id, b[i].party->id) << name;
      EXPECT_DOUBLE_EQ(a[i].score, b[i].score) << name;
    }
  }
}

}  // namespace
}  // namespace clearance
