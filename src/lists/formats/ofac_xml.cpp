// OFAC's XML list (sdn.xml schema, also used for the consolidated non-SDN list): sdnList/sdnEntry
// with names, akaList (category strong/weak), idList, addressList, dates of birth, nationalities,
// citizenships and vesselInfo. Publish_Date gives the source date.
#include <exception>
#include <filesystem>

#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/ofac_remarks.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"
#include "lists/formats/xml_util.hpp"

namespace clearance {
namespace {

using formats::RowErrors;
using formats::xml_text;

// OFAC writes individuals "LAST, First"; the screening engine handles the order.
std::string ofac_name(pugi::xml_node n) {
  auto last = xml_text(n, "lastName");
  auto first = xml_text(n, "firstName");
  if (first.empty()) return last;
  if (last.empty()) return first;
  return last + ", " + first;
}

bool is_nonsdn_file(const std::string& path) {
  auto base = to_lower_ascii(std::filesystem::path(path).filename().string());
  return base.find("cons") != std::string::npos || base.find("nonsdn") != std::string::npos ||
         base.find("non_sdn") != std::string::npos || base.find("non-sdn") != std::string::npos;
}

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  const std::string& path = file.path;
  formats::LineIndex lines(file.contents);
  pugi::xml_document doc;
  if (auto e = formats::parse_xml(doc, file.contents, path, lines)) return *e;
  auto root = doc.child("sdnList");
  if (!root) return Error::BadInput(path + ": no <sdnList> root element: not an OFAC XML list");
  const bool cons = is_nonsdn_file(path);
  out.default_name = cons ? "us-ofac-nonsdn" : "us-ofac-sdn";
  out.source_date = formats::safe_date(xml_text(root.child("publshInformation"), "Publish_Date"));

  RowErrors errors(o, out.report);
  for (auto entry : root.children("sdnEntry")) {
    ++out.report.rows;
    size_t line = formats::xml_line(entry, lines);
    if (auto bad = formats::find_invalid_utf8_in(entry)) {
      if (auto e =
              errors.skip(path, formats::xml_line(bad->element, lines), bad->element.name(), bad->message))
        return *e;
      continue;
    }
    std::string name = ofac_name(entry);
    if (name.empty()) {
      if (auto e = errors.skip(path, line, "lastName", "missing name")) return *e;
      continue;
    }
    Party p;
    formats::add_name(p, name, NameKind::kPrimary);
    for (auto prog : entry.child("programList").children("program"))
      formats::add_program(p, formats::clean(prog.text().get()));
    p.list = cons ? formats::ofac_nonsdn_list(p.programs) : std::string(formats::kOfacSdnList);
    auto uid = xml_text(entry, "uid");
    p.id = uid.empty() ? derive_party_id(p.list, name, "") : (cons ? "ofac-cons-" : "ofac-sdn-") + uid;
    auto type = xml_text(entry, "sdnType");
    if (type.empty()) type = xml_text(entry, "nspType");
    p.type = type.empty() ? PartyType::kUnknown : party_type_from_string(type);

    for (auto aka : entry.child("akaList").children("aka")) {
      auto category = to_lower_ascii(xml_text(aka, "category"));
      auto aka_type = to_lower_ascii(xml_text(aka, "type"));
      NameKind kind = NameKind::kAka;
      if (aka_type == "f.k.a." || aka_type == "fka") kind = NameKind::kFka;
      if (category == "weak") kind = NameKind::kWeak;
      formats::add_name(p, ofac_name(aka), kind);
    }
    for (auto id : entry.child("idList").children("id")) {
      auto country = xml_text(id, "idCountry");
      std::string code = country.empty() ? "" : countries.resolve(country).value_or("");
      formats::add_id(p, xml_text(id, "idType"), xml_text(id, "idNumber"), code);
    }
    for (auto a : entry.child("addressList").children("address")) {
      std::string text;
      for (const char* k : {"address1", "address2", "address3", "city", "stateOrProvince", "postalCode"}) {
        auto v = xml_text(a, k);
        if (v.empty()) continue;
        if (!text.empty()) text += ", ";
        text += v;
      }
      auto country = xml_text(a, "country");
      std::string code = country.empty() ? "" : countries.resolve(country).value_or("");
      if (code.empty() && starts_with_icase(country, "Region: "))
        code = countries.resolve(country.substr(8)).value_or("");
      if (code.empty() && !country.empty()) text += (text.empty() ? "" : ", ") + country;
      formats::add_address(p, text, code);
    }
    for (auto d : entry.child("dateOfBirthList").children("dateOfBirthItem"))
      formats::add_birth_date(p, xml_text(d, "dateOfBirth"));
    for (auto n : entry.child("nationalityList").children("nationality"))
      formats::add_country_name(p, countries, xml_text(n, "country"));
    for (auto n : entry.child("citizenshipList").children("citizenship"))
      formats::add_country_name(p, countries, xml_text(n, "country"));
    formats::append_remarks(p, xml_text(entry, "remarks"));
    if (auto title = xml_text(entry, "title"); !title.empty()) formats::append_remarks(p, "Title: " + title);
    if (auto v = entry.child("vesselInfo")) {
      if (auto call = xml_text(v, "callSign"); !call.empty()) formats::add_id(p, "Call Sign", call, "");
      static const std::pair<const char*, const char*> kVessel[] = {{"vesselType", "Vessel type"},
                                                                    {"vesselFlag", "Vessel flag"},
                                                                    {"vesselOwner", "Vessel owner"},
                                                                    {"tonnage", "Tonnage"},
                                                                    {"grossRegisteredTonnage", "GRT"}};
      for (auto& [k, label] : kVessel)
        if (auto t = xml_text(v, k); !t.empty()) formats::append_remarks(p, std::string(label) + ": " + t);
    }
    formats::finish_party(p);
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_ofac_xml(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "OFAC XML loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
