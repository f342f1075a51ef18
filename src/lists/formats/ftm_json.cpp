// FollowTheMoney entities as JSON lines (the OpenSanctions export format): one entity per line with
// "id", "schema", "properties" (every property a list of strings) and "datasets".
//
// Party schemas (Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane) become
// parties. Sanction and Identification entities enrich the party they point at; other schemas are
// counted as skipped and reported (never fatal: they are well-formed, just not parties).
#include <cstring>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance {
namespace {

using formats::RowErrors;
using nlohmann::json;

std::string list_for_dataset(std::string_view dataset) {
  static const std::pair<std::string_view, std::string_view> kLists[] = {
      {"cn_mofcom_export_control_list", "China Export Control Control List (出口管制管控名单) - MOFCOM"},
      {"cn_mofcom_unreliable_entity_list", "China Unreliable Entity List (不可靠实体清单) - MOFCOM"},
      {"us_dow_1260h", "DoD 1260H Chinese Military Companies"},
      {"us_dod_1260h", "DoD 1260H Chinese Military Companies"},
      {"us_dhs_uflpa", "UFLPA Entity List - DHS"},
      {"us_fcc_covered", "FCC Covered List"},
      {"us_cbp_wro", "CBP Withhold Release Orders"},
      {"us_dow_1286", "DoD Section 1286 List"},
      {"us_dod_1286", "DoD Section 1286 List"},
      {"us_ofac_eo14032", "EO 14032 Annex (NS-CMIC) - Treasury"},
  };
  for (auto& [d, l] : kLists)
    if (d == dataset) return std::string(l);
  return std::string(dataset);
}

PartyType party_schema(std::string_view schema) {
  if (schema == "Person") return PartyType::kPerson;
  if (schema == "Vessel") return PartyType::kVessel;
  if (schema == "Airplane") return PartyType::kAircraft;
  if (schema == "Organization" || schema == "Company" || schema == "LegalEntity" || schema == "PublicBody")
    return PartyType::kEntity;
  return PartyType::kUnknown;
}

std::vector<std::string> values(const json& props, const char* key) {
  std::vector<std::string> out;
  auto it = props.find(key);
  if (it == props.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// "商务部公告2026年第30号" and the like, when the notice is only named in the notes.
std::string find_announcement(std::string_view text) {
  static const std::string_view kMarkers[] = {"商务部公告", "不可靠实体清单工作机制公告",
                                              "不可靠实体清单工作机制〔"};
  static const std::string_view kEnd = "号";
  for (auto m : kMarkers) {
    auto pos = text.find(m);
    if (pos == std::string_view::npos) continue;
    auto end = text.find(kEnd, pos + m.size());
    if (end != std::string_view::npos && end - pos < 90)
      return std::string(text.substr(pos, end + kEnd.size() - pos));
  }
  return {};
}

constexpr std::pair<const char*, const char*> kIdProps[] = {{"idNumber", "ID Number"},
                                                            {"registrationNumber", "Registration Number"},
                                                            {"imoNumber", "IMO"},
                                                            {"taxNumber", "Tax ID"},
                                                            {"innCode", "INN"},
                                                            {"ogrnCode", "OGRN"},
                                                            {"swiftBic", "SWIFT/BIC"},
                                                            {"leiCode", "LEI"},
                                                            {"callSign", "Call Sign"},
                                                            {"mmsi", "MMSI"},
                                                            {"passportNumber", "Passport"},
                                                            {"uscCode", "Unified Social Credit Code"},
                                                            {"vatCode", "VAT Number"},
                                                            {"dunsCode", "D-U-N-S Number"},
                                                            {"icaoCode", "ICAO"},
                                                            {"serialNumber", "Serial Number"}};

void fill_party(Party& p, const json& props, const CountryTable& countries) {
  formats::add_names(p, values(props, "alias"), NameKind::kAka);
  for (auto& v : values(props, "abbreviation")) formats::add_name(p, v, NameKind::kAka);
  for (auto& v : values(props, "previousName")) formats::add_name(p, v, NameKind::kFka);
  formats::add_names(p, values(props, "weakAlias"), NameKind::kWeak);
  for (const char* k : {"country", "nationality", "citizenship", "jurisdiction", "mainCountry"})
    for (auto& v : values(props, k)) formats::add_country_name(p, countries, v);
  for (auto& v : values(props, "address"))
    formats::add_address(p, v, countries.resolve_address_tail(v).value_or(""));
  std::vector<std::string> citations = values(props, "program");
  for (auto& v : values(props, "notes")) formats::append_remarks(p, v);
  if (citations.empty()) {
    for (auto& v : values(props, "notes"))
      if (auto a = find_announcement(v); !a.empty()) citations.push_back(a);
  }
  for (auto& c : citations) {
    auto t = formats::clean(c);
    if (t.empty() || p.citation.find(t) != std::string::npos) continue;
    if (!p.citation.empty()) p.citation += "; ";
    p.citation += t;
  }
  for (const char* k : {"startDate", "listingDate"})
    for (auto& v : values(props, k)) formats::set_listed_on(p, v);
  for (auto& v : values(props, "birthDate")) formats::add_birth_date(p, v);
  for (auto& [prop, type] : kIdProps)
    for (auto& v : values(props, prop)) formats::add_id(p, type, v, "");
  if (p.source_url.empty())
    for (auto& v : values(props, "sourceUrl"))
      if (!trim(v).empty()) {
        p.source_url = std::string(trim(v));
        break;
      }
}

struct Attachment {
  size_t line;
  std::string schema;
  std::vector<std::string> targets;
  json props;
};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  const std::string& path = file.path;
  std::string_view s = file.contents;
  const size_t n = s.size();
  size_t pos = (n >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") ? 3 : 0;
  {
    auto body = trim(s.substr(pos));
    while (!body.empty() && body.back() == '\x1A') body = trim(body.substr(0, body.size() - 1));
    if (body.empty()) return Error::BadInputAt(path, 0, "", "file is empty");
  }
  RowErrors errors(o, out.report);
  std::vector<Attachment> attachments;
  size_t line_no = 0;
  while (pos < n) {
    ++line_no;
    const size_t cap = o.max_record_bytes >= n ? n : o.max_record_bytes + 2;
    size_t window = std::min(n - pos, cap);
    const void* hit = std::memchr(s.data() + pos, '\n', window);
    size_t end;
    if (hit) {
      end = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    } else if (n - pos > o.max_record_bytes + 1) {
      return Error::BadInputAt(
          path, line_no, "",
          "line is longer than the limit of " + std::to_string(o.max_record_bytes) + " bytes");
    } else {
      end = n;
    }
    const bool last_without_newline = !hit;
    auto line = s.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > o.max_record_bytes)
      return Error::BadInputAt(
          path, line_no, "",
          "line is longer than the limit of " + std::to_string(o.max_record_bytes) + " bytes");
    auto t = trim(line);
    if (t.empty() || t == "\x1A") continue;

    ++out.report.rows;
    if (auto bad = formats::invalid_utf8_at(line); bad != std::string_view::npos) {
      if (auto e = errors.skip(path, line_no, formats::json_key_at(line, bad),
                               formats::invalid_utf8_message(line, bad)))
        return *e;
      continue;
    }
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      // A last line cut off mid-record is a truncated file (an interrupted download or copy): loading
      // what came before would put a partial list in force, so the whole load fails.
      if (last_without_newline && j.is_discarded())
        return Error::BadInputAt(path, line_no, "",
                                 "the file ends mid-record (the last line is cut off): it is truncated");
      std::string why = j.is_discarded() ? "not valid JSON" : "not a JSON object";
      if (auto e = errors.skip(path, line_no, "", why)) return *e;
      continue;
    }
    auto props_it = j.find("properties");
    if (props_it == j.end() || !props_it->is_object()) {
      if (auto e = errors.skip(path, line_no, "properties", "missing or not an object")) return *e;
      continue;
    }
    const json& props = *props_it;
    auto text_member = [&](const char* key) {
      auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string schema = text_member("schema");
    std::string id = text_member("id");
    std::string dataset;
    if (auto d = j.find("datasets"); d != j.end() && d->is_array() && !d->empty() && d->front().is_string())
      dataset = d->front().get<std::string>();
    if (out.default_name.empty() && !dataset.empty()) out.default_name = dataset;

    PartyType type = party_schema(schema);
    if (type == PartyType::kUnknown) {
      std::vector<std::string> targets;
      if (schema == "Sanction")
        targets = values(props, "entity");
      else if (schema == "Identification" || schema == "Passport")
        targets = values(props, "holder");
      if (targets.empty()) {
        errors.ignore(
            path, line_no, "schema",
            "'" + schema + "' is not a listed party (Person, Organization, Company, LegalEntity, Vessel…)");
        continue;
      }
      attachments.push_back(Attachment{line_no, schema, std::move(targets), props});
      continue;
    }
    auto names = values(props, "name");
    Party p;
    p.type = type;
    p.list = list_for_dataset(dataset.empty() ? std::filesystem::path(path).stem().stem().string() : dataset);
    formats::add_names(p, names, NameKind::kPrimary);
    if (p.names.empty()) {
      if (auto e = errors.skip(path, line_no, "properties.name", "missing name")) return *e;
      continue;
    }
    fill_party(p, props, countries);
    p.id = !trim(id).empty() ? std::string(trim(id)) : derive_party_id(p.list, p.primary_name(), p.citation);
    formats::finish_party(p);
    out.parties.push_back(std::move(p));
    ++out.report.imported;
  }

  if (!attachments.empty()) {
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < out.parties.size(); ++i) index.emplace(out.parties[i].id, i);
    for (auto& a : attachments) {
      bool attached = false;
      for (auto& target : a.targets) {
        auto it = index.find(target);
        if (it == index.end()) continue;
        Party& p = out.parties[it->second];
        if (a.schema == "Sanction") {
          for (auto& v : values(a.props, "program")) formats::add_program(p, v);
          for (const char* k : {"startDate", "listingDate"})
            for (auto& v : values(a.props, k)) formats::set_listed_on(p, v);
          for (auto& v : values(a.props, "reason")) formats::append_remarks(p, v);
          if (p.source_url.empty())
            for (auto& v : values(a.props, "sourceUrl")) p.source_url = std::string(trim(v));
        } else {
          auto country = values(a.props, "country");
          std::string code = country.empty() ? "" : countries.resolve(country.front()).value_or("");
          auto type = values(a.props, "type");
          for (auto& num : values(a.props, "number"))
            formats::add_id(p,
                            type.empty() ? (a.schema == "Passport" ? "Passport" : "ID Number") : type.front(),
                            num, code);
        }
        attached = true;
      }
      if (attached)
        ++out.report.imported;
      else
        errors.orphan(path, a.line, a.schema == "Sanction" ? "properties.entity" : "properties.holder",
                      "points at no party in this file");
    }
  }
  if (out.default_name.empty()) out.default_name = std::filesystem::path(path).stem().stem().string();
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_ftm_json(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "FtM loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
