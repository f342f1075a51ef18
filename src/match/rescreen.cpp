#include "clearance/match/rescreen.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

namespace clearance {
namespace {

KnownHit hit_of(const BatchRow& row, const Hit& h) {
  return {row.id,        row.query.name,
          h.party->id,   h.party->primary_name(),
          h.party->list, std::round(h.score * 10000.0) / 10000.0};
}

bool by_row_entry(const KnownHit& a, const KnownHit& b) {
  return std::tie(a.row, a.entry) < std::tie(b.row, b.entry);
}

}  // namespace

std::vector<SnapshotDiff> diffs_between(const std::vector<ListSnapshot>& old_lists,
                                        const std::vector<ListSnapshot>& new_lists) {
  std::vector<SnapshotDiff> out;
  static const ListSnapshot kEmpty;
  for (auto& n : new_lists) {
    const ListSnapshot* o = &kEmpty;
    for (auto& c : old_lists)
      if (c.info.name == n.info.name) o = &c;
    out.push_back(diff_snapshots(*o, n));
  }
  for (auto& o : old_lists) {
    bool kept =
        std::any_of(new_lists.begin(), new_lists.end(), [&](auto& n) { return n.info.name == o.info.name; });
    if (!kept) out.push_back(diff_snapshots(o, kEmpty));
  }
  return out;
}

Result<std::vector<KnownHit>> screen_all(std::istream& input, std::string_view filename,
                                         const Screener& screener, const TextTables& tables,
                                         const BatchOptions& options_in) {
  BatchOptions options = options_in;
  options.format_output = false;
  std::vector<KnownHit> hits;
  auto r = screen_batch(input, filename, screener, tables, options, [&](const BatchRow& row) {
    for (auto& h : row.hits) hits.push_back(hit_of(row, h));
    return Status::Ok();
  });
  if (!r) return r.error();
  std::sort(hits.begin(), hits.end(), by_row_entry);
  return hits;
}

Result<RescreenResult> rescreen(std::istream& input, std::string_view filename,
                                std::shared_ptr<const Screener> full, const std::vector<SnapshotDiff>& diffs,
                                const std::vector<KnownHit>& previous, const TextTables& tables,
                                const BatchOptions& options_in) {
  RescreenResult out;
  std::unordered_set<std::string> touched, removed;  // entry ids added or changed; removed
  double names_old = 0, names_new = 0;
  for (auto& d : diffs) {
    for (auto& e : d.added) touched.insert(e.id);
    for (auto& e : d.changed) touched.insert(e.id);
    for (auto& e : d.removed) removed.insert(e.id);
    names_old += static_cast<double>(d.a.names);
    names_new += static_cast<double>(d.b.names);
  }
  out.screened_entries = touched.size();
  out.removed_entries = removed.size();
  if (names_old > 0)
    out.weight_drift = std::fabs(std::log1p(names_new) - std::log1p(names_old)) / std::log1p(names_old);
  out.score_drift_bound = 2 * out.weight_drift;

  auto subset = Screener::build_subset(full, [&](const Party& p) { return touched.count(p.id) > 0; });
  BatchOptions options = options_in;
  options.format_output = false;
  std::vector<KnownHit> found;
  auto r = screen_batch(input, filename, *subset, tables, options, [&](const BatchRow& row) {
    ++out.rows;
    for (auto& h : row.hits) found.push_back(hit_of(row, h));
    return Status::Ok();
  });
  if (!r) return r.error();
  std::sort(found.begin(), found.end(), by_row_entry);

  std::set<std::pair<std::string, std::string>> found_keys, previous_keys;
  for (auto& h : found) found_keys.insert({h.row, h.entry});
  for (auto& h : previous) previous_keys.insert({h.row, h.entry});
  for (auto& h : previous) {
    bool affected = removed.count(h.entry) || touched.count(h.entry);
    if (!affected) {
      out.hits.push_back(h);  // an unchanged entry: carried over
      continue;
    }
    if (!found_keys.count({h.row, h.entry})) out.gone_hits.push_back(h);
  }
  for (auto& h : found) {
    if (!previous_keys.count({h.row, h.entry})) out.new_hits.push_back(h);
    out.hits.push_back(h);
  }
  std::sort(out.hits.begin(), out.hits.end(), by_row_entry);
  std::sort(out.gone_hits.begin(), out.gone_hits.end(), by_row_entry);
  return out;
}

nlohmann::json known_hit_to_json(const KnownHit& h) {
  return {{"row", h.row},   {"customer", h.customer}, {"entry", h.entry}, {"entry_name", h.entry_name},
          {"list", h.list}, {"score", h.score}};
}

Result<KnownHit> known_hit_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error::BadInput("a hit is not an object");
  KnownHit h;
  auto text = [&](const char* k, std::string& out) {
    if (auto it = j.find(k); it != j.end() && it->is_string()) out = it->get<std::string>();
  };
  text("row", h.row);
  text("customer", h.customer);
  text("entry", h.entry);
  text("entry_name", h.entry_name);
  text("list", h.list);
  if (auto it = j.find("score"); it != j.end() && it->is_number()) h.score = it->get<double>();
  if (h.row.empty() || h.entry.empty()) return Error::BadInput("a hit without row or entry");
  return h;
}

}  // namespace clearance
