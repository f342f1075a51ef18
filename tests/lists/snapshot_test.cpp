// Snapshots: binary round trip, corruption detection, and the import driver's promise that a failed
// import leaves the lists in force unchanged.
#include "clearance/lists/snapshot.hpp"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "clearance/common/date.hpp"
#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/import.hpp"
#include "lists/lists_test_support.hpp"
#include "support/temp_dir.hpp"

namespace clearance {
namespace {

using namespace clearance::testing;
namespace fs = std::filesystem;

using testing::TempDir;

Party sample_party(int i) {
  Party p;
  p.id = "id-" + std::to_string(i);
  p.list = "Entity List (EL) - Bureau of Industry and Security";
  p.type = i % 2 ? PartyType::kPerson : PartyType::kEntity;
  p.names = {{"Huawei Technologies Co., Ltd.", NameKind::kPrimary, Script::kLatin},
             {"华为技术有限公司", NameKind::kAka, Script::kHan},
             {"Old Name " + std::to_string(i), NameKind::kFka, Script::kLatin},
             {"HW", NameKind::kWeak, Script::kLatin}};
  p.addresses = {{"Bantian, Longgang District, Shenzhen", "CN"}, {"No country", ""}};
  p.countries = {"CN", "HK"};
  p.ids = {{"Passport", "A123", "IR"}, {"IMO", "9187629", ""}};
  p.programs = {"SDGT", "IFSR"};
  p.listed_on = "2019-05-21";
  p.birth_dates = {"1960", "1961-03", "1962-08-06"};
  p.citation = "84 FR 22963, 5/21/19";
  p.license_requirement = "For all items subject to the EAR";
  p.license_policy = "Presumption of denial";
  p.remarks = std::string("line1\nline2 \x01 with control byte and a \0 NUL", 44);
  p.source_url = "https://example.gov/list";
  return p;
}

void expect_same(const Party& a, const Party& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.list, b.list);
  EXPECT_EQ(a.type, b.type);
  ASSERT_EQ(a.names.size(), b.names.size());
  for (size_t i = 0; i < a.names.size(); ++i) {
    EXPECT_EQ(a.names[i].text, b.names[i].text);
    EXPECT_EQ(a.names[i].kind, b.names[i].kind);
    EXPECT_EQ(a.names[i].script, b.names[i].script);
  }
  ASSERT_EQ(a.addresses.size(), b.addresses.size());
  for (size_t i = 0; i < a.addresses.size(); ++i) {
    EXPECT_EQ(a.addresses[i].text, b.addresses[i].text);
    EXPECT_EQ(a.addresses[i].country, b.addresses[i].country);
  }
  EXPECT_EQ(a.countries, b.countries);
  ASSERT_EQ(a.ids.size(), b.ids.size());
  for (size_t i = 0; i < a.ids.size(); ++i) {
    EXPECT_EQ(a.ids[i].type, b.ids[i].type);
    EXPECT_EQ(a.ids[i].number, b.ids[i].number);
    EXPECT_EQ(a.ids[i].country, b.ids[i].country);
  }
  EXPECT_EQ(a.programs, b.programs);
  EXPECT_EQ(a.listed_on, b.listed_on);
  EXPECT_EQ(a.birth_dates, b.birth_dates);
  EXPECT_EQ(a.citation, b.citation);
  EXPECT_EQ(a.license_requirement, b.license_requirement);
  EXPECT_EQ(a.license_policy, b.license_policy);
  EXPECT_EQ(a.remarks, b.remarks);
  EXPECT_EQ(a.source_url, b.source_url);
}

ListSnapshot sample_snapshot(int n) {
  ListSnapshot s;
  s.info.name = "us-csl";
  s.info.format = "csl-csv";
  s.info.source_date = "2026-07-09";
  s.info.imported_at = "2026-08-01T10:00:00Z";
  s.info.files = {"/data/a.csv"};
  s.info.rows = n + 2;
  s.info.skipped = 2;
  s.info.orphans = 0;
  for (int i = 0; i < n; ++i) s.parties.push_back(sample_party(i));
  seal_snapshot(s);
  return s;
}

TEST(Snapshot, EncodeDecodeRoundTrip) {
  auto s = sample_snapshot(50);
  EXPECT_EQ(s.info.entries, 50u);
  EXPECT_EQ(s.info.names, 200u);
  EXPECT_EQ(s.info.id.size(), 24u);
  auto bytes = encode_snapshot(s);
  EXPECT_EQ(bytes.substr(0, 7), "CLRSNAP");
  auto d = decode_snapshot(bytes, "mem.snap");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->info.id, s.info.id);
  EXPECT_EQ(d->info.name, s.info.name);
  EXPECT_EQ(d->info.format, s.info.format);
  EXPECT_EQ(d->info.source_date, s.info.source_date);
  EXPECT_EQ(d->info.imported_at, s.info.imported_at);
  EXPECT_EQ(d->info.files, s.info.files);
  EXPECT_EQ(d->info.entries, s.info.entries);
  EXPECT_EQ(d->info.names, s.info.names);
  EXPECT_EQ(d->info.rows, s.info.rows);
  EXPECT_EQ(d->info.skipped, s.info.skipped);
  ASSERT_EQ(d->parties.size(), s.parties.size());
  for (size_t i = 0; i < s.parties.size(); ++i) expect_same(s.parties[i], d->parties[i]);
  // Sealing is deterministic and content-addressed.
  auto again = sample_snapshot(50);
  EXPECT_EQ(again.info.id, s.info.id);
  auto other = sample_snapshot(49);
  EXPECT_NE(other.info.id, s.info.id);
  // An empty snapshot round-trips too.
  ListSnapshot empty;
  seal_snapshot(empty);
  auto e = decode_snapshot(encode_snapshot(empty), "empty.snap");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->parties.empty());
}

TEST(Snapshot, CorruptionIsDetected) {
  auto bytes = encode_snapshot(sample_snapshot(20));
  for (size_t pos : {size_t{10}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 9, bytes.size() - 1}) {
    std::string bad = bytes;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x20);
    auto d = decode_snapshot(bad, "bad.snap");
    ASSERT_FALSE(d.ok()) << pos;
    EXPECT_EQ(d.error().kind, Error::Kind::kBadInput);
    EXPECT_EQ(d.error().message, "bad.snap: checksum mismatch: the file is corrupt") << pos;
  }
  auto truncated = decode_snapshot(std::string_view(bytes).substr(0, bytes.size() - 5), "cut.snap");
  ASSERT_FALSE(truncated.ok());
  auto tiny = decode_snapshot("CLR", "tiny.snap");
  ASSERT_FALSE(tiny.ok());
  EXPECT_NE(tiny.error().message.find("not a Clearance snapshot"), std::string::npos);
  std::string wrong_version = bytes;
  wrong_version[8] = 99;
  auto v = decode_snapshot(wrong_version, "v.snap");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("version 99"), std::string::npos) << v.error().message;
}

TEST(Snapshot, FailedImportLeavesTheListsInForce) {
  TempDir tmp;
  ListStore store(tmp.path() + "/home");
  auto good =
      tmp.file("csl.csv", kCslHeader + csl_row("1", "Huawei Technologies Co., Ltd.") + csl_row("2", "ZTE"));
  ImportRequest req;
  req.paths = {good};
  req.imported_at = "2026-08-01T10:00:00Z";
  auto first = import_lists(store, countries(), req);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].info.name, "us-csl");
  EXPECT_EQ((*first)[0].info.entries, 2u);
  auto before = store.list();
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  const std::string id_before = (*before)[0].id;

  auto check_unchanged = [&](const char* what) {
    auto now = store.list();
    ASSERT_TRUE(now.ok()) << what;
    ASSERT_EQ(now->size(), 1u) << what;
    EXPECT_EQ((*now)[0].id, id_before) << what;
    auto all = store.load_all();
    ASSERT_TRUE(all.ok()) << what << ": " << all.error().message;
    ASSERT_EQ(all->size(), 1u);
    ASSERT_EQ((*all)[0].parties.size(), 2u) << what;
    EXPECT_EQ((*all)[0].parties[0].primary_name(), "Huawei Technologies Co., Ltd.");
  };

  // An empty file under the same list name.
  ImportRequest bad = req;
  bad.paths = {tmp.file("empty.csv", "")};
  bad.name = "us-csl";
  auto r1 = import_lists(store, countries(), bad);
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.error().kind, Error::Kind::kBadInput);
  EXPECT_NE(r1.error().message.find("empty.csv: file is empty"), std::string::npos) << r1.error().message;
  check_unchanged("empty file");

  // A good source together with a truncated one: nothing is put in force, not even the good one.
  ImportRequest mixed;
  mixed.paths = {
      tmp.file("csl2.csv", kCslHeader + csl_row("3", "New Co")),
      tmp.file("cut.csv", kCslHeader + "4,Entity List (EL) - Bureau of Industry and Security,,,,\"Cut")};
  mixed.imported_at = "2026-08-02T10:00:00Z";
  auto r2 = import_lists(store, countries(), mixed);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("cut.csv:2: quoted field is never closed"), std::string::npos)
      << r2.error().message;
  check_unchanged("truncated file");

  // Strict mode with a bad row.
  ImportRequest strict = req;
  strict.paths = {tmp.file("row.csv", kCslHeader + csl_row("5", "Fine") + "6,short,row\n")};
  strict.options.strict = true;
  auto r3 = import_lists(store, countries(), strict);
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.error().message.find("row.csv:3: expected 29 fields, found 3"), std::string::npos)
      << r3.error().message;
  check_unchanged("strict bad row");

  // An OFAC set without its sdn.csv: zero entries, refused with the reason.
  auto ofac_dir = tmp.path() + "/ofac";
  fs::create_directories(ofac_dir);
  std::ofstream(ofac_dir + "/alt.csv") << "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n\x1A";
  ImportRequest orphans;
  orphans.paths = {ofac_dir + "/alt.csv"};
  auto r4 = import_lists(store, countries(), orphans);
  ASSERT_FALSE(r4.ok());
  EXPECT_NE(r4.error().message.find("no entries could be imported"), std::string::npos) << r4.error().message;
  EXPECT_NE(r4.error().message.find("no sdn.csv or cons_prim.csv"), std::string::npos) << r4.error().message;
  check_unchanged("orphans only");

  // A later good import replaces the list.
  ImportRequest next = req;
  next.paths = {tmp.file("csl3.csv", kCslHeader + csl_row("7", "Only One"))};
  next.put.allow_shrink = true;  // two entries down to one: a drop that needs saying so
  auto r5 = import_lists(store, countries(), next);
  ASSERT_TRUE(r5.ok()) << r5.error().message;
  auto after = store.list();
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_NE((*after)[0].id, id_before);
  auto all = store.load_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].parties.size(), 1u);
}

TEST(Snapshot, CorruptSnapshotFileIsAnErrorNotACrash) {
  TempDir tmp;
  ListStore store(tmp.path() + "/home");
  auto good = tmp.file("csl.csv", kCslHeader + csl_row("1", "A") + csl_row("2", "B"));
  ImportRequest req;
  req.paths = {good};
  ASSERT_TRUE(import_lists(store, countries(), req).ok());
  auto infos = store.list();
  ASSERT_TRUE(infos.ok());
  std::string snap = store.lists_dir() + "/" + (*infos)[0].name + "-" + (*infos)[0].id + ".snap";
  auto bytes = read_file(snap);
  ASSERT_TRUE(bytes.ok());
  std::string bad = *bytes;
  bad[bad.size() / 2] ^= 0x01;
  std::ofstream(snap, std::ios::binary | std::ios::trunc) << bad;
  auto all = store.load_all();
  ASSERT_FALSE(all.ok());
  EXPECT_NE(all.error().message.find("checksum mismatch"), std::string::npos) << all.error().message;
}

TEST(Snapshot, RealCslImportAndSnapshotWrite) {
  auto path = shared_data("us/csl/consolidated-2022-05.csv");
  CLEARANCE_REQUIRE_FILE(path);
  TempDir tmp;
  ListStore store(tmp.path() + "/home");
  ImportRequest req;
  req.paths = {path};
  req.imported_at = "2026-08-01T10:00:00Z";
  auto start = std::chrono::steady_clock::now();
  auto r = import_lists(store, countries(), req);
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].report.rows, 14160u);
  std::cout << "[ timing   ] CSL 2022 import + snapshot write: " << secs << " s\n";
  auto all = store.load_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].parties.size(), (*r)[0].info.entries);
}

}  // namespace
}  // namespace clearance

namespace clearance {
namespace {

// Regression: a date field of many digits made normalize_date throw std::out_of_range.
TEST(NormalizeDateRegression, LongDigitRunsAreNotDates) {
  EXPECT_EQ(normalize_date("99999999999999999999/1/1"), "");
  EXPECT_EQ(normalize_date("1/1/99999999999999999999"), "");
  EXPECT_EQ(normalize_date("11/21/11"), "2011-11-21");
  EXPECT_EQ(normalize_date("21 Nov 1960"), "1960-11-21");
}

// Regression: a snapshot whose checksum is valid but whose party count is absurd must be refused,
// not allocated.
TEST(SnapshotRegression, AbsurdCountIsCorruptNotAnAllocation) {
  ListSnapshot s;
  s.info.name = "x";
  seal_snapshot(s);
  std::string bytes = encode_snapshot(s);
  // The party count is the last varint before the checksum (0 parties): make it huge and re-sign.
  std::string body = bytes.substr(0, bytes.size() - 9);
  body += std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
  std::uint64_t h = XXH3_64bits(body.data(), body.size());
  body.append(reinterpret_cast<const char*>(&h), 8);
  auto r = decode_snapshot(body, "absurd.snap");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("absurd.snap"), std::string::npos);
}

}  // namespace
}  // namespace clearance
