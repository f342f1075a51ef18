// The Entity List and the Military End User List in the source layout BIS publishes (the columns of
// OFAC's old delimited SDN file): Source List, Entity Number, SDN Type, Programs, Name, Title, Address,
// City, State/Province, Postal Code, Country, Federal Register Notice, Effective Date, Date
// Lifted/Waived/Expired, Standard Order, License Requirement, License Policy, Call Sign, Vessel …,
// Remarks/Notes, Address Number, Address Remarks, Alternate Number, Alternate Type, Alternate Name,
// Alternate Remarks, Web Link, then header cells that are empty (data rows leave them off).
//
// One row per (entity, address, alternate name): rows with the same list, name, Federal Register
// notice (and entity number, when there is one) are one party, whose addresses and aliases
// accumulate; the id is derive_party_id(list, name, notice + entity number). The Source List code
// (EL, MEU; UVL and DPL are accepted too) gives the official list name.
#include <algorithm>

#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/us_source.hpp"

namespace clearance {
namespace {

using namespace formats;

const TableLayout kLayout{"BIS source-layout CSV (Entity List / MEU)",
                          ',',
                          {"source list", "entity number", "name", "address", "country",
                           "federal register notice", "alternate name"},
                          "name",
                          "country"};

struct SourceList {
  std::string_view code;
  std::string_view list;
  std::string_view default_name;
};
constexpr SourceList kLists[] = {
    {"EL", kElList, "us-bis-el"},
    {"MEU", kMeuList, "us-bis-meu"},
    {"UVL", kUvlList, "us-bis-uvl"},
    {"DPL", kDplList, "us-bis-dpl"},
};

const SourceList* source_list(std::string_view cell) {
  auto t = trim(cell);
  for (auto& l : kLists)
    if (equals_icase(t, l.code) || equals_icase(t, l.list)) return &l;
  return nullptr;
}

NameKind alternate_kind(std::string_view type) {
  auto t = to_lower_ascii(trim(type));
  std::erase(t, '.');
  if (t == "fka" || t == "f/k/a" || t == "formerly known as") return NameKind::kFka;
  if (t == "weak" || t == "weak aka" || t == "low quality aka") return NameKind::kWeak;
  return NameKind::kAka;
}

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  SourceTable t(file, o, kLayout, out.report);
  if (auto st = t.open(); !st) return st.error();
  const int c_source = t.col("source list"), c_entity = t.col("entity number"), c_type = t.col("sdn type"),
            c_programs = t.col("programs"), c_name = t.col("name"), c_title = t.col("title"),
            c_address = t.col("address"), c_city = t.col("city"), c_state = t.col("state/province"),
            c_postal = t.col("postal code"), c_country = t.col("country"),
            c_notice = t.col("federal register notice"), c_effective = t.col("effective date"),
            c_lifted = t.col("date lifted/waived/expired"), c_lreq = t.col("license requirement"),
            c_lpol = t.col("license policy"), c_call = t.col("call sign"), c_remarks = t.col("remarks/notes"),
            c_addr_remarks = t.col("address remarks"), c_alt_type = t.col("alternate type"),
            c_alt = t.col("alternate name"), c_alt_remarks = t.col("alternate remarks"),
            c_link = t.col("web link");
  std::vector<const SourceList*> seen;
  for (;;) {
    auto more = t.next();
    if (!more) return more.error();
    if (!*more) break;
    const SourceList* src = source_list(t.get(c_source));
    if (!src) {
      auto v = t.text(c_source);
      if (auto e = t.errors().skip(
              t.path(), t.line(), t.col_name(c_source),
              (v.empty() ? std::string("missing list code") : "unknown list code '" + v + "'") +
                  " (expected EL, MEU, UVL or DPL)"))
        return *e;
      continue;
    }
    if (std::find(seen.begin(), seen.end(), src) == seen.end()) seen.push_back(src);
    Party p;
    p.list = std::string(src->list);
    std::string name = t.text(c_name);
    add_name_with_aliases(p, name, NameKind::kPrimary);
    p.citation = t.text(c_notice);
    p.id = derive_party_id(p.list, name, p.citation + std::string(trim(t.get(c_entity))));
    p.type = party_type_from_string(trim(t.get(c_type)));
    for (auto& pr : split_trimmed(t.text(c_programs), ";")) add_program(p, pr);
    std::string unresolved;
    std::string code = resolve_country_cell(t, countries, c_country, &unresolved);
    add_address(
        p, join_address({t.text(c_address), t.text(c_city), t.text(c_state), t.text(c_postal), unresolved}),
        code);
    add_name_with_aliases(p, t.text(c_alt), alternate_kind(t.get(c_alt_type)));
    set_listed_on(p, t.get(c_effective));
    p.license_requirement = t.text(c_lreq);
    p.license_policy = t.text(c_lpol);
    if (!trim(t.get(c_call)).empty()) add_id(p, "Call Sign", t.get(c_call), "");
    if (auto title = t.text(c_title); !title.empty()) append_remarks(p, "Title: " + title);
    if (auto lifted = trim(t.get(c_lifted)); !lifted.empty()) {
      auto d = safe_date(lifted);
      append_remarks(p, "Lifted/waived/expired " + (d.empty() ? clean(lifted) : d));
    }
    append_remarks(p, t.text(c_remarks));
    append_remarks(p, t.text(c_addr_remarks));
    append_remarks(p, t.text(c_alt_remarks));
    p.source_url = t.text(c_link);
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  out.default_name = seen.size() == 1 ? std::string(seen[0]->default_name) : "us-bis";
  merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_bis_csv(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "BIS CSV loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
