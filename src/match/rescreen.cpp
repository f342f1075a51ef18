#include "clearance/match/rescreen.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <map>
#include <unordered_set>

#include "clearance/common/parallel.hpp"

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
                                        const std::vector<ListSnapshot>& new_lists, unsigned threads) {
  static const ListSnapshot kEmpty;
  std::vector<std::pair<const ListSnapshot*, const ListSnapshot*>> pairs;  // (old, new)
  for (auto& n : new_lists) {
    const ListSnapshot* o = &kEmpty;
    for (auto& c : old_lists)
      if (c.info.name == n.info.name) o = &c;
    pairs.emplace_back(o, &n);
  }
  for (auto& o : old_lists) {
    bool kept =
        std::any_of(new_lists.begin(), new_lists.end(), [&](auto& n) { return n.info.name == o.info.name; });
    if (!kept) pairs.emplace_back(&o, &kEmpty);
  }
  std::vector<SnapshotDiff> out(pairs.size());
  parallel_for(pairs.size(), threads,
               [&](size_t i) { out[i] = diff_snapshots(*pairs[i].first, *pairs[i].second); });
  return out;
}

Result<std::vector<KnownHit>> screen_all(std::istream& input, std::string_view filename,
                                         const Screener& screener, const TextTables& tables,
                                         const BatchOptions& options_in, std::vector<QueryProbe>* probes,
                                         std::vector<std::string>* unscreened) {
  BatchOptions options = options_in;
  options.format_output = false;
  options.probe = probes != nullptr;
  if (probes) probes->clear();
  std::vector<KnownHit> hits;
  auto r = screen_batch(input, filename, screener, tables, options, [&](const BatchRow& row) {
    for (auto& h : row.hits) hits.push_back(hit_of(row, h));
    if (unscreened && !row.error.empty()) unscreened->push_back(row.error);
    if (probes) {
      if (probes->size() <= row.ordinal) probes->resize(row.ordinal + 1);
      (*probes)[row.ordinal] = row.probe;
    }
    return Status::Ok();
  });
  if (!r) return r.error();
  std::sort(hits.begin(), hits.end(), by_row_entry);
  return hits;
}

Result<RescreenResult> rescreen(std::istream& input, std::string_view filename,
                                std::shared_ptr<const Screener> full, const std::vector<SnapshotDiff>& diffs,
                                std::vector<KnownHit> previous, const TextTables& tables,
                                const BatchOptions& options_in, const std::vector<QueryProbe>* probes,
                                std::vector<QueryProbe>* probes_out) {
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

  // Two preparations side by side: the index of the entries added or changed, and the earlier hits
  // split into those carried over (their entries unchanged) and those to weigh again.
  std::unique_ptr<Screener> subset;
  std::vector<KnownHit> carried, affected;
  bool previous_sorted = true;
  parallel_for(2, options_in.threads, [&](size_t job) {
    if (job == 0) {
      subset = Screener::build_subset(full, [&](const Party& p) { return touched.count(p.id) > 0; });
      return;
    }
    previous_sorted = std::is_sorted(previous.begin(), previous.end(), by_row_entry);
    std::unordered_set<std::string_view> affected_entries(touched.begin(), touched.end());
    affected_entries.insert(removed.begin(), removed.end());
    carried.reserve(previous.size());
    for (auto& h : previous) (affected_entries.count(h.entry) ? affected : carried).push_back(std::move(h));
  });
  BatchOptions options = options_in;
  options.format_output = false;
  std::vector<bool> selected;
  if (probes) {
    selected.resize(probes->size());
    std::vector<std::uint8_t> meets(probes->size());  // vector<bool> is not safe to fill in parallel
    // Handed out in blocks: one atomic step per block, and the two threads never write answers
    // into the same cache line (one probe at a time cost a third of this loop).
    constexpr size_t kBlock = 512;
    parallel_for((probes->size() + kBlock - 1) / kBlock, options.threads, [&](size_t b) {
      const size_t end = std::min(probes->size(), (b + 1) * kBlock);
      for (size_t i = b * kBlock; i < end; ++i) {
        const auto& p = (*probes)[i];
        // A row's keys, units and tokens are allocations of their own, which the hardware does not
        // fetch ahead (may_hit waited on them a third of its time): two rows ahead are asked for.
        if (i + 2 < end) {
          const auto& next = (*probes)[i + 2];
          for (size_t k = 0; k < next.keys.size(); k += 16) __builtin_prefetch(next.keys.data() + k);
          __builtin_prefetch(next.units.data());
          for (const auto& t : next.tokens) __builtin_prefetch(&t.spellings);
        }
        // A row that read into nothing (no name) is read again, so that it is reported unscreened.
        meets[i] = (p.tokens.empty() && p.id_keys.empty()) || subset->may_hit(p, options.min_score) ? 1 : 0;
      }
    });
    for (size_t i = 0; i < meets.size(); ++i) selected[i] = meets[i] != 0;
    options.only_rows = &selected;
    options.known_probes = probes;
  } else if (probes_out) {
    options.probe = true;
    probes_out->clear();
  }
  std::vector<KnownHit> found;
  auto r = screen_batch(input, filename, *subset, tables, options, [&](const BatchRow& row) {
    ++out.rows_screened;
    if (!row.error.empty()) out.unscreened.push_back(row.error);
    for (auto& h : row.hits) found.push_back(hit_of(row, h));
    if (options.probe) {
      if (probes_out->size() <= row.ordinal) probes_out->resize(row.ordinal + 1);
      (*probes_out)[row.ordinal] = row.probe;
    }
    return Status::Ok();
  });
  if (!r) return r.error();
  out.rows = r->rows;
  std::sort(found.begin(), found.end(), by_row_entry);

  // Which (row, entry) pairs each side has: sorted views, not copies (a file's earlier hits may be
  // tens of thousands; kept in (row, entry) order, so mostly sorted already).
  using Key = std::pair<std::string_view, std::string_view>;
  auto keys_of = [](const std::vector<KnownHit>& hits) {
    std::vector<Key> k;
    k.reserve(hits.size());
    for (auto& h : hits) k.emplace_back(h.row, h.entry);
    if (!std::is_sorted(k.begin(), k.end())) std::sort(k.begin(), k.end());
    return k;
  };
  auto has = [](const std::vector<Key>& keys, const KnownHit& h) {
    return std::binary_search(keys.begin(), keys.end(), Key(h.row, h.entry));
  };
  // A hit found now is on an entry added or changed, so it was hit before only if it is among the
  // affected earlier hits; an affected earlier hit not found now is gone.
  {
    const std::vector<Key> affected_keys = keys_of(affected);
    for (auto& h : found)
      if (!has(affected_keys, h)) out.new_hits.push_back(h);
  }
  const std::vector<Key> found_keys = keys_of(found);
  for (auto& h : affected)
    if (!has(found_keys, h)) out.gone_hits.push_back(std::move(h));
  // Both in (row, entry) order (earlier hits are kept so; sorted here when not): one merge.
  if (!previous_sorted) std::sort(carried.begin(), carried.end(), by_row_entry);
  out.hits.reserve(carried.size() + found.size());
  std::merge(std::make_move_iterator(carried.begin()), std::make_move_iterator(carried.end()),
             std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()),
             std::back_inserter(out.hits), by_row_entry);
  std::sort(out.gone_hits.begin(), out.gone_hits.end(), by_row_entry);
  return out;
}

namespace {

constexpr std::string_view kProbesMagic = "clearance-probes-2\n";

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void put_str(std::string& out, std::string_view v) {
  put_u32(out, static_cast<std::uint32_t>(v.size()));
  out.append(v);
}
void put_strs(std::string& out, const std::vector<std::string>& v) {
  put_u32(out, static_cast<std::uint32_t>(v.size()));
  for (auto& x : v) put_str(out, x);
}

// Reads what put_* wrote; any read past the end fails the whole decode.
struct ProbeReader {
  std::string_view in;
  bool ok = true;
  std::uint8_t u8() {
    if (in.empty()) return ok = false, 0;
    auto v = static_cast<std::uint8_t>(in[0]);
    in.remove_prefix(1);
    return v;
  }
  std::uint32_t u32() {
    if (in.size() < 4) return ok = false, 0;
    std::uint32_t v;
    std::memcpy(&v, in.data(), 4);
    in.remove_prefix(4);
    return v;
  }
  std::string str() {
    std::uint32_t n = u32();
    if (!ok || in.size() < n) return ok = false, std::string();
    std::string v(in.substr(0, n));
    in.remove_prefix(n);
    return v;
  }
  std::vector<std::string> strs() {
    std::uint32_t n = u32();
    std::vector<std::string> v;
    for (std::uint32_t k = 0; ok && k < n; ++k) v.push_back(str());
    return v;
  }
};

}  // namespace

std::string encode_probes(const std::vector<QueryProbe>& probes, std::string_view stamp) {
  std::string out(kProbesMagic);
  put_str(out, stamp);
  put_u32(out, static_cast<std::uint32_t>(probes.size()));
  for (const auto& p : probes) {
    out.push_back(p.phonetic ? 1 : 0);
    put_strs(out, p.id_keys);
    put_u32(out, static_cast<std::uint32_t>(p.units.size()));
    for (const auto& u : p.units) {
      out.push_back(static_cast<char>(u.first));
      out.push_back(static_cast<char>(u.count));
      put_u32(out, u.keys_end);
    }
    put_u32(out, static_cast<std::uint32_t>(p.keys.size()));
    out.append(reinterpret_cast<const char*>(p.keys.data()), p.keys.size() * 4);
    put_u32(out, static_cast<std::uint32_t>(p.tokens.size()));
    for (const auto& t : p.tokens) {
      put_str(out, t.text);
      put_str(out, t.raw);
      put_str(out, t.bridge);
      put_strs(out, t.loose_keys);
      put_strs(out, t.spellings);
      out.push_back(static_cast<char>(t.kind));
      out.push_back(static_cast<char>(t.loose));
      out.push_back(t.other_spellings ? 1 : 0);
    }
  }
  std::uint64_t h = XXH3_64bits(out.data(), out.size());
  out.append(reinterpret_cast<const char*>(&h), 8);
  return out;
}

Result<std::vector<QueryProbe>> decode_probes(std::string_view bytes, std::string_view stamp) {
  if (bytes.size() < kProbesMagic.size() + 8 || bytes.substr(0, kProbesMagic.size()) != kProbesMagic)
    return Error::BadInput("not a probes file");
  std::uint64_t h;
  std::memcpy(&h, bytes.data() + bytes.size() - 8, 8);
  if (XXH3_64bits(bytes.data(), bytes.size() - 8) != h)
    return Error::BadInput("probes file damaged (checksum)");
  ProbeReader r{bytes.substr(kProbesMagic.size(), bytes.size() - 8 - kProbesMagic.size())};
  if (r.str() != stamp) return Error::BadInput("probes made by another engine or other text tables");
  std::uint32_t n = r.u32();
  std::vector<QueryProbe> probes;
  probes.reserve(r.ok ? std::min<size_t>(n, r.in.size()) : 0);
  for (std::uint32_t k = 0; r.ok && k < n; ++k) {
    QueryProbe& p = probes.emplace_back();
    p.phonetic = r.u8() != 0;
    p.id_keys = r.strs();
    std::uint32_t units = r.u32();
    for (std::uint32_t k = 0; r.ok && k < units; ++k) {
      QueryProbe::Unit u;
      u.first = r.u8();
      u.count = r.u8();
      u.keys_end = r.u32();
      p.units.push_back(u);
    }
    std::uint32_t keys = r.u32();
    if (r.ok && r.in.size() / 4 >= keys) {
      p.keys.resize(keys);
      std::memcpy(p.keys.data(), r.in.data(), size_t{keys} * 4);
      r.in.remove_prefix(size_t{keys} * 4);
    } else {
      r.ok = false;
    }
    std::uint32_t tokens = r.u32();
    for (std::uint32_t w = 0; r.ok && w < tokens; ++w) {
      text::Token& t = p.tokens.emplace_back();
      t.text = r.str();
      t.raw = r.str();
      t.bridge = r.str();
      t.loose_keys = r.strs();
      t.spellings = r.strs();
      auto kind = r.u8(), loose = r.u8(), other = r.u8();
      t.other_spellings = other != 0;
      if (other > 1) r.ok = false;
      if (kind > static_cast<std::uint8_t>(text::TokenKind::kPlace) ||
          loose > static_cast<std::uint8_t>(text::LooseFamily::kSlavic))
        r.ok = false;
      t.kind = static_cast<text::TokenKind>(kind);
      t.loose = static_cast<text::LooseFamily>(loose);
    }
  }
  if (!r.ok || !r.in.empty()) return Error::BadInput("probes file damaged (layout)");
  return probes;
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
