// The State Department's (DDTC) statutorily debarred parties under the ITAR, as DDTC publishes them
// in CSV: Party Name, Date Of Birth, Federal Register Notice, Notice Date, Corrected Notice, Corrected
// Notice Date. One row per party; the id is derive_party_id(list, name, notice), and rows sharing
// both are merged.
//
// Names are written "Surname, Given (a.k.a. Other Name; Another)"; the aliases are split off. The
// file does not type its parties, and a comma does not tell a person ("Yun, Juwhan") from a company
// ("Dilligas Trading Co., Inc."), so the type is left unknown (a date of birth, when given, makes the
// party a person).
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/us_source.hpp"

namespace clearance {
namespace {

using namespace formats;

const TableLayout kLayout{"DDTC ITAR debarred parties CSV",
                          ',',
                          {"party name", "federal register notice", "notice date"},
                          "party name",
                          "federal register notice"};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable&) {
  LoadedList out;
  out.default_name = "us-ddtc-debarred";
  SourceTable t(file, o, kLayout, out.report);
  if (auto st = t.open(); !st) return st.error();
  const int c_name = t.col("party name"), c_dob = t.col("date of birth"),
            c_notice = t.col("federal register notice"), c_date = t.col("notice date"),
            c_corrected = t.col("corrected notice"), c_corrected_date = t.col("corrected notice date");
  for (;;) {
    auto more = t.next();
    if (!more) return more.error();
    if (!*more) break;
    Party p;
    p.list = std::string(kDtcList);
    std::string name = t.text(c_name);
    add_name_with_aliases(p, name, NameKind::kPrimary);
    p.citation = t.text(c_notice);
    p.id = derive_party_id(p.list, name, p.citation);
    if (auto dob = trim(t.get(c_dob)); !dob.empty()) {
      add_birth_date(p, dob);
      if (!p.birth_dates.empty()) {
        p.type = PartyType::kPerson;
      } else {
        t.note(t.col_name(c_dob), "'" + clean(dob) + "' is not a date; kept in the remarks");
        append_remarks(p, "Date of birth: " + clean(dob));
      }
    }
    set_listed_on(p, t.get(c_date));
    if (auto corrected = t.text(c_corrected); !corrected.empty()) {
      p.citation = p.citation.empty() ? corrected : p.citation + "; " + corrected;
      auto raw = trim(t.get(c_corrected_date));
      auto d = safe_date(raw);
      append_remarks(p, "Corrected notice " + corrected +
                            (raw.empty() ? std::string() : " of " + (d.empty() ? clean(raw) : d)));
    }
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_ddtc_debarred(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "DDTC debarred loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
