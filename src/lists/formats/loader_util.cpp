#include "lists/formats/loader_util.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "clearance/common/date.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/text/fold.hpp"

namespace clearance::formats {

// ---------------------------------------------------------------------------------------------
// Reporting

std::optional<Error> RowErrors::skip(std::string_view file, size_t line, std::string_view field,
                                     std::string message) {
  RowProblem p{std::string(file), line, std::string(field), std::move(message)};
  ++report_.skipped;
  if (options_.strict) return Error::BadInput(p.to_string() + " (strict mode)");
  report_.add_problem(options_, std::move(p));
  return std::nullopt;
}

void RowErrors::orphan(std::string_view file, size_t line, std::string_view field, std::string message) {
  ++report_.orphans;
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

void RowErrors::ignore(std::string_view file, size_t line, std::string_view field, std::string message) {
  ++report_.skipped;
  ++report_.ignored;
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

void RowErrors::note(std::string_view file, size_t line, std::string_view field, std::string message) {
  report_.add_problem(options_, RowProblem{std::string(file), line, std::string(field), std::move(message)});
}

LineIndex::LineIndex(std::string_view text) {
  const char* base = text.data();
  size_t pos = 0;
  while (pos < text.size()) {
    const void* hit = std::memchr(base + pos, '\n', text.size() - pos);
    if (!hit) break;
    size_t nl = static_cast<size_t>(static_cast<const char*>(hit) - base);
    newlines_.push_back(nl);
    pos = nl + 1;
  }
}

size_t LineIndex::line_of(size_t offset) const {
  return static_cast<size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) -
                             newlines_.begin()) +
         1;
}

size_t invalid_utf8_at(std::string_view s) { return find_invalid_utf8(s); }

std::string invalid_utf8_message(std::string_view s, size_t at) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "invalid UTF-8 (byte 0x%02X at offset %zu)",
                static_cast<unsigned>(static_cast<unsigned char>(s[at])), at);
  return buf;
}

std::string json_key_at(std::string_view text, size_t offset) {
  std::vector<std::string> keys;  // keys[d]: the member key at nesting depth d+1 ("" inside arrays)
  size_t depth = 0;
  for (size_t i = 0; i < text.size() && i < offset; ++i) {
    char c = text[i];
    if (c == '"') {
      size_t e = i + 1;
      while (e < text.size() && text[e] != '"') e += text[e] == '\\' ? 2 : 1;
      if (e >= text.size() || e >= offset) break;
      size_t after = e + 1;
      while (after < text.size() &&
             (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r'))
        ++after;
      if (after < text.size() && text[after] == ':' && depth > 0)
        keys[depth - 1] = std::string(text.substr(i + 1, e - i - 1));
      i = e;
    } else if (c == '{' || c == '[') {
      ++depth;
      keys.resize(depth);
      keys[depth - 1].clear();
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
      keys.resize(depth);
    }
  }
  std::string path;
  for (size_t d = 0; d < depth && d < keys.size(); ++d) {
    if (keys[d].empty()) continue;
    if (!path.empty()) path += '.';
    path += keys[d];
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_letter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
  });
}

std::string safe_date(std::string_view raw) {
  try {
    return normalize_date(raw);
  } catch (...) {  // normalize_date uses std::stoi, which throws on absurdly long digit runs
    return {};
  }
}

static bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (starts_with_icase(hay.substr(i), needle)) return true;
  return false;
}

static bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

static bool is_code_token(std::string_view s, const CountryTable& countries) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && countries.is_code(s);
}

// ---------------------------------------------------------------------------------------------
// Party builders

static int kind_rank(NameKind k) {
  switch (k) {
    case NameKind::kPrimary:
      return 0;
    case NameKind::kAka:
      return 1;
    case NameKind::kFka:
      return 2;
    case NameKind::kWeak:
      return 3;
  }
  return 1;
}

static void upgrade_kind(Name& n, NameKind kind) {
  if (n.kind != NameKind::kPrimary && kind != NameKind::kPrimary && kind_rank(kind) < kind_rank(n.kind))
    n.kind = kind;
}

static void push_name(Party& p, std::string t, NameKind kind) {
  NameKind k = p.names.empty() ? NameKind::kPrimary : (kind == NameKind::kPrimary ? NameKind::kAka : kind);
  Script script = text::detect_script(t);
  p.names.push_back(Name{std::move(t), k, script});
}

void add_name(Party& p, std::string_view text, NameKind kind) {
  if (p.names.size() >= kMaxValuesPerParty) return;  // checked first: a capped party costs nothing more
  std::string t = clean(text);
  if (t.empty()) return;
  for (auto& n : p.names)
    if (n.text == t) {
      upgrade_kind(n, kind);
      return;
    }
  push_name(p, std::move(t), kind);
}

void add_names(Party& p, const std::vector<std::string>& texts, NameKind kind) {
  if (texts.size() < 8) {
    for (auto& t : texts) add_name(p, t, kind);
    return;
  }
  std::unordered_map<std::string_view, size_t> index;  // name text -> position in p.names
  p.names.reserve(std::min(p.names.size() + texts.size(), kMaxValuesPerParty));
  for (size_t i = 0; i < p.names.size(); ++i) index.emplace(p.names[i].text, i);
  for (auto& text : texts) {
    if (p.names.size() >= kMaxValuesPerParty) return;
    std::string t = clean(text);
    if (t.empty()) continue;
    if (auto it = index.find(t); it != index.end()) {
      upgrade_kind(p.names[it->second], kind);
      continue;
    }
    push_name(p, std::move(t), kind);
    index.emplace(p.names.back().text, p.names.size() - 1);  // reserved above: no reallocation moves it
  }
}

std::string capped_values(const Party& p) {
  std::string what;
  auto check = [&](size_t n, const char* name) {
    if (n < kMaxValuesPerParty) return;
    if (!what.empty()) what += ", ";
    what += name;
  };
  check(p.names.size(), "names");
  check(p.addresses.size(), "addresses");
  check(p.ids.size(), "identifiers");
  check(p.programs.size(), "programs");
  check(p.birth_dates.size(), "birth dates");
  check(p.countries.size(), "countries");
  if (p.remarks.size() >= kMaxRemarksBytes) what += what.empty() ? "remarks" : ", remarks";
  return what;
}

void add_country(Party& p, std::string_view code) {
  if (p.countries.size() >= kMaxValuesPerParty) return;
  auto c = to_upper_ascii(trim(code));
  if (c.size() != 2) return;
  if (std::find(p.countries.begin(), p.countries.end(), c) == p.countries.end())
    p.countries.push_back(std::move(c));
}

std::string add_country_name(Party& p, const CountryTable& countries, std::string_view name) {
  auto t = trim(name);
  if (t.empty()) return {};
  auto code = countries.resolve(t);
  if (!code && starts_with_icase(t, "Region: ")) code = countries.resolve(t.substr(8));
  if (!code) return {};
  add_country(p, *code);
  return *code;
}

void add_address(Party& p, std::string_view text, std::string_view country) {
  std::string t = clean(text);
  std::string c = to_upper_ascii(trim(country));
  if (c.size() != 2) c.clear();
  if (!c.empty()) add_country(p, c);
  if (t.empty() || p.addresses.size() >= kMaxValuesPerParty) return;
  for (auto& a : p.addresses)
    if (a.text == t && a.country == c) return;
  p.addresses.push_back(Address{std::move(t), std::move(c)});
}

bool is_informational_id_type(std::string_view type) {
  auto t = trim(type);
  if (t.empty() || !has_letter(t)) return true;
  if (t.back() == ':' || t.back() == '-') return true;
  static const std::string_view kWords[] = {"gender",
                                            "sanction",
                                            "directive",
                                            "transactions prohibited",
                                            "listing date",
                                            "effective date",
                                            "purchase/sales",
                                            "established date",
                                            "organization type",
                                            "target type",
                                            "aircraft model",
                                            "manufacture date",
                                            "aircraft operator",
                                            "year of build",
                                            "caatsa",
                                            "executive order",
                                            "for more information",
                                            "vessel flag",
                                            "phone",
                                            "fax",
                                            "telex",
                                            "title",
                                            "linked to",
                                            "vessel type",
                                            "tonnage",
                                            "place of birth",
                                            "date of birth",
                                            "nationality",
                                            "citizen"};
  for (auto w : kWords)
    if (icontains(t, w)) return true;
  return false;
}

void add_id(Party& p, std::string_view type_in, std::string_view number_in, std::string_view country_in) {
  if (p.ids.size() >= kMaxValuesPerParty) return;
  std::string type = clean(type_in);
  std::string number = clean(number_in);
  while (!number.empty() && (number.back() == ',' || number.back() == ';')) number.pop_back();
  if (starts_with_icase(number, "IMO ") && has_digit(number)) {
    type = "IMO";
    number = std::string(trim(std::string_view(number).substr(4)));
  } else if (equals_icase(type, "Vessel Registration Identification IMO") ||
             equals_icase(type, "IMO Number") ||
             equals_icase(type, "International Maritime Organization No.")) {
    type = "IMO";
  }
  if (number.empty() || is_informational_id_type(type)) return;
  std::string country = to_upper_ascii(trim(country_in));
  if (country.size() != 2) country.clear();
  for (auto& i : p.ids)
    if (i.type == type && i.number == number) {
      if (i.country.empty()) i.country = country;
      return;
    }
  p.ids.push_back(Identifier{std::move(type), std::move(number), std::move(country)});
}

static void push_birth_date(Party& p, std::string d) {
  if (d.empty() || p.birth_dates.size() >= kMaxValuesPerParty) return;
  if (std::find(p.birth_dates.begin(), p.birth_dates.end(), d) == p.birth_dates.end())
    p.birth_dates.push_back(std::move(d));
}

static bool is_year(std::string_view s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void add_birth_date(Party& p, std::string_view raw) {
  std::string s = clean(raw);
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';')) s.pop_back();
  for (std::string_view prefix : {"circa ", "approximately ", "approx. ", "about ", "c. ", "ca. "})
    if (starts_with_icase(s, prefix)) s.erase(0, prefix.size());
  if (s.empty()) return;
  auto to = s.find(" to ");
  if (to != std::string::npos) {
    auto a = trim(std::string_view(s).substr(0, to));
    auto b = trim(std::string_view(s).substr(to + 4));
    if (is_year(a) && is_year(b)) {
      int ya = std::stoi(std::string(a)), yb = std::stoi(std::string(b));
      if (yb >= ya && yb - ya <= 10) {
        for (int y = ya; y <= yb; ++y) push_birth_date(p, std::to_string(y));
        return;
      }
    }
    push_birth_date(p, safe_date(a));
    push_birth_date(p, safe_date(b));
    return;
  }
  std::string d = safe_date(s);
  if (d.empty()) {  // "Nov. 1973", "12 Jan. 1960"
    std::string no_dots;
    for (char c : s)
      if (c != '.') no_dots += c;
    d = safe_date(no_dots);
  }
  push_birth_date(p, std::move(d));
}

void add_program(Party& p, std::string_view program) {
  if (p.programs.size() >= kMaxValuesPerParty) return;
  std::string t = clean(program);
  if (t.empty()) return;
  if (std::find(p.programs.begin(), p.programs.end(), t) == p.programs.end())
    p.programs.push_back(std::move(t));
}

void append_remarks(Party& p, std::string_view text) {
  auto t = trim(text);
  if (t.empty() || p.remarks.size() >= kMaxRemarksBytes) return;
  if (p.remarks.empty()) {
    p.remarks = std::string(t);
  } else if (p.remarks.find(t) == std::string::npos) {
    p.remarks += "; ";
    p.remarks.append(t);
  }
}

void set_listed_on(Party& p, std::string_view raw) {
  std::string d = safe_date(raw);
  if (!d.empty() && (p.listed_on.empty() || d < p.listed_on)) p.listed_on = std::move(d);
}

void finish_party(Party& p) {
  for (size_t i = 0; i < p.names.size(); ++i) {
    if (i == 0)
      p.names[i].kind = NameKind::kPrimary;
    else if (p.names[i].kind == NameKind::kPrimary)
      p.names[i].kind = NameKind::kAka;
  }
}

// ---------------------------------------------------------------------------------------------
// Merging

static void merge_into(Party& into, Party&& from) {
  for (auto& n : from.names) add_name(into, n.text, n.kind == NameKind::kPrimary ? NameKind::kAka : n.kind);
  for (auto& a : from.addresses) add_address(into, a.text, a.country);
  for (auto& c : from.countries) add_country(into, c);
  for (auto& i : from.ids) add_id(into, i.type, i.number, i.country);
  for (auto& pr : from.programs) add_program(into, pr);
  for (auto& d : from.birth_dates) push_birth_date(into, d);
  if (!from.listed_on.empty() && (into.listed_on.empty() || from.listed_on < into.listed_on))
    into.listed_on = from.listed_on;
  if (into.type == PartyType::kUnknown) into.type = from.type;
  if (into.citation.empty())
    into.citation = from.citation;
  else if (!from.citation.empty() && into.citation.find(from.citation) == std::string::npos)
    into.citation += "; " + from.citation;
  if (into.license_requirement.empty()) into.license_requirement = from.license_requirement;
  if (into.license_policy.empty()) into.license_policy = from.license_policy;
  append_remarks(into, from.remarks);
  if (into.source_url.empty()) into.source_url = from.source_url;
}

std::string list_code(std::string_view list) {
  auto dash = list.find(" - ");
  auto head = list.substr(0, dash);
  auto close = head.rfind(')');
  auto open = close == std::string_view::npos ? std::string_view::npos : head.rfind('(', close);
  if (open != std::string_view::npos && close > open + 1) {
    std::string code;
    for (char c : head.substr(open + 1, close - open - 1)) code += (c == ' ') ? '-' : c;
    return to_lower_ascii(code);
  }
  return hash_hex64(list).substr(0, 8);
}

void merge_duplicate_ids(std::vector<Party>& parties) {
  std::unordered_map<std::string, std::vector<size_t>> by_id;
  by_id.reserve(parties.size());
  bool any = false;
  for (size_t i = 0; i < parties.size(); ++i) {
    auto& v = by_id[parties[i].id];
    v.push_back(i);
    any |= v.size() > 1;
  }
  if (!any) return;
  std::vector<bool> removed(parties.size(), false);
  for (auto& [id, members] : by_id) {
    if (members.size() < 2) continue;
    std::vector<size_t> heads;  // first party of each list, in order
    for (size_t m : members) {
      size_t head = SIZE_MAX;
      for (size_t h : heads)
        if (parties[h].list == parties[m].list) head = h;
      if (head == SIZE_MAX) {
        heads.push_back(m);
      } else {
        merge_into(parties[head], std::move(parties[m]));
        removed[m] = true;
      }
    }
    if (heads.size() > 1)
      for (size_t h : heads) parties[h].id = id + "-" + list_code(parties[h].list);
  }
  size_t w = 0;
  for (size_t i = 0; i < parties.size(); ++i)
    if (!removed[i]) {
      if (w != i) parties[w] = std::move(parties[i]);
      ++w;
    }
  parties.resize(w);
  for (auto& p : parties) finish_party(p);
}

// ---------------------------------------------------------------------------------------------
// CSL "ids" cells

static std::vector<std::string> split_parts(std::string_view item) {
  std::vector<std::string> parts;
  for (auto part : split(item, ',')) {
    auto t = trim(part);
    if (!t.empty()) parts.emplace_back(t);
  }
  return parts;
}

void IdOrderVotes::add_parts(const std::vector<std::string>& parts, const CountryTable& countries) {
  if (parts.size() >= 3) {
    if (is_code_token(parts.front(), countries))
      ++number_first;
    else if (is_code_token(parts.back(), countries))
      ++type_first;
  } else if (parts.size() == 2) {
    bool d0 = has_digit(parts[0]), d1 = has_digit(parts[1]);
    if (d0 && !d1) ++number_first;
    if (d1 && !d0) ++type_first;
  }
}

void IdOrderVotes::add(std::string_view cell, const CountryTable& countries) {
  for (auto item : split_trimmed(cell, "; ")) add_parts(split_parts(item), countries);
}

static bool is_iso_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && has_digit(s) &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

void add_csl_id_parts(Party& p, std::vector<std::string> parts, IdOrder order,
                      const CountryTable& countries) {
  // Issue and expiration dates ride along in the cell ("JO, 2014-08-30, 2009-08-31, K475336, Passport").
  parts.erase(std::remove_if(parts.begin(), parts.end(),
                             [](const std::string& s) { return trim(s).empty() || is_iso_date(trim(s)); }),
              parts.end());
  if (parts.size() < 2) return;
  std::string country;
  if (parts.size() == 2 && is_code_token(parts[0], countries) != is_code_token(parts[1], countries)) {
    // "CC, number" without its type: a cell cut short (the converted JSON drops the type of ids that
    // carried dates). Keep the number, which is what matching needs.
    bool first = is_code_token(parts[0], countries);
    add_id(p, "ID", first ? parts[1] : parts[0], first ? parts[0] : parts[1]);
    return;
  }
  if (parts.size() >= 3) {
    bool front = is_code_token(parts.front(), countries), back = is_code_token(parts.back(), countries);
    if (front && (order == IdOrder::kNumberFirst || !back)) {
      country = parts.front();
      parts.erase(parts.begin());
    } else if (back) {
      country = parts.back();
      parts.pop_back();
    }
  }
  if (parts.size() < 2) return;
  std::string type, number;
  auto join = [](auto b, auto e) {
    std::string s;
    for (auto it = b; it != e; ++it) {
      if (!s.empty()) s += ", ";
      s += *it;
    }
    return s;
  };
  if (order == IdOrder::kTypeFirst) {
    type = parts.front();
    number = join(parts.begin() + 1, parts.end());
  } else {
    type = parts.back();
    number = join(parts.begin(), parts.end() - 1);
  }
  add_id(p, type, number, country);
}

void add_csl_ids(Party& p, std::string_view cell, IdOrder order, const CountryTable& countries) {
  for (auto item : split_trimmed(cell, "; ")) add_csl_id_parts(p, split_parts(item), order, countries);
}

// ---------------------------------------------------------------------------------------------
// CSL records

void add_csl_addresses(Party& p, std::string_view cell, const CountryTable& countries) {
  std::string pending;
  for (auto& piece_str : split_trimmed(cell, "; ")) {
    std::string_view piece = piece_str;
    std::string code;
    std::string_view text;
    if (is_code_token(piece, countries)) {
      code = std::string(piece);
    } else if (piece.size() > 4 && piece.substr(piece.size() - 4, 2) == ", " &&
               is_code_token(piece.substr(piece.size() - 2), countries)) {
      code = std::string(piece.substr(piece.size() - 2));
      text = trim(piece.substr(0, piece.size() - 4));
    }
    if (code.empty()) {
      if (!pending.empty()) pending += "; ";
      pending.append(piece);
      continue;
    }
    if (!pending.empty()) {
      if (!text.empty()) pending += "; ";
      pending.append(text);
      add_address(p, pending, code);
      pending.clear();
    } else {
      add_address(p, text, code);
    }
  }
  if (!pending.empty()) add_address(p, pending, countries.resolve_address_tail(pending).value_or(""));
}

static void add_split(std::vector<std::string>& out, const std::vector<std::string>& values) {
  for (auto& v : values)
    for (auto& part : split_trimmed(v, ";")) out.push_back(part);
}

Party build_csl_party(const CslRecord& r, const CountryTable& countries) {
  Party p;
  p.list = clean(r.source);
  if (p.list.empty()) p.list = std::string(kCslFallbackList);
  add_name(p, r.name, NameKind::kPrimary);
  if (!r.id.empty())
    p.id = clean(r.id);
  else
    p.id = derive_party_id(p.list, p.primary_name(), r.federal_register_notice + r.entity_number);
  p.type = party_type_from_string(r.type);
  add_names(p, r.alt_names, NameKind::kAka);
  if (!r.address_cell.empty()) add_csl_addresses(p, r.address_cell, countries);
  for (auto& [text, country] : r.address_parts) {
    std::string code;
    if (!trim(country).empty()) code = countries.resolve(country).value_or("");
    if (code.empty() && !text.empty()) code = countries.resolve_address_tail(text).value_or("");
    add_address(p, text, code);
  }
  std::vector<std::string> tmp;
  add_split(tmp, r.nationalities);
  add_split(tmp, r.citizenships);
  for (auto& c : tmp) add_country_name(p, countries, c);
  tmp.clear();
  add_split(tmp, r.programs);
  for (auto& pr : tmp) add_program(p, pr);
  tmp.clear();
  add_split(tmp, r.dates_of_birth);
  for (auto& d : tmp) add_birth_date(p, d);
  set_listed_on(p, r.start_date);
  p.citation = clean(r.federal_register_notice);
  p.license_requirement = clean(r.license_requirement);
  p.license_policy = clean(r.license_policy);
  if (!trim(r.call_sign).empty()) add_id(p, "Call Sign", r.call_sign, "");
  if (!trim(r.title).empty()) append_remarks(p, "Title: " + clean(r.title));
  append_remarks(p, r.remarks);
  p.source_url = clean(!trim(r.source_list_url).empty() ? r.source_list_url : r.source_information_url);
  return p;
}

// ---------------------------------------------------------------------------------------------
// OFAC remarks

namespace {

// Identifier types written in OFAC remarks as "<type> <number>[ (<country>)][ issued …][ expires …]".
// Longest first, so "Passport" does not shadow "Passport Booklet" and the like.
const std::vector<std::string_view>& ofac_id_types() {
  static const std::vector<std::string_view> kTypes = [] {
    std::vector<std::string_view> v = {"Passport",
                                       "Diplomatic Passport",
                                       "British National Overseas Passport",
                                       "Stateless Person Passport",
                                       "National ID No.",
                                       "Cedula No.",
                                       "Registration Number",
                                       "Registration ID",
                                       "Tax ID No.",
                                       "Identification Number",
                                       "Folio Mercantil No.",
                                       "Government Gazette Number",
                                       "Commercial Registry Number",
                                       "Company Number",
                                       "UK Company Number",
                                       "Matricula Mercantil No",
                                       "D.N.I.",
                                       "MMSI",
                                       "D-U-N-S Number",
                                       "Business Registration Document #",
                                       "Business Registration Number",
                                       "Business Number",
                                       "V.A.T. Number",
                                       "C.R. No.",
                                       "Trade License No.",
                                       "R.F.C. #",
                                       "R.F.C.",
                                       "RFC",
                                       "C.U.R.P. #",
                                       "C.U.R.P.",
                                       "NIT #",
                                       "RUC #",
                                       "RIF #",
                                       "SSN",
                                       "Driver's License No.",
                                       "Personal ID Card",
                                       "Citizen's Card Number",
                                       "Birth Certificate Number",
                                       "Legal Entity Number",
                                       "SWIFT/BIC",
                                       "Public Registration Number",
                                       "Kenyan ID No.",
                                       "Electoral Registry No.",
                                       "Residency Number",
                                       "Chinese Commercial Code",
                                       "Stateless Person ID Card",
                                       "Unified Social Credit Code (USCC)",
                                       "United Social Credit Code Certificate (USCCC)",
                                       "Economic Register Number (CBLS)",
                                       "Certificate of Incorporation Number",
                                       "Refugee ID Card",
                                       "Aircraft Manufacturer's Serial Number (MSN)",
                                       "Aircraft Construction Number (also called L/N or S/N or F/N)",
                                       "Aircraft Tail Number",
                                       "Previous Aircraft Tail Number",
                                       "Aircraft Mode S Transponder Code",
                                       "Aircraft Serial Identification",
                                       "Website",
                                       "Email Address",
                                       "ISIN",
                                       "Istanbul Chamber of Comm. No.",
                                       "Chamber of Commerce Number",
                                       "Central Registration System Number",
                                       "Italian Fiscal Code",
                                       "National Foreign ID Number",
                                       "Credencial electoral",
                                       "Cartilla de Servicio Militar Nacional",
                                       "Enterprise Number",
                                       "US FEIN",
                                       "I.F.E.",
                                       "Registered Charity No.",
                                       "C.U.I.T.",
                                       "C.U.I.P.",
                                       "C.U.I.",
                                       "LE Number",
                                       "Turkish Identification Number",
                                       "Numero de Identidad",
                                       "Branch Unit Number",
                                       "Dubai Chamber of Commerce Membership No.",
                                       "Travel Document Number",
                                       "Permit Number",
                                       "RTN",
                                       "BIK (RU)",
                                       "VisaNumberID",
                                       "File Number",
                                       "Tazkira National ID Card",
                                       "SRE Permit No.",
                                       "Immigration No.",
                                       "Pilot License Number",
                                       "N.I.E.",
                                       "N.I.F.",
                                       "C.I.F.",
                                       "C.I.N.",
                                       "CNP (Personal Numerical Code)",
                                       "Fiscal Code",
                                       "Seafarer's Identification Document",
                                       "Military Registration Number",
                                       "MSB Registration Number",
                                       "License",
                                       "Organization Code",
                                       "Vessel Registration Identification",
                                       "International Maritime Organization No.",
                                       "Other Vessel Call Sign",
                                       "Vessel Call Sign",
                                       "Afghan Money Service Provider License Number",
                                       "Romanian Tax Registration",
                                       "Romanian C.R.",
                                       "Romanian Permanent Resident",
                                       "Moroccan Personal ID No.",
                                       "Bosnian Personal ID No.",
                                       "Paraguayan tax identification number",
                                       "Tourism License No.",
                                       "Registration Certificate Number (Dubai)",
                                       "RSIN",
                                       "Passport Booklet",
                                       "Digital Currency Address -"};
    std::sort(v.begin(), v.end(), [](auto a, auto b) { return a.size() > b.size(); });
    return v;
  }();
  return kTypes;
}

// Splits "A123 (Iran) issued 2010 expires 2020" into number and country.
void add_ofac_id(Party& p, std::string type, std::string_view rest, const CountryTable& countries) {
  auto r = trim(rest);
  size_t cut = r.size();
  for (std::string_view m : {" issued", ", issued", " expires", ", expires", " Issued", " Expires"}) {
    auto pos = r.find(m);
    if (pos != std::string_view::npos && pos < cut) cut = pos;
  }
  r = trim(r.substr(0, cut));
  std::string country;
  if (!r.empty() && r.back() == ')') {
    auto open = r.rfind(" (");
    if (open != std::string_view::npos) {
      auto inner = r.substr(open + 2, r.size() - open - 3);
      if (auto code = countries.resolve(inner)) {
        country = *code;
        r = trim(r.substr(0, open));
      }
    }
  }
  if (type == "Other Vessel Call Sign" || type == "Vessel Call Sign") type = "Call Sign";
  add_id(p, type, r, country);
}

bool generic_id_type(std::string_view type) {
  auto words = split_trimmed(type, " ");
  if (words.empty() || words.size() > 6) return false;
  const std::string& last = words.back();
  return last == "No." || last == "No" || last == "Number" || last == "#" || last == "ID" || last == "Code" ||
         last == "Card" || ends_with(last, "No.");
}

}  // namespace

void parse_ofac_remarks(Party& p, std::string_view remarks, const CountryTable& countries) {
  for (auto seg_str : split_trimmed(remarks, "; ")) {
    std::string_view seg = seg_str;
    while (!seg.empty() && seg.back() == '.') seg.remove_suffix(1);
    if (starts_with_icase(seg, "alt. ")) seg.remove_prefix(5);
    seg = trim(seg);
    if (seg.empty()) continue;

    if (starts_with_icase(seg, "a.k.a.") || starts_with_icase(seg, "f.k.a.") ||
        starts_with_icase(seg, "n.k.a.")) {
      auto rest = trim(seg.substr(6));
      auto q1 = rest.find('\'');
      auto q2 = rest.rfind('\'');
      if (q1 != std::string_view::npos && q2 != std::string_view::npos && q2 > q1 + 1)
        rest = rest.substr(q1 + 1, q2 - q1 - 1);
      add_name(p, rest, NameKind::kWeak);
      continue;
    }
    if (starts_with_icase(seg, "DOB ")) {
      add_birth_date(p, seg.substr(4));
      continue;
    }
    if (starts_with_icase(seg, "nationality ") || starts_with_icase(seg, "citizen ")) {
      auto rest = trim(seg.substr(seg.find(' ') + 1));
      if (starts_with_icase(rest, "possibly ")) rest.remove_prefix(9);
      add_country_name(p, countries, rest);
      continue;
    }
    if (starts_with_icase(seg, "POB ") || starts_with_icase(seg, "Gender ") ||
        starts_with_icase(seg, "Linked To"))
      continue;

    bool matched = false;
    for (auto type : ofac_id_types()) {
      if (seg.size() > type.size() + 1 && seg.substr(0, type.size()) == type && seg[type.size()] == ' ') {
        auto rest = trim(seg.substr(type.size() + 1));
        std::string t(type);
        if (type == "Digital Currency Address -") {  // the currency code belongs to the type
          auto sp = rest.find(' ');
          if (sp == std::string_view::npos) break;
          t += " " + std::string(rest.substr(0, sp));
          rest = trim(rest.substr(sp + 1));
        }
        add_ofac_id(p, std::move(t), rest, countries);
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // Other "<words> No./Number/ID <value with a digit>" segments.
    size_t pos = 0, type_end = std::string_view::npos;
    while (pos < seg.size()) {
      size_t sp = seg.find(' ', pos);
      auto tok = seg.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
      if (has_digit(tok)) {
        type_end = pos;
        break;
      }
      if (sp == std::string_view::npos) break;
      pos = sp + 1;
    }
    if (type_end != std::string_view::npos && type_end > 0) {
      auto type = trim(seg.substr(0, type_end));
      if (generic_id_type(type) && !is_informational_id_type(type))
        add_ofac_id(p, std::string(type), seg.substr(type_end), countries);
    }
  }
}

std::string ofac_nonsdn_list(const std::vector<std::string>& programs) {
  auto has = [&](std::string_view prefix) {
    return std::any_of(programs.begin(), programs.end(),
                       [&](const std::string& s) { return starts_with_icase(s, prefix); });
  };
  if (has("FSE")) return "Foreign Sanctions Evaders (FSE) - Treasury Department";
  if (has("NS-PLC")) return "Palestinian Legislative Council List (PLC) - Treasury Department";
  if (has("CMIC"))
    return "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department";
  if (has("UKRAINE-EO13662")) return "Sectoral Sanctions Identifications List (SSI) - Treasury Department";
  if (has("561-Related") || has("CAPTA")) return "Capta List (CAP) - Treasury Department";
  if (has("RUSSIA-EO14024") || has("CAATSA - RUSSIA") || has("NS-MBS") || has("MBS"))
    return "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department";
  return "Consolidated Sanctions List (Non-SDN) - Treasury Department";
}

}  // namespace clearance::formats
