// `clearance rescreen`: the front end of match/rescreen.hpp. The baseline of a customer file (the
// snapshots it was last screened against and its hits then) is kept under
// <home>/rescreen/<sha256 of the file>.json, and what each of its rows looked up (its probes, which
// let a rescreen read only the rows that may meet a changed entry) beside it in .probes.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "clearance/common/files.hpp"
#include "clearance/lists/diff.hpp"
#include "clearance/match/rescreen.hpp"
#include "clearance/store/recording.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {
namespace {

struct Baseline {
  std::vector<SnapshotInfo> snapshots;
  std::vector<KnownHit> hits;
  double min_score = kDefaultThreshold;
  bool has_hits = false;
};

Result<Baseline> read_baseline(const std::string& path) {
  auto text = read_file(path, size_t{1} << 30);
  if (!text) return text.error();
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("snapshots") || !j.contains("hits"))
    return Error::Io(path +
                     ": not a rescreen baseline (damaged?): delete it to screen the file in full again");
  Baseline b;
  for (auto& s : j["snapshots"]) {
    SnapshotInfo i;
    i.name = s.value("name", "");
    i.id = s.value("id", "");
    b.snapshots.push_back(i);
  }
  for (auto& h : j["hits"]) {
    auto k = known_hit_from_json(h);
    if (!k) return Error::Io(path + ": " + k.error().message);
    b.hits.push_back(*k);
  }
  b.min_score = j.value("min_score", kDefaultThreshold);
  b.has_hits = true;
  return b;
}

Status write_baseline(const std::string& path, const std::string& file,
                      const std::vector<ListSnapshot>& lists, const std::vector<KnownHit>& hits,
                      double min_score) {
  nlohmann::json snaps = nlohmann::json::array(), hs = nlohmann::json::array();
  for (auto& s : lists) snaps.push_back({{"name", s.info.name}, {"id", s.info.id}});
  for (auto& h : hits) hs.push_back(known_hit_to_json(h));
  nlohmann::json j = {{"file", file}, {"min_score", min_score}, {"snapshots", snaps}, {"hits", hs}};
  if (auto st = make_dirs(std::filesystem::path(path).parent_path().string()); !st) return st;
  return write_file_atomic(path, j.dump() + "\n");
}

// What a file's probes depend on besides the file: the engine that read the names and the text
// tables it read them with (bundled and the user's alias tables), and whether kanji were read as
// Japanese. Probes with another stamp are not used.
Result<std::string> probe_stamp(Context& ctx, const TextTables& tables) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(ctx.data_dir + "/text", ec))
    if (e.path().extension() == ".tsv") files.push_back(e.path().string());
  if (ec) return Error::Io(ctx.data_dir + "/text: " + ec.message());
  std::sort(files.begin(), files.end());
  for (auto& f : ctx.alias_files()) files.push_back(f);
  std::string parts = std::string(engine_version()) + (tables.japanese ? " mecab" : " no-mecab");
  for (auto& f : files) {
    auto h = sha256_file(f);
    if (!h) return h.error();
    parts += " " + std::filesystem::path(f).filename().string() + ":" + *h;
  }
  return sha256_hex(parts);
}

// The probes kept beside the baseline, or nothing (then every row is read again) when they are
// absent, damaged or made with other tables.
std::optional<std::vector<QueryProbe>> read_probes(const std::string& path, const std::string& stamp) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto bytes = read_file(path, size_t{4} << 30);
  if (!bytes) return std::nullopt;
  auto p = decode_probes(*bytes, stamp);
  if (!p) return std::nullopt;
  return std::move(*p);
}

void print_hits(const char* title, const std::vector<KnownHit>& hits) {
  std::cout << title << ": " << hits.size() << "\n";
  for (auto& h : hits)
    std::cout << "  " << h.row << "  " << h.customer << "  ->  " << h.entry_name << " [" << h.entry << ", "
              << h.list << "] " << h.score << "\n";
}

}  // namespace

int cmd_rescreen(Context& ctx, const RescreenArgs& a) {
  auto sha = sha256_file(a.input);
  if (!sha) return exit_with(sha.error());
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  auto full = ctx.screener();
  if (!full) return exit_with(full.error());
  const auto& now_lists = (*full)->snapshots();
  BatchOptions o = batch_options_of(a);
  ListStore lists(ctx.home);
  const std::string state_path = ctx.home + "/rescreen/" + *sha + ".json";
  const std::string probes_path = ctx.home + "/rescreen/" + *sha + ".probes";
  auto stamp = probe_stamp(ctx, **tables);
  if (!stamp) return exit_with(stamp.error());
  // What each row looked up: kept from the last screening of the file, or made by this one.
  std::optional<std::vector<QueryProbe>> probes;
  std::vector<QueryProbe> new_probes;

  // The baseline: the snapshots named by --since (the other lists as they are now), else those
  // this file was last screened against (with its hits then).
  Baseline base;
  bool first = false;
  std::error_code ec;
  bool have_state = std::filesystem::exists(state_path, ec);
  if (have_state) {
    auto b = read_baseline(state_path);
    if (!b) return exit_with(b.error());
    base = std::move(*b);
    if (base.min_score != o.min_score) have_state = false, base = {};
  }
  if (!a.since.empty()) {
    std::vector<SnapshotInfo> since;
    if (a.since.size() == 10 && a.since[4] == '-' && a.since[7] == '-') {
      auto s = snapshots_in_force_at(lists, a.since);
      if (!s) return exit_with(s.error());
      since = *s;  // a list imported after that day is not in it: all its entries count as added
    } else {
      auto s = resolve_snapshot(lists, a.since);
      if (!s) return exit_with(s.error());
      for (auto& cur : now_lists) since.push_back(cur.info.name == s->name ? *s : cur.info);
    }
    bool same = since.size() == base.snapshots.size();
    for (size_t k = 0; same && k < since.size(); ++k) {
      bool found = false;
      for (auto& b : base.snapshots) found |= b.name == since[k].name && b.id == since[k].id;
      same = found;
    }
    if (!same) base.has_hits = false;
    base.snapshots = since;
  } else if (!have_state) {
    first = true;
  }

  RescreenResult result;
  std::vector<ListSnapshot> old_lists;
  if (first) {
    // Never screened here: a full screening is the baseline; every hit is new.
    std::ifstream in(a.input, std::ios::binary);
    if (!in) return exit_with(Error::BadInput(a.input + ": cannot open for reading"));
    auto hits = screen_all(in, a.input, **full, **tables, o, &new_probes, &result.unscreened);
    if (!hits) return exit_with(hits.error());
    probes = std::move(new_probes);
    result.rows = result.rows_screened = probes->size();
    result.hits = *hits;
    result.new_hits = *hits;
    for (auto& s : now_lists) result.screened_entries += s.parties.size();
  } else {
    for (auto& info : base.snapshots) {
      auto s = ctx.load_snapshot(lists, info);
      if (!s) return exit_with(s.error());
      old_lists.push_back(std::move(*s));
    }
    if (!base.has_hits) {
      // A baseline given by --since without this file's hits on it: screen against it first.
      auto old_screener = Screener::build(old_lists, *tables);
      std::ifstream in(a.input, std::ios::binary);
      auto hits = screen_all(in, a.input, *old_screener, **tables, o, &new_probes);
      if (!hits) return exit_with(hits.error());
      base.hits = std::move(*hits);
      probes = std::move(new_probes);
    }
    if (!probes) probes = read_probes(probes_path, *stamp);
    std::ifstream in(a.input, std::ios::binary);
    if (!in) return exit_with(Error::BadInput(a.input + ": cannot open for reading"));
    auto r = rescreen(in, a.input, *full, diffs_between(old_lists, now_lists), std::move(base.hits), **tables,
                      o, probes ? &*probes : nullptr, probes ? nullptr : &new_probes);
    if (!r) return exit_with(r.error());
    result = std::move(*r);
    if (!probes) probes = std::move(new_probes);
  }

  RecordDraft d;
  d.action = "rescreen";
  d.inputs = {{"file", a.input}, {"sha256", *sha}, {"since", a.since}, {"min_score", o.min_score}};
  d.threshold = o.min_score;
  for (auto& s : now_lists) d.snapshots.push_back({s.info.name, s.info.id});
  d.result = rescreen_record_result(result, base.snapshots, first);
  const nlohmann::json baseline = d.result["baseline"];  // d is moved onto the record
  auto seq = ctx.put_on_record(std::move(d));
  if (!seq) return exit_with(seq.error());
  if (auto st = write_baseline(state_path, a.input, now_lists, result.hits, o.min_score); !st)
    return exit_with(st.error());
  if (auto st = write_file_atomic(probes_path, encode_probes(*probes, *stamp)); !st)
    return exit_with(st.error());

  if (a.format == "json") {
    nlohmann::ordered_json out = {{"file", a.input},
                                  {"sha256", *sha},
                                  {"first_screening", first},
                                  {"baseline", baseline},
                                  {"screened_entries", result.screened_entries},
                                  {"removed_entries", result.removed_entries},
                                  {"rows", result.rows},
                                  {"rows_screened", result.rows_screened},
                                  {"unscreened", result.unscreened},
                                  {"weight_drift", result.weight_drift},
                                  {"score_drift_bound", result.score_drift_bound},
                                  {"new_hits", nlohmann::ordered_json::array()},
                                  {"gone_hits", nlohmann::ordered_json::array()},
                                  {"hits", result.hits.size()}};
    for (auto& h : result.new_hits)
      out["new_hits"].push_back(nlohmann::ordered_json::parse(known_hit_to_json(h).dump()));
    for (auto& h : result.gone_hits)
      out["gone_hits"].push_back(nlohmann::ordered_json::parse(known_hit_to_json(h).dump()));
    mark_record(out, *seq);
    std::cout << out.dump(2) << "\n";
  } else {
    if (first)
      std::cout << a.input << ": first screening of this file here: screened in full against "
                << result.screened_entries << " entries\n";
    else
      std::cout << a.input << ": screened against the " << result.screened_entries
                << " entries added or changed (" << result.removed_entries
                << " removed): " << result.rows_screened << " of " << result.rows
                << " rows may meet them and were read again; hits on unchanged entries carried over, "
                   "their scores within "
                << result.score_drift_bound << " of a full re-screen's\n";
    print_hits("new hits", result.new_hits);
    print_hits("hits gone", result.gone_hits);
    std::cout << result.hits.size() << " hits in all now\n" << record_line(ctx.record, *seq);
  }
  // Rows without a name hit nothing before or now: said apart, never folded into "no new hits".
  if (!result.unscreened.empty()) {
    std::cerr << "clearance: " << result.unscreened.size() << " rows without a name could not be screened\n";
    for (auto& e : result.unscreened) std::cerr << "  " << e << "\n";
  }
  return 0;
}

}  // namespace clearance::cli
