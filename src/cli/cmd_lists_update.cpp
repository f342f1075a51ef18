// `lists update` and `lists history`: the front end of src/lists/update.cpp and the list history.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "clearance/common/files.hpp"
#include "clearance/lists/diff.hpp"
#include "clearance/lists/json.hpp"
#include "clearance/lists/update.hpp"
#include "clearance/store/recording.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {

int cmd_lists_update(Context& ctx, const UpdateArgs& a) {
  auto config = load_update_config(ctx.home, ctx.data_dir, a.config);
  if (!config) return exit_with(config.error());
  if (a.list_sources) {
    for (auto& s : config->sources)
      std::cout << s.name << (s.by_default ? "" : " (opt-in)") << "  " << s.url << "\n"
                << "    " << s.format << (s.list.empty() ? "" : " as " + s.list)
                << (s.note.empty() ? "" : "; " + s.note) << "\n";
    std::cout << "from " << config->file << "\n";
    return 0;
  }
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  // A store lets retention keep the snapshots records name (and, recording, keeps the new ones).
  Store* store = nullptr;
  if (ctx.record) {
    auto s = ctx.store();
    if (!s) return exit_with(s.error());
    store = *s;
  } else {
    auto s = ctx.store_if_exists();
    if (s) store = *s;
  }
  UpdateContext uc;
  uc.now = utc_now();
  uc.sleep = [](long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  auto fetcher = make_curl_fetcher();
  // The watched customer files run after the lists switch (a trial run updates only: cases and
  // deliveries are records).
  auto sender = make_curl_webhook_sender();
  std::optional<MonitorContext> monitor;
  if (ctx.record) {
    auto m = monitor_context(ctx, sender.get());
    if (!m) return exit_with(m.error());
    monitor = std::move(*m);
  }
  auto run = run_list_update(ListStore(ctx.home), (*tables)->countries, *config, a.sources, *fetcher, uc,
                             store, ctx.record, monitor ? &*monitor : nullptr);
  if (!run) return exit_with(run.error());
  const UpdateReport* report = &run->report;
  auto seq = ctx.put_on_record(std::move(run->record));
  if (!seq) return exit_with(seq.error());

  if (a.format == "json") {
    nlohmann::ordered_json out = {{"ok", report->ok()}, {"sources", nlohmann::ordered_json::array()}};
    for (auto& u : report->sources) out["sources"].push_back(source_update_to_json(u));
    out["pruned"] = report->pruned;
    if (run->monitored) out["monitor"] = monitor_report_to_json(run->monitor);
    if (!run->monitor_error.empty()) out["monitor_error"] = run->monitor_error;
    mark_record(out, *seq);
    std::cout << out.dump(2) << "\n";
  } else {
    for (auto& u : report->sources) {
      (u.ok() ? std::cout : std::cerr)
          << (u.ok() ? "" : "clearance: ") << to_string(u.outcome) << ": " << u.message << "\n";
      for (auto& n : u.notes) std::cerr << "  " << n << "\n";
    }
    for (auto& p : report->pruned) std::cout << "retention: removed " << p << "\n";
    std::cout << monitor_report_text(run->monitor);
    if (!run->monitor_error.empty()) std::cerr << "clearance: monitor: " << run->monitor_error << "\n";
    std::cout << record_line(ctx.record, *seq);
  }
  return run->ok() ? 0 : 1;
}

int cmd_lists_history(Context& ctx, const std::string& list, const std::string& format) {
  ListStore store(ctx.home);
  auto h = store.history(list);
  if (!h) return exit_with(h.error());
  if (!list.empty() && h->empty())
    return exit_with(Error::NotFound("list '" + list + "' has no history here"));
  auto in_force = store.list();
  if (!in_force) return exit_with(in_force.error());
  auto state = [&](const SnapshotInfo& i) {
    for (auto& f : *in_force)
      if (f.name == i.name && f.id == i.id) return "in force";
    std::error_code ec;
    return std::filesystem::exists(store.snapshot_path(i), ec) ? "kept" : "pruned";
  };
  if (format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (auto& e : *h) {
      auto j = snapshot_info_to_json(e.info);
      j["replaced"] = e.replaced;
      j["state"] = state(e.info);
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-22s %-28s %-24s %-11s %8s  %s\n", "IN FORCE FROM", "LIST", "SNAPSHOT", "SOURCE DATE",
              "ENTRIES", "STATE");
  for (auto& e : *h)
    std::printf("%-22s %-28s %-24s %-11s %8llu  %s\n",
                e.info.imported_at.empty() ? "-" : e.info.imported_at.c_str(), e.info.name.c_str(),
                e.info.id.c_str(), e.info.source_date.empty() ? "-" : e.info.source_date.c_str(),
                static_cast<unsigned long long>(e.info.entries), state(e.info));
  return 0;
}

int cmd_lists_diff(Context& ctx, const DiffArgs& a) {
  ListStore lists(ctx.home);
  std::vector<std::pair<SnapshotInfo, SnapshotInfo>> pairs;
  if (a.refs.empty()) {
    auto in_force = lists.list();
    if (!in_force) return exit_with(in_force.error());
    for (auto& i : *in_force)
      if (auto prev = previous_snapshot(lists, i.name)) pairs.push_back({*prev, i});
    if (pairs.empty())
      return exit_with(Error::NotFound("no list here has a snapshot before the one in force"));
  } else {
    auto first = resolve_snapshot(lists, a.refs[0]);
    if (!first) return exit_with(first.error());
    if (a.refs.size() == 2) {
      auto second = resolve_snapshot(lists, a.refs[1]);
      if (!second) return exit_with(second.error());
      pairs.push_back({*first, *second});
    } else {
      bool is_list = first->name == a.refs[0];
      auto other = is_list ? previous_snapshot(lists, first->name) : resolve_snapshot(lists, first->name);
      if (!other) return exit_with(other.error());
      if (is_list)
        pairs.push_back({*other, *first});
      else
        pairs.push_back({*first, *other});
    }
  }
  Output out;
  if (auto st = out.open(a.output); !st) return exit_with(st.error());
  std::string text;
  if (a.format == "json" && pairs.size() > 1) text += "[\n";
  for (size_t k = 0; k < pairs.size(); ++k) {
    auto sa = ctx.load_snapshot(lists, pairs[k].first);
    if (!sa) return exit_with(sa.error());
    auto sb = ctx.load_snapshot(lists, pairs[k].second);
    if (!sb) return exit_with(sb.error());
    auto d = diff_snapshots(*sa, *sb);
    if (a.format == "json") {
      auto j = diff_to_json(d);
      if (pairs.size() > 1 && k + 1 < pairs.size()) j.back() = ',', j += "\n";
      text += j;
    } else if (a.format == "csv") {
      auto c = diff_to_csv(d);
      text += k == 0 ? c : c.substr(c.find('\n') + 1);
    } else {
      text += (k ? "\n" : "") + diff_to_text(d, a.limit);
    }
  }
  if (a.format == "json" && pairs.size() > 1) text += "]\n";
  if (auto st = out.write(text); !st) return exit_with(st.error());
  if (auto st = out.close(); !st) return exit_with(st.error());
  return 0;
}

}  // namespace clearance::cli
