// What the libFuzzer targets share (docs/RELIABILITY.md): the bundled data loaded once per process,
// and a plain-text way for one input to hold several files, so committed corpus files stay readable.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/files.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/text/countries.hpp"
#include "support/paths.hpp"

namespace clearance::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A target whose fixed inputs (the bundled tables, rule packs) do not load cannot fuzz anything.
[[noreturn]] inline void setup_failed(const std::string& what) {
  std::fprintf(stderr, "fuzz setup: %s\n", what.c_str());
  std::abort();
}

inline std::string bundled(const std::string& relative) {
  auto data = read_file(*Env::Default(), clearance::testing::data_dir() + "/" + relative);
  if (!data) setup_failed(data.error().message);
  return *data;
}

inline const CountryTable& countries() {
  static const CountryTable table = [] {
    auto t = CountryTable::parse(bundled("text/countries.tsv"), "countries.tsv");
    if (!t) setup_failed(t.error().message);
    return std::move(*t);
  }();
  return table;
}

// An input holding several files: each starts with a line "#FILE name"; text before the first such
// line (or all of it, when there is none) is the file `first_name`. At most 8 files.
inline std::vector<SourceFile> split_files(std::string_view text, const std::string& first_name) {
  constexpr std::string_view kMark = "#FILE ";
  constexpr auto npos = std::string_view::npos;
  auto find_mark = [&](size_t from) -> size_t {  // a "#FILE " at the start of a line, at or after from
    if (from == 0 && text.starts_with(kMark)) return 0;
    size_t i = text.find("\n#FILE ", from == 0 ? 0 : from - 1);
    return i == npos ? npos : i + 1;
  };
  std::vector<SourceFile> files;
  std::string name = first_name;
  size_t start = 0;
  while (files.size() < 8) {
    size_t mark = find_mark(start);
    size_t end = mark == npos ? text.size() : mark;
    if (end > start || mark == npos) files.push_back({name, std::string(text.substr(start, end - start))});
    if (mark == npos) break;
    size_t eol = text.find('\n', mark);
    name = std::string(
        text.substr(mark + kMark.size(), (eol == npos ? text.size() : eol) - mark - kMark.size()));
    if (eol == npos) {
      files.push_back({name, ""});
      break;
    }
    start = eol + 1;
  }
  return files;
}

// Loads `files` as `format` leniently and strictly: either an error or parties, never a crash.
inline void load_both_ways(const std::vector<SourceFile>& files, ListFormat format) {
  for (bool strict : {false, true}) {
    LoadOptions o;
    o.format = format;
    o.strict = strict;
    o.max_record_bytes = 64 << 10;
    auto l = load_list(files, o, countries());
    if (l && l->report.problems.size() > o.max_reported) std::abort();
  }
}

}  // namespace clearance::fuzz

namespace clearance::fuzz {

// The bundled files under data/<dir> with `ext`, recursively, in path order, as (relative path, text).
inline std::vector<std::pair<std::string, std::string>> bundled_tree(const std::string& dir,
                                                                     const std::string& ext) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string root = clearance::testing::data_dir() + "/" + dir;
  for (auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ext) {
      auto rel = std::filesystem::relative(e.path(), root).string();
      out.emplace_back(rel, bundled(dir + "/" + rel));
    }
  std::sort(out.begin(), out.end());
  return out;
}

// Splits "first line\nrest": the first line names what the rest is.
inline std::pair<std::string_view, std::string_view> head_and_rest(std::string_view text) {
  size_t eol = text.find('\n');
  if (eol == std::string_view::npos) return {text, {}};
  return {text.substr(0, eol), text.substr(eol + 1)};
}

}  // namespace clearance::fuzz
