#include "clearance/common/yaml.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "clearance/common/strings.hpp"
#include "clearance/common/utf8.hpp"

namespace clearance::detail {

int line_of(const YAML::Node& n) {
  if (!n.IsDefined()) return 0;
  auto m = n.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

void fail_at(std::string_view file, int line, std::string_view field, std::string_view msg) {
  std::string s(file);
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!field.empty()) {
    s += field;
    s += ": ";
  }
  s += msg;
  throw PackError(s);
}

void fail(std::string_view file, const YAML::Node& n, std::string_view field, std::string_view msg) {
  fail_at(file, line_of(n), field, msg);
}

namespace {

// Counts the nodes a document holds once every alias is expanded, from the parser's events and
// without building anything, and stops at the first node past a limit. yaml-cpp shares an
// aliased node rather than copying it, but every reader of the packs walks the tree: a few
// lines of nested anchors ("billion laughs") would make it walk, and copy into conditions,
// exponentially many nodes.
class SizeGuard : public YAML::EventHandler {
 public:
  SizeGuard(std::string_view file, const YamlLimits& limits) : file_(file), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (++aliases_ > limits_.max_aliases)
      fail_at(file_, mark.line + 1, "",
              "more than " + std::to_string(limits_.max_aliases) +
                  " aliases (*name); a rule pack this large is refused");
    add(mark, anchor < sizes_.size() ? sizes_[anchor] : 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    size_t start;  // expanded_ before the collection's own node
    YAML::anchor_t anchor;
  };
  void add(const YAML::Mark& mark, size_t n) {
    expanded_ += n;
    if (expanded_ > limits_.max_nodes)
      fail_at(file_, mark.line + 1, "",
              "the document holds more than " + std::to_string(limits_.max_nodes) +
                  " nodes once its aliases (*name) are expanded; a rule pack this large is refused");
  }
  void remember(YAML::anchor_t anchor, size_t size) {
    if (anchor == YAML::NullAnchor) return;
    if (sizes_.size() <= anchor) sizes_.resize(anchor + 1, 1);
    sizes_[anchor] = size;
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(mark, 1);
    remember(anchor, 1);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    stack_.push_back({expanded_, anchor});
    add(mark, 1);
  }
  void close() {
    if (stack_.empty()) return;
    Open o = stack_.back();
    stack_.pop_back();
    remember(o.anchor, expanded_ - o.start);
  }

  std::string_view file_;
  const YamlLimits& limits_;
  std::vector<Open> stack_;
  std::vector<size_t> sizes_;  // expanded size of each anchored node, by anchor id
  size_t expanded_ = 0, aliases_ = 0;
};

}  // namespace

YAML::Node parse_yaml(std::string_view text, std::string_view file, const YamlLimits& limits) {
  try {
    {
      std::istringstream in{std::string(text)};
      YAML::Parser parser(in);
      SizeGuard guard(file, limits);
      while (parser.HandleNextDocument(guard)) {
      }
    }
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    fail_at(file, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "YAML syntax: " + e.msg);
  }
}

std::string as_string(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (!n.IsScalar()) fail(file, n, field, "expected a text value");
  return n.Scalar();
}

std::string get_string(std::string_view file, const YAML::Node& map, std::string_view key,
                       std::string_view field, bool required) {
  auto n = map[std::string(key)];
  if (!n.IsDefined() || n.IsNull()) {
    if (required) fail(file, map, field, "missing (required)");
    return {};
  }
  std::string s = as_string(file, n, field);
  if (required && trim(s).empty()) fail(file, n, field, "empty (required)");
  return s;
}

double as_number(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (!n.IsScalar()) fail(file, n, field, "expected a number");
  const std::string& s = n.Scalar();
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
    fail(file, n, field, "expected a number, got '" + s + "'");
  return v;
}

bool as_bool(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (n.IsScalar()) {
    std::string s = to_lower_ascii(n.Scalar());
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
  }
  fail(file, n, field, "expected true or false");
}

Date as_date(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (!n.IsScalar()) fail(file, n, field, "expected a date YYYY-MM-DD");
  auto d = Date::parse(n.Scalar());
  if (!d) fail(file, n, field, "bad date '" + n.Scalar() + "' (expected a real date YYYY-MM-DD)");
  return *d;
}

char as_confidence(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "V" || s == "S" || s == "U") return s[0];
  }
  fail(file, n, field, "expected a confidence mark V, S or U (see DOMAIN.md)");
}

std::vector<std::string> as_string_list(std::string_view file, const YAML::Node& n, std::string_view field) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (size_t i = 0; i < n.size(); ++i)
      out.push_back(as_string(file, n[i], std::string(field) + "[" + std::to_string(i) + "]"));
  } else {
    fail(file, n, field, "expected a value or a list of values");
  }
  return out;
}

void require_map(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (!n.IsMap()) fail(file, n, field, "expected a mapping (key: value …)");
}

void require_sequence(std::string_view file, const YAML::Node& n, std::string_view field) {
  if (!n.IsSequence()) fail(file, n, field, "expected a list (- …)");
}

void check_keys(std::string_view file, const YAML::Node& map, std::string_view field,
                std::initializer_list<std::string_view> allowed) {
  require_map(file, map, field);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) fail(file, it->first, field, "keys must be words");
    const std::string& k = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::vector<std::string> opts(allowed.begin(), allowed.end());
      fail(file, it->first, std::string(field).empty() ? k : std::string(field) + "." + k,
           "unknown key" + did_you_mean(k, opts));
    }
  }
}

bool is_country_code(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

size_t edit_distance(std::string_view a, std::string_view b) {
  auto x = utf8::code_points(a), y = utf8::code_points(b);
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& options,
                                 size_t limit) {
  std::string w = to_lower_ascii(word);
  size_t len = utf8::count(w);
  size_t max_d = std::max<size_t>(2, len / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& o : options) {
    std::string lo = to_lower_ascii(o);
    size_t d = edit_distance(w, lo);
    // A word that is the start of an option ("die_area" for "die_area_mm2") is a near miss too.
    if (w.size() >= 3 && lo.size() > w.size() && lo.compare(0, w.size(), w) == 0) d = std::min<size_t>(d, 1);
    if (d <= max_d) scored.emplace_back(d, o);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [d, o] : scored) {
    if (std::find(out.begin(), out.end(), o) != out.end()) continue;
    out.push_back(o);
    if (out.size() == limit) break;
  }
  return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& options) {
  auto n = nearest(word, options, 3);
  if (n.empty()) return "";
  std::string s = " (did you mean ";
  for (size_t i = 0; i < n.size(); ++i) s += (i ? ", " : "") + std::string("'") + n[i] + "'";
  return s + "?)";
}

}  // namespace clearance::detail
