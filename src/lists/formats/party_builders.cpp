#include "lists/formats/party_builders.hpp"

#include <algorithm>
#include <unordered_map>

#include "clearance/common/date.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/text/fold.hpp"

namespace clearance::formats {

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

}  // namespace clearance::formats
