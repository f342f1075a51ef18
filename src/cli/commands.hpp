// The commands of the `clearance` binary. Each parses nothing itself (main.cpp owns CLI11) and
// returns the process exit status.
#pragma once

#include <string>
#include <vector>

#include "clearance/match/batch.hpp"
#include "clearance/store/monitor.hpp"
#include "cli/context.hpp"

namespace clearance::cli {

// The batch options `screen --input` and `rescreen` share: the column names, threshold and hit
// limit of their arguments (a negative min_score means the default threshold).
template <class Args>
BatchOptions batch_options_of(const Args& a) {
  BatchOptions o;
  o.id_column = a.id_column;
  o.name_column = a.name_column;
  o.country_column = a.country_column;
  o.type_column = a.type_column;
  o.dob_column = a.dob_column;
  o.min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  o.limit = a.limit;
  return o;
}

// The options of the commands that screen a customer file (rescreen, changes, monitor): its
// columns, the alert threshold (< 0: the default) and the hits kept per row.
struct CustomerFileArgs {
  double min_score = -1;
  size_t limit = 10;
  std::string id_column = "id", name_column = "name", country_column = "country", type_column = "type",
              dob_column = "dob";
};

struct ImportArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string name;
  bool strict = false;
  bool allow_shrink = false;  // replace a list even when the new one is much smaller
  double max_bad_rows = 0.1;  // refuse a source with a larger share of bad rows
};
int cmd_lists_import(Context& ctx, const ImportArgs& a);
int cmd_lists_show(Context& ctx, const std::string& format);

// `lists update [SOURCE…]`: fetch the configured sources (docs/LISTS.md), each put in force
// atomically when it passes its checks; on the record as one lists.update record.
struct UpdateArgs {
  std::vector<std::string> sources;
  std::string config;  // empty: <home>/sources.yaml, else the bundled data/lists/sources.yaml
  std::string format = "text";
  bool list_sources = false;
};
int cmd_lists_update(Context& ctx, const UpdateArgs& a);
// What the watches need to run (the store, tables, clock, secrets from the environment, snapshot
// loading); refused for a trial run. Shared by `lists update` and `monitor run`.
Result<MonitorContext> monitor_context(Context& ctx, WebhookSender* sender);
std::string monitor_report_text(const MonitorReport& r);
// `lists history [LIST]`: every snapshot put in force, oldest first.
int cmd_lists_history(Context& ctx, const std::string& list, const std::string& format);
// `lists diff [A] [B]`: no argument: each list against its predecessor; A only: A (a list: its
// predecessor; a snapshot: against its list in force) ; A and B: the two snapshots or lists.
struct DiffArgs {
  std::vector<std::string> refs;
  std::string format = "text";
  size_t limit = 50;
  std::string output;
};
int cmd_lists_diff(Context& ctx, const DiffArgs& a);

// `rescreen --input FILE [--since SNAPSHOT|DATE]`: screens a customer file only against the
// entries added or changed since it was last screened (kept per file by content hash under
// <home>/rescreen/), reporting new hits and hits that went away.
struct RescreenArgs : CustomerFileArgs {
  std::string input;
  std::string since;
  std::string format = "text";
};
int cmd_rescreen(Context& ctx, const RescreenArgs& a);

// `changes --since DATE [--until DATE] [--customers FILE] [--orders FILE]`: one digest of the list
// entries, rules, customers and orders that changed in the window (impact/changes.hpp). Exits 1
// after writing the digest when a part could not be computed.
struct ChangesArgs : CustomerFileArgs {
  std::string since, until;  // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; until default: today (UTC)
  std::string customers, orders;
  std::string format = "text";
  std::string output;
  size_t rows = 50;  // text: entries, customers and orders shown per part (0: all)
};
int cmd_changes(Context& ctx, const ChangesArgs& a);

// `monitor add|list|remove|run` (monitor/monitor.hpp): customer files under watch, re-screened
// against the entries every list update adds or changes; new hits open cases, a webhook is told.
struct MonitorArgs : CustomerFileArgs {
  std::string file, ref, name;
  std::string webhook, webhook_secret_env;
  int webhook_retries = 4;
  long webhook_backoff_ms = 1000;
  std::string format = "text";
};
int cmd_monitor_add(Context& ctx, const MonitorArgs& a);
int cmd_monitor_list(Context& ctx, const MonitorArgs& a);
int cmd_monitor_remove(Context& ctx, const MonitorArgs& a);
int cmd_monitor_run(Context& ctx, const MonitorArgs& a);

// `aliases import FILE`: a user table of Chinese <-> English names (TSV: chinese, english, note),
// validated, then kept under <home>/aliases/ and used by every screening from then on.
int cmd_aliases_import(Context& ctx, const std::string& file, const std::string& name);
int cmd_aliases_show(Context& ctx);

struct ScreenArgs {
  std::string name;
  std::string type;
  std::string country;
  std::string dob;
  std::vector<std::string> ids;  // TYPE:NUMBER
  size_t limit = 10;
  double min_score = -1;  // < 0: the default threshold
  std::string format = "text";
  std::string customer;  // --customer ID: the party key of review cases (default: name, country, dob)
  // batch
  std::string input;
  std::string output;
  std::string id_column = "id";
  std::string name_column = "name";
  std::string country_column = "country";
  std::string type_column = "type";
  std::string dob_column = "dob";
  std::string identifiers_column = "identifiers";
};
int cmd_screen(Context& ctx, const ScreenArgs& a);

struct CompareArgs {
  std::string a, b, type, format = "text";
};
int cmd_compare(Context& ctx, const CompareArgs& a);

}  // namespace clearance::cli
