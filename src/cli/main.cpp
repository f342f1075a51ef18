// The `clearance` command line. Parses arguments (CLI11) and calls the command functions; all
// business logic lives in the library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "clearance/common/numbers.hpp"
#include "clearance/match/screener.hpp"
#include "cli/cmd_audit.hpp"
#include "cli/cmd_impact.hpp"
#include "cli/cmd_keys.hpp"
#include "cli/cmd_rules.hpp"
#include "cli/commands.hpp"
#include "server/serve.hpp"

using namespace clearance::cli;

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "Clearance: screen parties, classify items and determine export licence requirements "
      "under US (EAR) and Chinese rules."};
  app.require_subcommand(1);
  // The bundled data and page: beside an installed binary, else in the source tree it was built from.
  const char* data_env = std::getenv("CLEARANCE_DATA");
  const std::string data_dir = data_env ? data_env : installed_or("data", CLEARANCE_DATA_DIR);
  const std::string web_dir = installed_or("web", CLEARANCE_WEB_DIR);
  app.set_version_flag("--version", std::string("clearance ") + CLEARANCE_VERSION + "\ndata: " + data_dir +
                                        "\nweb:  " + web_dir);
  std::string home;
  app.add_option("--home", home, "data home (default $CLEARANCE_HOME, else ~/.clearance)");
  std::string store_location;
  bool no_record = false;
  app.add_option("--store", store_location,
                 "the store of records and cases: sqlite:PATH or postgres://… (default <home>/store.sqlite)");
  app.add_flag("--no-record", no_record, "a trial run: put nothing on the record (and say so)");

  // lists
  auto* lists = app.add_subcommand("lists", "show the loaded lists, or import new ones");
  std::string lists_format = "text";
  lists->add_option("--format", lists_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  ImportArgs imp;
  auto* import = lists->add_subcommand("import", "import list files as a new snapshot (atomic)");
  import
      ->add_option("files", imp.files,
                   "list files; an OFAC CSV set (sdn.csv alt.csv add.csv …) is one source")
      ->required();
  import->add_option("--format", imp.format,
                     "auto|csl-csv|csl-json|ofac-csv|ofac-xml|un-xml|ftm-json|bis-dpl|bis-csv|state-isn|bis-"
                     "uvl|ddtc-debarred");
  import->add_option("--name", imp.name, "list name in this data home (default from the source)");
  import->add_flag("--strict", imp.strict, "fail on the first bad row instead of skipping it");
  import->add_flag("--allow-shrink", imp.allow_shrink,
                   "replace a list even when the new one has over 20% fewer entries (refused otherwise)");
  import
      ->add_option("--max-bad-rows", imp.max_bad_rows,
                   "refuse a source when more than this share of its rows are bad (default 0.1)")
      ->check(CLI::Range(0.0, 1.0));

  UpdateArgs upd;
  auto* update =
      lists->add_subcommand("update", "fetch the official lists from their sources (docs/LISTS.md)");
  update->add_option("sources", upd.sources,
                     "source names from the configuration (default: its default ones)");
  update->add_option(
      "--config", upd.config,
      "sources and limits (default <home>/sources.yaml, else the bundled data/lists/sources.yaml)");
  update->add_option("--format", upd.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  update->add_flag("--list-sources", upd.list_sources, "show the configured sources and fetch nothing");
  std::string history_list, history_format = "text";
  auto* history = lists->add_subcommand("history", "the snapshots each list has had, oldest first");
  history->add_option("list", history_list, "one list (default: all)");
  history->add_option("--format", history_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  DiffArgs dif;
  auto* diff = lists->add_subcommand("diff", "entries added, removed and changed between two snapshots");
  diff->add_option("snapshots", dif.refs,
                   "A [B]: list names or snapshot ids (default: each list against its last)")
      ->expected(0, 2);
  diff->add_option("--format", dif.format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  diff->add_option("--limit", dif.limit, "text: entries shown per kind (0: all; default 50)");
  diff->add_option("--output", dif.output, "write to this file (default stdout)");

  // rescreen
  RescreenArgs rs;
  auto* rescreen = app.add_subcommand(
      "rescreen",
      "screen a customer file only against the list entries added or changed since its last screening");
  rescreen->add_option("--input", rs.input, "CSV with a header row (as screen --input)")->required();
  rescreen->add_option(
      "--since", rs.since,
      "baseline: a snapshot id or list name, or a date (YYYY-MM-DD: the lists in force that day); "
      "default: the snapshots this file was last screened against");
  rescreen->add_option("--format", rs.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  rescreen->add_option("--min-score", rs.min_score, "alert threshold (default 0.82)");
  rescreen->add_option("--limit", rs.limit, "hits per row on the changed entries (default 10)");
  rescreen->add_option("--id-column", rs.id_column, "customer id column (default id)");
  rescreen->add_option("--name-column", rs.name_column, "name column (default name)");
  rescreen->add_option("--country-column", rs.country_column, "country column (default country)");

  // changes
  ChangesArgs chg;
  auto* changes = app.add_subcommand(
      "changes", "what changed in a window: list entries, rules, customers' hits, orders' verdicts");
  changes
      ->add_option("--since", chg.since,
                   "start: YYYY-MM-DD (for the lists: the snapshots in force at the end of that day) or "
                   "YYYY-MM-DDTHH:MM:SSZ")
      ->required();
  changes->add_option("--until", chg.until, "end, as --since (default today, UTC: the lists in force now)");
  changes->add_option("--customers", chg.customers, "customer CSV (as screen --input): whose hits changed");
  changes->add_option("--orders", chg.orders, "order book CSV (as impact --orders): whose verdict changed");
  changes->add_option("--format", chg.format, "text, json or html")
      ->check(CLI::IsMember({"text", "json", "html"}));
  changes->add_option("--output", chg.output, "write to this file (default stdout)");
  changes->add_option("--limit", chg.rows, "text: rows shown per part (0: all; default 50)");
  changes->add_option("--min-score", chg.min_score, "customers: alert threshold (default 0.82)");

  // monitor
  MonitorArgs mon;
  auto* monitor =
      app.add_subcommand("monitor", "customer files under watch: re-screened after every list update");
  monitor->require_subcommand(1);
  auto* monitor_add = monitor->add_subcommand("add", "watch a customer file (CSV as screen --input)");
  monitor_add->add_option("file", mon.file, "the customer CSV")->required();
  monitor_add->add_option("--name", mon.name, "the watch's name (default: the file's name)");
  monitor_add->add_option("--webhook", mon.webhook, "POST a signed JSON notice here when hits change");
  monitor_add->add_option("--webhook-secret-env", mon.webhook_secret_env,
                          "environment variable holding the HMAC-SHA256 secret (required with --webhook)");
  monitor_add->add_option("--webhook-retries", mon.webhook_retries,
                          "further attempts after a failure (default 4)");
  monitor_add->add_option("--webhook-backoff-ms", mon.webhook_backoff_ms,
                          "wait before the first retry, doubled each time (default 1000)");
  monitor_add->add_option("--min-score", mon.min_score, "alert threshold (default 0.82)");
  monitor_add->add_option("--id-column", mon.id_column, "customer id column (default id)");
  monitor_add->add_option("--name-column", mon.name_column, "name column (default name)");
  monitor_add->add_option("--country-column", mon.country_column, "country column (default country)");
  auto* monitor_list = monitor->add_subcommand("list", "the files under watch");
  auto* monitor_remove = monitor->add_subcommand("remove", "stop watching a file (its kept copy is deleted)");
  monitor_remove->add_option("watch", mon.ref, "watch id or name")->required();
  auto* monitor_run = monitor->add_subcommand(
      "run", "screen the watched files against what changed since their last run now");
  for (auto* sub : {monitor_add, monitor_list, monitor_run})
    sub->add_option("--format", mon.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // aliases
  auto* aliases =
      app.add_subcommand("aliases", "show the Chinese <-> English alias tables in force, or add one");
  std::string alias_file, alias_name;
  auto* aliases_import =
      aliases->add_subcommand("import", "add a user alias table (TSV: chinese, english, note)");
  aliases_import->add_option("file", alias_file, "TSV file with a header row")->required();
  aliases_import->add_option("--name", alias_name,
                             "name of the table in this data home (default: file name)");

  // screen
  ScreenArgs sc;
  auto* screen = app.add_subcommand("screen", "screen a name, or a CSV file of names, against the lists");
  screen->add_option("name", sc.name, "the name to screen");
  screen->add_option("--type", sc.type, "person or entity");
  screen->add_option("--country", sc.country, "country (ISO code or name)");
  screen->add_option("--dob", sc.dob,
                     "date of birth: YYYY, YYYY-MM, YYYY-MM-DD, 3 Apr 1971, or DD/MM/YYYY and MM/DD/YYYY "
                     "when only one reading is possible");
  screen->add_option("--id", sc.ids, "identifier TYPE:NUMBER (an exact match is decisive)");
  screen->add_option("--limit", sc.limit, "hits per query (default 10)");
  screen->add_option(
      "--min-score", sc.min_score,
      "alert threshold in [0, 1] (default " + clearance::format_fixed(clearance::kDefaultThreshold, 2) + ")");
  screen->add_option("--format", sc.format, "text|json (single) or jsonl|csv (batch)");
  screen->add_option("--customer", sc.customer,
                     "your customer id: review cases are kept per customer (default: name, country, dob)");
  screen->add_option("--input", sc.input, "CSV file with a header row (batch)");
  screen->add_option("--output", sc.output, "write batch results here instead of stdout");
  screen->add_option("--id-column", sc.id_column, "default id");
  screen->add_option("--name-column", sc.name_column, "default name");
  screen->add_option("--country-column", sc.country_column, "default country");
  screen->add_option("--type-column", sc.type_column, "default type");
  screen->add_option("--dob-column", sc.dob_column, "default dob");
  screen->add_option("--identifiers-column", sc.identifiers_column,
                     "default identifiers (TYPE:NUMBER, several separated by ';')");

  // compare
  CompareArgs cmp;
  auto* compare = app.add_subcommand("compare", "score two names against each other");
  compare->add_option("name1", cmp.a)->required();
  compare->add_option("name2", cmp.b)->required();
  compare->add_option("--type", cmp.type, "person or entity");
  compare->add_option("--format", cmp.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // classify
  ClassifyArgs cls;
  auto* classify = app.add_subcommand("classify", "classify an item (AI chips: TPP, PD, ECCN) as of a date");
  classify->add_option("--model", cls.model, "catalogue model, synonym or id (e.g. H20, 'RTX 4090')");
  classify->add_option("--spec", cls.spec, "YAML or JSON file describing a chip not in the catalogue");
  classify->add_option("--as-of", cls.as_of, "date YYYY-MM-DD (default today, UTC)");
  classify->add_option("--format", cls.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // check
  CheckArgs chk;
  auto* check =
      app.add_subcommand("check", "determine licence requirements under US (EAR) and Chinese rules");
  check->add_option(
      "--item", chk.item,
      "item: catalogue model, material, technology, ECCN, control or HS code (';' for several)");
  check->add_option("--spec", chk.spec, "chip described in a YAML or JSON file");
  check->add_option("--to", chk.to, "destination country");
  check->add_option("--from", chk.from, "country the item is exported from");
  check->add_option("--origin", chk.origin, "country of origin of the item");
  check->add_option("--party", chk.parties, "buyer, consignee or end user name (repeatable)");
  check->add_option("--party-country", chk.party_country, "country of the parties");
  check->add_option("--exporter", chk.exporter, "exporter name (is-informed letters)");
  check->add_option("--buyer-hq", chk.buyer_hq,
                    "country where the buyer or its ultimate parent is headquartered");
  check->add_option("--end-use", chk.end_uses, "end use (repeatable; see data/rules/vocabulary.yaml)");
  check->add_option("--region", chk.region, "ISO 3166-2 region of the destination (UA-43 Crimea)");
  check->add_option("--eccn", chk.eccn, "the item's ECCN as you classified it (an item the catalogue lacks)");
  check->add_option("--en-route-since", chk.en_route_since,
                    "date the shipment was on dock or en route (savings clauses of new rules)");
  check->add_flag("--all-uncertain", chk.all_uncertain,
                  "also list uncertainty marks that cannot change the answer");
  check->add_option("--quantity", chk.quantity, "quantity");
  check->add_option("--value", chk.value, "value");
  check->add_option("--as-of", chk.as_of, "date YYYY-MM-DD (default today, UTC)");
  check->add_option("--format", chk.format, "text|json (single) or jsonl|csv (batch)");
  check->add_option("--input", chk.input, "orders CSV (batch)");
  check->add_option("--output", chk.output, "batch output file (default stdout)");
  check->add_flag("--no-screen", chk.no_screen, "do not screen the parties against the lists");
  check->add_option("--threads", chk.threads, "batch threads (default all cores)");

  // impact
  ImpactArgs ia;
  auto* impact = app.add_subcommand("impact", "what a rule change does to an order book");
  impact->add_option("--orders", ia.orders, "orders CSV ('-' reads stdin)")->required();
  impact->add_option("--from", ia.from, "first date YYYY-MM-DD");
  impact->add_option("--to", ia.to, "second date YYYY-MM-DD");
  impact->add_option("--rules-from", ia.rules_from,
                     "rule packs of the first point (default the bundled ones)");
  impact->add_option("--rules-to", ia.rules_to, "rule packs of the second point (default the bundled ones)");
  impact->add_option("--as-of", ia.as_of,
                     "the date of both points when comparing rule packs (default today)");
  impact->add_option("--format", ia.format, "text|csv|json|html")
      ->check(CLI::IsMember({"text", "csv", "json", "html"}));
  impact->add_option("--output", ia.output, "output file (default stdout)");
  impact->add_option("--report", ia.report, "also write the self-contained HTML report here");
  impact->add_option("--rates", ia.rates, "CSV currency,rate to convert values into --base-currency");
  impact->add_option("--base-currency", ia.base_currency, "currency the rates convert to (default USD)");
  impact->add_flag("--no-screen", ia.no_screen, "do not screen customers against the lists");
  impact->add_option("--threads", ia.threads, "threads (default all cores)");
  impact->add_option("--max-listed", ia.max_listed,
                     "changed orders kept for the summary, JSON and HTML (default 10000)");

  // serve
  clearance::server::ServeArgs sv;
  auto* serve = app.add_subcommand("serve", "serve the HTTP JSON API (see docs/API.md)");
  serve->add_option("--listen", sv.listen,
                    "ADDRESS:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  serve->add_option("--store", sv.store, "sqlite:PATH or postgres://… (default: the data home's SQLite)");
  serve->add_option("--threads", sv.threads, "I/O threads (default one per core)");
  serve->add_option("--workers", sv.workers,
                    "threads for long requests: batches, impact, imports (default one per core)");
  serve->add_option("--tls-cert", sv.tls_cert, "PEM certificate chain: serve HTTPS");
  serve->add_option("--tls-key", sv.tls_key, "PEM private key for --tls-cert");
  serve->add_option("--anonymous-role", sv.anonymous_role,
                    "role granted to callers without a key (default none: they are refused)");
  serve->add_option("--log", sv.log, "JSON log lines to this file (default stderr)");
  serve->add_option("--log-level", sv.log_level, "debug|info|warn|error (info logs every request)");
  sv.web_dir = web_dir;
  serve->add_option(
      "--web", sv.web_dir,
      "the analyst page's files, served at / (default: the installed or source web/; '' = none)");
  serve->add_option("--max-list-age", sv.max_list_age_days,
                    "days after which GET /v1/lists (and the page) calls a list stale (default 7)");
  serve->add_option("--port-file", sv.port_file, "write the port listened on to this file");
  serve->add_option("--max-body", sv.max_body, "largest JSON request body in bytes (default 1 MiB)");
  serve->add_option("--max-upload", sv.max_upload,
                    "largest upload (batch, impact, lists) in bytes (default 64 MiB)");
  serve->add_option("--max-batch", sv.max_batch, "most rows in one synchronous batch (default 10000)");
  serve->add_option("--max-json-depth", sv.max_json_depth, "deepest JSON nesting accepted (default 32)");
  serve->add_option("--request-timeout", sv.request_timeout,
                    "seconds for a request to arrive and be handled (default 30)");
  serve->add_option("--idle-timeout", sv.idle_timeout,
                    "seconds a keep-alive connection may sit idle (default 60)");
  serve->add_option("--rate-limit", sv.rate_limit, "requests per second per key, 0 = off (default 200)");
  serve->add_option("--rate-burst", sv.rate_burst, "token-bucket size per key (default 400)");
  serve->add_option("--shutdown-grace", sv.shutdown_grace,
                    "seconds to finish requests in flight on SIGTERM (default 30)");
  serve->add_option("--update-every", sv.update_every,
                    "run `lists update` this often and switch to new lists without downtime (e.g. 6h, 30m)");
  serve->add_option("--job-workers", sv.job_workers,
                    "PostgreSQL store: threads working on chunks of shared batch jobs (default 1)");
  serve->add_option(
      "--job-lease", sv.job_lease,
      "PostgreSQL store: seconds before a chunk of a replica that stopped is taken over (default 30)");
  serve->add_option("--job-chunk-rows", sv.job_chunk_rows,
                    "PostgreSQL store: rows per chunk of a shared batch job (default 10000)");
  serve->add_option("--job-impact-rows", sv.job_impact_rows,
                    "PostgreSQL store: orders per chunk of a shared impact run (default 250000)");
  serve->add_option("--update-config", sv.update_config,
                    "sources of --update-every and POST /v1/lists/update (default: as `lists update`)");

  // audit
  AuditArgs au;
  auto* audit = app.add_subcommand("audit", "the audit trail: verify, head, show, export, replay, redact");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "recompute the chain; name the first altered record");
  audit_verify->add_option("--extends", au.extends, "also check the trail still holds this SEQ:HASH");
  auto* audit_head = audit->add_subcommand("head", "print the last record as SEQ:HASH");
  auto* audit_show = audit->add_subcommand("show", "print one record");
  audit_show->add_option("id", au.id, "record number")->required();
  auto* audit_export = audit->add_subcommand("export", "records as JSON lines");
  audit_export->add_option("--from", au.from, "first day (YYYY-MM-DD) or time");
  audit_export->add_option("--to", au.to, "last day (YYYY-MM-DD, inclusive) or time");
  audit_export->add_option("--action", au.actions,
                           "only this action (repeatable; 'screen' includes batches)");
  audit_export->add_option("--output", au.output, "write here instead of stdout");
  auto* audit_replay =
      audit->add_subcommand("replay", "rerun a recorded answer on its recorded lists and rules; same or not");
  audit_replay->add_option("id", au.id, "record number")->required();
  audit_replay->add_option("--orders", au.orders, "impact: the order book, when the store did not keep it");
  auto* audit_redact =
      audit->add_subcommand("redact", "blank a record's inputs (legal erasure), on the record");
  audit_redact->add_option("id", au.id, "record number")->required();
  audit_redact->add_option("--reason", au.reason, "why (e.g. the erasure request)")->required();
  for (auto* sub : {audit_verify, audit_head, audit_replay})
    sub->add_option("--format", au.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // cases
  CasesArgs ca;
  auto* cases = app.add_subcommand("cases", "review cases of screening hits");
  cases->require_subcommand(1);
  auto* cases_list = cases->add_subcommand("list", "list cases");
  cases_list->add_option("--status", ca.status, "open|pending|decided|released|expired");
  auto* cases_show = cases->add_subcommand("show", "show one case");
  cases_show->add_option("id", ca.id, "case number")->required();
  auto* cases_decide = cases->add_subcommand("decide", "decide a case: true_match or false_positive");
  cases_decide->add_option("id", ca.id, "case number")->required();
  cases_decide->add_option("--as", ca.as, "true_match or false_positive")->required();
  cases_decide->add_option("--reason", ca.reason, "why")->required();
  auto* cases_approve = cases->add_subcommand("approve", "approve a pending decision (a second user)");
  cases_approve->add_option("id", ca.id, "case number")->required();
  auto* cases_policy = cases->add_subcommand("policy", "show or change the review policy");
  cases_policy->add_option("--require-approval", ca.require_approval, "true|false: four-eyes approval");
  cases_policy->add_option("--suppression-days", ca.suppression_days,
                           "how long a false positive suppresses its pair (default 365)");
  for (auto* sub : {cases_list, cases_show, cases_decide, cases_approve, cases_policy})
    sub->add_option("--format", ca.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  // backup / restore
  std::string backup_dir;
  auto* backup = app.add_subcommand("backup", "a consistent copy of the store (SQLite) while it is in use");
  backup->add_option("dir", backup_dir, "an empty directory")->required();
  auto* restore = app.add_subcommand("restore", "replace the store with a backup that verifies");
  restore->add_option("dir", backup_dir, "the backup directory")->required();

  // keys
  KeysArgs ka;
  auto* keys = app.add_subcommand("keys", "API keys of `clearance serve`: create, list, revoke");
  keys->require_subcommand(1);
  auto* keys_create = keys->add_subcommand("create", "create a key (printed once; only its hash is kept)");
  keys_create->add_option("--name", ka.name, "who the key is for")->required();
  keys_create->add_option("--role", ka.role, "viewer|analyst|approver|admin|auditor (docs/API.md)")
      ->required();
  auto* keys_list = keys->add_subcommand("list", "list the keys (ids, roles, names; never the keys)");
  keys_list->add_option("--format", ka.format, "text|json");
  auto* keys_revoke =
      keys->add_subcommand("revoke", "revoke a key by its id (a running server stops taking it)");
  keys_revoke->add_option("ID", ka.id, "the key id (kXXXXXXXX)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  Context ctx;
  if (home.empty())
    if (const char* h = std::getenv("CLEARANCE_HOME")) home = h;
  if (home.empty()) {
    const char* h = std::getenv("HOME");
    home = std::string(h ? h : ".") + "/.clearance";
  }
  ctx.home = home;
  ctx.data_dir = data_dir;
  // Where MeCab's IPA dictionary is, when not where Debian puts it.
  if (const char* d = std::getenv("CLEARANCE_MECAB_DICTIONARY")) ctx.mecab_dictionary = d;
  ctx.store_location = store_location;
  ctx.record = !no_record;

  if (*lists) {
    if (*import) return cmd_lists_import(ctx, imp);
    if (*update) return cmd_lists_update(ctx, upd);
    if (*history) return cmd_lists_history(ctx, history_list, history_format);
    if (*diff) return cmd_lists_diff(ctx, dif);
    return cmd_lists_show(ctx, lists_format);
  }
  if (*aliases) {
    if (*aliases_import) return cmd_aliases_import(ctx, alias_file, alias_name);
    return cmd_aliases_show(ctx);
  }
  if (*screen) {
    if (sc.format == "text" && !sc.input.empty()) sc.format = "jsonl";
    return cmd_screen(ctx, sc);
  }
  if (*compare) return cmd_compare(ctx, cmp);
  if (*rescreen) return cmd_rescreen(ctx, rs);
  if (*changes) return cmd_changes(ctx, chg);
  if (*monitor) {
    if (*monitor_add) return cmd_monitor_add(ctx, mon);
    if (*monitor_list) return cmd_monitor_list(ctx, mon);
    if (*monitor_remove) return cmd_monitor_remove(ctx, mon);
    if (*monitor_run) return cmd_monitor_run(ctx, mon);
  }
  if (*classify) return run_classify(ctx, cls);
  if (*check) return run_check(ctx, chk);
  if (*impact) return run_impact(ctx, ia);
  if (*keys) {
    if (*keys_create) return cmd_keys_create(ctx, ka);
    if (*keys_list) return cmd_keys_list(ctx, ka);
    if (*keys_revoke) return cmd_keys_revoke(ctx, ka);
  }
  if (*serve) {
    sv.home = ctx.home;
    sv.data_dir = ctx.data_dir;
    sv.mecab_dictionary = ctx.mecab_dictionary;
    if (sv.store.empty()) sv.store = ctx.store_location;  // the global --store
    ctx.store_location = sv.store;
    auto so = ctx.store_options();
    if (!so) return exit_with(so.error());
    sv.store_options = *so;
    sv.record = ctx.record;
    auto st = clearance::server::run_serve(sv);
    return st ? 0 : exit_with(st.error());
  }
  if (*audit) {
    if (*audit_verify) return cmd_audit_verify(ctx, au);
    if (*audit_head) return cmd_audit_head(ctx, au);
    if (*audit_show) return cmd_audit_show(ctx, au);
    if (*audit_export) return cmd_audit_export(ctx, au);
    if (*audit_replay) return cmd_audit_replay(ctx, au);
    if (*audit_redact) return cmd_audit_redact(ctx, au);
  }
  if (*cases) {
    if (*cases_list) return cmd_cases_list(ctx, ca);
    if (*cases_show) return cmd_cases_show(ctx, ca);
    if (*cases_decide) return cmd_cases_decide(ctx, ca);
    if (*cases_approve) return cmd_cases_approve(ctx, ca);
    if (*cases_policy) return cmd_cases_policy(ctx, ca);
  }
  if (*backup) return cmd_backup(ctx, backup_dir);
  if (*restore) return cmd_restore(ctx, backup_dir);
  return 2;
}

}  // namespace

// Every failure ends with a message and exit status 1 or 2, never an abort: an exception that
// escapes a command (a bug, or memory exhausted) is reported as an internal error. An answer
// written to stdout that did not reach it (a full disk) fails the command too.
int main(int argc, char** argv) {
  int status;
  try {
    status = run(argc, argv);
  } catch (const std::exception& e) {
    return exit_with(clearance::Error::Internal(std::string("internal error: ") + e.what()));
  } catch (...) {
    return exit_with(clearance::Error::Internal("internal error: unknown exception"));
  }
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))
    return exit_with(clearance::Error::Io("stdout: write failed"));
  return status;
}
