// Helpers for the library's YAML readers (rule packs, country groups, the item catalogue, chip
// specs): typed getters that fail with "file:line: field: message". They throw PackError, which
// each public loader catches at its boundary and turns into an Error (nothing throws across the
// public API). Front ends have no use for them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/date.hpp"
#include "clearance/common/result.hpp"

namespace clearance::detail {

struct PackError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// 1-based line of a node, 0 when yaml-cpp does not know it.
int line_of(const YAML::Node& n);

[[noreturn]] void fail(std::string_view file, const YAML::Node& n, std::string_view field,
                       std::string_view msg);
[[noreturn]] void fail_at(std::string_view file, int line, std::string_view field, std::string_view msg);

// Bounds on one YAML document, counted with every alias expanded (what a reader that walks the
// tree visits). The defaults are far above the bundled packs (the largest holds a few thousand
// nodes) and far below what would exhaust memory.
struct YamlLimits {
  size_t max_nodes = 250000;
  size_t max_aliases = 10000;
};

// Parses text; a syntax error, or a document past the limits, becomes PackError with the line.
YAML::Node parse_yaml(std::string_view text, std::string_view file, const YamlLimits& limits = {});

// Reads a required or optional key of a map. `field` is the dotted path used in messages.
std::string get_string(std::string_view file, const YAML::Node& map, std::string_view key,
                       std::string_view field, bool required);
std::string as_string(std::string_view file, const YAML::Node& n, std::string_view field);
double as_number(std::string_view file, const YAML::Node& n, std::string_view field);
bool as_bool(std::string_view file, const YAML::Node& n, std::string_view field);
Date as_date(std::string_view file, const YAML::Node& n, std::string_view field);
char as_confidence(std::string_view file, const YAML::Node& n, std::string_view field);
// A scalar or a sequence of scalars.
std::vector<std::string> as_string_list(std::string_view file, const YAML::Node& n, std::string_view field);
// Fails on a key not in `allowed`, suggesting the nearest allowed key.
void check_keys(std::string_view file, const YAML::Node& map, std::string_view field,
                std::initializer_list<std::string_view> allowed);
void require_map(std::string_view file, const YAML::Node& n, std::string_view field);
void require_sequence(std::string_view file, const YAML::Node& n, std::string_view field);
bool is_country_code(std::string_view s);

// Levenshtein distance over Unicode code points (UTF-8 input).
size_t edit_distance(std::string_view a, std::string_view b);
// The options nearest to `word` (at most `limit`, within a distance that scales with length).
std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& options,
                                 size_t limit = 3);
// " (did you mean …?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& options);

}  // namespace clearance::detail
