// `clearance monitor add|list|remove|run`: the front end of monitor/monitor.hpp. The same run
// follows every `lists update` that puts a list in force (cmd_lists_update.cpp).
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "clearance/common/files.hpp"
#include "clearance/store/monitor.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {

Result<MonitorContext> monitor_context(Context& ctx, WebhookSender* sender) {
  if (!ctx.record)
    return Error::BadInput(
        "monitoring opens review cases and records every webhook delivery: it cannot run as a trial "
        "(--no-record)");
  auto store = ctx.store();
  if (!store) return store.error();
  auto tables = ctx.tables();
  if (!tables) return tables.error();
  MonitorContext m;
  m.now = utc_now();
  m.caller = ctx.caller();
  m.store = *store;
  m.tables = *tables;
  m.sender = sender;
  m.sleep = [](long ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  m.secret = [](const std::string& var) {
    const char* v = std::getenv(var.c_str());
    return std::string(v ? v : "");
  };
  m.load_snapshot = [&ctx](const SnapshotRef& ref) {
    SnapshotInfo info;
    info.name = ref.name;
    info.id = ref.id;
    return ctx.load_snapshot(ListStore(ctx.home), info);
  };
  return m;
}

std::string monitor_report_text(const MonitorReport& r) {
  std::string out;
  for (auto& w : r.watches) {
    out += "monitor " + w.name + " [" + w.watch + "]: ";
    if (!w.error.empty()) {
      out += "FAILED: " + w.error + "\n";
      continue;
    }
    if (!w.changed) {
      out += "lists unchanged since its last screening\n";
      continue;
    }
    out += std::to_string(w.screened_entries) + " entries screened, " + std::to_string(w.new_hits.size()) +
           " new hits, " + std::to_string(w.gone_hits.size()) + " gone, " +
           std::to_string(w.cases_opened.size()) + " cases opened (record " + std::to_string(w.record) +
           ")\n";
    for (auto& h : w.new_hits)
      out += "  + " + h.row + "  " + h.customer + "  ->  " + h.entry_name + " [" + h.entry + ", " + h.list +
             "]\n";
    for (auto& h : w.gone_hits)
      out += "  - " + h.row + "  " + h.customer + "  ->  " + h.entry_name + " [" + h.entry + ", " + h.list +
             "]\n";
    if (!w.delivery.url.empty())
      out += "  webhook " + w.delivery.url + ": " +
             (w.delivery.delivered ? "delivered" : "NOT DELIVERED (" + w.delivery.error + ")") + " after " +
             std::to_string(w.delivery.attempts) + " attempt(s)\n";
  }
  return out;
}

int cmd_monitor_add(Context& ctx, const MonitorArgs& a) {
  auto content = read_file(a.file, size_t{4} << 30);
  if (!content) return exit_with(content.error());
  if (!ctx.record)
    return exit_with(Error::BadInput("monitor add keeps the file under watch: not with --no-record"));
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  ListStore lists(ctx.home);
  auto view = lists.read_manifest();
  if (!view) return exit_with(view.error());
  if (view->state == HomeState::kNeverImported)
    return exit_with(
        Error::BadInput("no list was imported into " + ctx.home +
                        ": monitoring watches for changes to imported lists (lists import/update)"));
  auto screener = ctx.screener();
  if (!screener) return exit_with(screener.error());
  AddWatch r;
  r.file = a.file;
  r.content = std::move(*content);
  r.name = a.name;
  r.columns = batch_options_of(a);
  r.min_score = r.columns.min_score;
  r.webhook.url = a.webhook;
  r.webhook.secret_env = a.webhook_secret_env;
  r.webhook.retries = a.webhook_retries;
  r.webhook.backoff_ms = a.webhook_backoff_ms;
  if (!a.webhook.empty() && !a.webhook_secret_env.empty() && !std::getenv(a.webhook_secret_env.c_str()))
    std::cerr << "clearance: warning: " << a.webhook_secret_env
              << " is not set here; it must be set wherever lists are updated\n";
  auto w = add_watch(MonitorStore(ctx.home), r, **screener, **tables, utc_now());
  if (!w) return exit_with(w.error());
  RecordDraft d;
  d.action = "monitor.add";
  d.inputs = {
      {"watch", w->id}, {"name", w->name}, {"file", w->file}, {"sha256", w->sha256}, {"webhook", a.webhook}};
  for (auto& s : w->snapshots) d.snapshots.push_back(s);
  d.threshold = w->min_score;
  d.result = {{"hits", w->hits.size()}};
  auto seq = ctx.put_on_record(std::move(d));
  if (!seq) return exit_with(seq.error());
  if (a.format == "json") {
    nlohmann::ordered_json j = {
        {"watch", w->id}, {"name", w->name}, {"sha256", w->sha256}, {"hits", w->hits.size()}};
    mark_record(j, *seq);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "watching " << w->file << " as '" << w->name << "' [" << w->id << "]: " << w->hits.size()
              << " hits now (the baseline; later list updates report what changes)\n"
              << record_line(ctx.record, *seq);
  }
  return 0;
}

int cmd_monitor_list(Context& ctx, const MonitorArgs& a) {
  auto ws = MonitorStore(ctx.home).list();
  if (!ws) return exit_with(ws.error());
  if (a.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (auto& w : *ws) {
      nlohmann::ordered_json snaps = nlohmann::ordered_json::array();
      for (auto& s : w.snapshots) snaps.push_back({{"name", s.name}, {"id", s.id}});
      out.push_back({{"id", w.id},
                     {"name", w.name},
                     {"file", w.file},
                     {"sha256", w.sha256},
                     {"added_at", w.added_at},
                     {"last_run_at", w.last_run_at},
                     {"snapshots", snaps},
                     {"hits", w.hits.size()},
                     {"webhook", w.webhook.url},
                     {"webhook_secret_env", w.webhook.secret_env}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (ws->empty()) std::cout << "no file is watched here (clearance monitor add FILE)\n";
  for (auto& w : *ws) {
    std::cout << w.id << "  " << w.name << "  " << w.file << "  " << w.hits.size() << " hits  last run "
              << w.last_run_at << (w.webhook.url.empty() ? "" : "  webhook " + w.webhook.url) << "\n";
    for (auto& s : w.snapshots) std::cout << "    " << s.name << " " << s.id << "\n";
  }
  return 0;
}

int cmd_monitor_remove(Context& ctx, const MonitorArgs& a) {
  auto w = remove_watch(MonitorStore(ctx.home), a.ref);
  if (!w) return exit_with(w.error());
  RecordDraft d;
  d.action = "monitor.remove";
  d.inputs = {{"watch", w->id}, {"name", w->name}, {"sha256", w->sha256}};
  auto seq = ctx.put_on_record(std::move(d));
  if (!seq) return exit_with(seq.error());
  std::cout << "no longer watching '" << w->name << "' [" << w->id << "]\n" << record_line(ctx.record, *seq);
  return 0;
}

int cmd_monitor_run(Context& ctx, const MonitorArgs& a) {
  auto sender = make_curl_webhook_sender();
  auto m = monitor_context(ctx, sender.get());
  if (!m) return exit_with(m.error());
  ListStore lists(ctx.home);
  auto view = lists.read_manifest();
  if (!view) return exit_with(view.error());
  if (view->state == HomeState::kNeverImported)
    return exit_with(
        Error::BadInput("no list was imported into " + ctx.home + ": nothing to monitor against"));
  auto now = lists.load_all();
  if (!now) return exit_with(now.error());
  auto r = run_monitors(MonitorStore(ctx.home), *now, *m);
  if (!r) return exit_with(r.error());
  if (a.format == "json")
    std::cout << nlohmann::ordered_json({{"ok", r->ok()}, {"watches", monitor_report_to_json(*r)}}).dump(2)
              << "\n";
  else
    std::cout << (r->watches.empty() ? "no file is watched here\n" : monitor_report_text(*r));
  return r->ok() ? 0 : 1;
}

}  // namespace clearance::cli
