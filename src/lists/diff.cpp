#include "clearance/lists/diff.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "clearance/common/csv.hpp"

namespace clearance {
namespace {

using Values = std::vector<std::string>;

// The values of one field of a party, as compared (sorted, unique).
Values values_of(const Party& p, const std::string& field) {
  Values v;
  auto one = [&](const std::string& s) {
    if (!s.empty()) v.push_back(s);
  };
  if (field == "names") {
    one(p.primary_name());
  } else if (field == "aliases") {
    for (size_t k = 1; k < p.names.size(); ++k) {
      auto kind = p.names[k].kind;
      v.push_back(p.names[k].text +
                  (kind == NameKind::kAka ? "" : " (" + std::string(to_string(kind)) + ")"));
    }
  } else if (field == "addresses") {
    for (auto& a : p.addresses)
      v.push_back(a.country.empty() ? a.text : a.text + (a.text.empty() ? "" : ", ") + a.country);
  } else if (field == "programs") {
    v = p.programs;
  } else if (field == "ids") {
    for (auto& i : p.ids)
      v.push_back(i.type + " " + i.number + (i.country.empty() ? "" : " (" + i.country + ")"));
  } else if (field == "countries") {
    v = p.countries;
  } else if (field == "birth_dates") {
    v = p.birth_dates;
  } else if (field == "type") {
    one(std::string(to_string(p.type)));
  } else if (field == "citation") {
    one(p.citation);
  } else if (field == "listed_on") {
    one(p.listed_on);
  } else if (field == "licence") {
    if (!p.license_requirement.empty() || !p.license_policy.empty())
      v.push_back(p.license_requirement + " / " + p.license_policy);
  } else if (field == "remarks") {
    one(p.remarks);
  } else if (field == "source_url") {
    one(p.source_url);
  } else if (field == "list") {
    one(p.list);
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

EntryChange entry(const Party& p) { return {p.id, p.primary_name(), p.list, {}}; }

std::string joined(const Values& v) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : " | ") + s;
  return out;
}

}  // namespace

const std::vector<std::string>& diff_fields() {
  static const std::vector<std::string> f = {
      "names", "aliases",  "addresses", "programs", "ids",     "countries",  "birth_dates",
      "type",  "citation", "listed_on", "licence",  "remarks", "source_url", "list"};
  return f;
}

SnapshotDiff diff_snapshots(const ListSnapshot& a, const ListSnapshot& b) {
  SnapshotDiff d;
  d.a = a.info;
  d.b = b.info;
  // Both sides by id (sorted views, not a map: a list holds tens of thousands of entries), walked
  // side by side.
  using ById = std::pair<std::string_view, const Party*>;
  auto by_id = [](const ListSnapshot& s) {
    std::vector<ById> v;
    v.reserve(s.parties.size());
    for (auto& p : s.parties) v.emplace_back(p.id, &p);
    std::stable_sort(v.begin(), v.end(), [](const ById& x, const ById& y) { return x.first < y.first; });
    // A list may hold one id twice: the first of them stands for it, as a map's emplace kept.
    v.erase(std::unique(v.begin(), v.end(), [](const ById& x, const ById& y) { return x.first == y.first; }),
            v.end());
    return v;
  };
  const std::vector<ById> in_a = by_id(a), in_b = by_id(b);
  size_t j = 0;
  for (auto& [id, pa] : in_a) {
    while (j < in_b.size() && in_b[j].first < id) d.added.push_back(entry(*in_b[j++].second));
    if (j == in_b.size() || in_b[j].first != id) {
      d.removed.push_back(entry(*pa));
      continue;
    }
    const Party* pb = in_b[j++].second;
    if (*pa == *pb) {  // most entries: no field to compare
      ++d.unchanged;
      continue;
    }
    EntryChange c = entry(*pb);
    for (auto& f : diff_fields()) {
      Values va = values_of(*pa, f), vb = values_of(*pb, f);
      if (va == vb) continue;
      FieldChange fc{f, {}, {}};
      std::set_difference(vb.begin(), vb.end(), va.begin(), va.end(), std::back_inserter(fc.added));
      std::set_difference(va.begin(), va.end(), vb.begin(), vb.end(), std::back_inserter(fc.removed));
      c.fields.push_back(std::move(fc));
    }
    if (c.fields.empty())
      ++d.unchanged;
    else
      d.changed.push_back(std::move(c));
  }
  for (; j < in_b.size(); ++j) d.added.push_back(entry(*in_b[j].second));
  return d;
}

Result<SnapshotInfo> resolve_snapshot(const ListStore& store, const std::string& ref) {
  auto in_force = store.list();
  if (!in_force) return in_force.error();
  for (auto& i : *in_force)
    if (i.name == ref) return i;
  auto h = store.history();
  if (!h) return h.error();
  const SnapshotInfo* found = nullptr;
  if (ref.size() >= 6)
    for (auto it = h->rbegin(); it != h->rend(); ++it) {
      if (it->info.id.compare(0, ref.size(), ref) != 0) continue;
      if (found && found->id != it->info.id)
        return Error::BadInput("'" + ref + "' names more than one snapshot (" + found->id + ", " +
                               it->info.id + "): give more of the id");
      if (!found) found = &it->info;
    }
  if (found) return *found;
  return Error::NotFound(
      "no list or snapshot '" + ref + "' in " + store.lists_dir() +
      " (a list name, or a snapshot id of at least 6 characters from `clearance lists history`)");
}

Result<std::vector<SnapshotInfo>> snapshots_in_force_at(const ListStore& store, const std::string& when) {
  auto h = store.history();
  if (!h) return h.error();
  std::map<std::string, SnapshotInfo> at;
  const std::string end = when.size() == 10 ? when + "T23:59:59Z" : when;
  for (auto& e : *h)
    if (!e.info.imported_at.empty() && e.info.imported_at <= end) at[e.info.name] = e.info;
  std::vector<SnapshotInfo> out;
  for (auto& [n, i] : at) out.push_back(i);
  return out;
}

Result<SnapshotInfo> previous_snapshot(const ListStore& store, const std::string& list) {
  auto cur = resolve_snapshot(store, list);
  if (!cur) return cur.error();
  auto h = store.history(cur->name);
  if (!h) return h.error();
  for (auto it = h->rbegin(); it != h->rend(); ++it)
    if (it->info.id == cur->id && !it->replaced.empty())
      for (auto& e : *h)
        if (e.info.id == it->replaced) return e.info;
  return Error::NotFound("list '" + cur->name + "' has no snapshot before " + cur->id);
}

std::vector<std::pair<std::string, size_t>> SnapshotDiff::field_counts() const {
  std::vector<std::pair<std::string, size_t>> out;
  for (auto& f : diff_fields()) {
    size_t n = 0;
    for (auto& c : changed)
      for (auto& fc : c.fields)
        if (fc.field == f) ++n;
    if (n) out.push_back({f, n});
  }
  return out;
}

std::string diff_to_text(const SnapshotDiff& d, size_t limit) {
  std::string out = d.a.name + " " + d.a.id + " (" + std::to_string(d.a.entries) + " entries" +
                    (d.a.source_date.empty() ? "" : ", " + d.a.source_date) + ") -> " + d.b.name + " " +
                    d.b.id + " (" + std::to_string(d.b.entries) + " entries" +
                    (d.b.source_date.empty() ? "" : ", " + d.b.source_date) + ")\n";
  out += std::to_string(d.added.size()) + " added, " + std::to_string(d.removed.size()) + " removed, " +
         std::to_string(d.changed.size()) + " changed, " + std::to_string(d.unchanged) + " unchanged\n";
  if (!d.changed.empty()) {
    out += "changed fields:";
    for (auto& [f, n] : d.field_counts()) out += " " + f + " " + std::to_string(n);
    out += "\n";
  }
  auto section = [&](const char* sign, const std::vector<EntryChange>& v, bool fields) {
    size_t shown = 0;
    for (auto& e : v) {
      if (limit && shown++ == limit) {
        out += "  … and " + std::to_string(v.size() - limit) + " more\n";
        break;
      }
      out += std::string(sign) + " " + e.id + "  " + e.name + "\n";
      if (fields)
        for (auto& f : e.fields) {
          out += "    " + f.field + ":";
          for (auto& s : f.added) out += " +[" + s + "]";
          for (auto& s : f.removed) out += " -[" + s + "]";
          out += "\n";
        }
    }
  };
  section("+", d.added, false);
  section("-", d.removed, false);
  section("~", d.changed, true);
  return out;
}

std::string diff_to_json(const SnapshotDiff& d) {
  using J = nlohmann::ordered_json;
  auto info = [](const SnapshotInfo& i) {
    return J{{"list", i.name},
             {"snapshot", i.id},
             {"source_date", i.source_date},
             {"imported_at", i.imported_at},
             {"entries", i.entries}};
  };
  auto entries = [](const std::vector<EntryChange>& v, bool fields) {
    J arr = J::array();
    for (auto& e : v) {
      J j = {{"id", e.id}, {"name", e.name}, {"list", e.list}};
      if (fields) {
        J fs = J::array();
        for (auto& f : e.fields)
          fs.push_back({{"field", f.field}, {"added", f.added}, {"removed", f.removed}});
        j["fields"] = fs;
      }
      arr.push_back(std::move(j));
    }
    return arr;
  };
  J counts = J::object();
  for (auto& [f, n] : d.field_counts()) counts[f] = n;
  J out = {{"from", info(d.a)},
           {"to", info(d.b)},
           {"summary",
            {{"added", d.added.size()},
             {"removed", d.removed.size()},
             {"changed", d.changed.size()},
             {"unchanged", d.unchanged},
             {"changed_fields", counts}}},
           {"added", entries(d.added, false)},
           {"removed", entries(d.removed, false)},
           {"changed", entries(d.changed, true)}};
  return out.dump(2) + "\n";
}

std::string diff_to_csv(const SnapshotDiff& d) {
  std::string out = "change,id,name,field,added,removed\n";
  auto row = [&](const char* change, const EntryChange& e, const std::string& field, const std::string& added,
                 const std::string& removed) {
    out += std::string(change) + "," + csv::field(e.id) + "," + csv::field(e.name) + "," + field + "," +
           csv::field(added) + "," + csv::field(removed) + "\n";
  };
  for (auto& e : d.added) row("added", e, "", "", "");
  for (auto& e : d.removed) row("removed", e, "", "", "");
  for (auto& e : d.changed)
    for (auto& f : e.fields) row("changed", e, f.field, joined(f.added), joined(f.removed));
  return out;
}

}  // namespace clearance
