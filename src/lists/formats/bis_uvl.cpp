// The Unverified List as BIS publishes it in CSV: COUNTRY, NAME, ADDRESS, then header cells that are
// empty (some rows leave them off). One row per (name, address): rows with the same name are one party
// whose addresses accumulate; the id is derive_party_id(list, name, "") (the file cites no notice).
// Aliases written in the name ("Training 2 Business Academy, a.k.a. T2BA, a.k.a. …") are split off;
// names the list gives their own rows stay parties of their own. The type is unknown.
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/us_source.hpp"

namespace clearance {
namespace {

using namespace formats;

// Every named column is required: a row must reach ADDRESS (even if empty) to be read.
const TableLayout kLayout{"BIS Unverified List CSV", ',', {"country", "name", "address"}, "name", "address"};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "us-bis-uvl";
  SourceTable t(file, o, kLayout, out.report);
  if (auto st = t.open(); !st) return st.error();
  const int c_country = t.col("country"), c_name = t.col("name"), c_address = t.col("address");
  for (;;) {
    auto more = t.next();
    if (!more) return more.error();
    if (!*more) break;
    Party p;
    p.list = std::string(kUvlList);
    std::string name = t.text(c_name);
    add_name_with_aliases(p, name, NameKind::kPrimary);
    p.id = derive_party_id(p.list, name, "");
    std::string unresolved;
    std::string code = resolve_country_cell(t, countries, c_country, &unresolved);
    add_address(p, join_address({t.text(c_address), unresolved}), code);
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_bis_uvl(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "BIS UVL loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
