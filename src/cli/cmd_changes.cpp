// `clearance changes`: the front end of impact/changes.hpp. Gathers the four parts from the data
// home (list history and snapshots), the bundled rule packs, the customer file (rescreen) and the
// order book (impact), and writes the digest. A part that cannot be computed is marked so, the
// digest is still written, and the command exits 1 (fail closed: never a silent "no changes").
#include <filesystem>
#include <fstream>
#include <map>

#include "clearance/common/files.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/changes.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/store/recording.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {
namespace {

// A day, or a point in time YYYY-MM-DDTHH:MM:SSZ (for the lists; its day for rules and orders).
Result<Date> point_day(const std::string& option, const std::string& s) {
  bool stamp = s.size() == 20 && s[10] == 'T' && s[19] == 'Z';
  auto d = Date::parse(std::string_view(s).substr(0, 10));
  if (!d || (s.size() != 10 && !stamp))
    return Error::BadInput(option + ": bad date '" + s + "' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
  return *d;
}

// Part (a): each list in force at `until` against its snapshot in force at `since`; fills the
// loaded snapshots at both points for part (c) (only when every list could be loaded).
void list_part(Context& ctx, ChangesDigest& d, bool until_is_now, std::vector<ListSnapshot>& old_lists,
               std::vector<ListSnapshot>& new_lists) {
  ListStore lists(ctx.home);
  auto view = lists.read_manifest();
  if (!view) {
    d.lists_reason = view.error().message;
    return;
  }
  if (view->state == HomeState::kNeverImported) {
    d.lists_reason = "no list was ever imported into this data home (" + ctx.home +
                     "), so no snapshot is known at " + d.since + "; import or update the lists first";
    return;
  }
  auto since = snapshots_in_force_at(lists, d.since);
  if (!since) {
    d.lists_reason = since.error().message;
    return;
  }
  auto until = until_is_now ? lists.list() : snapshots_in_force_at(lists, d.until);
  if (!until) {
    d.lists_reason = until.error().message;
    return;
  }
  auto history = lists.history();
  d.lists_status = PartStatus::kComputed;
  std::map<std::string, SnapshotInfo> before;
  for (auto& i : *since) before[i.name] = i;
  bool all_loaded = true;
  auto add = [&](const std::string& name, const SnapshotInfo* a, const SnapshotInfo* b) {
    ListChanges lc;
    lc.list = name;
    if (!a) {
      std::string first;
      if (history)
        for (auto& e : *history)
          if (e.info.name == name && first.empty()) first = e.info.imported_at;
      lc.status = PartStatus::kNotComputed;
      lc.reason = "no snapshot of this list was in force at " + d.since + " in this data home" +
                  (first.empty() ? std::string() : " (first put in force " + first + ")");
      all_loaded = false;
      d.lists.push_back(std::move(lc));
      return;
    }
    auto sa = ctx.load_snapshot(lists, *a);
    if (!sa) {
      lc.status = PartStatus::kNotComputed;
      lc.reason = sa.error().message;
      all_loaded = false;
      d.lists.push_back(std::move(lc));
      return;
    }
    ListSnapshot sb;  // a list no longer in force at `until`: every entry removed
    sb.info.name = name;
    if (b) {
      auto loaded = ctx.load_snapshot(lists, *b);
      if (!loaded) {
        lc.status = PartStatus::kNotComputed;
        lc.reason = loaded.error().message;
        all_loaded = false;
        d.lists.push_back(std::move(lc));
        return;
      }
      sb = std::move(*loaded);
    }
    lc.diff = diff_snapshots(*sa, sb);
    d.lists.push_back(std::move(lc));
    old_lists.push_back(std::move(*sa));
    if (b) new_lists.push_back(std::move(sb));
  };
  for (auto& b : *until) {
    auto it = before.find(b.name);
    add(b.name, it == before.end() ? nullptr : &it->second, &b);
    if (it != before.end()) before.erase(it);
  }
  for (auto& [name, a] : before) add(name, &a, nullptr);
  if (!all_loaded) {
    old_lists.clear(), new_lists.clear();
    d.lists_status = PartStatus::kNotComputed;
    d.lists_reason = "not every list could be compared (below)";
  }
}

// Part (c): the customers screened against the lists at `since` (the baseline), then rescreened
// against the entries added or changed by `until`.
void customer_part(Context& ctx, ChangesDigest& d, const ChangesArgs& a,
                   const std::vector<ListSnapshot>& old_lists, std::shared_ptr<const Screener> full) {
  d.customers_file = a.customers;
  d.customers_status = PartStatus::kNotComputed;
  if (d.lists.empty()) {
    d.customers_reason = "the lists in force at " + d.since + " are not known: " + d.lists_reason;
    return;
  }
  if (old_lists.empty()) {
    std::string why;
    for (auto& l : d.lists)
      if (l.status == PartStatus::kNotComputed) why += (why.empty() ? "" : "; ") + l.list + ": " + l.reason;
    d.customers_reason = "the lists in force at " + d.since + " could not all be loaded (" + why + ")";
    return;
  }
  auto tables = ctx.tables();
  if (!tables) {
    d.customers_reason = tables.error().message;
    return;
  }
  BatchOptions o = batch_options_of(a);
  auto old_screener = Screener::build(old_lists, *tables);
  std::ifstream in(a.customers, std::ios::binary);
  auto baseline = screen_all(in, a.customers, *old_screener, **tables, o);
  if (!baseline) {
    d.customers_reason = baseline.error().message;
    return;
  }
  std::ifstream again(a.customers, std::ios::binary);
  auto r = rescreen(again, a.customers, full, diffs_between(old_lists, full->snapshots()),
                    std::move(*baseline), **tables, o);
  if (!r) {
    d.customers_reason = r.error().message;
    return;
  }
  d.customers = std::move(*r);
  d.customers_status = PartStatus::kComputed;
}

// Part (d): the order book determined on the two days under the bundled rules; customers screened
// against the lists in force at the end of the window (when those are not known, the lists in
// force now).
void order_part(Context& ctx, ChangesDigest& d, const ChangesArgs& a, std::shared_ptr<const Engine> engine,
                std::shared_ptr<const Screener> until_screener) {
  d.orders_file = a.orders;
  d.orders_status = PartStatus::kNotComputed;
  if (!until_screener) {
    auto screener = ctx.screener();
    if (!screener) {
      d.orders_reason = screener.error().message;
      return;
    }
    until_screener = *screener;
  }
  ScreenerPartyChecker screening(until_screener);
  CachingPartyChecker cached(screening);
  ImpactOptions opt;
  opt.checker = &cached;
  std::ifstream in(a.orders, std::ios::binary);
  auto r = clearance::run_impact(in, a.orders, ImpactPoint{d.since_day.to_string(), engine, d.since_day},
                                 ImpactPoint{d.until_day.to_string(), engine, d.until_day}, opt);
  if (!r) {
    d.orders_reason = r.error().message;
    return;
  }
  d.orders = std::move(*r);
  d.orders_status = PartStatus::kComputed;
}

}  // namespace

int cmd_changes(Context& ctx, const ChangesArgs& a) {
  const std::string now = utc_now();
  ChangesDigest d;
  d.since = a.since;
  d.until = a.until.empty() ? now.substr(0, 10) : a.until;
  d.generated = now;
  auto s = point_day("--since", d.since);
  if (!s) return exit_with(s.error());
  auto u = point_day("--until", d.until);
  if (!u) return exit_with(u.error());
  d.since_day = *s;
  d.until_day = *u;
  if (d.until < d.since)
    return exit_with(Error::BadInput("--until " + d.until + " is before --since " + d.since));
  for (const auto* f : {&a.customers, &a.orders}) {
    std::error_code ec;
    if (!f->empty() && !std::filesystem::is_regular_file(*f, ec))
      return exit_with(Error::BadInput(*f + ": no such file"));
  }
  std::vector<std::string> inputs = {a.customers, a.orders};
  Output out;
  if (auto st = out.open(a.output, inputs); !st) return exit_with(st.error());

  // (b) rules: the bundled packs (one version for both days).
  auto engine = load_impact_engine(ctx.data_dir, "");
  if (!engine) return exit_with(engine.error());
  d.rules = rule_changes((*engine)->rules(), d.since_day, d.until_day);
  d.rules_version = (*engine)->rules().version();
  d.rules_status = PartStatus::kComputed;

  // (a) lists; (c) customers on the same snapshots.
  std::vector<ListSnapshot> old_lists, new_lists;
  list_part(ctx, d, a.until.empty() || a.until == now.substr(0, 10), old_lists, new_lists);
  std::shared_ptr<const Screener> until_screener;  // shared by (c) and (d)
  if (!new_lists.empty() && (!a.customers.empty() || !a.orders.empty())) {
    auto tables = ctx.tables();
    if (!tables) return exit_with(tables.error());
    until_screener = Screener::build(std::move(new_lists), *tables);
  }
  if (!a.customers.empty()) {
    if (until_screener)
      customer_part(ctx, d, a, old_lists, until_screener);
    else
      customer_part(ctx, d, a, {}, nullptr);
  }
  // (d) orders.
  if (!a.orders.empty()) order_part(ctx, d, a, *engine, until_screener);

  auto json = changes_to_json(d);
  RecordDraft r;
  r.action = "changes";
  r.inputs = {{"since", d.since}, {"until", d.until}, {"customers", a.customers}, {"orders", a.orders}};
  for (const auto* f : {&a.customers, &a.orders})
    if (!f->empty())
      if (auto sha = sha256_file(*f)) r.inputs[*f == a.orders ? "orders_sha256" : "customers_sha256"] = *sha;
  r.rules = {d.rules_version};
  for (auto& l : d.lists)
    if (l.status == PartStatus::kComputed) {
      if (!l.diff.a.id.empty()) r.snapshots.push_back({l.diff.a.name, l.diff.a.id});
      if (!l.diff.b.id.empty()) r.snapshots.push_back({l.diff.b.name, l.diff.b.id});
    }
  r.result = nlohmann::json::parse(json.dump());
  auto seq = ctx.put_on_record(std::move(r));
  if (!seq) return exit_with(seq.error());

  std::string text;
  if (a.format == "json") {
    mark_record(json, *seq);
    text = json.dump(2) + "\n";
  } else if (a.format == "html") {
    text = changes_to_html(d);
  } else {
    text = changes_to_text(d, a.rows) + record_line(ctx.record, *seq);
  }
  if (auto st = out.write(text); !st) return exit_with(st.error());
  if (auto st = out.close(); !st) return exit_with(st.error());
  if (!d.complete())
    return exit_with(
        Error::Io("changes: some parts of the digest could not be computed (marked NOT COMPUTED)"));
  return 0;
}

}  // namespace clearance::cli
