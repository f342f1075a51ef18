// What every command needs: the data home, the bundled data directory, and lazily loaded tables,
// lists and screener. Errors map to exit codes in exactly one place (exit_with).
#pragma once

#include <memory>
#include <string>
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

// Prints "clearance: <message>" to stderr and returns the exit status for the error kind:
// 2 for bad input or usage, 1 for internal or I/O failures.
int exit_with(const Error& e);

// ISO 8601 UTC now (front ends may read the clock; the library may not).
std::string utc_now();

}  // namespace clearance::cli
