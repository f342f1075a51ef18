// File-system access in one place, so callers and tests see the same errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"

namespace clearance {

// Reads a whole file. Fails with kBadInput when missing or larger than max_bytes.
Result<std::string> read_file(const std::string& path, size_t max_bytes = size_t{4} << 30);
// Writes to path.tmp, fsyncs, and renames over path: readers see the old or the new file, never half.
Status write_file_atomic(const std::string& path, std::string_view bytes);
Status make_dirs(const std::string& path);
// Regular files below dir (recursively) whose extension is one of exts, sorted by path.
// Fails with kBadInput naming dir when it is not a directory.
Result<std::vector<std::string>> list_files(const std::string& dir, const std::vector<std::string>& exts);

}  // namespace clearance
