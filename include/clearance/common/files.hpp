// File helpers over the IO seam (common/env.hpp): each takes the Env to use; the overloads without
// one use Env::Default(). Callers and tests see the same errors, naming the path.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance {

// Reads a whole file. Fails with kBadInput when missing, a directory, or larger than max_bytes
// (the limit is checked while reading, so a pipe or a growing file cannot exhaust memory).
Result<std::string> read_file(Env& env, const std::string& path, size_t max_bytes = size_t{4} << 30);
Result<std::string> read_file(const std::string& path, size_t max_bytes = size_t{4} << 30);

// Writes bytes to a new uniquely named file in path's directory (O_EXCL | O_NOFOLLOW), fsyncs it,
// renames it over path and fsyncs the directory: readers see the old or the new file, never half,
// and after a crash the new file is either fully there or not at all. On failure the temporary file
// is removed and path is unchanged.
Status write_file_atomic(Env& env, const std::string& path, std::string_view bytes);
Status write_file_atomic(const std::string& path, std::string_view bytes);

Status make_dirs(Env& env, const std::string& path);
Status make_dirs(const std::string& path);

// False when nothing is there or it cannot be looked at.
bool file_exists(Env& env, const std::string& path);
bool is_directory(Env& env, const std::string& path);
bool is_directory(const std::string& path);

// Regular files below dir (recursively, not into symlinked directories) whose extension is one of
// exts, sorted by path. Fails with kBadInput naming dir when it is not a directory, or when the tree
// holds more than max_entries entries (a data directory never does: `--rules-from /` must not walk
// the whole file system).
Result<std::vector<std::string>> list_files(Env& env, const std::string& dir,
                                            const std::vector<std::string>& exts,
                                            size_t max_entries = 100'000);
Result<std::vector<std::string>> list_files(const std::string& dir, const std::vector<std::string>& exts);

// The directory part of a path ("a/b/c.txt" → "a/b", "c.txt" → ".").
std::string dir_of(const std::string& path);

}  // namespace clearance
