// `clearance serve`: options as parsed by main.cpp, and the process around the service (threads,
// signals, graceful shutdown, TLS).
#pragma once

#include <string>

#include "clearance/common/result.hpp"
#include "clearance/store/store.hpp"

namespace clearance::server {

struct ServeArgs {
  std::string home;              // the data home (lists in force, aliases, the store)
  std::string data_dir;          // bundled tables, rule packs, catalogue
  std::string mecab_dictionary;  // IPAdic for Japanese readings; empty: Debian's
  std::string listen = "127.0.0.1:8080";
  std::string store;
  StoreOptions store_options;  // where the audit trail is (main.cpp fills it as every command does)
  bool record = true;          // false (--no-record): a trial server, nothing is put on the record
  unsigned threads = 0;        // io threads; 0 = one per core
  unsigned workers = 0;        // pool for long requests; 0 = one per core
  std::string tls_cert, tls_key;
  std::string anonymous_role;
  std::string log = "-";
  std::string log_level = "info";
  std::string web_dir;           // the analyst page's files, served at "/" ("" = no page)
  double max_list_age_days = 7;  // GET /v1/lists marks older lists stale (the page warns)
  std::string port_file;         // written with the bound port once listening (for --listen HOST:0)
  std::uint64_t max_body = 1 << 20;
  std::uint64_t max_upload = 64 << 20;
  std::size_t max_batch = 10'000;
  int max_json_depth = 32;
  double request_timeout = 30;  // seconds
  double idle_timeout = 60;
  double rate_limit = 200;  // requests per second per key (0 = off)
  double rate_burst = 400;
  double shutdown_grace = 30;  // seconds to finish requests in flight on SIGTERM
  std::string update_every;    // `lists update` this often ("6h", "30m"; "" = never)
  std::string update_config;   // the sources' configuration ("" = as `lists update` finds it)
  // The job queue shared through a PostgreSQL store (docs/SCALING.md).
  unsigned job_workers = 1;               // chunk workers of this replica
  double job_lease = 30;                  // seconds a claimed chunk is held without renewal
  std::size_t job_chunk_rows = 10'000;    // rows per chunk of a batch screening
  std::size_t job_impact_rows = 250'000;  // orders per chunk of an impact run
};

// Runs until SIGTERM/SIGINT. An error means the server could not start (bad option, port taken,
// lists or rules that do not load); the caller maps it to the exit status.
Status run_serve(const ServeArgs& a);

// A duration such as "6h", "30m", "90s", "1d" or "1h30m" in seconds; errors name the option.
Result<double> parse_duration(const std::string& text, const std::string& option);

}  // namespace clearance::server
