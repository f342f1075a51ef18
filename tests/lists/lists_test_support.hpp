// Shared helpers for the list-loader tests: paths to the real data under ../shared, the country
// table, and record counters written independently of the loaders (so a count check is meaningful).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/files.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/text/countries.hpp"
#include "lists/formats/party_builders.hpp"
#include "support/paths.hpp"

namespace clearance::testing {

// A party with one primary name, for the tests of the cell readers that add to it.
inline Party named(const std::string& name) {
  Party p;
  formats::add_name(p, name, NameKind::kPrimary);
  return p;
}

inline std::string shared_data(const std::string& rel) { return shared_dir() + "/data/" + rel; }

#define CLEARANCE_REQUIRE_FILE(path)                                                                       \
  do {                                                                                                     \
    if (!std::filesystem::exists(path))                                                                    \
      GTEST_SKIP() << "real list data not available: " << (path) << " (the ../shared checkout is absent)"; \
  } while (0)

// The bundled country table, or a small stand-in when data/text/countries.tsv is not there yet.
inline const CountryTable& countries() {
  static const CountryTable table = [] {
    std::string path = data_dir() + "/text/countries.tsv";
    if (std::filesystem::exists(path)) {
      auto t = CountryTable::load(path);
      if (t) return std::move(*t);
    }
    auto t = CountryTable::parse(
        "code\tname\tvariants\n"
        "CN\tChina\tPeople's Republic of China|PRC|中国\n"
        "HK\tHong Kong\tChina, Hong Kong Special Administrative Region\n"
        "IR\tIran\tIran (Islamic Republic of)|Islamic Republic of Iran\n"
        "RU\tRussia\tRussian Federation\n"
        "US\tUnited States\tUSA|United States of America|U.S.A.\n"
        "SY\tSyria\tSyrian Arab Republic\n"
        "CU\tCuba\t\n"
        "IT\tItaly\t\n"
        "AF\tAfghanistan\t\n"
        "PK\tPakistan\t\n"
        "AE\tUnited Arab Emirates\tUAE\n"
        "CD\tCongo, Democratic Republic of the\tDemocratic Republic of the Congo\n"
        "KP\tNorth Korea\tDemocratic People's Republic of Korea|Korea, North\n"
        "GB\tUnited Kingdom\tUK\n"
        "CH\tSwitzerland\t\n"
        "ES\tSpain\t\n"
        "JP\tJapan\t\n"
        "PA\tPanama\t\n"
        "SO\tSomalia\t\n"
        "DJ\tDjibouti\t\n"
        "CA\tCanada\t\n"
        "SD\tSudan\t\n"
        "IQ\tIraq\t\n"
        "LB\tLebanon\t\n"
        "MX\tMexico\t\n"
        "CO\tColombia\t\n"
        "TR\tTurkey\tTürkiye\n"
        "DE\tGermany\t\n"
        "BE\tBelgium\t\n"
        "FR\tFrance\t\n"
        "UG\tUganda\t\n"
        "RW\tRwanda\t\n"
        "MY\tMalaysia\t\n"
        "UA\tUkraine\tCrimea\n"
        "SA\tSaudi Arabia\t\n"
        "PH\tPhilippines\t\n"
        "YE\tYemen\t\n"
        "MM\tBurma\tMyanmar\n"
        "SS\tSouth Sudan\t\n"
        "TN\tTunisia\t\n",
        "test-countries.tsv");
    return std::move(*t);
  }();
  return table;
}

// A CSL CSV file in the current 29-column layout, and one Entity List row of it.
inline const std::string kCslHeader =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_"
    "tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,"
    "nationalities,places_of_birth,source_information_url,ids\n";

inline std::string csl_row(const std::string& id, const std::string& name,
                           const std::string& alt_names = "") {
  return id + ",Entity List (EL) - Bureau of Industry and Security,,Entity,,\"" + name +
         "\",,\"Shenzhen, CN\",84 FR 22963,2019-05-21,,,,,,,,,,,,,\"" + alt_names + "\",,,,,,\n";
}

// A CSL CSV file of n entries named "<prefix> 1" … "<prefix> n".
inline std::string csl_file(int n, const std::string& prefix = "Company") {
  std::string s = kCslHeader;
  for (int i = 1; i <= n; ++i)
    s += csl_row(prefix + "-" + std::to_string(i), prefix + " " + std::to_string(i));
  return s;
}

inline SourceFile read_source(const std::string& path) {
  auto data = read_file(path);
  EXPECT_TRUE(data.ok()) << (data.ok() ? "" : data.error().message);
  return SourceFile{path, data.ok() ? std::move(*data) : std::string()};
}

// Data records of a CSV file: physical lines outside quotes that are not blank and not the DOS
// end-of-file byte, minus the header when there is one.
inline size_t count_csv_records(std::string_view s, bool has_header) {
  size_t records = 0;
  bool in_quotes = false, content = false;
  for (char c : s) {
    if (c == '"') in_quotes = !in_quotes;
    if (c == '\n' && !in_quotes) {
      if (content) ++records;
      content = false;
      continue;
    }
    if (c != '\r' && c != ' ' && c != '\x1A' && c != '\t') content = true;
  }
  if (content) ++records;
  return records - (has_header && records > 0 ? 1 : 0);
}

inline size_t count_substr(std::string_view s, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string_view::npos; pos = s.find(needle, pos + needle.size()))
    ++n;
  return n;
}

inline size_t count_nonblank_lines(std::string_view s) {
  size_t n = 0;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    auto line = s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    bool content = std::any_of(line.begin(), line.end(),
                               [](char c) { return c != ' ' && c != '\r' && c != '\t' && c != '\x1A'; });
    n += content;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return n;
}

inline const Party* find_party(const LoadedList& l, std::string_view name) {
  for (auto& p : l.parties)
    if (p.primary_name() == name) return &p;
  return nullptr;
}

inline bool has_name(const Party& p, std::string_view name, NameKind kind) {
  return std::any_of(p.names.begin(), p.names.end(),
                     [&](const Name& n) { return n.text == name && n.kind == kind; });
}

inline bool has_country(const Party& p, std::string_view code) {
  return std::find(p.countries.begin(), p.countries.end(), code) != p.countries.end();
}

inline bool has_id(const Party& p, std::string_view type, std::string_view number,
                   std::string_view country = "*") {
  return std::any_of(p.ids.begin(), p.ids.end(), [&](const Identifier& i) {
    return i.type == type && i.number == number && (country == "*" || i.country == country);
  });
}

inline std::string describe(const Party& p) {
  std::string s = p.id + " | " + p.list + " | " + std::string(to_string(p.type)) + "\n";
  for (auto& n : p.names)
    s += "  name " + std::string(to_string(n.kind)) + " " + std::string(to_string(n.script)) + ": " + n.text +
         "\n";
  for (auto& a : p.addresses) s += "  addr [" + a.country + "] " + a.text + "\n";
  s += "  countries:";
  for (auto& c : p.countries) s += " " + c;
  s += "\n";
  for (auto& i : p.ids) s += "  id " + i.type + " = " + i.number + " [" + i.country + "]\n";
  s += "  programs:";
  for (auto& pr : p.programs) s += " " + pr;
  s += "\n  dob:";
  for (auto& d : p.birth_dates) s += " " + d;
  s += "\n  listed_on " + p.listed_on + "; citation " + p.citation + "\n  remarks " +
       p.remarks.substr(0, 300) + "\n";
  return s;
}

}  // namespace clearance::testing
