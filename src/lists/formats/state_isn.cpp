// The State Department's nonproliferation sanctions (ISN) as State publishes them in CSV: Source List,
// Programs, Name, Alternative Names, Country, Federal Register Notice, Effective Date, Remarks/Notes,
// Web Link. One row per (party, sanction program): rows with the same name and Federal Register
// notice are one party whose programs accumulate (as in the CSL); the id is
// derive_party_id(list, name, notice). No addresses and no types in the file: the country is kept as
// a country of the party, the type is unknown.
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/us_source.hpp"

namespace clearance {
namespace {

using namespace formats;

const TableLayout kLayout{
    "State Department ISN CSV",
    ',',
    {"source list", "programs", "name", "alternative names", "country", "federal register notice"},
    "name",
    "country"};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "us-state-isn";
  SourceTable t(file, o, kLayout, out.report);
  if (auto st = t.open(); !st) return st.error();
  const int c_source = t.col("source list"), c_programs = t.col("programs"), c_name = t.col("name"),
            c_alt = t.col("alternative names"), c_country = t.col("country"),
            c_notice = t.col("federal register notice"), c_effective = t.col("effective date"),
            c_remarks = t.col("remarks/notes"), c_link = t.col("web link");
  for (;;) {
    auto more = t.next();
    if (!more) return more.error();
    if (!*more) break;
    auto source = trim(t.get(c_source));
    if (!source.empty() && !equals_icase(source, "ISN") && !equals_icase(source, kIsnList)) {
      if (auto e = t.errors().skip(t.path(), t.line(), t.col_name(c_source),
                                   "unknown list code '" + clean(source) + "' (expected ISN)"))
        return *e;
      continue;
    }
    Party p;
    p.list = std::string(kIsnList);
    std::string name = t.text(c_name);
    add_name_with_aliases(p, name, NameKind::kPrimary);
    p.citation = t.text(c_notice);
    p.id = derive_party_id(p.list, name, p.citation);
    for (auto& a : split_trimmed(t.text(c_alt), ";")) add_name_with_aliases(p, a, NameKind::kAka);
    for (auto& pr : split_trimmed(t.text(c_programs), ";")) add_program(p, pr);
    std::string unresolved;
    std::string code = resolve_country_cell(t, countries, c_country, &unresolved);
    if (!code.empty()) add_country(p, code);
    if (!unresolved.empty()) append_remarks(p, "Country: " + unresolved);
    set_listed_on(p, t.get(c_effective));
    append_remarks(p, t.text(c_remarks));
    p.source_url = t.text(c_link);
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_state_isn(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "State ISN loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
