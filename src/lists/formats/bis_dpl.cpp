// The Denied Persons List as BIS publishes it (dpl.txt): tab-separated, one header row
// "Name Street_Address City State Country Postal_Code Effective_Date Expiration_Date Standard_Order
// Last_Update Action FR_Citation", fields quoted or not, LF or CRLF. One row per (party, address);
// the file has no ids, types or aliases columns.
//
// Rows with the same name and FR citation are one party (the CSL groups them the same way), its
// addresses accumulating; the id is derive_party_id(list, name, citation). Aliases written in the
// name ("FUYI SUN A/K/A FRANK SUN", "SIBERIAN AIRLINES D/B/A S7 AIRLINES") are split off. The type is
// unknown: the file does not say which rows are people. The country is the Country column only (the
// State column sometimes holds a country code, "CY" for Cyprus, and stays in the address text).
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/us_source.hpp"

namespace clearance {
namespace {

using namespace formats;

const TableLayout kLayout{
    "BIS Denied Persons List (tab-separated dpl.txt)",
    '\t',
    {"name", "street_address", "city", "state", "country", "postal_code", "effective_date", "fr_citation"},
    "name",
    "country"};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "us-bis-dpl";
  SourceTable t(file, o, kLayout, out.report);
  if (auto st = t.open(); !st) return st.error();
  const int c_name = t.col("name"), c_street = t.col("street_address"), c_city = t.col("city"),
            c_state = t.col("state"), c_country = t.col("country"), c_postal = t.col("postal_code"),
            c_effective = t.col("effective_date"), c_expiration = t.col("expiration_date"),
            c_citation = t.col("fr_citation");
  for (;;) {
    auto more = t.next();
    if (!more) return more.error();
    if (!*more) break;
    Party p;
    p.list = std::string(kDplList);
    std::string name = t.text(c_name);
    add_name_with_aliases(p, name, NameKind::kPrimary);
    p.citation = t.text(c_citation);
    p.id = derive_party_id(p.list, name, p.citation);
    std::string unresolved;
    std::string code = resolve_country_cell(t, countries, c_country, &unresolved);
    std::string text =
        join_address({t.text(c_street), t.text(c_city), t.text(c_state), t.text(c_postal), unresolved});
    add_address(p, text, code);
    set_listed_on(p, t.get(c_effective));
    if (auto exp = trim(t.get(c_expiration)); !exp.empty()) {
      auto d = safe_date(exp);
      append_remarks(p, "Denial expires " + (d.empty() ? clean(exp) : d));
    }
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_bis_dpl(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "BIS DPL loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
