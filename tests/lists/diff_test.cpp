// `lists diff` on real data: OFAC's SDN list of 2021-07 against 2024-05 (../shared/data/us/ofac),
// imported one after the other into one home. The expected counts are made here from the raw
// sdn.csv files (entry numbers in the first column), independently of the loaders.
#include "clearance/lists/diff.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "clearance/common/csv.hpp"
#include "clearance/common/files.hpp"
#include "clearance/lists/import.hpp"
#include "support/temp_dir.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

// ent_num -> name, from the raw sdn.csv (no header; first column the entry number).
std::map<std::string, std::string> raw_entries(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    auto comma = line.find(',');
    if (comma == std::string::npos || comma == 0 || !std::isdigit(static_cast<unsigned char>(line[0])))
      continue;
    std::string rest = line.substr(comma + 1);
    std::string name =
        rest[0] == '"' ? rest.substr(1, rest.find('"', 1) - 1) : rest.substr(0, rest.find(','));
    out["ofac-sdn-" + line.substr(0, comma)] = name;
  }
  return out;
}

TEST(ListsDiff, Sdn2021To2024AddedRemovedAndChangedEntries) {
  SKIP_WITHOUT_SHARED("data/us/ofac/sdn-2021-07/sdn.csv");
  SKIP_WITHOUT_SHARED("data/us/ofac/sdn-2024-05/sdn.csv");
  testing::TempDir dir;
  ListStore store(dir.path("home"));
  const std::string a_dir = testing::shared_path("data/us/ofac/sdn-2021-07/");
  ImportRequest first;
  first.paths = {a_dir + "sdn.csv", a_dir + "alt.csv", a_dir + "add.csv", a_dir + "sdn_comments.csv"};
  first.imported_at = "2021-07-01T00:00:00Z";
  auto a = import_lists(store, testing::tables()->countries, first);
  ASSERT_TRUE(a) << a.error().message;
  ImportRequest second;
  second.paths = {testing::shared_path("data/us/ofac/sdn-2024-05/sdn.csv")};
  second.imported_at = "2024-05-03T00:00:00Z";
  auto b = import_lists(store, testing::tables()->countries, second);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(a->front().info.name, b->front().info.name);

  // The history names both, and "the list" resolves to the one in force and its predecessor.
  auto hist = store.history("us-ofac-sdn");
  ASSERT_TRUE(hist);
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[1].replaced, a->front().info.id);
  auto prev = previous_snapshot(store, "us-ofac-sdn");
  ASSERT_TRUE(prev) << prev.error().message;
  EXPECT_EQ(prev->id, a->front().info.id);
  auto by_prefix = resolve_snapshot(store, b->front().info.id.substr(0, 8));
  ASSERT_TRUE(by_prefix) << by_prefix.error().message;
  EXPECT_EQ(by_prefix->id, b->front().info.id);

  auto sa = store.load(*prev);
  auto sb = store.load(b->front().info);
  ASSERT_TRUE(sa && sb);
  auto d = diff_snapshots(*sa, *sb);

  auto ra = raw_entries(a_dir + "sdn.csv");
  auto rb = raw_entries(testing::shared_path("data/us/ofac/sdn-2024-05/sdn.csv"));
  size_t added = 0, removed = 0, renamed = 0;
  for (auto& [id, name] : rb) added += !ra.count(id);
  for (auto& [id, name] : ra) removed += !rb.count(id);
  for (auto& [id, name] : ra) renamed += rb.count(id) && rb[id] != name;
  EXPECT_EQ(ra.size(), 8976u);
  EXPECT_EQ(rb.size(), 14965u);
  EXPECT_EQ(d.added.size(), added);
  EXPECT_EQ(d.removed.size(), removed);
  EXPECT_EQ(d.added.size() + d.changed.size() + d.unchanged, rb.size());
  EXPECT_EQ(d.removed.size() + d.changed.size() + d.unchanged, ra.size());
  size_t names_changed = 0;
  for (auto& c : d.changed)
    for (auto& f : c.fields) names_changed += f.field == "names";
  EXPECT_EQ(names_changed, renamed);

  auto find = [](const std::vector<EntryChange>& v, const std::string& name) -> const EntryChange* {
    for (auto& e : v)
      if (e.name == name) return &e;
    return nullptr;
  };
  // Named examples: Russian banks designated in 2022 are new; Noriega (delisted) is gone.
  EXPECT_TRUE(find(d.added, "VTB BANK PUBLIC JOINT STOCK COMPANY"));
  EXPECT_TRUE(find(d.added, "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"));
  EXPECT_TRUE(find(d.removed, "NORIEGA, Manuel Antonio"));
  // A vessel renamed: SAND SWAN is now EBANO (same entry), its primary name changed.
  const EntryChange* ebano = find(d.changed, "EBANO");
  ASSERT_TRUE(ebano);
  bool names_field = false;
  for (auto& f : ebano->fields)
    if (f.field == "names") {
      names_field = true;
      EXPECT_EQ(f.added, std::vector<std::string>{"EBANO"});
      EXPECT_EQ(f.removed, std::vector<std::string>{"SAND SWAN"});
    }
  EXPECT_TRUE(names_field);
  // The 2024 set is sdn.csv alone: the aliases kept in 2021's alt.csv are gone from common entries.
  auto counts = d.field_counts();
  bool aliases_counted = false;
  for (auto& [f, n] : counts) aliases_counted |= f == "aliases" && n > 1000;
  EXPECT_TRUE(aliases_counted);

  // JSON and CSV say the same.
  auto j = nlohmann::json::parse(diff_to_json(d));
  EXPECT_EQ(j["summary"]["added"], added);
  EXPECT_EQ(j["summary"]["removed"], removed);
  EXPECT_EQ(j["added"].size(), added);
  auto csv_text = diff_to_csv(d);
  size_t added_rows = 0, removed_rows = 0;
  for (size_t p = csv_text.find("\nadded,"); p != std::string::npos; p = csv_text.find("\nadded,", p + 1))
    ++added_rows;
  for (size_t p = csv_text.find("\nremoved,"); p != std::string::npos; p = csv_text.find("\nremoved,", p + 1))
    ++removed_rows;
  EXPECT_EQ(added_rows, added);
  EXPECT_EQ(removed_rows, removed);
  auto text = diff_to_text(d, 5);
  EXPECT_NE(text.find(std::to_string(added) + " added, " + std::to_string(removed) + " removed"),
            std::string::npos)
      << text.substr(0, 400);
}

}  // namespace
}  // namespace clearance
