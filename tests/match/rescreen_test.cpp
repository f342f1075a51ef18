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

// The probes kept from the last screening let a rescreen read only the rows that may meet a
// changed entry; the answer is the same as reading every row.
TEST_F(Rescreen, WithProbesReadsOnlyTheRowsThatMayMeetAChangedEntryAndAnswersTheSame) {
  const auto& w = world();
  auto old_screener = Screener::build({w.old}, testing::tables());
  std::vector<QueryProbe> probes;
  std::istringstream in0(w.customers);
  auto previous = screen_all(in0, "customers.csv", *old_screener, *testing::tables(), options_, &probes);
  ASSERT_TRUE(previous) << previous.error().message;
  std::shared_ptr<const Screener> full = Screener::build({w.now}, testing::tables());
  auto diffs = diffs_between({w.old}, {w.now});

  std::istringstream a(w.customers), b(w.customers);
  auto every_row = rescreen(a, "customers.csv", full, diffs, *previous, *testing::tables(), options_);
  auto with_probes =
      rescreen(b, "customers.csv", full, diffs, *previous, *testing::tables(), options_, &probes);
  ASSERT_TRUE(every_row && with_probes);
  std::string why;
  EXPECT_TRUE(same_hits(with_probes->hits, every_row->hits, &why)) << why;
  EXPECT_TRUE(same_hits(with_probes->new_hits, every_row->new_hits, &why)) << why;
  EXPECT_TRUE(same_hits(with_probes->gone_hits, every_row->gone_hits, &why)) << why;
  EXPECT_EQ(probes.size(), every_row->rows);
  EXPECT_EQ(with_probes->rows, every_row->rows);
  EXPECT_EQ(every_row->rows_screened, every_row->rows);
  EXPECT_GT(with_probes->rows_screened, 0u);
  // Most customers here are listed names and a twelfth of the list changed: still, some rows are spared.
  EXPECT_LT(with_probes->rows_screened, with_probes->rows);
}

// Fail closed: a row without a name can hit nothing, before or now, so it shows in neither new nor
// gone hits; the result says it was not screened, with the probes (where it meets no changed
// entry) as without them, and so does the baseline screening.
TEST_F(Rescreen, RowsWithoutANameAreReportedUnscreenedWithOrWithoutProbes) {
  const auto& w = world();
  ASSERT_FALSE(w.customers.empty());
  const std::string customers = w.customers + "nameless-1,\n";
  auto old_screener = Screener::build({w.old}, testing::tables());
  std::vector<QueryProbe> probes;
  std::vector<std::string> unscreened;
  std::istringstream in0(customers);
  auto previous =
      screen_all(in0, "customers.csv", *old_screener, *testing::tables(), options_, &probes, &unscreened);
  ASSERT_TRUE(previous) << previous.error().message;
  ASSERT_EQ(unscreened.size(), 1u);
  EXPECT_NE(unscreened[0].find("name"), std::string::npos) << unscreened[0];
  std::shared_ptr<const Screener> full = Screener::build({w.now}, testing::tables());
  auto diffs = diffs_between({w.old}, {w.now});
  std::istringstream a(customers), b(customers);
  auto every_row = rescreen(a, "customers.csv", full, diffs, *previous, *testing::tables(), options_);
  auto with_probes =
      rescreen(b, "customers.csv", full, diffs, *previous, *testing::tables(), options_, &probes);
  ASSERT_TRUE(every_row && with_probes);
  EXPECT_EQ(every_row->unscreened, unscreened);
  EXPECT_EQ(with_probes->unscreened, unscreened);
}

Party person(std::string id, std::string name) {
  Party p;
  p.id = std::move(id);
  p.list = "test";
  p.type = PartyType::kPerson;
  p.names = {{std::move(name), NameKind::kPrimary, Script::kLatin}};
  return p;
}

// A screener over these people, and a rescreen's subset of it: the one with id "changed".
struct ChangedOne {
  std::shared_ptr<const Screener> full;
  std::unique_ptr<Screener> subset;
  explicit ChangedOne(std::vector<Party> people) {
    ListSnapshot s;
    s.info.name = "test";
    s.parties = std::move(people);
    seal_snapshot(s);
    full = Screener::build({s}, testing::tables());
    subset = Screener::build_subset(full, [](const Party& p) { return p.id == "changed"; });
  }
  // The name hits the changed person exactly when may_hit reads its row again.
  void check(const std::string& name, bool hits, double min_score = kDefaultThreshold) const {
    ScreenQuery q;
    q.name = name;
    q.min_score = min_score;
    QueryProbe probe;
    full->screen(q, &probe);
    EXPECT_EQ(!subset->screen(q).empty(), hits) << name;
    EXPECT_EQ(subset->may_hit(probe, min_score), hits) << name;
  }
};

// A row sharing two given names with a changed entry, and nothing else: the words it shares could
// lift a name to the threshold (the prefix bound passes: its other two words weigh little as middle
// names), but no name here holds them with fewer words left out, so may_hit checks name by name
// and spares the row. Rows that do hit, an initial among their words included, are still read.
TEST(RescreenProbe, MayHitChecksEachNameNotOnlyTheWordsARowShares) {
  const ChangedOne world({person("changed", "Abdul Rahman Zhukovsky Tursunzade"),
                          person("p1", "Ivan Petrenko"), person("p2", "Lars Lindqvist"),
                          person("p3", "Olga Zhukovsky")});
  auto check = [&](const std::string& name, bool hits) { world.check(name, hits); };
  check("Abdul Rahman Petrenko Lindqvist", false);  // read again before: 2P / (2P + 0.3 A) > 0.8
  check("Abdul Rahman Zhukovsky Tursunzade", true);
  check("Abdul R Zhukovsky Tursunzade", true);  // "r" aligns as the initial of Rahman
  check("Abdul Rahman Zhukovski", true);
}

TEST_F(Rescreen, ProbesRoundTripAndAreRefusedWhenDamagedOrMadeOtherwise) {
  const auto& w = world();
  auto screener = Screener::build({w.now}, testing::tables());
  std::vector<QueryProbe> probes;
  std::istringstream in(w.customers);
  ASSERT_TRUE(screen_all(in, "customers.csv", *screener, *testing::tables(), options_, &probes));
  ASSERT_GT(probes.size(), 100u);
  auto bytes = encode_probes(probes, "engine 1 tables abc");
  auto back = decode_probes(bytes, "engine 1 tables abc");
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), probes.size());
  for (size_t k = 0; k < probes.size(); ++k) {
    const auto &x = (*back)[k], &y = probes[k];
    EXPECT_TRUE(x.units == y.units && x.keys == y.keys && x.id_keys == y.id_keys && x.phonetic == y.phonetic)
        << "row " << k;
    ASSERT_EQ(x.tokens.size(), y.tokens.size()) << "row " << k;
    for (size_t t = 0; t < x.tokens.size(); ++t) {
      const auto &a = x.tokens[t], &b = y.tokens[t];
      EXPECT_TRUE(a.text == b.text && a.raw == b.raw && a.kind == b.kind && a.bridge == b.bridge &&
                  a.loose == b.loose && a.loose_keys == b.loose_keys && a.spellings == b.spellings)
          << "row " << k << " token " << t;
    }
  }
  // Made by another engine or with other tables: not used.
  auto other = decode_probes(bytes, "engine 2 tables abc");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("other text tables"), std::string::npos) << other.error().message;
  // A flipped byte, a cut tail: refused, never half read.
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x20;
  EXPECT_FALSE(decode_probes(flipped, "engine 1 tables abc"));
  EXPECT_FALSE(decode_probes(std::string_view(bytes).substr(0, bytes.size() - 9), "engine 1 tables abc"));
  EXPECT_FALSE(decode_probes("", "engine 1 tables abc"));
}

// may_hit's first bound needs no weighing of the query: the words a row meets must cover enough of
// some name's weight. A list name's initials meet every query word of their letter without sharing
// a key with it, so they count as met: a row writing them out in full is still read.
TEST(RescreenProbe, MayHitCountsAListNamesInitialsAsMet) {
  const ChangedOne world(
      {person("changed", "M N Q Wexford"), person("p1", "Ivan Petrenko"), person("p2", "Lars Lindqvist")});
  // Its words all weigh the same here, so Wexford alone is a quarter of the name's weight: too
  // little for 0.6 (names_may_hit needs 0.27), but the name scores 0.625 with the initials.
  auto check = [&](const std::string& name, bool hits) { world.check(name, hits, 0.6); };
  check("Mark Nolan Quentin Wexford", true);
  check("Ivan Petrenko Wexford", false);
}

}  // namespace
}  // namespace clearance
