// What every command needs: the data home, the bundled data directory, and lazily loaded tables,
// lists and screener. Errors map to exit codes in exactly one place (exit_with).
#pragma once

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/store/store.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::cli {

struct Context {
  std::string home;              // --home, $CLEARANCE_HOME, ~/.clearance
  std::string data_dir;          // $CLEARANCE_DATA or the build's bundled data/
  std::string mecab_dictionary;  // $CLEARANCE_MECAB_DICTIONARY; empty: Debian's IPAdic
  std::string store_location;    // --store sqlite:PATH|postgres://…; empty: <home>/store.sqlite
  bool record = true;            // false with --no-record: a trial run, nothing is written to the store

  // The store, opened on first use (the system clock; the chain-head file beside a SQLite store,
  // under <home>/audit-heads/ for PostgreSQL).
  Result<Store*> store();
  // How store() opens it (restore replaces the store before opening it).
  Result<StoreOptions> store_options() const;
  // For a trial run: the store when it exists (to show the cases that apply), else nullptr.
  Result<Store*> store_if_exists();
  // Who is asking: the OS user.
  std::string caller() const;
  // The snapshots the screener screens against, kept in the store once: what a record names.
  Result<std::vector<SnapshotRef>> screened_lists(Store& store);
  // Appends a record (the caller is filled in) and returns its number once durable; 0 for a trial
  // run (--no-record), which writes nothing.
  Result<std::int64_t> put_on_record(RecordDraft draft);

  // The bundled tables plus the user's alias tables (<home>/aliases/*.tsv).
  Result<std::shared_ptr<const TextTables>> tables();
  std::vector<std::string> alias_files() const;
  // The lists in force, or the bundled samples when none were imported.
  Result<std::vector<ListSnapshot>> lists(bool* using_samples = nullptr);
  Result<std::shared_ptr<const Screener>> screener();
  // A snapshot from the home's files (any that the history names), else the copy the records store
  // keeps (retention removed the file); errors name the list and the snapshot.
  Result<ListSnapshot> load_snapshot(const ListStore& lists, const SnapshotInfo& info);

 private:
  std::shared_ptr<const TextTables> tables_;
  std::shared_ptr<const Screener> screener_;
  std::unique_ptr<Store> store_;
};

// Where an installed binary finds its bundled files: <dir of the executable>/../share/clearance/SUB
// when that directory exists (a package installs /usr/bin/clearance beside /usr/share/clearance),
// else `built_in` (the source tree the binary was built from).
std::string installed_or(std::string_view sub, std::string built_in);

// The line that says an answer is (or is not) on the record, for text output.
std::string record_line(bool recorded, std::int64_t seq);
// The same in a JSON answer: "record": seq, or "recorded": false for a trial run (seq 0).
void mark_record(nlohmann::ordered_json& answer, std::int64_t seq);
// Printed to stderr by every command run with --no-record that would have recorded.
void say_trial_run();

// Fails (kBadInput) when `output` names the same file as one of `inputs`: writing would truncate
// the input before it is read.
Status refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs);

// Where a command writes its answer: a file (--output) or stdout. Every write and the final close
// are checked, so a full disk is an error (exit 1), never a silently short file.
class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  ~Output();

  // Empty path: stdout. Refuses (kBadInput) an output that is one of `inputs` (it would be
  // truncated before it is read), before anything is opened.
  Status open(const std::string& path, const std::vector<std::string>& inputs = {});
  Status write(std::string_view s);
  // Flushes and closes; the error of any failed write or of the close itself.
  Status close();
  const std::string& name() const { return name_; }

 private:
  std::FILE* f_ = nullptr;
  bool owned_ = false;
  bool failed_ = false;
  std::string name_ = "stdout";
};

// Prints "clearance: <message>" to stderr and returns the exit status for the error kind:
// 2 for bad input or usage, 1 for internal or I/O failures.
int exit_with(const Error& e);

// ISO 8601 UTC now (front ends may read the clock; the library may not).
std::string utc_now();

}  // namespace clearance::cli
