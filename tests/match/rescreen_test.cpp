// rescreen on real data: the UN consolidated list (../shared/data) as the new lists, and an "old"
// version of it with some entries missing (added since), some renamed (changed since) and some
// that the new one lacks (removed since). Customers are names taken from the list (exact and
// varied) and ordinary names.
#include "clearance/match/rescreen.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "clearance/common/files.hpp"
#include "clearance/lists/loaders.hpp"
#include "test_support.hpp"

namespace clearance {
namespace {

constexpr char kUn[] = "data/un/consolidated-2026-02.xml";

struct World {
  ListSnapshot now, old;
  std::string customers;
  std::set<std::string> added, changed, removed;
};

const World& world() {
  static World w = [] {
    World w;
    auto xml = read_file(testing::shared_path(kUn));
    if (!xml) return w;
    auto l = load_list({{"consolidated.xml", *xml}}, LoadOptions{}, testing::tables()->countries);
    if (!l) return w;
    w.now.info.name = "un-sc";
    w.now.parties = l->parties;
    seal_snapshot(w.now);
    w.old.info.name = "un-sc";
    for (size_t k = 0; k < w.now.parties.size(); ++k) {
      Party p = w.now.parties[k];
      if (k % 23 == 0) {  // not in the old list: added since
        w.added.insert(p.id);
        continue;
      }
      if (k % 29 == 0) {  // listed under another primary name before: changed since
        w.changed.insert(p.id);
        p.names[0].text = "QQ OLD " + p.names[0].text;
      }
      w.old.parties.push_back(std::move(p));
    }
    for (int k = 0; k < 12; ++k) {  // only in the old list: removed since
      Party p = w.now.parties[static_cast<size_t>(k * 7 + 1)];
      p.id = "old-only-" + std::to_string(k);
      p.names = {{"Zorblax Frumentius Obadiah " + std::to_string(k), NameKind::kPrimary, Script::kLatin}};
      w.removed.insert(p.id);
      w.old.parties.push_back(std::move(p));
    }
    seal_snapshot(w.old);
    std::ostringstream c;
    c << "id,name,country\n";
    int id = 0;
    for (size_t k = 0; k < w.now.parties.size(); k += 3) {
      const auto& n = w.now.parties[k].primary_name();
      c << "c" << ++id << ",\"" << n << "\",\n";
      if (k % 2 == 0) c << "c" << ++id << ",\"" << n.substr(0, n.size() - 1) << "\",\n";  // a letter short
    }
    for (int k = 0; k < 12; ++k) c << "c" << ++id << ",Zorblax Frumentius Obadiah " << k << ",\n";
    for (auto* n : {"John Smith", "Maria Garcia", "Acme Trading Ltd", "Li Wei", "Mohammed Ali"})
      c << "c" << ++id << "," << n << ",\n";
    w.customers = c.str();
    return w;
  }();
  return w;
}

bool same_hits(const std::vector<KnownHit>& a, const std::vector<KnownHit>& b, std::string* why) {
  if (a.size() != b.size()) {
    *why = std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " hits";
    return false;
  }
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k].row != b[k].row || a[k].entry != b[k].entry || a[k].score != b[k].score) {
      *why = a[k].row + "/" + a[k].entry + " " + std::to_string(a[k].score) + " vs " + b[k].row + "/" +
             b[k].entry + " " + std::to_string(b[k].score);
      return false;
    }
  return true;
}

class Rescreen : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_shared(kUn)) GTEST_SKIP() << "../shared/" << kUn << " is absent";
    ASSERT_FALSE(world().now.parties.empty());
    options_.limit = 100;  // every hit of a row, so a limit never cuts what the two ways find
  }
  std::vector<KnownHit> screen(const Screener& s) {
    std::istringstream in(world().customers);
    auto r = screen_all(in, "customers.csv", s, *testing::tables(), options_);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<KnownHit>{};
  }
  BatchOptions options_;
};

TEST_F(Rescreen, EqualsAFullRescreenRestrictedToTheChangedEntries) {
  const auto& w = world();
  auto old_screener = Screener::build({w.old}, testing::tables());
  auto previous = screen(*old_screener);
  std::shared_ptr<const Screener> full = Screener::build({w.now}, testing::tables());
  auto diffs = diffs_between({w.old}, {w.now});
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].added.size(), w.added.size());
  EXPECT_EQ(diffs[0].removed.size(), w.removed.size());
  EXPECT_EQ(diffs[0].changed.size(), w.changed.size());

  std::istringstream in(w.customers);
  auto r = rescreen(in, "customers.csv", full, diffs, previous, *testing::tables(), options_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->screened_entries, w.added.size() + w.changed.size());
  EXPECT_EQ(r->removed_entries, w.removed.size());

  // The hits on the added and changed entries are those of a full re-screen on those entries.
  auto all_now = screen(*full);
  std::vector<KnownHit> restricted, found;
  for (auto& h : all_now)
    if (w.added.count(h.entry) || w.changed.count(h.entry)) restricted.push_back(h);
  for (auto& h : r->hits)
    if (w.added.count(h.entry) || w.changed.count(h.entry)) found.push_back(h);
  ASSERT_GT(restricted.size(), 20u);
  std::string why;
  EXPECT_TRUE(same_hits(found, restricted, &why)) << why;
  // New hits: on added entries (never hit before) and renamed ones hit under their new name.
  size_t on_added = 0;
  for (auto& h : r->new_hits) {
    EXPECT_TRUE(w.added.count(h.entry) || w.changed.count(h.entry)) << h.entry;
    on_added += w.added.count(h.entry);
  }
  EXPECT_GT(on_added, 5u);
  // Gone: every earlier hit on a removed entry (the 12 "Zorblax" customers hit them exactly).
  size_t gone_removed = 0;
  for (auto& h : r->gone_hits) gone_removed += w.removed.count(h.entry);
  EXPECT_EQ(gone_removed, 12u);
  // Hits on unchanged entries are carried over as they were.
  size_t carried = 0;
  for (auto& h : previous)
    if (!w.added.count(h.entry) && !w.changed.count(h.entry) && !w.removed.count(h.entry)) ++carried;
  EXPECT_EQ(r->hits.size(), carried + found.size());
}

// Word weights move with the lists: hits on unchanged entries are carried over with the scores of
// the last screening. The drift is reported; it is 0 when the name count does not change, and
// the carried scores stay within it of a full re-screen's.
TEST_F(Rescreen, WeightDriftIsReportedAndBoundsCarriedScores) {
  const auto& w = world();
  auto old_screener = Screener::build({w.old}, testing::tables());
  auto previous = screen(*old_screener);
  std::shared_ptr<const Screener> full = Screener::build({w.now}, testing::tables());
  std::istringstream in(w.customers);
  auto r = rescreen(in, "customers.csv", full, diffs_between({w.old}, {w.now}), previous, *testing::tables(),
                    options_);
  ASSERT_TRUE(r);
  EXPECT_GT(r->weight_drift, 0.0);
  EXPECT_LT(r->weight_drift, 0.05);
  auto all_now = screen(*full);
  std::map<std::pair<std::string, std::string>, double> now_score;
  for (auto& h : all_now) now_score[{h.row, h.entry}] = h.score;
  double worst = 0;
  size_t compared = 0;
  for (auto& h : r->hits) {
    if (w.added.count(h.entry) || w.changed.count(h.entry)) continue;
    auto it = now_score.find({h.row, h.entry});
    if (it == now_score.end()) continue;
    worst = std::max(worst, std::fabs(it->second - h.score));
    ++compared;
  }
  ASSERT_GT(compared, 20u);
  EXPECT_LE(worst, r->score_drift_bound + 1e-4) << "a carried-over score moved more than the reported bound";
  // Unchanged lists: no drift, nothing screened, every hit carried.
  std::istringstream again(w.customers);
  auto same = rescreen(again, "customers.csv", full, diffs_between({w.now}, {w.now}), all_now,
                       *testing::tables(), options_);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->weight_drift, 0.0);
  EXPECT_EQ(same->score_drift_bound, 0.0);
  EXPECT_EQ(same->screened_entries, 0u);
  EXPECT_TRUE(same->new_hits.empty());
  EXPECT_TRUE(same->gone_hits.empty());
  EXPECT_EQ(same->hits.size(), all_now.size());
}

}  // namespace
}  // namespace clearance
