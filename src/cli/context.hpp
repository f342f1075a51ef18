// What every command needs: the data home, the bundled data directory, and lazily loaded tables,
// lists and screener. Errors map to exit codes in exactly one place (exit_with).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/lists/snapshot.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/text/tables.hpp"

namespace clearance::cli {

struct Context {
  std::string home;      // --home, $CLEARANCE_HOME, ~/.clearance
  std::string data_dir;  // $CLEARANCE_DATA or the build's bundled data/

  // The bundled tables plus the user's alias tables (<home>/aliases/*.tsv).
  Result<std::shared_ptr<const TextTables>> tables();
  std::vector<std::string> alias_files() const;
  // The lists in force, or the bundled samples when none were imported.
  Result<std::vector<ListSnapshot>> lists(bool* using_samples = nullptr);
  Result<std::shared_ptr<const Screener>> screener();

 private:
  std::shared_ptr<const TextTables> tables_;
  std::shared_ptr<const Screener> screener_;
};

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
