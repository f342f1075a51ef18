// Every list file under ../shared/data loads, with its records accounted for (imported + skipped
// [+ orphans] = records counted independently), and spot checks of what the loaders extract.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "clearance/common/strings.hpp"
#include "lists/lists_test_support.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;

enum class Count { kCsvWithHeader, kCsvNoHeader, kCslJson, kOfacXml, kUnXml, kJsonLines };

struct RealFile {
  std::vector<std::string> files;  // relative to ../shared/data
  ListFormat format;
  Count count;
  size_t known_rows;  // records in the source (0: not stated by the README)
  std::string default_name;
  size_t primary_records = 0;  // OFAC sets: records of sdn.csv / cons_prim.csv
};

std::ostream& operator<<(std::ostream& os, const RealFile& f) { return os << f.files.front(); }

size_t independent_count(const RealFile& f, const std::vector<SourceFile>& sources) {
  size_t n = 0;
  for (auto& s : sources) {
    switch (f.count) {
      case Count::kCsvWithHeader:
        n += count_csv_records(s.contents, true);
        break;
      case Count::kCsvNoHeader:
        n += count_csv_records(s.contents, false);
        break;
      case Count::kCslJson: {
        auto j = nlohmann::json::parse(s.contents);
        n += j.is_array() ? j.size() : j.at("results").size();
        break;
      }
      case Count::kOfacXml:
        n += count_substr(s.contents, "<sdnEntry>");
        break;
      case Count::kUnXml:
        n += count_substr(s.contents, "<INDIVIDUAL>") + count_substr(s.contents, "<ENTITY>");
        break;
      case Count::kJsonLines:
        n += count_nonblank_lines(s.contents);
        break;
    }
  }
  return n;
}

class RealFiles : public ::testing::TestWithParam<RealFile> {};

TEST_P(RealFiles, LoadsAndAccountsForEveryRecord) {
  const RealFile& f = GetParam();
  std::vector<SourceFile> sources;
  for (auto& rel : f.files) {
    CLEARANCE_REQUIRE_FILE(shared_data(rel));
    sources.push_back(read_source(shared_data(rel)));
  }
  auto detected = detect_format(sources);
  ASSERT_TRUE(detected.ok()) << detected.error().message;
  EXPECT_EQ(*detected, f.format);

  LoadOptions o;
  auto loaded = load_list(sources, o, countries());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const LoadReport& r = loaded->report;
  size_t records = independent_count(f, sources);
  if (f.known_rows) EXPECT_EQ(records, f.known_rows) << "the independent count disagrees with the README";
  EXPECT_EQ(r.rows, records);
  EXPECT_EQ(r.imported + r.skipped + r.orphans, r.rows);
  EXPECT_EQ(loaded->default_name, f.default_name);
  if (f.format != ListFormat::kOfacCsv) EXPECT_EQ(r.orphans, 0u);
  if (f.primary_records) EXPECT_EQ(loaded->parties.size(), f.primary_records);

  std::unordered_set<std::string> ids;
  for (auto& p : loaded->parties) {
    ASSERT_FALSE(p.names.empty());
    EXPECT_EQ(p.names[0].kind, NameKind::kPrimary) << p.id;
    for (size_t i = 1; i < p.names.size(); ++i) EXPECT_NE(p.names[i].kind, NameKind::kPrimary) << p.id;
    for (auto& n : p.names) {
      EXPECT_FALSE(n.text.empty()) << p.id;
      EXPECT_EQ(find_invalid_utf8(n.text), std::string::npos) << p.id;
    }
    EXPECT_FALSE(p.id.empty());
    EXPECT_FALSE(p.list.empty()) << p.id;
    EXPECT_TRUE(ids.insert(p.id).second) << "duplicate id " << p.id;
    for (auto& c : p.countries) EXPECT_TRUE(countries().is_code(c)) << p.id << " " << c;
    for (auto& d : p.birth_dates)
      EXPECT_TRUE(d.size() == 4 || d.size() == 7 || d.size() == 10) << p.id << " " << d;
    if (!p.listed_on.empty()) EXPECT_EQ(p.listed_on.size(), 10u) << p.id;
  }
  std::cout << "[ counts   ] " << f.files.front() << (f.files.size() > 1 ? " (+set)" : "") << ": rows "
            << r.rows << ", imported " << r.imported << ", skipped " << r.skipped << ", orphans " << r.orphans
            << ", parties " << loaded->parties.size() << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    SharedData, RealFiles,
    ::testing::Values(
        RealFile{
            {"us/csl/consolidated-2022-05.csv"}, ListFormat::kCslCsv, Count::kCsvWithHeader, 14160, "us-csl"},
        RealFile{{"us/csl/consolidated-2026-07-converted.csv"},
                 ListFormat::kCslCsv,
                 Count::kCsvWithHeader,
                 5418,
                 "us-csl"},
        RealFile{{"us/csl/consolidated-2022-05-converted.json"},
                 ListFormat::kCslJson,
                 Count::kCslJson,
                 14160,
                 "us-csl"},
        RealFile{{"us/csl/samples/consolidated-sample.csv"},
                 ListFormat::kCslCsv,
                 Count::kCsvWithHeader,
                 13,
                 "us-csl"},
        RealFile{{"us/csl/samples/consolidated-2019-old-layout.csv"},
                 ListFormat::kCslCsv,
                 Count::kCsvWithHeader,
                 115,
                 "us-csl"},
        RealFile{{"us/ofac/sdn-2021-07/sdn.csv", "us/ofac/sdn-2021-07/alt.csv", "us/ofac/sdn-2021-07/add.csv",
                  "us/ofac/sdn-2021-07/sdn_comments.csv"},
                 ListFormat::kOfacCsv,
                 Count::kCsvNoHeader,
                 0,
                 "us-ofac-sdn",
                 8976},
        RealFile{{"us/ofac/sdn-2024-05/sdn.csv"},
                 ListFormat::kOfacCsv,
                 Count::kCsvNoHeader,
                 14965,
                 "us-ofac-sdn",
                 14965},
        RealFile{{"us/ofac/sdn-2025-12/alt.csv", "us/ofac/sdn-2025-12/add.csv",
                  "us/ofac/sdn-2025-12/sdn_comments.csv"},
                 ListFormat::kOfacCsv,
                 Count::kCsvNoHeader,
                 0,
                 "us-ofac-sdn",
                 0},
        RealFile{{"us/ofac/nonsdn-2025-12/cons_prim.csv", "us/ofac/nonsdn-2025-12/cons_alt.csv",
                  "us/ofac/nonsdn-2025-12/cons_add.csv", "us/ofac/nonsdn-2025-12/cons_comments.csv"},
                 ListFormat::kOfacCsv,
                 Count::kCsvNoHeader,
                 0,
                 "us-ofac-nonsdn",
                 442},
        RealFile{
            {"us/ofac/samples/sdn-sample-2014.xml"}, ListFormat::kOfacXml, Count::kOfacXml, 4, "us-ofac-sdn"},
        RealFile{{"us/ofac/samples/nonsdn-sample.xml"},
                 ListFormat::kOfacXml,
                 Count::kOfacXml,
                 24,
                 "us-ofac-nonsdn"},
        RealFile{{"un/consolidated-2026-02.xml"}, ListFormat::kUnXml, Count::kUnXml, 730 + 273, "un-sc"},
        RealFile{{"cn/cn_mofcom_export_control_list.ftm.json"},
                 ListFormat::kFtmJson,
                 Count::kJsonLines,
                 206,
                 "cn_mofcom_export_control_list"},
        RealFile{{"cn/cn_mofcom_unreliable_entity_list.ftm.json"},
                 ListFormat::kFtmJson,
                 Count::kJsonLines,
                 68,
                 "cn_mofcom_unreliable_entity_list"},
        RealFile{
            {"us/other/us_dow_1260h.ftm.json"}, ListFormat::kFtmJson, Count::kJsonLines, 80, "us_dow_1260h"},
        RealFile{
            {"us/other/us_dhs_uflpa.ftm.json"}, ListFormat::kFtmJson, Count::kJsonLines, 148, "us_dhs_uflpa"},
        RealFile{{"us/other/us_fcc_covered.ftm.json"},
                 ListFormat::kFtmJson,
                 Count::kJsonLines,
                 15,
                 "us_fcc_covered"},
        RealFile{{"us/other/us_cbp_wro.ftm.json"}, ListFormat::kFtmJson, Count::kJsonLines, 67, "us_cbp_wro"},
        RealFile{
            {"us/other/us_dow_1286.ftm.json"}, ListFormat::kFtmJson, Count::kJsonLines, 134, "us_dow_1286"},
        RealFile{{"us/other/us_ofac_eo14032.ftm.json"},
                 ListFormat::kFtmJson,
                 Count::kJsonLines,
                 59,
                 "us_ofac_eo14032"},
        // The broken set: each file ends with a junk "||||" line.
        RealFile{{"invalid/sdn.csv", "invalid/alt.csv", "invalid/add.csv", "invalid/sdn_comments.csv"},
                 ListFormat::kOfacCsv,
                 Count::kCsvNoHeader,
                 0,
                 "us-ofac-sdn",
                 7379},
        RealFile{{"invalid/csl.csv"}, ListFormat::kCslCsv, Count::kCsvWithHeader, 0, "us-csl"},
        // The lists as BIS and the State Department publish them (tab-separated DPL, CSVs).
        RealFile{{"us/bis/dpl-2022-09.txt"}, ListFormat::kBisDpl, Count::kCsvWithHeader, 581, "us-bis-dpl"},
        RealFile{{"us/samples/dpl.txt"}, ListFormat::kBisDpl, Count::kCsvWithHeader, 0, "us-bis-dpl"},
        RealFile{{"us/samples/el.csv"}, ListFormat::kBisCsv, Count::kCsvWithHeader, 0, "us-bis-el"},
        RealFile{{"us/samples/meu.csv"}, ListFormat::kBisCsv, Count::kCsvWithHeader, 0, "us-bis-meu"},
        RealFile{{"us/samples/isn.csv"}, ListFormat::kStateIsn, Count::kCsvWithHeader, 0, "us-state-isn"},
        RealFile{{"us/samples/uvl.csv"}, ListFormat::kBisUvl, Count::kCsvWithHeader, 0, "us-bis-uvl"},
        RealFile{{"us/samples/itar_debarred_parties.csv"},
                 ListFormat::kDdtcDebarred,
                 Count::kCsvWithHeader,
                 0,
                 "us-ddtc-debarred"}));

// Known per-file totals of the OFAC sets, from the files' own line counts.
TEST(RealData, OfacSetTotals) {
  for (auto [dir, entries] : {std::pair<const char*, size_t>{"us/ofac/sdn-2021-07", 8976},
                              std::pair<const char*, size_t>{"us/ofac/nonsdn-2025-12", 442}}) {
    std::string d = shared_data(dir);
    CLEARANCE_REQUIRE_FILE(d);
    std::vector<SourceFile> files;
    for (auto& e : std::filesystem::directory_iterator(d)) files.push_back(read_source(e.path().string()));
    auto l = load_list(files, {}, countries());
    ASSERT_TRUE(l.ok()) << l.error().message;
    EXPECT_EQ(l->parties.size(), entries) << dir;
    EXPECT_EQ(l->report.skipped, 0u) << dir;
    EXPECT_EQ(l->report.orphans, 0u) << dir;
  }
}

TEST(RealData, CslHuaweiIn2026) {
  auto path = shared_data("us/csl/consolidated-2026-07-converted.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_csl_csv(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  const Party* el = nullptr;
  for (auto& p : l->parties)
    if (p.primary_name() == "Huawei Technologies Co., Ltd." &&
        p.list == "Entity List (EL) - Bureau of Industry and Security")
      el = &p;
  ASSERT_NE(el, nullptr);
  SCOPED_TRACE(describe(*el));
  EXPECT_EQ(el->id, "072108ed538f93fd7dc6910a6034c291eb061682");
  EXPECT_EQ(el->type, PartyType::kEntity);
  EXPECT_TRUE(has_name(*el, "Huawei Technology", NameKind::kAka));
  EXPECT_TRUE(has_name(*el, "Shenzhen Huawei Technologies", NameKind::kAka));
  EXPECT_TRUE(has_name(*el, "Shenzhen Huawei Agisson Electric Co., Ltd.", NameKind::kAka));
  EXPECT_TRUE(has_country(*el, "CN"));
  ASSERT_FALSE(el->addresses.empty());
  EXPECT_EQ(el->addresses[0].country, "CN");
  EXPECT_TRUE(
      el->addresses[0].text.starts_with("Addresses for Huawei Technologies Co., Ltd.: Bantian Huawei Base"));
  EXPECT_EQ(el->listed_on, "2019-05-21");
  EXPECT_EQ(el->citation, "84 FR 22963, 5/21/19");
  EXPECT_NE(el->license_requirement.find("744.11"), std::string::npos);
  // The same company is also on the CMIC list: a separate party with its own list and id.
  size_t huawei = 0;
  for (auto& p : l->parties) huawei += p.primary_name() == "Huawei Technologies Co., Ltd.";
  EXPECT_EQ(huawei, 2u);
}

TEST(RealData, CslIdsInBothColumnOrders) {
  // 2022 writes "CC, number, type"; the 2025 sample writes "type, number, CC".
  auto old_path = shared_data("us/csl/consolidated-2022-05.csv");
  auto new_path = shared_data("us/csl/samples/consolidated-sample.csv");
  CLEARANCE_REQUIRE_FILE(old_path);
  CLEARANCE_REQUIRE_FILE(new_path);
  auto old_list = load_csl_csv(read_source(old_path), {}, countries());
  ASSERT_TRUE(old_list.ok());
  const Party* p = nullptr;
  for (auto& q : old_list->parties)
    if (q.id == "9935") p = &q;
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_TRUE(has_id(*p, "Passport", "BC166787", "CA"));
  EXPECT_TRUE(has_country(*p, "CA"));
  EXPECT_TRUE(has_country(*p, "SD"));
  EXPECT_EQ(p->birth_dates, std::vector<std::string>{"1962-08-06"});
  for (auto& q : old_list->parties)
    for (auto& i : q.ids) {
      EXPECT_NE(i.type, "Gender") << q.id;
      EXPECT_EQ(i.type.find("Sanctions"), std::string::npos) << q.id << " " << i.type;
    }

  auto new_list = load_csl_csv(read_source(new_path), {}, countries());
  ASSERT_TRUE(new_list.ok());
  bool seen = false;
  for (auto& q : new_list->parties)
    if (has_id(q, "Passport", "836238033", "KP")) seen = true;
  EXPECT_TRUE(seen);
}

TEST(RealData, CslJsonMatchesCsv) {
  auto csv_path = shared_data("us/csl/consolidated-2022-05.csv");
  auto json_path = shared_data("us/csl/consolidated-2022-05-converted.json");
  CLEARANCE_REQUIRE_FILE(csv_path);
  CLEARANCE_REQUIRE_FILE(json_path);
  auto a = load_csl_csv(read_source(csv_path), {}, countries());
  auto b = load_csl_json(read_source(json_path), {}, countries());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->source_date, "2022-05-16");
  ASSERT_EQ(a->parties.size(), b->parties.size());
  size_t same_ids = 0, same_countries = 0, json_ids = 0, json_ids_in_csv = 0;
  for (size_t i = 0; i < a->parties.size(); ++i) {
    auto& x = a->parties[i];
    auto& y = b->parties[i];
    ASSERT_EQ(x.id, y.id);
    EXPECT_EQ(x.primary_name(), y.primary_name());
    EXPECT_EQ(x.names.size(), y.names.size()) << x.id;
    same_ids += x.ids.size() == y.ids.size();
    // The converted JSON cut every id to three parts: ids that carried dates lost their type, and
    // "Organization Type:" cells came out as junk. What it has, the CSV mostly has.
    for (auto& id : y.ids) {
      ++json_ids;
      json_ids_in_csv +=
          std::any_of(x.ids.begin(), x.ids.end(), [&](auto& i) { return i.number == id.number; });
    }
    std::set<std::string> cx(x.countries.begin(), x.countries.end()),
        cy(y.countries.begin(), y.countries.end());
    same_countries += cx == cy;
  }
  EXPECT_GT(same_ids, a->parties.size() * 97 / 100);
  EXPECT_GT(json_ids_in_csv, json_ids * 99 / 100);
  EXPECT_GT(same_countries, a->parties.size() * 99 / 100);
}

TEST(RealData, OfacSdnIndividualFromTheCsvSet) {
  std::string dir = shared_data("us/ofac/sdn-2021-07/");
  CLEARANCE_REQUIRE_FILE(dir + "sdn.csv");
  std::vector<SourceFile> files;
  for (auto f : {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}) files.push_back(read_source(dir + f));
  auto l = load_ofac_csv(files, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  // 15967 VAZIRI, Hossein Nosratollah: aliases in alt.csv, an address in add.csv, DOB, nationality and
  // passport in the remarks.
  const Party* p = nullptr;
  const Party* nasrallah = nullptr;
  for (auto& q : l->parties) {
    if (q.id == "ofac-sdn-15967") p = &q;
    if (q.id == "ofac-sdn-2686") nasrallah = &q;
  }
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_EQ(p->primary_name(), "VAZIRI, Hossein Nosratollah");
  EXPECT_EQ(p->type, PartyType::kPerson);
  EXPECT_EQ(p->list, "Specially Designated Nationals (SDN) - Treasury Department");
  EXPECT_TRUE(has_name(*p, "VAZIRI, Ahmed", NameKind::kAka));
  EXPECT_TRUE(has_name(*p, "VAZIRI, Ahmad", NameKind::kAka));
  ASSERT_EQ(p->addresses.size(), 1u);
  EXPECT_EQ(p->addresses[0].text, "3-C-C Impiana Condo Jalan, Ulu Klang, Kuala Lumpur");
  EXPECT_EQ(p->addresses[0].country, "MY");
  EXPECT_TRUE(has_country(*p, "MY"));
  EXPECT_TRUE(has_country(*p, "IR"));  // nationality, from the remarks
  EXPECT_EQ(p->birth_dates, std::vector<std::string>{"1961-03-21"});
  EXPECT_TRUE(has_id(*p, "Passport", "R19246338", "IR"));
  EXPECT_EQ(p->programs, (std::vector<std::string>{"NPWMD", "IFSR"}));

  ASSERT_NE(nasrallah, nullptr);
  SCOPED_TRACE(describe(*nasrallah));
  EXPECT_EQ(nasrallah->birth_dates,
            (std::vector<std::string>{"1960-08-31", "1953-08-31", "1955-08-31", "1958-08-31"}));
  EXPECT_TRUE(has_id(*nasrallah, "Passport", "042833", "LB"));
  EXPECT_TRUE(has_name(*nasrallah, "NASRALLAH, Hasan Abd-al-Karim", NameKind::kAka));
  EXPECT_TRUE(has_country(*nasrallah, "LB"));  // add.csv holds only the country
}

TEST(RealData, OfacCsvVesselImoAndRemarkAkasAndComments) {
  std::string dir = shared_data("us/ofac/sdn-2021-07/");
  CLEARANCE_REQUIRE_FILE(dir + "sdn.csv");
  std::vector<SourceFile> files;
  for (auto f : {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}) files.push_back(read_source(dir + f));
  auto l = load_ofac_csv(files, {}, countries());
  ASSERT_TRUE(l.ok());
  size_t vessels_with_imo = 0, vessels = 0;
  for (auto& p : l->parties)
    if (p.type == PartyType::kVessel) {
      ++vessels;
      vessels_with_imo += std::any_of(p.ids.begin(), p.ids.end(), [](auto& i) { return i.type == "IMO"; });
    }
  EXPECT_EQ(vessels, 406u);
  EXPECT_GT(vessels_with_imo, vessels * 9 / 10);
  // 306 BANCO NACIONAL DE CUBA: remarks "a.k.a. 'BNC'." is OFAC's weak alias.
  const Party* bnc = nullptr;
  const Party* lazarus = nullptr;
  for (auto& p : l->parties) {
    if (p.id == "ofac-sdn-306") bnc = &p;
    if (p.id == "ofac-sdn-28263") lazarus = &p;
  }
  ASSERT_NE(bnc, nullptr);
  EXPECT_TRUE(has_name(*bnc, "BNC", NameKind::kWeak)) << describe(*bnc);
  EXPECT_TRUE(has_name(*bnc, "NATIONAL BANK OF CUBA", NameKind::kAka)) << describe(*bnc);
  EXPECT_TRUE(has_country(*bnc, "CH"));
  // sdn_comments.csv continues the remarks cut at 1,000 characters, mid-word.
  ASSERT_NE(lazarus, nullptr);
  EXPECT_NE(lazarus->remarks.find("Linked To: LAZARUS GROUP."), std::string::npos);
  EXPECT_GT(lazarus->remarks.size(), 1000u);
}

TEST(RealData, OfacNonSdnListsByProgram) {
  std::string dir = shared_data("us/ofac/nonsdn-2025-12/");
  CLEARANCE_REQUIRE_FILE(dir + "cons_prim.csv");
  std::vector<SourceFile> files;
  for (auto f : {"cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"})
    files.push_back(read_source(dir + f));
  auto l = load_ofac_csv(files, {}, countries());
  ASSERT_TRUE(l.ok());
  std::map<std::string, size_t> lists;
  for (auto& p : l->parties) {
    EXPECT_TRUE(p.id.starts_with("ofac-cons-")) << p.id;
    ++lists[p.list];
  }
  EXPECT_EQ(lists["Palestinian Legislative Council List (PLC) - Treasury Department"], 78u);
  EXPECT_EQ(lists["Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"],
            68u);
  EXPECT_EQ(lists["Sectoral Sanctions Identifications List (SSI) - Treasury Department"], 286u);
  const Party* haniya = nullptr;
  for (auto& p : l->parties)
    if (p.id == "ofac-cons-9639") haniya = &p;
  ASSERT_NE(haniya, nullptr);
  EXPECT_EQ(haniya->birth_dates, std::vector<std::string>{"1962"});
  EXPECT_TRUE(has_name(*haniya, "HANIYA, Ismail", NameKind::kAka));
}

TEST(RealData, OfacAliasesWithoutEntriesAreOrphans) {
  std::string dir = shared_data("us/ofac/sdn-2025-12/");
  CLEARANCE_REQUIRE_FILE(dir + "alt.csv");
  std::vector<SourceFile> files;
  for (auto f : {"alt.csv", "add.csv", "sdn_comments.csv"}) files.push_back(read_source(dir + f));
  auto l = load_list(files, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_TRUE(l->parties.empty());
  EXPECT_EQ(l->report.imported, 0u);
  EXPECT_EQ(l->report.orphans, l->report.rows);
  ASSERT_FALSE(l->report.problems.empty());
  EXPECT_NE(l->report.problems[0].to_string().find("no sdn.csv or cons_prim.csv"), std::string::npos);
  EXPECT_NE(l->report.problems[1].to_string().find("alt.csv:1: ent_num: entry 36 is not in sdn.csv"),
            std::string::npos)
      << l->report.problems[1].to_string();
}

TEST(RealData, OfacXmlEntry) {
  auto path = shared_data("us/ofac/samples/sdn-sample-2014.xml");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_ofac_xml(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->source_date, "2014-07-16");
  const Party* p = nullptr;
  const Party* bnc = nullptr;
  for (auto& q : l->parties) {
    if (q.id == "ofac-sdn-6982") p = &q;
    if (q.id == "ofac-sdn-306") bnc = &q;
  }
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_EQ(p->primary_name(), "JIM'ALE, Ahmed Nur Ali");
  EXPECT_EQ(p->type, PartyType::kPerson);
  EXPECT_TRUE(has_name(*p, "JUMALI, Ahmed Ali", NameKind::kAka));
  EXPECT_TRUE(has_id(*p, "Passport", "A0181988", "SO"));
  EXPECT_TRUE(has_country(*p, "SO"));
  EXPECT_TRUE(has_country(*p, "DJ"));
  EXPECT_TRUE(has_country(*p, "AE"));
  ASSERT_NE(bnc, nullptr);
  EXPECT_TRUE(has_name(*bnc, "BNC", NameKind::kWeak));
  EXPECT_TRUE(has_name(*bnc, "NATIONAL BANK OF CUBA", NameKind::kAka));
  EXPECT_EQ(bnc->addresses.size(), 4u);

  auto ns = shared_data("us/ofac/samples/nonsdn-sample.xml");
  auto n = load_ofac_xml(read_source(ns), {}, countries());
  ASSERT_TRUE(n.ok()) << n.error().message;
  const Party* vtb = nullptr;
  for (auto& q : n->parties)
    if (q.id == "ofac-cons-17013") vtb = &q;
  ASSERT_NE(vtb, nullptr);
  EXPECT_EQ(vtb->list, "Sectoral Sanctions Identifications List (SSI) - Treasury Department");
  EXPECT_TRUE(has_name(*vtb, "VNESHTORGBANK", NameKind::kFka));
  EXPECT_TRUE(has_id(*vtb, "Registration ID", "1027739609391", "RU"));
  EXPECT_TRUE(has_id(*vtb, "SWIFT/BIC", "VTBRRUMM"));
  EXPECT_FALSE(has_id(*vtb, "Executive Order 13662 Directive Determination -", "Subject to Directive 1"));
}

TEST(RealData, UnEntityAndIndividual) {
  auto path = shared_data("un/consolidated-2026-02.xml");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_un_xml(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->source_date, "2026-02-27");
  size_t persons = 0, entities = 0;
  for (auto& p : l->parties) (p.type == PartyType::kPerson ? persons : entities)++;
  EXPECT_EQ(persons, 730u);
  EXPECT_EQ(entities, 273u);
  const Party* adf = nullptr;
  const Party* gaston = nullptr;
  for (auto& p : l->parties) {
    if (p.id == "un-6908402") adf = &p;
    if (p.id == "un-6907995") gaston = &p;
  }
  ASSERT_NE(adf, nullptr);
  SCOPED_TRACE(describe(*adf));
  EXPECT_EQ(adf->primary_name(), "ADF");
  EXPECT_EQ(adf->list, "UN Security Council Consolidated List");
  EXPECT_EQ(adf->type, PartyType::kEntity);
  EXPECT_TRUE(has_name(*adf, "Allied Democratic Forces", NameKind::kAka));
  EXPECT_TRUE(has_name(*adf, "NALU", NameKind::kFka));
  EXPECT_TRUE(has_country(*adf, "CD"));
  EXPECT_EQ(adf->citation, "CDe.001");
  EXPECT_EQ(adf->listed_on, "2014-06-30");
  EXPECT_EQ(adf->programs, std::vector<std::string>{"DRC"});
  ASSERT_NE(gaston, nullptr);
  EXPECT_EQ(gaston->primary_name(), "GASTON IYAMUREMYE");
  EXPECT_TRUE(has_name(*gaston, "Rumuli", NameKind::kWeak));
  EXPECT_TRUE(has_name(*gaston, "Victor Rumuri", NameKind::kAka));
  EXPECT_EQ(gaston->birth_dates, std::vector<std::string>{"1948"});
  EXPECT_TRUE(has_country(*gaston, "RW"));
  // Names in their original script become aliases with that script.
  size_t arabic = 0;
  for (auto& p : l->parties)
    for (auto& n : p.names) arabic += n.script == Script::kArabic;
  EXPECT_GT(arabic, 100u);
}

TEST(RealData, ChinaControlListWithBothNames) {
  auto path = shared_data("cn/cn_mofcom_export_control_list.ftm.json");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_ftm_json(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  const Party* p = nullptr;
  for (auto& q : l->parties)
    if (q.id == "cn_mofcom_export_control_list-8ba5d121674f") p = &q;
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_EQ(p->list, "China Export Control Control List (出口管制管控名单) - MOFCOM");
  ASSERT_GE(p->names.size(), 2u);
  EXPECT_EQ(p->names[0].text, "拉法特集团");
  EXPECT_EQ(p->names[0].script, Script::kHan);
  EXPECT_TRUE(has_name(*p, "Lafert S.p.A.", NameKind::kAka));
  EXPECT_EQ(p->citation, "商务部公告2026年第30号");
  EXPECT_EQ(p->listed_on, "2026-07-24");
  EXPECT_TRUE(has_country(*p, "IT"));
  ASSERT_EQ(p->addresses.size(), 1u);
  EXPECT_EQ(p->addresses[0].country, "IT");
  EXPECT_TRUE(p->source_url.starts_with("https://aqygzj.mofcom.gov.cn/"));
  // Announcement-level records without entity names are skipped and reported.
  EXPECT_EQ(l->report.skipped, 13u);
  EXPECT_EQ(l->parties.size(), 193u);
  ASSERT_FALSE(l->report.problems.empty());
  EXPECT_NE(l->report.problems[0].to_string().find("properties.name: missing name"), std::string::npos);

  // Every record of the Unreliable Entity List names its entity; one party per distinct id, counted
  // from the file itself so that a data update does not break the pin.
  auto uel_source = read_source(shared_data("cn/cn_mofcom_unreliable_entity_list.ftm.json"));
  std::set<std::string> uel_ids;
  for (auto line : split(uel_source.contents, '\n')) {
    if (trim(line).empty()) continue;
    auto j = nlohmann::json::parse(line);
    if (!j["properties"].value("name", std::vector<std::string>{}).empty()) uel_ids.insert(j["id"]);
  }
  auto uel = load_ftm_json(uel_source, {}, countries());
  ASSERT_TRUE(uel.ok());
  EXPECT_GE(uel_ids.size(), 68u);  // 34 published entities and 34 named only in announcement texts
  EXPECT_EQ(uel->parties.size(), uel_ids.size());
  EXPECT_EQ(uel->report.skipped, 0u);
  for (auto& q : uel->parties) EXPECT_EQ(q.list, "China Unreliable Entity List (不可靠实体清单) - MOFCOM");
}

TEST(RealData, FtmDuplicateIdsMerge) {
  auto path = shared_data("us/other/us_cbp_wro.ftm.json");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_ftm_json(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->report.imported, 67u);
  EXPECT_EQ(l->parties.size(), 60u);  // 7 ids appear twice (two orders against one producer)
  const Party* p = nullptr;
  for (auto& q : l->parties)
    if (q.id == "us_cbp_wro-c90694c769c5") p = &q;
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->list, "CBP Withhold Release Orders");
  EXPECT_EQ(p->listed_on, "1953-12-28");
  EXPECT_NE(p->remarks.find("T.D. 54725"), std::string::npos);
}

// A corpus of ordinary company names is not a restricted-party list: importing it would make every
// listed company a screening hit. It is refused with a clear error, whatever the format asked for.
TEST(RealData, NameCorpusIsRefused) {
  auto path = shared_data("cn/a-share-issuers-2026-08.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().kind, Error::Kind::kBadInput);
  EXPECT_EQ(l.error().message,
            path +
                ": line 1: a table of listed-company names (code, short_name, market), not a "
                "restricted-party list: it cannot be imported as a list");
  for (auto f : {ListFormat::kCslCsv, ListFormat::kBisCsv, ListFormat::kStateIsn, ListFormat::kBisUvl,
                 ListFormat::kDdtcDebarred, ListFormat::kBisDpl}) {
    LoadOptions o;
    o.format = f;
    auto forced = load_list({read_source(path)}, o, countries());
    ASSERT_FALSE(forced.ok()) << to_string(f);
    EXPECT_EQ(forced.error().kind, Error::Kind::kBadInput);
    EXPECT_TRUE(forced.error().message.starts_with(path + ":1: header has no")) << forced.error().message;
  }
}

// ---- the lists as BIS and the State Department publish them ----------------------------------

TEST(RealData, DplPersonsAddressesAndCitations) {
  auto path = shared_data("us/bis/dpl-2022-09.txt");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_bis_dpl(read_source(path), {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 581u);
  EXPECT_EQ(l->report.imported, 581u);
  EXPECT_EQ(l->report.skipped, 0u);
  // Rows of one party at several addresses share name and FR citation (95 of them).
  EXPECT_EQ(l->parties.size(), 486u);
  for (auto& p : l->parties) {
    EXPECT_EQ(p.list, "Denied Persons List (DPL) - Bureau of Industry and Security");
    EXPECT_EQ(p.type, PartyType::kUnknown) << p.id;
  }

  const Party* p = find_party(*l, "ALI AGAR MANZARPOUR");
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_EQ(p->id, derive_party_id(p->list, "ALI AGAR MANZARPOUR", "73 F.R. 12073 3/6/08"));
  EXPECT_EQ(p->citation, "73 F.R. 12073 3/6/08");
  EXPECT_EQ(p->listed_on, "2008-03-06");
  ASSERT_EQ(p->addresses.size(), 2u);
  EXPECT_EQ(p->addresses[0].text, "C/O MARIA HOUSE, 35 MILLERS ROAD, BRIGHTON, BN1 5NP");
  EXPECT_EQ(p->addresses[0].country, "GB");
  EXPECT_EQ(p->addresses[1].text,
            "PRESTON TECHNICAL SERVICES LTD.-UK, 17 PRESTON VILLAGE MEWS MIDDLE ROAD, BRIGHTON, BN1 6XU");
  EXPECT_EQ(p->countries, std::vector<std::string>{"GB"});
  EXPECT_NE(p->remarks.find("Denial expires 2028-03-06"), std::string::npos);

  // Three rows, two of them a city and a country only.
  const Party* hijazi = find_party(*l, "ALI M HIJAZI");
  ASSERT_NE(hijazi, nullptr);
  EXPECT_EQ(hijazi->addresses.size(), 3u);
  EXPECT_EQ(hijazi->countries, (std::vector<std::string>{"CH", "FR", "LY"}));
  EXPECT_EQ(hijazi->listed_on, "1981-09-01");

  // Aliases written into the name.
  const Party* sun = find_party(*l, "FUYI SUN");
  ASSERT_NE(sun, nullptr);
  EXPECT_TRUE(has_name(*sun, "FRANK SUN", NameKind::kAka));
  EXPECT_EQ(sun->id, derive_party_id(sun->list, "FUYI SUN A/K/A FRANK SUN", "83 F.R. 29542 6/25/2018"));
  const Party* pearl = find_party(*l, "PEARL LI");
  ASSERT_NE(pearl, nullptr);
  EXPECT_TRUE(has_name(*pearl, "NEI-CHIEN CHU", NameKind::kAka));
  EXPECT_TRUE(has_country(*pearl, "US"));
  const Party* s7 = find_party(*l, "SIBERIAN AIRLINES");
  ASSERT_NE(s7, nullptr);
  EXPECT_TRUE(has_name(*s7, "S7 AIRLINES", NameKind::kAka));

  // "PRC" in the Country column is China; "NM" (New Mexico) is not a country: kept in the text, noted.
  const Party* hu = find_party(*l, "JOHNSON HU");
  ASSERT_NE(hu, nullptr);
  EXPECT_EQ(hu->countries, std::vector<std::string>{"CN"});
  const Party* smith = find_party(*l, "STEPHEN EDWARD SMITH");
  ASSERT_NE(smith, nullptr);
  EXPECT_TRUE(smith->countries.empty());
  ASSERT_EQ(smith->addresses.size(), 1u);
  EXPECT_EQ(smith->addresses[0].text,
            "INMATE NUMBER: 30819-408, FCI LA TUNA, P.O. Box 3000, ANTHONY, 88021, NM");
  ASSERT_EQ(l->report.problems.size(), 1u);
  EXPECT_EQ(l->report.problems[0].to_string(),
            path + ":521: Country: 'NM' is not a known country; kept as text");
}

TEST(RealData, DplSampleEmptyAndShortRows) {
  auto path = shared_data("us/samples/dpl.txt");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 10u);
  EXPECT_EQ(l->report.skipped, 1u);  // the row of empty quoted fields
  EXPECT_EQ(l->report.imported, 9u);
  EXPECT_EQ(l->parties.size(), 9u);
  ASSERT_EQ(l->report.problems.size(), 2u);
  EXPECT_EQ(l->report.problems[0].to_string(), path + ":2: empty row");
  // The sources leave trailing empty cells off: a short row still reaching Country is read.
  EXPECT_EQ(l->report.problems[1].to_string(),
            path + ":3: 10 fields, expected 12: Action, FR_Citation read as empty");
  const Party* ssi = find_party(*l, "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)");
  ASSERT_NE(ssi, nullptr);
  EXPECT_TRUE(ssi->citation.empty());
  EXPECT_EQ(ssi->listed_on, "1992-03-20");
  EXPECT_EQ(ssi->addresses.at(0).text, "BAGSVAERD HOVEDGADE 99 1 2880 BAGSVAERD, COPENHAGEN");
  EXPECT_EQ(ssi->addresses.at(0).country, "DK");
  // An empty row is not a bad row: strict mode still loads the file.
  LoadOptions strict;
  strict.strict = true;
  auto s = load_list({read_source(path)}, strict, countries());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->parties.size(), 9u);
}

TEST(RealData, EntityListSourceLayoutMergesAliasesAndAddresses) {
  auto path = shared_data("us/samples/el.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->format, ListFormat::kBisCsv);
  EXPECT_EQ(l->report.rows, 18u);
  EXPECT_EQ(l->report.imported, 18u);
  // "Sa\u0092id Jan \u0091Abd-al-Salam": Windows-1252 quotes that went through a Latin-1 decoder.
  ASSERT_EQ(l->report.problems.size(), 1u);
  EXPECT_EQ(l->report.problems[0].to_string(),
            path +
                ":17: Alternate Name: C1 control characters (U+0080-U+009F) read as the Windows-1252 "
                "punctuation they stand for (first of this file)");
  // Fazal Rahim Farid, Fazel Khalil, Zurmat, Murat Peker, and Qazi Abdallah under two notices.
  ASSERT_EQ(l->parties.size(), 6u);
  const std::string el = "Entity List (EL) - Bureau of Industry and Security";
  const Party* p = find_party(*l, "Fazal Rahim Farid");
  ASSERT_NE(p, nullptr);
  SCOPED_TRACE(describe(*p));
  EXPECT_EQ(p->list, el);
  EXPECT_EQ(p->id, derive_party_id(el, "Fazal Rahim Farid", "76 FR 71867"));
  ASSERT_EQ(p->names.size(), 4u);
  EXPECT_TRUE(has_name(*p, "Fazel Rahim Farid", NameKind::kAka));
  EXPECT_TRUE(has_name(*p, "Farid", NameKind::kAka));
  EXPECT_TRUE(has_name(*p, "Engineer Idris", NameKind::kAka));
  ASSERT_EQ(p->addresses.size(), 2u);
  EXPECT_EQ(p->addresses[0].text, "Microrayan 3rd Apt. 45, block #21, Kabul");
  EXPECT_EQ(p->addresses[0].country, "AF");
  EXPECT_EQ(p->addresses[1].text, "A2 Ground Floor, City Computer Plaza, Shar-e-Naw, Kabul");
  EXPECT_EQ(p->countries, std::vector<std::string>{"AF"});
  EXPECT_EQ(p->citation, "76 FR 71867");
  EXPECT_EQ(p->listed_on, "2011-11-21");
  EXPECT_EQ(p->license_requirement,
            "For all items subject to the EAR. (See \xC2\xA7"
            "744.11 of the EAR).");
  EXPECT_EQ(p->license_policy, "Presumption of denial.");
  EXPECT_EQ(p->source_url, "http://www.bis.doc.gov/entities/default.htm");
  EXPECT_EQ(p->type, PartyType::kUnknown);

  const Party* zurmat = find_party(*l, "Zurmat Construction Company offices");
  ASSERT_NE(zurmat, nullptr);
  EXPECT_EQ(zurmat->addresses.size(), 7u);  // the Tarin Cot City row has a city only
  const Party* peker = find_party(*l, "Murat Peker");
  ASSERT_NE(peker, nullptr);
  EXPECT_EQ(peker->citation, "78 FR 75485");  // "78 FR 75485 " in the file
  EXPECT_TRUE(has_country(*peker, "TR"));

  // Same name, same notice, same address: one party whatever its titles and dates; another notice is
  // another party.
  size_t qazi = 0;
  for (auto& q : l->parties) {
    if (q.primary_name() != "Qazi Abdallah") continue;
    ++qazi;
    EXPECT_TRUE(has_name(q,
                         "Jawid, Sa\xE2\x80\x99id Jan \xE2\x80\x98"
                         "Abd-al-Salam",
                         NameKind::kAka))
        << describe(q);
    if (q.citation == "76 FR 71867") {
      EXPECT_EQ(q.listed_on, "2011-11-21");
      EXPECT_NE(q.remarks.find("Title: Title 2"), std::string::npos) << q.remarks;
    } else {
      EXPECT_EQ(q.citation, "76 FR 10001");
      EXPECT_NE(q.remarks.find("Title: Title 1"), std::string::npos) << q.remarks;
    }
  }
  EXPECT_EQ(qazi, 2u);

  auto meu = load_list({read_source(shared_data("us/samples/meu.csv"))}, {}, countries());
  ASSERT_TRUE(meu.ok()) << meu.error().message;
  EXPECT_EQ(meu->parties.size(), 6u);
  for (auto& q : meu->parties)
    EXPECT_EQ(q.list, "Military End User (MEU) List - Bureau of Industry and Security");
}

TEST(RealData, IsnProgramsAccumulate) {
  auto path = shared_data("us/samples/isn.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 7u);
  EXPECT_EQ(l->report.skipped, 2u);  // two rows of empty cells
  EXPECT_EQ(l->report.imported, 5u);
  ASSERT_EQ(l->parties.size(), 3u);
  EXPECT_EQ(l->report.problems.at(0).to_string(), path + ":4: empty row");
  const Party* khan = find_party(*l, "Abdul Qadeer Khan");
  ASSERT_NE(khan, nullptr);
  SCOPED_TRACE(describe(*khan));
  EXPECT_EQ(khan->list, "Nonproliferation Sanctions (ISN) - State Department");
  EXPECT_EQ(khan->programs, (std::vector<std::string>{"E.O. 13382", "Export-Import Bank Act",
                                                      "Nuclear Proliferation Prevention Act"}));
  EXPECT_EQ(khan->countries, std::vector<std::string>{"PK"});
  EXPECT_TRUE(khan->addresses.empty());
  EXPECT_EQ(khan->citation, "Vol. 74, No. 11, 01/16/09");
  EXPECT_EQ(khan->listed_on, "2009-01-09");
  EXPECT_EQ(khan->remarks, "Associated with the A.Q. Khan Network");
  EXPECT_EQ(khan->source_url, "http://www.state.gov/t/isn/c15231.htm");
  const Party* arz = find_party(*l, "150th Aircraft Repair Plant (ARZ) (Kaliningrad)");
  ASSERT_NE(arz, nullptr);
  EXPECT_EQ(arz->programs, std::vector<std::string>{"INKSNA"});
  EXPECT_EQ(arz->countries, std::vector<std::string>{"RU"});
  EXPECT_EQ(arz->listed_on, "2016-06-28");
}

TEST(RealData, UnverifiedListNamesAndAddresses) {
  auto path = shared_data("us/samples/uvl.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 19u);
  // The last row has a Windows-1252 en dash (0x96) in its address: skipped and reported.
  EXPECT_EQ(l->report.skipped, 1u);
  ASSERT_EQ(l->report.problems.size(), 1u);
  EXPECT_EQ(l->report.problems[0].to_string(), path + ":20: ADDRESS: invalid UTF-8 (byte 0x96 at offset 29)");
  EXPECT_EQ(l->parties.size(), 12u);
  const Party* b = find_party(*l, "Brilliance Technology Ltd");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->list, "Unverified List (UVL) - Bureau of Industry and Security");
  EXPECT_EQ(b->id, derive_party_id(b->list, "Brilliance Technology Ltd", ""));
  ASSERT_EQ(b->addresses.size(), 2u);
  EXPECT_EQ(b->addresses[0].country, "HK");
  EXPECT_EQ(b->countries, std::vector<std::string>{"HK"});
  const Party* t2 = find_party(*l, "Training 2 Business Academy");
  ASSERT_NE(t2, nullptr);
  EXPECT_TRUE(has_name(*t2, "T2BA", NameKind::kAka));
  EXPECT_TRUE(has_name(*t2, "Academy of Business Training", NameKind::kAka));
  EXPECT_EQ(t2->addresses.size(), 2u);
  EXPECT_TRUE(has_country(*find_party(*l, "China National Plant Import/Export Co."), "CN"));
}

TEST(RealData, DdtcDebarredNamesAndNotices) {
  auto path = shared_data("us/samples/itar_debarred_parties.csv");
  CLEARANCE_REQUIRE_FILE(path);
  auto l = load_list({read_source(path)}, {}, countries());
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->report.rows, 4u);
  EXPECT_EQ(l->report.imported, 4u);
  ASSERT_EQ(l->parties.size(), 4u);
  for (auto& p : l->parties) {
    EXPECT_EQ(p.list, "ITAR Debarred (DTC) - State Department");
    EXPECT_EQ(p.type, PartyType::kUnknown);  // the file does not type its parties
  }
  const Party* yun = find_party(*l, "Yun, Juwhan");
  ASSERT_NE(yun, nullptr);
  EXPECT_EQ(yun->citation, "57 FR 1296");
  EXPECT_EQ(yun->listed_on, "1992-01-13");
  EXPECT_EQ(yun->id, derive_party_id(yun->list, "Yun, Juwhan", "57 FR 1296"));
  const Party* fleming = find_party(*l, "Fleming, Brian Joseph");
  ASSERT_NE(fleming, nullptr);
  EXPECT_TRUE(has_name(*fleming, "Brian Joseph McSulla", NameKind::kAka));
  const Party* hukic = find_party(*l, "Hukic, Bajro");
  ASSERT_NE(hukic, nullptr);
  EXPECT_TRUE(has_name(*hukic, "Bob Hukic", NameKind::kAka));
  EXPECT_TRUE(has_name(*hukic, "Bab Hucici", NameKind::kAka));
  const Party* dilligas = find_party(*l, "Dilligas Trading Co., Inc.");
  ASSERT_NE(dilligas, nullptr);
  EXPECT_EQ(dilligas->citation, "57 FR 43768; 57 FR 37184");
  EXPECT_EQ(dilligas->listed_on, "1992-09-22");
  EXPECT_NE(dilligas->remarks.find("Corrected notice 57 FR 37184 of 1992-08-18"), std::string::npos);
}

}  // namespace
}  // namespace clearance
