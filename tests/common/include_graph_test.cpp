// The module layering (docs/DESIGN-NOTES.md, "Module layers"), checked on every #include of src/
// and include/: an arrow may only point down the layers, and a private header (src/<module>/x.hpp)
// is only included from its own module.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace clearance {
namespace {

// Which modules each module may include, directly. Lower layers first; the test closes the table
// transitively, so each row names only the layers just below.
const std::map<std::string, std::set<std::string>>& allowed_below() {
  static const std::map<std::string, std::set<std::string>> kBelow = {
      {"common", {}},
      {"text", {"common"}},
      {"lists", {"text"}},
      {"match", {"lists"}},
      {"rules", {"common"}},
      {"items", {"rules", "text"}},
      {"decide", {"items", "match"}},
      {"impact", {"decide"}},
      {"store", {"impact"}},
      {"server", {"store"}},
      {"cli", {"server"}},
  };
  return kBelow;
}

// Front ends linked into one binary may share their private headers.
const std::set<std::string> kOneBinary = {"cli", "server"};

std::set<std::string> reachable(const std::string& module) {
  std::set<std::string> out;
  std::vector<std::string> todo = {module};
  while (!todo.empty()) {
    std::string m = todo.back();
    todo.pop_back();
    auto it = allowed_below().find(m);
    if (it == allowed_below().end()) continue;
    for (const auto& d : it->second)
      if (out.insert(d).second) todo.push_back(d);
  }
  return out;
}

struct SourceFile {
  std::string path;  // relative to the repository: "src/text/fold.cpp", "include/clearance/text/fold.hpp"
  std::string text;
};

// The module a file belongs to, and whether it is a public header.
bool module_of(const std::string& path, std::string& module, bool& is_public) {
  auto first = [](const std::string& s) { return s.substr(0, s.find('/')); };
  if (path.rfind("src/", 0) == 0) {
    module = first(path.substr(4));
    is_public = false;
  } else if (path.rfind("include/clearance/", 0) == 0) {
    module = first(path.substr(18));
    is_public = true;
  } else {
    return false;
  }
  return true;
}

// Every violation of the layering in `files`, one message each ("file:line: …").
std::vector<std::string> layering_violations(const std::vector<SourceFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::string from;
    bool from_public = false;
    if (!module_of(f.path, from, from_public)) continue;
    if (!allowed_below().count(from)) {
      out.push_back(f.path + ": module '" + from + "' has no place in the layer table");
      continue;
    }
    std::set<std::string> may = reachable(from);
    std::istringstream in(f.text);
    std::string line;
    for (int no = 1; std::getline(in, line); ++no) {
      auto p = line.find_first_not_of(" \t");
      if (p == std::string::npos || line.compare(p, 8, "#include") != 0) continue;
      auto q = line.find('"', p);
      if (q == std::string::npos) continue;  // <system> headers
      auto q2 = line.find('"', q + 1);
      std::string target = line.substr(q + 1, q2 - q - 1);
      std::string where = f.path + ":" + std::to_string(no) + ": includes \"" + target + "\": ";
      std::string to;
      bool to_public = target.rfind("clearance/", 0) == 0;
      std::string rest = to_public ? target.substr(10) : target;
      to = rest.substr(0, rest.find('/'));
      if (rest.find('/') == std::string::npos || !allowed_below().count(to)) {
        out.push_back(where + "not a header of a known module");
        continue;
      }
      if (!to_public && to != from && !(kOneBinary.count(from) && kOneBinary.count(to))) {
        out.push_back(where + "a private header of " + to + " used from " + from);
        continue;
      }
      if (!to_public && from_public) {
        out.push_back(where + "a public header may include only public headers");
        continue;
      }
      if (to != from && !may.count(to))
        out.push_back(where + "the arrow points up: " + from + " may not depend on " + to);
    }
  }
  return out;
}

std::vector<SourceFile> repository_sources() {
  namespace fs = std::filesystem;
  std::vector<SourceFile> files;
  const fs::path root = clearance::testing::source_dir();
  for (const char* top : {"src", "include"})
    for (const auto& e : fs::recursive_directory_iterator(root / top)) {
      auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      files.push_back({fs::relative(e.path(), root).generic_string(), ss.str()});
    }
  return files;
}

TEST(IncludeGraph, EveryArrowPointsDownAndNoPrivateHeaderLeavesItsModule) {
  auto files = repository_sources();
  ASSERT_GT(files.size(), 100u) << "source tree not found under " << clearance::testing::source_dir();
  std::string all;
  for (const auto& v : layering_violations(files)) all += v + "\n";
  EXPECT_TRUE(all.empty()) << all;
}

// The checker itself: an upward arrow, a private header of another module and a private header in
// a public one are each caught; downward arrows and a module's own private headers are not.
TEST(IncludeGraph, CheckerCatchesUpwardArrowsAndForeignPrivateHeaders) {
  std::vector<SourceFile> files = {
      {"include/clearance/text/fold.hpp", "#include \"clearance/lists/party.hpp\"\n"},
      {"src/decide/orders.cpp", "#include <vector>\n#include \"lists/formats/csv_reader.hpp\"\n"},
      {"include/clearance/match/screener.hpp", "#include \"match/index.hpp\"\n"},
      {"src/match/screener.cpp",
       "#include \"match/index.hpp\"\n#include \"clearance/lists/party.hpp\"\n"
       "#include \"clearance/common/csv.hpp\"\n"},
      {"src/cli/main.cpp", "#include \"clearance/impact/report.hpp\"\n#include \"server/http.hpp\"\n"},
      {"src/rules/condition.cpp", "  #include \"clearance/text/fold.hpp\"\n"},
  };
  auto v = layering_violations(files);
  ASSERT_EQ(v.size(), 4u) << ::testing::PrintToString(v);
  EXPECT_NE(v[0].find("include/clearance/text/fold.hpp:1"), std::string::npos) << v[0];
  EXPECT_NE(v[0].find("text may not depend on lists"), std::string::npos) << v[0];
  EXPECT_NE(v[1].find("src/decide/orders.cpp:2"), std::string::npos) << v[1];
  EXPECT_NE(v[1].find("private header of lists used from decide"), std::string::npos) << v[1];
  EXPECT_NE(v[2].find("public header may include only public headers"), std::string::npos) << v[2];
  EXPECT_NE(v[3].find("rules may not depend on text"), std::string::npos) << v[3];
}

}  // namespace
}  // namespace clearance
