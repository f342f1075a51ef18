#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "clearance/common/files.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/lists/json.hpp"
#include "clearance/store/recording.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {

int cmd_lists_import(Context& ctx, const ImportArgs& a) {
  auto fmt = list_format_from_string(a.format);
  if (!fmt) return exit_with(fmt.error());
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  ImportRequest req;
  req.paths = a.files;
  req.options.format = *fmt;
  req.options.strict = a.strict;
  req.max_bad_rows = a.max_bad_rows;
  req.put.allow_shrink = a.allow_shrink;
  req.name = a.name;
  req.imported_at = utc_now();
  auto r = import_lists(ListStore(ctx.home), (*tables)->countries, req);
  if (!r) return exit_with(r.error());
  // On the record: which files (by digest) became which snapshots, kept in the store for replay.
  RecordDraft d;
  d.action = "lists.import";
  d.inputs = {{"format", a.format}, {"name", a.name}, {"strict", a.strict}};
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : a.files) {
    auto sha = sha256_file(f);
    files.push_back({{"file", f}, {"sha256", sha ? *sha : std::string()}});
  }
  d.inputs["files"] = files;
  nlohmann::json lists = nlohmann::json::array();
  for (auto& s : *r) {
    lists.push_back(nlohmann::json(snapshot_info_to_json(s.info)));
    d.snapshots.push_back({s.info.name, s.info.id});
  }
  d.result = {{"imported", lists}};
  if (ctx.record) {
    auto store = ctx.store();
    if (!store) return exit_with(store.error());
    for (auto& s : *r) {
      auto snap = ListStore(ctx.home).load(s.info);
      if (!snap) return exit_with(snap.error());
      if (auto st = (*store)->keep_snapshot(*snap); !st) return exit_with(st.error());
    }
    // Replicas serving from a PostgreSQL store switch to the lists published there.
    if ((*store)->is_postgres())
      if (auto p = (*store)->publish_lists(d.snapshots); !p) return exit_with(p.error());
  }
  auto seq = ctx.put_on_record(std::move(d));
  if (!seq) return exit_with(seq.error());
  for (auto& s : *r) {
    std::cout << "imported " << s.info.name << " (" << s.info.format << "): " << s.info.entries
              << " entries, " << s.info.names << " names from " << s.report.rows << " rows";
    if (s.report.skipped) std::cout << ", " << s.report.skipped << " bad rows skipped";
    if (s.report.orphans) std::cout << ", " << s.report.orphans << " rows without their entry";
    std::cout << "; snapshot " << s.info.id << "\n";
    for (auto& p : s.report.problems) std::cerr << "  " << p.to_string() << "\n";
    size_t more = s.report.skipped + s.report.orphans -
                  std::min(s.report.skipped + s.report.orphans, s.report.problems.size());
    if (more) std::cerr << "  … and " << more << " more\n";
  }
  std::cout << record_line(ctx.record, *seq);
  return 0;
}

int cmd_lists_show(Context& ctx, const std::string& format) {
  ListStore store(ctx.home);
  auto view = store.read_manifest();
  if (!view) return exit_with(view.error());
  for (auto& w : view->warnings) std::cerr << "clearance: warning: " << w << "\n";
  std::vector<SnapshotInfo> shown = view->lists;
  bool samples = false;
  if (view->state == HomeState::kNeverImported) {
    auto l = ctx.lists(&samples);
    if (!l) return exit_with(l.error());
    for (auto& s : *l) shown.push_back(s.info);
  }
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (auto& i : shown) out.push_back(snapshot_info_to_json(i));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (format != "text") return exit_with(Error::BadInput("--format must be text or json"));
  if (samples) std::cout << "no lists imported: using the bundled samples (clearance lists import FILE…)\n";
  std::printf("%-34s %-9s %-11s %8s %8s  %s\n", "NAME", "FORMAT", "SOURCE DATE", "ENTRIES", "NAMES",
              "SNAPSHOT");
  for (auto& i : shown)
    std::printf("%-34s %-9s %-11s %8llu %8llu  %s\n", i.name.c_str(), i.format.c_str(),
                i.source_date.empty() ? "-" : i.source_date.c_str(),
                static_cast<unsigned long long>(i.entries), static_cast<unsigned long long>(i.names),
                i.id.c_str());
  return 0;
}

int cmd_aliases_import(Context& ctx, const std::string& file, const std::string& name_in) {
  std::string name = name_in.empty() ? std::filesystem::path(file).stem().string() : name_in;
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
    return exit_with(Error::BadInput("alias table name '" + name + "' is not allowed"));
  // Validate with the bundled tables before anything is written.
  auto checked = TextTables::load(ctx.data_dir, {file});
  if (!checked) return exit_with(checked.error());
  auto data = read_file(file, 64 << 20);
  if (!data) return exit_with(data.error());
  if (auto st = make_dirs(ctx.home + "/aliases"); !st) return exit_with(st.error());
  std::string dest = ctx.home + "/aliases/" + name + ".tsv";
  // Alias tables change what screening finds: the table is kept in the store (by its content
  // hash) and its import is on the record before it is in force.
  const std::string sha = sha256_hex(*data);
  if (ctx.record) {
    auto store = ctx.store();
    if (!store) return exit_with(store.error());
    if (auto st = (*store)->keep_files("aliases", sha, {{name + ".tsv", *data}}); !st)
      return exit_with(st.error());
  }
  size_t rows = (*checked)->aliases.size();
  auto bundled = TextTables::load(ctx.data_dir);
  if (bundled) rows -= (*bundled)->aliases.size();
  RecordDraft d;
  d.action = "aliases.import";
  d.inputs = {{"file", file}, {"name", name}, {"sha256", sha}};
  d.result = {{"table", dest}, {"names", rows}};
  auto seq = ctx.put_on_record(std::move(d));
  if (!seq) return exit_with(seq.error());
  if (auto st = write_file_atomic(dest, *data); !st) return exit_with(st.error());
  std::cout << "alias table " << name << ": " << rows << " names, in force from the next screening (" << dest
            << ")\n"
            << record_line(ctx.record, *seq);
  return 0;
}

int cmd_aliases_show(Context& ctx) {
  auto files = ctx.alias_files();
  auto t = ctx.tables();
  if (!t) return exit_with(t.error());
  std::cout << (*t)->aliases.size()
            << " Chinese <-> English names in force (bundled data/text/zh_aliases.tsv";
  for (auto& f : files) std::cout << ", " << f;
  std::cout << ")\n";
  return 0;
}

}  // namespace clearance::cli
