// `clearance rescreen` on real data: a customer file first screened against the OFAC SDN list of
// 2021-07, then rescreened after the 2024-05 list replaced it. The rescreen keeps each row's probe
// beside the file's baseline and reads again only the rows that may meet an added or changed
// entry; with the probes damaged it reads every row, and answers the same.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;
using testing::Run;

constexpr char kOld[] = "data/us/ofac/sdn-2021-07/sdn.csv";
constexpr char kNew[] = "data/us/ofac/sdn-2024-05/sdn.csv";

nlohmann::json json_of(const Run& r) {
  auto at = r.out.find('{');
  return at == std::string::npos ? nlohmann::json() : nlohmann::json::parse(r.out.substr(at), nullptr, false);
}

// Names of parties added to the SDN list between the two files, names on both, and made-up names.
std::string customers() {
  std::string csv = "id,name,country\n";
  const char* listed[] = {"Public Joint Stock Company Sberbank of Russia",
                          "VTB Bank Public Joint Stock Company",
                          "Manuel Antonio Noriega",
                          "Banco Nacional de Cuba",
                          "Islamic Revolutionary Guard Corps",
                          "Gazprombank Joint Stock Company",
                          "Alrosa Public Joint Stock Company"};
  int id = 0;
  for (auto* n : listed) csv += "L" + std::to_string(++id) + ",\"" + n + "\",\n";
  const char* onsets[] = {"b", "br", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
  const char* vowels[] = {"a", "e", "i", "o", "u", "ai", "ou"};
  for (int k = 0; k < 400; ++k) {
    std::string a, b;
    for (int s = 0; s < 3; ++s) a += std::string(onsets[(k * 7 + s * 3) % 15]) + vowels[(k + s) % 7];
    for (int s = 0; s < 2; ++s) b += std::string(onsets[(k * 5 + s * 11) % 15]) + vowels[(k * 3 + s) % 7];
    a[0] = static_cast<char>(a[0] - 32);
    b[0] = static_cast<char>(b[0] - 32);
    csv += "M" + std::to_string(k) + "," + a + " " + b + (k % 3 ? " Trading Ltd" : "") + ",GB\n";
  }
  return csv;
}

TEST(RescreenCli, ReadsOnlyTheRowsThatMayMeetAChangedEntryAndAnswersAsReadingEveryRow) {
  if (!testing::have_shared(kOld) || !testing::have_shared(kNew))
    GTEST_SKIP() << "../shared/" << kOld << " or ../shared/" << kNew << " is absent";
  testing::TempDir dir;
  const std::string home = dir.path("home"), file = dir.file("customers.csv", customers());
  auto cmd = [&](const std::string& args) { return testing::run("--home " + home + " --no-record " + args); };
  ASSERT_EQ(cmd("lists import " + testing::shared_path(kOld)).status, 0);
  auto first = cmd("rescreen --input " + file + " --format json");
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_EQ(json_of(first)["first_screening"], true) << first.out;
  // The probes sit beside the baseline.
  size_t probe_files = 0;
  for (auto& e : fs::directory_iterator(home + "/rescreen")) probe_files += e.path().extension() == ".probes";
  ASSERT_EQ(probe_files, 1u);

  ASSERT_EQ(cmd("lists import " + testing::shared_path(kNew)).status, 0);
  // Keep the home as it is now, to rescreen it again with the probes damaged.
  fs::copy(home, dir.path("home2"), fs::copy_options::recursive);
  auto re = cmd("rescreen --input " + file + " --format json");
  ASSERT_EQ(re.status, 0) << re.out;
  auto j = json_of(re);
  ASSERT_TRUE(j.is_object()) << re.out;
  EXPECT_EQ(j["first_screening"], false);
  EXPECT_EQ(j["rows"], 407);
  EXPECT_GT(j["rows_screened"].get<int>(), 0);
  // The 2024 list adds thousands of entries to the 2021 one; the made-up names that share no word
  // with them are still spared.
  EXPECT_LT(j["rows_screened"].get<int>(), 407);
  EXPECT_GT(j["new_hits"].size() + j["gone_hits"].size(), 0u) << re.out;

  for (auto& e : fs::directory_iterator(dir.path("home2") + "/rescreen"))
    if (e.path().extension() == ".probes") {
      std::string bytes = testing::read_text(e.path());
      bytes[bytes.size() / 2] ^= 0x11;
      std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << bytes;
    }
  auto every = testing::run("--home " + dir.path("home2") + " --no-record rescreen --input " + file +
                            " --format json");
  ASSERT_EQ(every.status, 0) << every.out;
  auto k = json_of(every);
  EXPECT_EQ(k["rows_screened"], 407) << "damaged probes are not used: every row is read";
  EXPECT_EQ(k["new_hits"], j["new_hits"]);
  EXPECT_EQ(k["gone_hits"], j["gone_hits"]);
  EXPECT_EQ(k["hits"], j["hits"]);
}

}  // namespace
}  // namespace clearance
