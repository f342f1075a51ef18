// Screening measured on the labelled evaluation set (../shared/eval) with the lists its README
// names: the quality targets of the screening issue, and the index held to the brute-force
// reference over every query.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "clearance/common/csv.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/match/rescreen.hpp"
#include "support/eval_lists.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

class EvalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::have_shared("eval/screening-dev.csv")) return;
    std::string err;
    auto lists = testing::load_eval_lists(testing::shared_dir(), *testing::tables(), &err);
    ASSERT_FALSE(lists.empty()) << err;
    screener_ = Screener::build(std::move(lists), testing::tables()).release();
    queries_ = new std::vector<testing::EvalQuery>(
        testing::load_eval_queries(testing::shared_path("eval/screening-dev.csv")));
  }
  static void TearDownTestSuite() {
    delete screener_;
    delete queries_;
  }
  static bool is_negative(const std::string& cat) {
    return cat.rfind("negative", 0) == 0 || cat.rfind("zh_negative", 0) == 0 ||
           cat.rfind("zh_near_negative", 0) == 0;
  }
  static std::string norm(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
      if (c == ' ' || c == '\t') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
  }

  static Screener* screener_;
  static std::vector<testing::EvalQuery>* queries_;
};
Screener* EvalTest::screener_ = nullptr;
std::vector<testing::EvalQuery>* EvalTest::queries_ = nullptr;

// The same measure as ../shared/eval/score.py: a positive is found when a hit's primary name is
// one of the expected names; a negative passes when it raises no hit at all.
TEST_F(EvalTest, MeetsRecallAndFalsePositiveTargetsAtTheDefaultThreshold) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  struct Stat {
    int n = 0, good = 0, top1 = 0;
  };
  std::map<std::string, Stat> by_cat;
  std::vector<std::vector<Hit>> results(queries_->size());
  parallel_for(queries_->size(), 2, [&](size_t i) {
    results[i] = screener_->screen(testing::to_screen_query((*queries_)[i], *testing::tables()));
  });
  for (size_t i = 0; i < queries_->size(); ++i) {
    auto& q = (*queries_)[i];
    auto& s = by_cat[q.category];
    s.n++;
    if (q.expected_name.empty()) {
      if (results[i].empty()) s.good++;
      continue;
    }
    std::set<std::string> want;
    size_t start = 0;
    while (true) {
      auto bar = q.expected_name.find('|', start);
      want.insert(
          norm(q.expected_name.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    for (size_t k = 0; k < results[i].size(); ++k)
      if (want.count(norm(results[i][k].party->primary_name()))) {
        s.good++;
        if (k == 0) s.top1++;
        break;
      }
  }
  int pn = 0, pg = 0, pt = 0, nn = 0, ng = 0;
  for (auto& [cat, s] : by_cat) {
    double rate = static_cast<double>(s.good) / s.n;
    std::printf("  %-20s n=%5d rate=%.3f\n", cat.c_str(), s.n, rate);
    if (is_negative(cat)) {
      nn += s.n;
      ng += s.good;
      if (cat == "negative_near") EXPECT_GE(rate, 0.95) << "false-positive rate on near misses over 5 %";
    } else {
      pn += s.n;
      pg += s.good;
      pt += s.top1;
      EXPECT_GE(rate, 0.93) << "category " << cat;
    }
  }
  double recall = static_cast<double>(pg) / pn, top1 = static_cast<double>(pt) / pn;
  double fpr = 1.0 - static_cast<double>(ng) / nn;
  std::printf("  recall=%.4f top1=%.4f false_positive_rate=%.4f\n", recall, top1, fpr);
  EXPECT_GE(recall, 0.98);
  EXPECT_GE(top1, 0.97);
  EXPECT_LE(fpr, 0.02);
}

// The index must never lose a hit that scoring every name finds at or above the threshold.
TEST_F(EvalTest, IndexNeverLosesABruteForceHit) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  std::atomic<int> lost{0}, compared{0};
  std::mutex mu;
  std::vector<std::string> examples;
  parallel_for(queries_->size(), 2, [&](size_t i) {
    auto q = testing::to_screen_query((*queries_)[i], *testing::tables());
    q.limit = 100000;
    auto fast = screener_->screen(q);
    auto slow = screener_->screen_brute_force(q);
    std::map<std::string, double> got;
    for (auto& h : fast) got[h.party->id] = h.score;
    for (auto& h : slow) {
      compared++;
      auto it = got.find(h.party->id);
      if (it == got.end() || std::abs(it->second - h.score) > 1e-9) {
        lost++;
        std::lock_guard<std::mutex> l(mu);
        if (examples.size() < 10) examples.push_back(q.name + " -> " + h.party->primary_name());
      }
    }
  });
  for (auto& e : examples) ADD_FAILURE() << "lost: " << e;
  EXPECT_EQ(lost.load(), 0) << "of " << compared.load() << " brute-force hits";
  EXPECT_GT(compared.load(), 1000);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

std::vector<Hit> screen_cn(Screener& s, const std::string& name) {
  ScreenQuery q;
  q.name = name;
  q.type = PartyType::kEntity;
  q.country = "CN";
  return s.screen(q);
}

bool top_is(const std::vector<Hit>& hits, const std::string& primary) {
  return !hits.empty() && hits[0].party->primary_name() == primary;
}

bool hits_entry(const std::vector<Hit>& hits, const std::string& primary) {
  for (auto& h : hits)
    if (h.party->primary_name() == primary) return true;
  return false;
}

// ../shared/eval/cross-script-dev.csv: every positive found at the default threshold and ranked
// first; no hit for any negative.
TEST_F(EvalTest, CrossScriptEveryPositiveFirstAndNoNegativeHit) {
  SKIP_WITHOUT_SHARED("eval/cross-script-dev.csv");
  auto queries = testing::load_eval_queries(testing::shared_path("eval/cross-script-dev.csv"));
  ASSERT_GT(queries.size(), 10u);
  for (auto& q : queries) {
    auto hits = screener_->screen(testing::to_screen_query(q, *testing::tables()));
    if (q.expected_name.empty()) {
      EXPECT_TRUE(hits.empty()) << q.id << " " << q.name << " hit " << hits[0].party->primary_name();
      continue;
    }
    ASSERT_FALSE(hits.empty()) << q.id << " " << q.name;
    std::string top = hits[0].party->primary_name(), want = "|" + q.expected_name + "|";
    EXPECT_NE(want.find("|" + top + "|"), std::string::npos)
        << q.id << " " << q.name << " ranked first: " << top;
  }
}

TEST_F(EvalTest, CrossScriptSimplifiedTraditionalPinyinAndMixed) {
  SKIP_WITHOUT_SHARED("eval/cross-script-dev.csv");
  const std::string huawei = "Huawei Technologies Co., Ltd.";
  for (const char* q :
       {"华为技术有限公司", "華為技術有限公司", "Huawei Jishu Youxian Gongsi", "huawei jishu youxiangongsi",
        "华为 Technologies Co., Ltd.", "深圳市华为技术有限公司"})
    EXPECT_TRUE(hits_entry(screen_cn(*screener_, q), huawei)) << q;
  EXPECT_TRUE(top_is(screen_cn(*screener_, "杭州海康威视数字技术股份有限公司"),
                     "Hangzhou Hikvision Digital Technology Co., Ltd."));
  // The explanation shows the script bridge.
  auto hits = screen_cn(*screener_, "华为技术有限公司");
  ASSERT_FALSE(hits.empty());
  bool bridged = false;
  for (auto& e : hits[0].explanation) bridged |= e.find("华为 -> huawei") != std::string::npos;
  EXPECT_TRUE(bridged);
}

// Near misses that share a common word with a listed Chinese entity.
TEST_F(EvalTest, CrossScriptNearMissesStayQuiet) {
  SKIP_WITHOUT_SHARED("eval/cross-script-dev.csv");
  // 大华银行 is a bank (UOB), not Dahua Technology.
  for (auto& h : screen_cn(*screener_, "大华银行"))
    EXPECT_EQ(h.party->primary_name().find("Dahua"), std::string::npos);
  // 海信 (Hisense) is not 海康 (Hikvision).
  for (auto& h : screen_cn(*screener_, "海信集团"))
    EXPECT_EQ(h.party->primary_name().find("Hikvision"), std::string::npos);
  EXPECT_TRUE(screen_cn(*screener_, "海信视像科技股份有限公司").empty());
  EXPECT_TRUE(screen_cn(*screener_, "曙光电子灯泡厂").empty());
  EXPECT_TRUE(screen_cn(*screener_, "龙芯幼儿园").empty());
}

}  // namespace
}  // namespace clearance

// Regression tests named after the misses and false alarms found while tuning on the dev set.
namespace clearance {
namespace {

double score_for(Screener& s, const std::string& name, const std::string& primary,
                 PartyType type = PartyType::kUnknown) {
  ScreenQuery q;
  q.name = name;
  q.type = type;
  q.min_score = 0.3;
  q.limit = 50;
  for (auto& h : s.screen(q))
    if (h.party->primary_name() == primary) return h.score;
  return 0;
}

TEST_F(EvalTest, Regression_MisspeltLegalFormWord_JointStockCopany) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "Joint Stock Copany Aerocomposit", "Joint Stock Company Aerocomposit"),
            kDefaultThreshold);
}

TEST_F(EvalTest, Regression_TypoInAbbreviatedWord_StegalthTeplecom) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  // "Telecom" is indexed as "telecommunication"; the typo is measured against the word as written.
  EXPECT_GE(score_for(*screener_, "Stegalth Teplecom FZC", "Stealth Telecom FZC"), kDefaultThreshold);
}

TEST_F(EvalTest, Regression_TypoInPluralGenericWord_Servines) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "Managed Systems and Servines (MSAS)(FZC)",
                      "Managed Systems and Services (MSAS)(FZC)"),
            kDefaultThreshold);
}

TEST_F(EvalTest, Regression_NamesAreNotStemmed_RojasBoris) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "JIMMY ROAS", "JIMMY ROJAS", PartyType::kPerson), kDefaultThreshold);
  EXPECT_GE(score_for(*screener_, "GAYKOVICH, Boirs Aleksandrovich", "GAYKOVICH, Boris Aleksandrovich",
                      PartyType::kPerson),
            kDefaultThreshold);
}

TEST_F(EvalTest, Regression_SpacedAndAmpersandInitials_YamakiKK_GMAutos) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "YAMAKI K K", "YAMAKI, K.K."), kDefaultThreshold);
  EXPECT_GE(score_for(*screener_, "g m autos s a c", "G & M AUTOS S.A.C."), kDefaultThreshold);
}

TEST_F(EvalTest, Regression_PhoneticKeysOnlyBetweenPeople_SapSE) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  ScreenQuery q;
  q.name = "SAP SE";
  q.type = PartyType::kEntity;
  EXPECT_TRUE(screener_->screen(q).empty());  // once hit SHINING PATH through its alias "SPP"
}

TEST_F(EvalTest, Regression_ExtraGenericWordIsADifferentBusiness_ArtinTechnologies) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_LT(score_for(*screener_, "ARTIN TECHNOLOGIES LLC", "ARTIN"), kDefaultThreshold);
}

TEST_F(EvalTest, Regression_DifferentLegalForms_RobotronixPvtLtd) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_LT(score_for(*screener_, "ROBOTRONIX (Pvt.) Ltd.", "Robotronix Semiconductors Limited"),
            kDefaultThreshold);
}

TEST_F(EvalTest, Regression_TiesGoToTheEntryWrittenLikeTheQuery_FelberManfred) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  ScreenQuery q;
  q.name = "Felber, Manfred";
  q.type = PartyType::kPerson;
  auto hits = screener_->screen(q);
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].party->primary_name(), "Felber, Manfred");
}

TEST_F(EvalTest, Regression_OneSyllablePinyinIsNotANumeral_LiangpingHuang) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "Liangping Huang", "Liang Ping Huang", PartyType::kEntity),
            kDefaultThreshold);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Regression: a word one edit from a joined legal-form variant ("andco") was read as a legal
// form, and "Telemi, Andro" lost its given name.
TEST_F(EvalTest, Regression_NoCorrectionTowardsJoinedLegalVariants_TelemiAndro) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_GE(score_for(*screener_, "Telemi, Anuro", "Telemi, Andro"), kDefaultThreshold);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Regression (issue 11): `compare` weighed a query word missing from the other name at the maximum
// whatever the word; it must give the score screening gives to that pair of names (same word
// weights from the lists in force, same factors), here over every dev-set hit without qualifiers.
TEST_F(EvalTest, Regression_CompareScoresExactlyAsScreeningDoes) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  int compared = 0;
  for (size_t i = 0; i < queries_->size(); i += 7) {
    auto q = testing::to_screen_query((*queries_)[i], *testing::tables());
    if (q.type == PartyType::kUnknown) continue;
    q.country.clear();  // compare has no qualifiers
    q.min_score = 0.5;
    for (auto& h : screener_->screen(q)) {
      if (h.party->type != q.type || h.matched_kind == NameKind::kWeak) continue;  // factors compare lacks
      auto c = screener_->compare(q.name, h.matched_name, q.type);
      EXPECT_NEAR(c.score, h.score, 1e-4) << q.name << " ~ " << h.matched_name;
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// ../shared/eval/world-scripts-dev.csv: listed people written in Arabic script and Cyrillic, to be
// found on the US lists (Latin only), and non-listed people in five scripts that must stay quiet.
// Twelve of its 103 positives cannot be reached by name: nine share no name with any name of the
// entry they expect (the UN and the US lists name those people differently, or the row expects
// another entry than the one that carries the name), three share only one word of four or more
// (a different given name or surname). So recall cannot pass 91/103 = 0.8835 by name. Pinned:
// recall and the false-positive rate as the romanisation reaches them today.
TEST_F(EvalTest, WorldScriptsRecallAndFalsePositives) {
  SKIP_WITHOUT_SHARED("eval/world-scripts-dev.csv");
  auto queries = testing::load_eval_queries(testing::shared_path("eval/world-scripts-dev.csv"));
  ASSERT_GT(queries.size(), 600u);
  int pos = 0, found = 0, neg = 0, quiet = 0;
  for (auto& q : queries) {
    auto hits = screener_->screen(testing::to_screen_query(q, *testing::tables()));
    if (q.expected_name.empty()) {
      ++neg;
      quiet += hits.empty();
      continue;
    }
    ++pos;
    std::string want = "|" + q.expected_name + "|";
    for (auto& h : hits)
      if (want.find("|" + h.party->primary_name() + "|") != std::string::npos) {
        ++found;
        break;
      }
  }
  double recall = static_cast<double>(found) / pos, fpr = 1.0 - static_cast<double>(quiet) / neg;
  std::printf("  world scripts: recall=%.4f false_positive_rate=%.4f (%d positives, %d negatives)\n", recall,
              fpr, pos, neg);
  EXPECT_GE(recall, 0.87);
  EXPECT_LE(fpr, 0.005);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Writes a name spelt in BGN/PCGN back in Cyrillic, as a Russian or Ukrainian customer would type
// it ("Dmitriy Sergeyevich" -> "Дмитрий Сергеевич"). Written for this test from the system's table
// read backwards; words it cannot read (digits, other letters) come back empty.
std::string to_cyrillic(std::string_view latin) {
  std::string s;
  for (char c : latin) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto vowel = [](char c) { return std::string_view("aeiouy").find(c) != std::string_view::npos; };
  static const std::pair<std::string_view, std::string_view> kGroups[] = {
      {"shch", "щ"}, {"kh", "х"}, {"ts", "ц"}, {"ch", "ч"}, {"sh", "ш"}, {"zh", "ж"}};
  static const std::pair<char, std::string_view> kLetters[] = {
      {'a', "а"}, {'b', "б"}, {'v', "в"}, {'g', "г"},  {'d', "д"}, {'z', "з"}, {'i', "и"}, {'k', "к"},
      {'l', "л"}, {'m', "м"}, {'n', "н"}, {'o', "о"},  {'p', "п"}, {'r', "р"}, {'s', "с"}, {'t', "т"},
      {'u', "у"}, {'f', "ф"}, {'h', "г"}, {'x', "кс"}, {'w', "в"}, {'j', "й"}, {'c', "к"}, {'q', "к"}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool start = i == 0 || !std::isalpha(static_cast<unsigned char>(s[i - 1]));
    bool matched = false;
    for (auto& [g, cy] : kGroups)
      if (s.compare(i, g.size(), g) == 0) {
        out += cy;
        i += g.size();
        matched = true;
        break;
      }
    if (matched) continue;
    char c = s[i], next = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == 'y' && (next == 'a' || next == 'e' || next == 'u' || next == 'o')) {
      out += next == 'a' ? "я" : next == 'e' ? "е" : next == 'u' ? "ю" : "ё";
      i += 2;
      continue;
    }
    if (c == 'y') {
      out += !start && vowel(s[i - 1]) ? "й" : "ы";
      ++i;
      continue;
    }
    if (c == 'e') {
      out += start ? "э" : "е";
      ++i;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      if (c == ' ' || c == '-') out += c;
      if (c != ' ' && c != '-' && c != '\'') return {};
      ++i;
      continue;
    }
    bool known = false;
    for (auto& [l, cy] : kLetters)
      if (l == c) {
        out += cy;
        known = true;
      }
    if (!known) return {};
    ++i;
  }
  return out;
}

// Russian and Ukrainian people on the US lists (which spell them in Latin letters only), their
// names written back in Cyrillic — given names, patronymic, surname, in the order Russians write
// them — must be found at the default threshold: the romanisation of Cyrillic meets the lists'
// BGN/PCGN spellings and their variants.
TEST_F(EvalTest, CyrillicSpellingsOfListedRussianAndUkrainianPeopleAreFound) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  struct Case {
    const Party* party;
    std::string query;
  };
  std::vector<Case> cases;
  for (const auto& snap : screener_->snapshots())
    for (const auto& p : snap.parties) {
      if (p.type != PartyType::kPerson) continue;
      if (std::find_if(p.countries.begin(), p.countries.end(),
                       [](const std::string& c) { return c == "RU" || c == "UA"; }) == p.countries.end())
        continue;
      const std::string& name = p.primary_name();
      auto comma = name.find(", ");
      if (comma == std::string::npos) continue;
      std::string given = to_cyrillic(name.substr(comma + 2)), surname = to_cyrillic(name.substr(0, comma));
      if (given.empty() || surname.empty()) continue;
      cases.push_back({&p, given + " " + surname});
    }
  ASSERT_GE(cases.size(), 100u) << "too few Russian and Ukrainian people on the evaluation lists";
  std::vector<char> found(cases.size(), 0);
  parallel_for(cases.size(), 2, [&](size_t i) {
    ScreenQuery q;
    q.name = cases[i].query;
    q.type = PartyType::kPerson;
    for (auto& h : screener_->screen(q)) found[i] |= h.party == cases[i].party;
  });
  int n = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    n += found[i];
    if (!found[i])
      std::printf("  not found: %s (%s)\n", cases[i].query.c_str(), cases[i].party->primary_name().c_str());
  }
  double recall = static_cast<double>(n) / static_cast<double>(cases.size());
  std::printf("  Cyrillic: %d of %zu listed Russian and Ukrainian people found (recall %.4f)\n", n,
              cases.size(), recall);
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// The hits of a person's name at the default threshold; with `listed`, only those whose primary name
// it is.
std::vector<Hit> person_hits(const Screener& s, const std::string& name, const std::string& listed = "") {
  ScreenQuery q;
  q.name = name;
  q.type = PartyType::kPerson;
  auto hits = s.screen(q);
  if (!listed.empty()) std::erase_if(hits, [&](const Hit& h) { return h.party->primary_name() != listed; });
  return hits;
}

// Each name, typed as a person's, finds the listed entry named beside it (its primary name).
template <size_t N>
void expect_each_found(const Screener& s, const std::pair<const char*, const char*> (&people)[N]) {
  for (const auto& [written, listed] : people)
    EXPECT_FALSE(person_hits(s, written, listed).empty()) << written << " did not find " << listed;
}

// North Koreans on the US lists (which write them in McCune-Reischauer-like spellings: "KIM, Jong
// Un", "HWANG, Pyong So", "CHOE, Hwi"), typed in Hangul as a Korean would write them (the Hangul
// written for this test from public sources): each is found at the default threshold.
TEST_F(EvalTest, KoreanNamesOfListedNorthKoreansAreFound) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {
      {"김정은", "KIM, Jong Un"},    {"김여정", "KIM, Yo Jong"},     {"김영철", "KIM, Yong Chol"},
      {"황병서", "HWANG, Pyong So"}, {"리만건", "RI, Man Gon"},      {"김기남", "KIM, Ki Nam"},
      {"김원홍", "KIM, Won Hong"},   {"최휘", "CHOE, Hwi"},          {"조용원", "JO, Yong-Won"},
      {"박영식", "PAK, Yong Sik"},   {"오극렬", "O, Kuk-Ryol"},      {"김경옥", "KIM, Kyong Ok"},
      {"민병철", "MIN, Byong Chol"}, {"김문철", "KIM, Mun Chol"},    {"최부일", "CHOE, Pu Il"},
      {"리용무", "RI, Yong Mu"},     {"강성남", "KANG, Song Nam"},   {"고철만", "KO, Chol Man"},
      {"방수남", "PANG, Su Nam"},    {"김동철", "KIM, Tong Chol"},   {"렴희봉", "RYOM, Hui-bong"},
      {"리성철", "RI, Song Chol"},   {"장용선", "JANG, Yong Son"},   {"김광혁", "KIM, Kwang Hyok"},
      {"허영일", "HO, Yong Il"},     {"최창봉", "CHOE, Chang Pong"}, {"백창호", "PAEK, Chang-Ho"},
      {"리원호", "RI, Won Ho"},      {"김석철", "KIM, Sok Chol"},    {"길정훈", "KIL, Jong Hun"},
      {"김 정은", "KIM, Jong Un"},   {"정은 김", "KIM, Jong Un"}};
  int found = 0;
  for (auto& [hangul, listed] : people) {
    bool hit = !person_hits(*screener_, hangul, listed).empty();
    found += hit;
    EXPECT_TRUE(hit) << hangul << " did not find " << listed;
  }
  std::printf("  Korean: %d of %zu listed North Koreans found\n", found, std::size(people));
  // Another given name is another person.
  for (const char* other : {"김민준", "박지성", "최민호"})
    EXPECT_TRUE(person_hits(*screener_, other).empty()) << other;
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Japanese (kana), Greek and Hebrew names of people on the US lists, typed in their script (written
// for this test from public sources): each found at the default threshold. Japanese kanji are not
// read (see docs/SCORES.md).
TEST_F(EvalTest, JapaneseGreekAndHebrewNamesOfListedPeopleAreFound) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {{"しのだ けんいち", "SHINODA, Kenichi"},
                                                        {"たかやま きよし", "TAKAYAMA, Kiyoshi"},
                                                        {"きよた じろう", "KIYOTA, Jiro"},
                                                        {"ごとう ただまさ", "GOTO, Tadamasa"},
                                                        {"ゴトウ タダマサ", "GOTO, Tadamasa"},
                                                        {"いりえ ただし", "IRIE, Tadashi"},
                                                        {"うちぼり かずお", "UCHIBORI, Kazuo"},
                                                        {"Χριστόδουλος Ξηρός", "XIROS, Christodoulos"},
                                                        {"Νικόλαος Μαζιώτης", "MAZIOTIS, Nikolaos"},
                                                        {"Γεώργιος Μανίδης", "MANIDIS, Georgios"},
                                                        {"יוסף גלבוע", "GILBOA, Joseph"},
                                                        {"דוד גוברמן", "GUBERMAN, David"},
                                                        {"שמעון ילינק", "YELINEK, Shimon Yalin"}};
  expect_each_found(*screener_, people);
  // Other names are other people.
  for (const char* other : {"たなか ひろし", "Γιάννης Παπαδόπουλος", "משה לוי"})
    EXPECT_TRUE(person_hits(*screener_, other).empty()) << other;
}

// Regressions (issue 11): GERTLER, Dan typed in Hebrew (דן was missed: Dan read as Daniel), and
// KO, Il Hwan in Hangul, whose given name Il weighed as a stop word, so that another given name
// (고민환 Ko Min Hwan) cost little.
TEST_F(EvalTest, HebrewDanAndKoreanIlAreNamesOfTheirOwn) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  EXPECT_FALSE(person_hits(*screener_, "דן גרטלר", "GERTLER, Dan").empty());
  EXPECT_FALSE(person_hits(*screener_, "고일환", "KO, Il Hwan").empty());
  EXPECT_TRUE(person_hits(*screener_, "고민환", "KO, Il Hwan").empty());
}

// Chinese people of the SDN list, written in pinyin there, typed in Wade-Giles (hyphenated
// syllables, apostrophes dropped) or with a Cantonese surname: found through the syllable table.
TEST_F(EvalTest, WadeGilesAndCantoneseSpellingsMeetTheListsPinyin) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {
      {"Chang Chi-cheng", "ZHANG, Jicheng"},  {"Wang Kuo-ying", "WANG, Guoying"},
      {"Chou Chien-shu", "ZHOU, Jianshu"},    {"Liu Ts'ui-ying", "LIU, Cuiying"},
      {"Cheng Kuang-hua", "ZHENG, Guanghua"}, {"Chang Lung-pao", "ZHANG, Longbao"},
      {"Chan Ming-fu", "CHEN, Mingfu"},       {"Cheung Lung Pao", "ZHANG, Longbao"},
      {"Tsoi Tat Fung", "CAI, Dafeng"}};  // Tsoi: added 2026-12-05 with Macau's Cheong, Leong, Ieong
  expect_each_found(*screener_, people);
  // Another surname is another person.
  EXPECT_TRUE(person_hits(*screener_, "Chang Kuo-ying", "WANG, Guoying").empty());
  EXPECT_TRUE(person_hits(*screener_, "Wong Chi-cheng", "ZHANG, Jicheng").empty());
}

// Hong Kong officials on the SDN list, which writes them in Cantonese (LAM CHENG, Yuet-ngor; TANG,
// Ping-keung), typed in Chinese characters, traditional or simplified: each word read in pinyin also
// meets its Wade-Giles and Cantonese spellings (the syllable table read backwards), the given name
// as the list's two hyphenated words; a name of four characters has a surname of two (林鄭).
// Found missing 2026-12-05: 林鄭月娥 found nothing.
TEST_F(EvalTest, HongKongOfficialsTypedInChineseMeetTheirCantoneseListNames) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {
      {"林鄭月娥", "LAM, Carrie"}, {"林郑月娥", "LAM, Carrie"}, {"鄭若驊", "CHENG, Teresa"},
      {"鄧炳強", "TANG, Chris"},   {"盧偉聰", "LO, Stephen"},   {"李家超", "LEE, John Ka-chiu"},
      {"陳國基", "CHAN, Eric"},    {"曾國衛", "TSANG, Erick"}};
  expect_each_found(*screener_, people);
  // Another given name is another person.
  EXPECT_TRUE(person_hits(*screener_, "陳國強", "CHAN, Eric").empty());
  EXPECT_TRUE(person_hits(*screener_, "鄧炳華", "TANG, Chris").empty());
  EXPECT_TRUE(person_hits(*screener_, "李家明", "LEE, John Ka-chiu").empty());
  // Other spellings are a habit of people's names: 赵 (Zhao, Chao in Wade-Giles) does not make a
  // person Zhao Chao the company Chao Chao Electronic Information Industry.
  for (const auto& h : person_hits(*screener_, "超 赵"))
    EXPECT_NE(h.party->type, PartyType::kEntity) << h.party->primary_name();
}

// Japanese people of the lists typed in kanji (their names as Japanese writes them), read with
// MeCab and IPAdic: not as Mandarin, and through the dictionary's other readings (清司 Kiyoshi as
// well as Seiji, 力 Chikara as well as Tsutomu; 建市 ken + ichi joined as Kenichi).
TEST_F(EvalTest, JapaneseKanjiNamesOfListedPeopleAreReadAsJapanese) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  if (!testing::tables()->japanese) GTEST_SKIP() << testing::tables()->japanese_warning;
  const std::pair<const char*, const char*> people[] = {
      {"篠田建市", "SHINODA, Kenichi"},   {"高山清司", "TAKAYAMA, Kiyoshi"},
      {"高山 清司", "TAKAYAMA, Kiyoshi"}, {"清田次郎", "KIYOTA, Jiro"},
      {"後藤忠政", "GOTO, Tadamasa"},     {"入江禎", "IRIE, Tadashi"},
      {"西口茂男", "NISHIGUCHI, Shigeo"}, {"野村悟", "NOMURA, Satoru"},
      {"竹内照明", "TAKEUCHI, Teruaki"},  {"井上邦雄", "INOUE, Kunio"},
      {"津田力", "TSUDA, Chikara"},       {"高木康男", "TAKAGI, Yasuo"},
      {"内堀和雄", "UCHIBORI, Kazuo"}};
  expect_each_found(*screener_, people);
  for (const char* other : {"田中太郎", "佐藤花子", "鈴木一郎"})
    EXPECT_TRUE(person_hits(*screener_, other).empty()) << other;
}

// The other way round from WadeGilesAndCantoneseSpellingsMeetTheListsPinyin: people the SDN list
// writes in Wade-Giles (WEI, Hsueh Yuan; PAO, Hua Chiang; PU, Chiang) or Cantonese (CHENG, Yeuk Wah),
// typed in pinyin or in Chinese characters. A name wholly in pinyin is cut into its syllables (the
// fewest: xueyuan = xue yuan), each spelt as Wade-Giles and Cantonese may write it. Found missing in
// the issue 11 review: each of these found nothing.
TEST_F(EvalTest, PinyinAndChineseMeetTheListsWadeGilesAndCantoneseSpellings) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {
      {"Wei Xueyuan", "WEI, Hsueh Yuan"}, {"魏学远", "WEI, Hsueh Yuan"},
      {"Wei Xuelong", "WEI, Hsueh Lung"}, {"Bao Huaqiang", "PAO, Hua Chiang"},
      {"鲍华强", "PAO, Hua Chiang"},      {"Zheng Ruohua", "CHENG, Teresa"},
      {"Deng Bingqiang", "TANG, Chris"},  {"Lin Zheng Yuee", "LAM, Carrie"}};
  expect_each_found(*screener_, people);
  // Another given name is another person.
  EXPECT_TRUE(person_hits(*screener_, "Wei Xuefeng", "WEI, Hsueh Yuan").empty());
  EXPECT_TRUE(person_hits(*screener_, "Bao Huaming", "PAO, Hua Chiang").empty());
  EXPECT_TRUE(person_hits(*screener_, "Zheng Ruolin", "CHENG, Teresa").empty());
}

// Japanese organisations of the SDN list typed in kanji alone, as Japanese writes them: read as
// Japanese when the dictionary knows the name as an organisation's (山口組, 住吉会) or it is a proper
// noun and an organisation suffix (稲川会), not as Mandarin (山口組 was shankouzu). Found missing in
// the issue 11 review; other kanji organisation names stay Chinese.
TEST_F(EvalTest, JapaneseOrganisationsTypedInKanjiAreReadAsJapanese) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  if (!testing::tables()->japanese) GTEST_SKIP() << testing::tables()->japanese_warning;
  const std::pair<const char*, const char*> groups[] = {{"山口組", "YAMAGUCHI-GUMI"},
                                                        {"住吉会", "SUMIYOSHI-KAI"},
                                                        {"稲川会", "INAGAWA-KAI"},
                                                        {"神戸山口組", "KOBE YAMAGUCHI-GUMI"},
                                                        {"山健組", "YAMAKEN-GUMI"}};
  for (const auto& group : groups) {
    ScreenQuery q;
    q.name = group.first;
    auto hits = screener_->screen(q);
    EXPECT_TRUE(std::any_of(hits.begin(), hits.end(),
                            [&](const Hit& h) { return h.party->primary_name() == group.second; }))
        << group.first << " did not find " << group.second;
  }
}

// A rescreen that reads only the rows its probes say may meet a changed entry finds every hit a
// full screening finds on those entries, for the queries of every evaluation set (Latin, Chinese,
// Arabic, Cyrillic, Hangul, kana and kanji, Greek, Hebrew, Thai; persons and entities): the
// probes' lookups are those of screening itself.
TEST_F(EvalTest, RescreenWithProbesFindsEveryHitOnTheChangedEntriesInEveryScript) {
  if (!screener_) GTEST_SKIP() << "../shared/eval is absent";
  std::ostringstream csv;
  csv << "id,name,type,country\n";
  size_t rows = 0;
  for (const char* set :
       {"eval/screening-dev.csv", "eval/world-scripts-dev.csv", "eval/cross-script-dev.csv"})
    for (auto& q : testing::load_eval_queries(testing::shared_path(set)))
      csv << "r" << ++rows << "," << csv::quoted(q.name) << "," << q.type << "," << q.country << "\n";
  // The old lists: every 9th entry not yet listed (added since), every 13th under another primary
  // name (changed since: its listed name is new).
  std::vector<ListSnapshot> old_lists;
  std::set<std::string> touched;
  for (const auto& snap : screener_->snapshots()) {
    ListSnapshot o;
    o.info.name = snap.info.name;
    for (size_t k = 0; k < snap.parties.size(); ++k) {
      Party p = snap.parties[k];
      if (k % 9 == 4) {
        touched.insert(p.id);
        continue;
      }
      if (k % 13 == 6) {
        touched.insert(p.id);
        p.names[0].text = "Vormals " + p.names[0].text;
      }
      o.parties.push_back(std::move(p));
    }
    seal_snapshot(o);
    old_lists.push_back(std::move(o));
  }
  BatchOptions options;
  options.limit = 100;
  auto old_screener = Screener::build(old_lists, testing::tables());
  std::vector<QueryProbe> probes;
  std::istringstream in0(csv.str());
  auto previous = screen_all(in0, "queries.csv", *old_screener, *testing::tables(), options, &probes);
  ASSERT_TRUE(previous) << previous.error().message;
  std::shared_ptr<const Screener> full(screener_, [](const Screener*) {});
  std::istringstream in1(csv.str()), in2(csv.str());
  auto now = screen_all(in1, "queries.csv", *full, *testing::tables(), options);
  auto re = rescreen(in2, "queries.csv", full, diffs_between(old_lists, full->snapshots()), *previous,
                     *testing::tables(), options, &probes);
  ASSERT_TRUE(now && re);
  std::vector<std::string> expected, found;
  for (auto& h : *now)
    if (touched.count(h.entry)) expected.push_back(h.row + " " + h.entry + " " + std::to_string(h.score));
  for (auto& h : re->hits)
    if (touched.count(h.entry)) found.push_back(h.row + " " + h.entry + " " + std::to_string(h.score));
  EXPECT_GT(expected.size(), 200u);
  EXPECT_EQ(found, expected);
  EXPECT_EQ(re->rows, rows);
  EXPECT_LT(re->rows_screened, rows);
  std::printf("rescreen with probes: %zu of %zu rows read again, %zu hits on changed entries\n",
              re->rows_screened, rows, found.size());
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Thai people on the SDN list (KRADUMPORN, Somboon; PICHAYOS, Winai), typed in Thai as a Thai
// customer file writes them (the Thai written for this test): each found at the default threshold,
// through the RTGS spelling or the one the family uses. Before text/thai.hpp, Thai was read letter
// by letter (ISO 11940) and 12 of these 13 queries found nothing.
TEST_F(EvalTest, ThaiNamesOfListedPeopleAreFound) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {{"สมบูรณ์ กระดุมพร", "KRADUMPORN, Somboon"},
                                                        {"วารี กระดุมพร", "KRADUMPORN, Varee"},
                                                        {"ณัฐ รุ่งตะวันคีรี", "RUNGTAWANKHIRI, Nat"},
                                                        {"สุเทพ สามแสง", "SAMSAENG, Suthep"},
                                                        {"วินัย พิชยศ", "PICHAYOS, Winai"},
                                                        {"สุวิทย์ พวงเพชร", "PHUANGPHET, Suwit"},
                                                        {"อรินทร์ จันทร์ประภาพร", "JANPRAPAPORN, Arin"},
                                                        {"วิไล ชัยวรสิน", "CHAIWORASIN, Wilai"},
                                                        {"วิมลศรี ชัยวรสิน", "CHAIWORASIN, Wimonsi"},
                                                        {"วรินทร์ ชัยจำรูญพันธ์", "CHAIJAMROONPHAN, Warin"},
                                                        {"จันทร์จิรา บุญชัว", "BOONCHUA, Chanchira"},
                                                        {"ทิต อกิระโภคิน", "AKIRAPHOKIN, Thit"},
                                                        {"นายสุเทพ สามแสง", "SAMSAENG, Suthep"}};
  expect_each_found(*screener_, people);
  // Other names are other people: another given name, and names no list holds.
  for (const char* other : {"สมชาย กระดุมพร", "สมชาย ใจดี", "ทักษิณ ชินวัตร", "ประยุทธ์ จันทร์โอชา"})
    EXPECT_TRUE(person_hits(*screener_, other).empty()) << other;
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Burmese people on the SDN list (HLAING, Min Aung; SWE, Myint; NYUNT, Thein), typed in Burmese as
// a Burmese customer file writes them, without spaces (the Burmese written for this test): each
// found at the default threshold. Before text/burmese.hpp, Burmese was read letter by letter
// (mainnaaunglhaine) and none was found.
TEST_F(EvalTest, BurmeseNamesOfListedPeopleAreFound) {
  SKIP_WITHOUT_SHARED("eval/screening-dev.csv");
  const std::pair<const char*, const char*> people[] = {{"မင်းအောင်လှိုင်", "HLAING, Min Aung"},
                                                        {"စိုးဝင်း", "WIN, Soe"},
                                                        {"မြင့်ဆွေ", "SWE, Myint"},
                                                        {"စိန်ဝင်း", "WIN, Sein"},
                                                        {"စိုးထွဋ်", "HTUT, Soe"},
                                                        {"ရဲအောင်", "AUNG, Ye"},
                                                        {"မြထွန်းဦး", "OO, Mya Tun"},
                                                        {"တင်အောင်စန်း", "SAN, Tin Aung"},
                                                        {"ရဲဝင်းဦး", "OO, Ye Win"},
                                                        {"အောင်လင်းဒွေး", "DWE, Aung Lin"},
                                                        {"မိုးမြင့်ထွန်း", "TUN, Moe Myint"},
                                                        {"မောင်မောင်ကျော်", "KYAW, Maung Maung"},
                                                        {"သန်းလှိုင်", "HLAING, Than"},
                                                        {"သိန်းညွန့်", "NYUNT, Thein"},
                                                        {"ခင်မောင်ဆွေ", "SWE, Khin Maung"},
                                                        {"သိန်းစိုး", "SOE, Thein"},
                                                        {"သန်းငြိမ်း", "NYEIN, Than"},
                                                        {"ကိုကိုလှိုင်", "HLAING, Ko Ko"},
                                                        {"ဝင်းရှိန်", "SHEIN, Win"},
                                                        {"မင်း အောင် လှိုင်", "HLAING, Min Aung"}};
  expect_each_found(*screener_, people);
  // Other people: another given name, and names no list holds.
  for (const char* other : {"မင်းအောင်ကျော်", "ဝင်းမြင့်", "အောင်ဆန်းစုကြည်"})
    EXPECT_TRUE(person_hits(*screener_, other).empty()) << other;
}

}  // namespace
}  // namespace clearance
