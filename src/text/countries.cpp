#include "clearance/text/countries.hpp"

#include "clearance/common/files.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/text/fold.hpp"

namespace clearance {

std::string CountryTable::key(std::string_view s) {
  std::string f = text::fold(trim(s));
  std::string out;
  out.reserve(f.size());
  bool space = false;
  for (char c : f) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (keep) {
      if (space && !out.empty()) out += ' ';
      out += c;
      space = false;
    } else if (c != '\'' && c != '.') {
      space = true;  // "People's" → "peoples"; "U.S." → "us"
    }
  }
  return out;
}

Result<CountryTable> CountryTable::load(const std::string& path, Env& env) {
  auto data = read_file(env, path, 16 << 20);
  if (!data) return data.error();
  return parse(*data, path);
}

Result<CountryTable> CountryTable::parse(std::string_view tsv, std::string_view filename) {
  CountryTable t;
  size_t line_no = 0;
  bool header_seen = false;
  for (auto line : split(tsv, '\n')) {
    ++line_no;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    if (!header_seen) {  // first non-comment line is the header
      header_seen = true;
      if (cols.size() >= 1 && equals_icase(trim(cols[0]), "code")) continue;
    }
    if (cols.size() < 2)
      return Error::BadInput(std::string(filename) + ":" + std::to_string(line_no) +
                             ": expected code<TAB>name");
    std::string code = to_upper_ascii(trim(cols[0]));
    if (code.size() != 2)
      return Error::BadInput(std::string(filename) + ":" + std::to_string(line_no) +
                             ": code: not two letters: " + code);
    t.names_[code] = std::string(trim(cols[1]));
    t.by_key_.emplace(key(code), code);
    t.by_key_.emplace(key(cols[1]), code);
    if (cols.size() >= 3)
      for (auto v : split(cols[2], '|'))
        if (!trim(v).empty()) t.by_key_.emplace(key(v), code);
  }
  if (t.names_.empty()) return Error::BadInput(std::string(filename) + ": no countries");
  return t;
}

std::optional<std::string> CountryTable::resolve(std::string_view name_or_code) const {
  auto s = trim(name_or_code);
  if (s.empty()) return std::nullopt;
  if (s.size() == 2) {
    auto code = to_upper_ascii(s);
    if (names_.count(code)) return code;
  }
  auto it = by_key_.find(key(s));
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

bool CountryTable::is_code(std::string_view code) const { return names_.count(std::string(code)) > 0; }

std::string_view CountryTable::name_of(std::string_view code) const {
  auto it = names_.find(std::string(code));
  return it == names_.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> CountryTable::resolve_address_tail(std::string_view address) const {
  // Try the last comma-separated part, then the last two words, then the last word.
  auto a = trim(address);
  while (!a.empty() && (a.back() == '.' || a.back() == ';')) a.remove_suffix(1);
  auto comma = a.rfind(',');
  auto tail = trim(comma == std::string_view::npos ? a : a.substr(comma + 1));
  if (auto c = resolve(tail)) return c;
  auto words = split_trimmed(tail, " ");
  for (size_t n = std::min<size_t>(words.size(), 4); n >= 1; --n) {
    std::string joined;
    for (size_t i = words.size() - n; i < words.size(); ++i) {
      if (!joined.empty()) joined += ' ';
      joined += words[i];
    }
    if (n == 1 && joined.size() == 2) break;  // a bare two-letter word inside an address is not a country
    if (auto c = resolve(joined)) return c;
  }
  return std::nullopt;
}

}  // namespace clearance
