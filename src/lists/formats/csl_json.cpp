// The US Consolidated Screening List in trade.gov's JSON shape: {"results": [...], ...} (or a bare
// array), with arrays for multi-valued fields and objects for addresses and ids.
//
// The document is split into its top-level members and the results into their elements by a small
// structural scanner; each element is then parsed on its own. So a bad record (invalid UTF-8, a
// malformed object) is one skipped row reported with its line, and a truncated document is caught
// before any work is done.
#include <exception>
#include <nlohmann/json.hpp>

#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/csl_records.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance {
namespace {

using formats::RowErrors;
using nlohmann::json;
constexpr size_t npos = std::string_view::npos;

size_t skip_ws(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) ++pos;
  return pos;
}

// pos at the opening quote; returns the position after the closing quote, or npos.
size_t skip_string(std::string_view s, size_t pos) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      return i + 1;
  }
  return npos;
}

enum class Scan { kOk, kTruncated, kMalformed };

// Skips one JSON value starting at pos (no leading blanks). Validates nesting only; the values
// themselves are validated when parsed.
Scan skip_value(std::string_view s, size_t pos, size_t& end) {
  if (pos >= s.size()) return Scan::kTruncated;
  char c = s[pos];
  if (c == '"') {
    end = skip_string(s, pos);
    return end == npos ? Scan::kTruncated : Scan::kOk;
  }
  if (c == '{' || c == '[') {
    std::string stack;
    for (size_t i = pos; i < s.size(); ++i) {
      char d = s[i];
      if (d == '"') {
        i = skip_string(s, i);
        if (i == npos) return Scan::kTruncated;
        --i;
      } else if (d == '{' || d == '[') {
        stack += d;
      } else if (d == '}' || d == ']') {
        if (stack.empty() || (d == '}') != (stack.back() == '{')) return Scan::kMalformed;
        stack.pop_back();
        if (stack.empty()) {
          end = i + 1;
          return Scan::kOk;
        }
      }
    }
    return Scan::kTruncated;
  }
  size_t i = pos;
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' &&
         s[i] != '\r' && s[i] != '\t')
    ++i;
  if (i == pos) return Scan::kMalformed;
  end = i;
  return Scan::kOk;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  return {};
}

std::vector<std::string> strs(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (auto& v : *it)
      if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "us-csl";
  const std::string& path = file.path;
  std::string_view s = file.contents;
  size_t pos = 0;
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  pos = skip_ws(s, pos);
  if (pos >= s.size()) return Error::BadInputAt(path, 0, "", "file is empty");
  formats::LineIndex lines(s);
  // An error at a place of the file: its line (and the key, when there is one) kept in the Error.
  auto fail = [&](size_t offset, std::string_view what, std::string field = "") {
    return Error::BadInputAt(path, lines.line_of(offset), std::move(field), what);
  };
  auto scan_error = [&](Scan sc, size_t offset, const std::string& where) {
    if (sc == Scan::kTruncated)
      return fail(s.size(), "JSON ends inside " + where + " (the file is truncated)");
    return fail(offset, "malformed JSON in " + where);
  };

  size_t results_begin = npos, results_end = npos;
  if (s[pos] == '[') {
    results_begin = pos;
    auto sc = skip_value(s, pos, results_end);
    if (sc != Scan::kOk) return scan_error(sc, pos, "the top-level array");
    pos = results_end;
  } else if (s[pos] == '{') {
    ++pos;
    for (;;) {
      pos = skip_ws(s, pos);
      if (pos >= s.size()) return scan_error(Scan::kTruncated, pos, "the top-level object");
      if (s[pos] == '}') {
        ++pos;
        break;
      }
      if (s[pos] != '"') return scan_error(Scan::kMalformed, pos, "the top-level object");
      size_t key_end = skip_string(s, pos);
      if (key_end == npos) return scan_error(Scan::kTruncated, pos, "the top-level object");
      auto key = s.substr(pos + 1, key_end - pos - 2);
      pos = skip_ws(s, key_end);
      if (pos >= s.size()) return scan_error(Scan::kTruncated, pos, "the top-level object");
      if (s[pos] != ':') return scan_error(Scan::kMalformed, pos, "the top-level object");
      pos = skip_ws(s, pos + 1);
      size_t end = 0;
      auto sc = skip_value(s, pos, end);
      if (sc != Scan::kOk) return scan_error(sc, pos, "\"" + std::string(key) + "\"");
      if (key == "results") {
        if (s[pos] != '[') return fail(pos, "not an array", "results");
        results_begin = pos;
        results_end = end;
      } else if (key == "search_performed_at" || key == "last_updated" || key == "source_last_updated") {
        auto v = json::parse(s.substr(pos, end - pos), nullptr, false);
        if (v.is_string()) {
          auto d = formats::safe_date(v.get<std::string>().substr(0, 10));
          if (!d.empty()) out.source_date = d;
        }
      }
      pos = skip_ws(s, end);
      if (pos >= s.size()) return scan_error(Scan::kTruncated, pos, "the top-level object");
      if (s[pos] == ',') {
        ++pos;
        continue;
      }
      if (s[pos] == '}') {
        ++pos;
        break;
      }
      return scan_error(Scan::kMalformed, pos, "the top-level object");
    }
  } else {
    return fail(pos, "not JSON (expected '{' or '[')");
  }
  size_t doc_end = pos;
  if (size_t extra = skip_ws(s, doc_end); extra < s.size())
    return fail(extra, "unexpected text after the JSON document");
  if (results_begin == npos)
    return Error::BadInputAt(path, 0, "", "no \"results\" array: not a CSL JSON file");

  RowErrors errors(o, out.report);
  std::vector<std::vector<std::vector<std::string>>> id_parts;
  formats::IdOrderVotes votes;
  formats::CslRecord r;
  pos = results_begin + 1;
  for (;;) {
    pos = skip_ws(s, pos);
    if (pos >= results_end) break;
    if (s[pos] == ']') break;
    size_t end = 0;
    auto sc = skip_value(s, pos, end);
    if (sc != Scan::kOk) return scan_error(sc, pos, "a \"results\" element");
    const size_t elem_start = pos;
    auto elem = s.substr(pos, end - pos);
    size_t line = lines.line_of(pos);
    size_t next = skip_ws(s, end);
    if (next < s.size() && s[next] == ',')
      ++next;
    else if (next >= s.size() || s[next] != ']')
      return scan_error(Scan::kMalformed, next, "the \"results\" array");
    pos = next;

    ++out.report.rows;
    if (elem.size() > o.max_record_bytes)
      return fail(elem_start,
                  "a record is longer than the limit of " + std::to_string(o.max_record_bytes) + " bytes");
    if (auto bad = formats::invalid_utf8_at(elem); bad != npos) {
      if (auto e = errors.skip(path, lines.line_of(elem_start + bad), formats::json_key_at(elem, bad),
                               formats::invalid_utf8_message(elem, bad)))
        return *e;
      continue;
    }
    auto j = json::parse(elem, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      if (auto e = errors.skip(path, line, "",
                               j.is_discarded() ? "malformed JSON record" : "record is not an object"))
        return *e;
      continue;
    }
    r = formats::CslRecord{};
    r.name = str(j, "name");
    if (trim(r.name).empty()) {
      if (auto e = errors.skip(path, line, "name", "missing name")) return *e;
      continue;
    }
    r.id = str(j, "id");
    if (r.id.empty()) r.id = str(j, "_id");
    r.source = str(j, "source");
    r.entity_number = str(j, "entity_number");
    r.type = str(j, "type");
    r.title = str(j, "title");
    r.federal_register_notice = str(j, "federal_register_notice");
    r.start_date = str(j, "start_date");
    r.license_requirement = str(j, "license_requirement");
    r.license_policy = str(j, "license_policy");
    r.call_sign = str(j, "call_sign");
    r.remarks = str(j, "remarks");
    r.source_list_url = str(j, "source_list_url");
    r.source_information_url = str(j, "source_information_url");
    r.programs = strs(j, "programs");
    r.alt_names = strs(j, "alt_names");
    r.citizenships = strs(j, "citizenships");
    r.nationalities = strs(j, "nationalities");
    r.dates_of_birth = strs(j, "dates_of_birth");
    if (auto it = j.find("addresses"); it != j.end()) {
      if (it->is_string()) {
        r.address_cell = it->get<std::string>();
      } else if (it->is_array()) {
        for (auto& a : *it) {
          if (a.is_string()) {
            r.address_parts.emplace_back(a.get<std::string>(), "");
            continue;
          }
          if (!a.is_object()) continue;
          std::string text;
          for (const char* k : {"address", "city", "state", "postal_code"}) {
            auto v = str(a, k);
            if (trim(v).empty()) continue;
            if (!text.empty()) text += ", ";
            text += std::string(trim(v));
          }
          r.address_parts.emplace_back(std::move(text), str(a, "country"));
        }
      }
    }
    out.parties.push_back(formats::build_csl_party(r, countries));
    std::vector<std::vector<std::string>> parts;
    if (auto it = j.find("ids"); it != j.end()) {
      if (it->is_string()) {
        for (auto& item : split_trimmed(it->get<std::string>(), "; ")) {
          std::vector<std::string> ps;
          for (auto p : split(item, ',')) ps.emplace_back(trim(p));
          parts.push_back(std::move(ps));
        }
      } else if (it->is_array()) {
        for (auto& id : *it) {
          if (!id.is_object()) continue;
          std::vector<std::string> ps;
          for (const char* k : {"type", "number", "country"}) {
            auto v = str(id, k);
            if (!trim(v).empty()) ps.emplace_back(trim(v));
          }
          parts.push_back(std::move(ps));
        }
      }
    }
    for (auto& ps : parts) votes.add_parts(ps, countries);
    id_parts.push_back(std::move(parts));
    ++out.report.imported;
  }

  auto order = votes.order();
  for (size_t i = 0; i < out.parties.size(); ++i)
    for (auto& ps : id_parts[i]) formats::add_csl_id_parts(out.parties[i], ps, order, countries);
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_csl_json(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "CSL JSON loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
