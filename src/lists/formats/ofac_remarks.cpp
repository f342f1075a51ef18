#include "lists/formats/ofac_remarks.hpp"

#include <algorithm>

#include "clearance/common/strings.hpp"
#include "lists/formats/party_builders.hpp"

namespace clearance::formats {

// ---------------------------------------------------------------------------------------------
// OFAC remarks

namespace {

// Identifier types written in OFAC remarks as "<written> <number>[ (<country>)][ issued …][ expires …]",
// as data: the written form, the type it is stored under when that differs, and whether the
// currency code of a digital currency address follows the written form (it then joins the type:
// "Digital Currency Address - XBT"). A new type OFAC starts to use is one row here.
struct OfacIdType {
  enum Next : unsigned char { kNumber, kCurrencyFollows };
  std::string_view written;
  std::string_view stored_as = {};  // empty: the written form
  Next next = kNumber;
};

constexpr OfacIdType kOfacIdTypes[] = {
    {"Passport"},
    {"Diplomatic Passport"},
    {"British National Overseas Passport"},
    {"Stateless Person Passport"},
    {"National ID No."},
    {"Cedula No."},
    {"Registration Number"},
    {"Registration ID"},
    {"Tax ID No."},
    {"Identification Number"},
    {"Folio Mercantil No."},
    {"Government Gazette Number"},
    {"Commercial Registry Number"},
    {"Company Number"},
    {"UK Company Number"},
    {"Matricula Mercantil No"},
    {"D.N.I."},
    {"MMSI"},
    {"D-U-N-S Number"},
    {"Business Registration Document #"},
    {"Business Registration Number"},
    {"Business Number"},
    {"V.A.T. Number"},
    {"C.R. No."},
    {"Trade License No."},
    {"R.F.C. #"},
    {"R.F.C."},
    {"RFC"},
    {"C.U.R.P. #"},
    {"C.U.R.P."},
    {"NIT #"},
    {"RUC #"},
    {"RIF #"},
    {"SSN"},
    {"Driver's License No."},
    {"Personal ID Card"},
    {"Citizen's Card Number"},
    {"Birth Certificate Number"},
    {"Legal Entity Number"},
    {"SWIFT/BIC"},
    {"Public Registration Number"},
    {"Kenyan ID No."},
    {"Electoral Registry No."},
    {"Residency Number"},
    {"Chinese Commercial Code"},
    {"Stateless Person ID Card"},
    {"Unified Social Credit Code (USCC)"},
    {"United Social Credit Code Certificate (USCCC)"},
    {"Economic Register Number (CBLS)"},
    {"Certificate of Incorporation Number"},
    {"Refugee ID Card"},
    {"Aircraft Manufacturer's Serial Number (MSN)"},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)"},
    {"Aircraft Tail Number"},
    {"Previous Aircraft Tail Number"},
    {"Aircraft Mode S Transponder Code"},
    {"Aircraft Serial Identification"},
    {"Website"},
    {"Email Address"},
    {"ISIN"},
    {"Istanbul Chamber of Comm. No."},
    {"Chamber of Commerce Number"},
    {"Central Registration System Number"},
    {"Italian Fiscal Code"},
    {"National Foreign ID Number"},
    {"Credencial electoral"},
    {"Cartilla de Servicio Militar Nacional"},
    {"Enterprise Number"},
    {"US FEIN"},
    {"I.F.E."},
    {"Registered Charity No."},
    {"C.U.I.T."},
    {"C.U.I.P."},
    {"C.U.I."},
    {"LE Number"},
    {"Turkish Identification Number"},
    {"Numero de Identidad"},
    {"Branch Unit Number"},
    {"Dubai Chamber of Commerce Membership No."},
    {"Travel Document Number"},
    {"Permit Number"},
    {"RTN"},
    {"BIK (RU)"},
    {"VisaNumberID"},
    {"File Number"},
    {"Tazkira National ID Card"},
    {"SRE Permit No."},
    {"Immigration No."},
    {"Pilot License Number"},
    {"N.I.E."},
    {"N.I.F."},
    {"C.I.F."},
    {"C.I.N."},
    {"CNP (Personal Numerical Code)"},
    {"Fiscal Code"},
    {"Seafarer's Identification Document"},
    {"Military Registration Number"},
    {"MSB Registration Number"},
    {"License"},
    {"Organization Code"},
    {"Vessel Registration Identification"},
    {"International Maritime Organization No."},
    {"Other Vessel Call Sign", "Call Sign"},
    {"Vessel Call Sign", "Call Sign"},
    {"Afghan Money Service Provider License Number"},
    {"Romanian Tax Registration"},
    {"Romanian C.R."},
    {"Romanian Permanent Resident"},
    {"Moroccan Personal ID No."},
    {"Bosnian Personal ID No."},
    {"Paraguayan tax identification number"},
    {"Tourism License No."},
    {"Registration Certificate Number (Dubai)"},
    {"RSIN"},
    {"Passport Booklet"},
    {"Digital Currency Address -", "", OfacIdType::kCurrencyFollows},
};

// Longest written form first, so "Passport" does not shadow "Passport Booklet" and the like.
const std::vector<const OfacIdType*>& ofac_id_types() {
  static const std::vector<const OfacIdType*> kByLength = [] {
    std::vector<const OfacIdType*> v;
    for (const auto& t : kOfacIdTypes) v.push_back(&t);
    std::stable_sort(v.begin(), v.end(),
                     [](auto a, auto b) { return a->written.size() > b->written.size(); });
    return v;
  }();
  return kByLength;
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
  add_id(p, type, r, country);
}

bool generic_id_type(std::string_view type) {
  auto words = split_trimmed(type, " ");
  if (words.empty() || words.size() > 6) return false;
  const std::string& last = words.back();
  return last == "No." || last == "No" || last == "Number" || last == "#" || last == "ID" || last == "Code" ||
         last == "Card" || last.ends_with("No.");
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
    for (const OfacIdType* id : ofac_id_types()) {
      std::string_view written = id->written;
      if (seg.size() > written.size() + 1 && seg.substr(0, written.size()) == written &&
          seg[written.size()] == ' ') {
        auto rest = trim(seg.substr(written.size() + 1));
        std::string t(id->stored_as.empty() ? written : id->stored_as);
        if (id->next == OfacIdType::kCurrencyFollows) {
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
