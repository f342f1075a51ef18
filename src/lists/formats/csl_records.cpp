#include "lists/formats/csl_records.hpp"

#include <algorithm>

#include "clearance/common/strings.hpp"
#include "lists/formats/party_builders.hpp"

namespace clearance::formats {

// ---------------------------------------------------------------------------------------------
// CSL "ids" cells

static bool is_code_token(std::string_view s, const CountryTable& countries) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && countries.is_code(s);
}

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

}  // namespace clearance::formats
