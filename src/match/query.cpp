#include "clearance/match/query.hpp"

#include <unicode/uchar.h>

#include <algorithm>

#include "clearance/common/date.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/common/utf8.hpp"
#include "clearance/text/burmese.hpp"

namespace clearance {

namespace {

// A value as messages show it: one line, valid UTF-8, at most 60 code points, in quotes.
std::string shown(std::string_view s) {
  std::string v = sanitize_utf8(s);
  for (auto& c : v)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return "'" + utf8::clip(v, 60) + "'";
}

}  // namespace

Result<PartyType> parse_party_type(std::string_view s) {
  s = trim(s);
  if (s.empty()) return PartyType::kUnknown;
  auto t = party_type_from_string(s);
  if (t == PartyType::kUnknown) return Error::BadInput("type " + shown(s) + ": expected person or entity");
  return t;
}

std::vector<std::string> uncovered_scripts(std::string_view name, const TextTables& tables) {
  struct Script {
    char32_t from, to;
    const char* name;
  };
  static constexpr Script kUncovered[] = {{0x0E80, 0x0EFF, "Lao"},
                                          {0xA9E0, 0xA9FF, "Burmese"},
                                          {0xAA60, 0xAA7F, "Burmese"},
                                          {0x1780, 0x17FF, "Khmer"},
                                          {0x19E0, 0x19FF, "Khmer"}};
  std::vector<std::string> found;
  std::string burmese;  // the run of Burmese letters being read
  std::string unread;   // the first Burmese syllable the table cannot read
  auto burmese_run_ends = [&] {
    if (!burmese.empty() && unread.empty()) text::read_burmese(burmese, tables.burmese, &unread);
    burmese.clear();
  };
  for (char32_t c : utf8::code_points(name)) {
    if (text::burmese_letter(c)) {
      utf8::append(burmese, c);
      continue;
    }
    burmese_run_ends();
    for (const auto& s : kUncovered)
      if (c >= s.from && c <= s.to && std::find(found.begin(), found.end(), s.name) == found.end())
        found.emplace_back(s.name);
  }
  burmese_run_ends();
  std::vector<std::string> notes;
  if (!unread.empty())
    notes.push_back("name: written in Burmese, and the syllable " + unread +
                    " is not in the Burmese table (data/text/burmese.tsv), so it was read letter by letter, "
                    "not as the lists romanise it: a listed name written so may be missed; screen its Latin "
                    "spelling too");
  for (const auto& script : found)
    notes.push_back("name: written in " + script +
                    ", which screening does not read as the lists romanise it: a listed name written so "
                    "may be missed; screen its Latin spelling too");
  return notes;
}

Result<ReadQuery> read_screen_query(const QueryFields& in, const TextTables& tables) {
  ReadQuery r;
  ScreenQuery& q = r.query;
  auto warn = [&](const char* field, std::string message) {
    r.warnings.push_back({field, std::move(message)});
  };

  q.name = std::string(trim(in.name));
  if (q.name.empty()) return Error::BadInput("name: empty");
  if (size_t at = find_invalid_utf8(q.name); at != std::string::npos) {
    q.name = sanitize_utf8(q.name);
    r.warnings.push_back({"name", "invalid UTF-8 at byte " + std::to_string(at + 1) + " replaced"});
  }
  // A name without a letter or a digit ("!!!", tone marks alone) reads into no word, so it could
  // only ever be answered "no hits": it is no name (fail closed).
  auto codes = utf8::code_points(q.name);
  if (std::none_of(codes.begin(), codes.end(),
                   [](char32_t c) { return u_isalnum(static_cast<UChar32>(c)) != 0; }))
    return Error::BadInput("name: no letter or digit to screen in " + shown(q.name));

  if (auto t = parse_party_type(in.type))
    q.type = *t;
  else
    warn("type", "unknown type " + shown(trim(in.type)) + " (expected person or entity)");
  auto country = trim(in.country);
  if (!country.empty()) {
    if (auto c = tables.countries.resolve(country))
      q.country = *c;
    else
      warn("country", "unknown country " + shown(country));
  }
  auto dob = trim(in.dob);
  if (!dob.empty()) {
    q.birth_date = normalize_date(dob, DayMonthOrder::kUnambiguous);
    if (q.birth_date.empty()) warn("dob", "cannot read date " + shown(dob) + " (" + date_problem(dob) + ")");
  }
  r.notes = uncovered_scripts(q.name, tables);
  for (const auto& raw : in.ids) {
    auto id = trim(raw);
    auto colon = id.find(':');
    Identifier ident;
    if (colon == std::string_view::npos) {
      ident.number = std::string(id);
    } else {
      ident.type = std::string(trim(id.substr(0, colon)));
      ident.number = std::string(trim(id.substr(colon + 1)));
    }
    if (ident.number.empty() || find_invalid_utf8(id) != std::string_view::npos) {
      warn("id", "cannot read identifier " + shown(id) + " (expected TYPE:NUMBER)");
      continue;
    }
    q.ids.push_back(std::move(ident));
  }
  return r;
}

}  // namespace clearance
