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
                 44,
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
        RealFile{{"invalid/csl.csv"}, ListFormat::kCslCsv, Count::kCsvWithHeader, 0, "us-csl"}));

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

  auto uel = load_ftm_json(read_source(shared_data("cn/cn_mofcom_unreliable_entity_list.ftm.json")), {},
                           countries());
  ASSERT_TRUE(uel.ok());
  EXPECT_EQ(uel->parties.size(), 34u);
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

// Formats the project does not load (BIS/State source files, a name corpus): a clear error.
TEST(RealData, UnsupportedFilesFailClearly) {
  for (auto rel : {"us/bis/dpl-2022-09.txt", "us/samples/dpl.txt", "us/samples/el.csv", "us/samples/meu.csv",
                   "us/samples/isn.csv", "us/samples/uvl.csv", "us/samples/itar_debarred_parties.csv",
                   "cn/a-share-issuers-2026-08.csv"}) {
    auto path = shared_data(rel);
    if (!std::filesystem::exists(path)) continue;
    auto l = load_list({read_source(path)}, {}, countries());
    ASSERT_FALSE(l.ok()) << rel;
    EXPECT_EQ(l.error().kind, Error::Kind::kBadInput) << rel;
    EXPECT_NE(l.error().message.find(path), std::string::npos) << l.error().message;
  }
}

}  // namespace
}  // namespace clearance
