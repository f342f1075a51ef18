// The UN Security Council Consolidated List (official XML): CONSOLIDATED_LIST with
// INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY. dateGenerated gives the source date.
#include <exception>

#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"
#include "lists/formats/xml_util.hpp"

namespace clearance {
namespace {

using formats::RowErrors;
using formats::xml_text;

constexpr std::string_view kUnList = "UN Security Council Consolidated List";

void add_dob(Party& p, pugi::xml_node d) {
  auto date = xml_text(d, "DATE");
  if (!date.empty()) {
    formats::add_birth_date(p, date);
    return;
  }
  auto from = xml_text(d, "FROM_YEAR"), to = xml_text(d, "TO_YEAR");
  if (!from.empty() && !to.empty()) {
    formats::add_birth_date(p, from + " to " + to);
    return;
  }
  auto year = xml_text(d, "YEAR");
  if (!year.empty()) {
    formats::add_birth_date(p, year);
    return;
  }
  if (!from.empty()) formats::add_birth_date(p, from);
  if (!to.empty()) formats::add_birth_date(p, to);
  auto note = xml_text(d, "NOTE");  // e.g. "Nov. 1973"
  if (!note.empty()) formats::add_birth_date(p, note);
}

void add_un_address(Party& p, pugi::xml_node a, const CountryTable& countries) {
  std::string text;
  for (const char* k : {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"}) {
    auto v = xml_text(a, k);
    if (v.empty()) continue;
    if (!text.empty()) text += ", ";
    text += v;
  }
  auto country = xml_text(a, "COUNTRY");
  std::string code = country.empty() ? "" : countries.resolve(country).value_or("");
  if (code.empty() && !country.empty()) text += (text.empty() ? "" : ", ") + country;
  if (code.empty() && country.empty() && !text.empty())
    code = countries.resolve_address_tail(text).value_or("");
  formats::add_address(p, text, code);
}

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "un-sc";
  const std::string& path = file.path;
  formats::LineIndex lines(file.contents);
  pugi::xml_document doc;
  if (auto e = formats::parse_xml(doc, file.contents, path, lines)) return *e;
  auto root = doc.child("CONSOLIDATED_LIST");
  if (!root)
    return Error::BadInput(path + ": no <CONSOLIDATED_LIST> root element: not a UN consolidated list");
  out.source_date = formats::safe_date(std::string(root.attribute("dateGenerated").value()).substr(0, 10));

  RowErrors errors(o, out.report);
  struct Kind {
    const char* group;
    const char* element;
    const char* alias;
    const char* address;
    PartyType type;
  };
  for (const Kind& k :
       {Kind{"INDIVIDUALS", "INDIVIDUAL", "INDIVIDUAL_ALIAS", "INDIVIDUAL_ADDRESS", PartyType::kPerson},
        Kind{"ENTITIES", "ENTITY", "ENTITY_ALIAS", "ENTITY_ADDRESS", PartyType::kEntity}}) {
    for (auto e : root.child(k.group).children(k.element)) {
      ++out.report.rows;
      size_t line = formats::xml_line(e, lines);
      if (auto bad = formats::find_invalid_utf8_in(e)) {
        if (auto err =
                errors.skip(path, formats::xml_line(bad->element, lines), bad->element.name(), bad->message))
          return *err;
        continue;
      }
      std::string name;
      for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
        auto v = xml_text(e, part);
        if (v.empty()) continue;
        if (!name.empty()) name += ' ';
        name += v;
      }
      if (name.empty()) {
        if (auto err = errors.skip(path, line, "FIRST_NAME", "missing name")) return *err;
        continue;
      }
      Party p;
      p.list = std::string(kUnList);
      p.type = k.type;
      formats::add_name(p, name, NameKind::kPrimary);
      p.citation = xml_text(e, "REFERENCE_NUMBER");
      auto dataid = xml_text(e, "DATAID");
      p.id = dataid.empty() ? derive_party_id(p.list, name, p.citation) : "un-" + dataid;
      formats::add_name(p, xml_text(e, "NAME_ORIGINAL_SCRIPT"), NameKind::kAka);
      for (auto a : e.children(k.alias)) {
        auto quality = to_lower_ascii(xml_text(a, "QUALITY"));
        NameKind kind = NameKind::kAka;
        if (quality == "low")
          kind = NameKind::kWeak;
        else if (quality == "f.k.a.")
          kind = NameKind::kFka;
        formats::add_name(p, xml_text(a, "ALIAS_NAME"), kind);
      }
      for (auto a : e.children(k.address)) add_un_address(p, a, countries);
      for (auto v : e.child("NATIONALITY").children("VALUE"))
        formats::add_country_name(p, countries, formats::clean(v.text().get()));
      for (auto d : e.children("INDIVIDUAL_DATE_OF_BIRTH")) add_dob(p, d);
      for (auto d : e.children("INDIVIDUAL_DOCUMENT")) {
        auto number = xml_text(d, "NUMBER");
        if (number.empty()) continue;
        auto type = xml_text(d, "TYPE_OF_DOCUMENT");
        auto type2 = xml_text(d, "TYPE_OF_DOCUMENT2");
        if (type.empty()) type = type2;
        if (type.empty()) type = "ID";
        std::string code;
        for (const char* c : {"ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"}) {
          auto v = xml_text(d, c);
          if (!v.empty() && code.empty()) code = countries.resolve(v).value_or("");
        }
        formats::add_id(p, type, number, code);
      }
      formats::add_program(p, xml_text(e, "UN_LIST_TYPE"));
      formats::set_listed_on(p, xml_text(e, "LISTED_ON"));
      p.remarks = std::string(trim(e.child_value("COMMENTS1")));
      formats::finish_party(p);
      out.parties.push_back(std::move(p));
      ++out.report.imported;
    }
  }
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_un_xml(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "UN XML loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
