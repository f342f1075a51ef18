// OFAC's legacy CSV set: sdn.csv (or cons_prim.csv for the non-SDN list) with the entries, alt.csv
// (aliases), add.csv (addresses) and sdn_comments.csv (continuations of remarks cut at 1,000
// characters). No header; "-0-" means empty; Latin-1 with Windows-1252 punctuation; CRLF; often a
// DOS end-of-file byte (\x1A) on the last line.
//
// Alias/address/comment rows whose entry is missing (or whose primary file is absent) are counted as
// orphans and reported, never fatal.
#include <algorithm>
#include <exception>
#include <filesystem>
#include <unordered_map>

#include "clearance/common/csv.hpp"
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/ofac_remarks.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance {
namespace {

using formats::RowErrors;

enum class Role { kPrimary = 0, kAlias = 1, kAddress = 2, kComments = 3 };
constexpr size_t kFieldCount[] = {12, 5, 6, 2};
constexpr const char* kRoleFile[] = {"sdn.csv / cons_prim.csv", "alt.csv", "add.csv", "sdn_comments.csv"};

struct FileRole {
  const SourceFile* file = nullptr;
  Role role = Role::kPrimary;
  bool cons = false;  // the non-SDN (consolidated) list
};

// Role from the file name; for other names, from the field count of the first record.
std::optional<FileRole> role_of(const SourceFile& f, size_t max_record) {
  auto base = to_lower_ascii(std::filesystem::path(f.path).filename().string());
  auto role = [&](Role r, bool cons) { return FileRole{&f, r, cons}; };
  if (base == "sdn.csv") return role(Role::kPrimary, false);
  if (base == "alt.csv") return role(Role::kAlias, false);
  if (base == "add.csv") return role(Role::kAddress, false);
  if (base == "sdn_comments.csv") return role(Role::kComments, false);
  if (base == "cons_prim.csv") return role(Role::kPrimary, true);
  if (base == "cons_alt.csv") return role(Role::kAlias, true);
  if (base == "cons_add.csv") return role(Role::kAddress, true);
  if (base == "cons_comments.csv") return role(Role::kComments, true);
  bool cons = base.find("cons") != std::string::npos || base.find("nonsdn") != std::string::npos ||
              base.find("non_sdn") != std::string::npos || base.find("non-sdn") != std::string::npos;
  csv::Reader reader(f.contents, csv::Options{',', max_record});
  csv::Record rec;
  if (reader.next(rec) != csv::Reader::Status::kRecord) return std::nullopt;
  for (int k = 0; k < 4; ++k)
    if (rec.fields.size() == kFieldCount[k]) return role(static_cast<Role>(k), cons);
  return std::nullopt;
}

class Decoder {
 public:
  explicit Decoder(std::string_view contents)
      : latin1_(find_invalid_utf8(contents) != std::string_view::npos) {}
  // The field's text in UTF-8, trimmed, with OFAC's "-0-" as empty.
  std::string operator()(std::string_view field) const {
    auto t = trim(field);
    if (t == "-0-") return {};
    if (latin1_) return latin1_to_utf8(t);
    return std::string(t);
  }

 private:
  bool latin1_;  // OFAC writes Latin-1; a file that is valid UTF-8 is taken as UTF-8
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split_programs(std::string_view s) {
  std::vector<std::string> out;
  for (auto& p : split_trimmed(s, "] [")) {
    std::string_view v = p;
    while (!v.empty() && (v.front() == '[' || v.front() == ' ')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ']' || v.back() == ' ')) v.remove_suffix(1);
    if (!v.empty()) out.emplace_back(v);
  }
  return out;
}

Result<LoadedList> load(const std::vector<SourceFile>& files, const LoadOptions& o,
                        const CountryTable& countries) {
  LoadedList out;
  RowErrors errors(o, out.report);
  if (files.empty()) return Error::BadInput("no OFAC CSV files given");

  std::vector<FileRole> roles;
  for (auto& f : files) {
    std::string_view body = f.contents;
    if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    body = trim(body);
    while (!body.empty() && body.back() == '\x1A') body = trim(body.substr(0, body.size() - 1));
    if (body.empty()) return Error::BadInput(f.path + ": file is empty");
    auto r = role_of(f, o.max_record_bytes);
    if (!r)
      return Error::BadInput(
          f.path +
          ": line 1: cannot tell which OFAC CSV file this is (expected sdn.csv, alt.csv, add.csv, "
          "sdn_comments.csv or cons_prim/alt/add/comments.csv with 12, 5, 6 or 2 fields)");
    roles.push_back(*r);
  }
  std::stable_sort(roles.begin(), roles.end(),
                   [](const FileRole& a, const FileRole& b) { return a.role < b.role; });
  bool any_sdn = false, any_cons = false, any_primary = false;
  for (auto& r : roles) {
    (r.cons ? any_cons : any_sdn) = true;
    any_primary |= r.role == Role::kPrimary;
  }
  out.default_name = any_cons && !any_sdn ? "us-ofac-nonsdn" : "us-ofac-sdn";
  if (!any_primary)
    errors.note(
        roles.front().file->path, 0, "",
        "no sdn.csv or cons_prim.csv in this set: its aliases, addresses and comments have no entries to "
        "attach to");

  std::unordered_map<std::string, size_t> index;  // "s123" / "c123" -> party
  std::vector<std::string> raw_remarks;
  csv::Record rec;
  for (auto& fr : roles) {
    const std::string& path = fr.file->path;
    const size_t want = kFieldCount[static_cast<int>(fr.role)];
    Decoder decode(fr.file->contents);
    csv::Reader reader(fr.file->contents, csv::Options{',', o.max_record_bytes});
    csv::Reader::Status st;
    const std::string prefix = fr.cons ? "c" : "s";
    while ((st = reader.next(rec)) == csv::Reader::Status::kRecord) {
      ++out.report.rows;
      if (rec.fields.size() != want) {
        if (auto e =
                errors.skip(path, rec.line, "",
                            "expected " + std::to_string(want) + " fields for " + kRoleFile[int(fr.role)] +
                                ", found " + std::to_string(rec.fields.size())))
          return *e;
        continue;
      }
      auto ent_num = trim(rec.fields[0]);
      if (!all_digits(ent_num)) {
        if (auto e = errors.skip(path, rec.line, "ent_num",
                                 "not a number: '" + std::string(ent_num.substr(0, 40)) + "'"))
          return *e;
        continue;
      }
      std::string key = prefix + std::string(ent_num);
      if (fr.role == Role::kPrimary) {
        std::string name = decode(rec.fields[1]);
        if (name.empty()) {
          if (auto e = errors.skip(path, rec.line, "SDN_Name", "missing name")) return *e;
          continue;
        }
        Party p;
        p.id = (fr.cons ? "ofac-cons-" : "ofac-sdn-") + std::string(ent_num);
        formats::add_name(p, name, NameKind::kPrimary);
        std::string type = decode(rec.fields[2]);
        p.type = type.empty() ? PartyType::kEntity : party_type_from_string(type);
        for (auto& pr : split_programs(decode(rec.fields[3]))) formats::add_program(p, pr);
        p.list = fr.cons ? formats::ofac_nonsdn_list(p.programs) : std::string(formats::kOfacSdnList);
        if (auto title = decode(rec.fields[4]); !title.empty()) formats::append_remarks(p, "Title: " + title);
        if (auto call = decode(rec.fields[5]); !call.empty()) formats::add_id(p, "Call Sign", call, "");
        static const char* kVessel[] = {"Vessel type", "Tonnage", "GRT", "Vessel flag", "Vessel owner"};
        for (int k = 0; k < 5; ++k)
          if (auto v = decode(rec.fields[6 + k]); !v.empty())
            formats::append_remarks(p, std::string(kVessel[k]) + ": " + v);
        index.emplace(key, out.parties.size());
        raw_remarks.push_back(decode(rec.fields[11]));
        out.parties.push_back(std::move(p));
        ++out.report.imported;
        continue;
      }
      auto it = index.find(key);
      if (it == index.end()) {
        errors.orphan(
            path, rec.line, "ent_num",
            "entry " + std::string(ent_num) + " is not in " + (fr.cons ? "cons_prim.csv" : "sdn.csv"));
        continue;
      }
      Party& p = out.parties[it->second];
      if (fr.role == Role::kAlias) {
        std::string name = decode(rec.fields[3]);
        if (name.empty()) {
          if (auto e = errors.skip(path, rec.line, "alt_name", "missing name")) return *e;
          continue;
        }
        auto type = to_lower_ascii(decode(rec.fields[2]));
        auto remarks = to_lower_ascii(decode(rec.fields[4]));
        NameKind kind = NameKind::kAka;
        if (type == "fka" || type == "f.k.a.") kind = NameKind::kFka;
        if (remarks.find("weak") != std::string::npos) kind = NameKind::kWeak;
        formats::add_name(p, name, kind);
      } else if (fr.role == Role::kAddress) {
        std::string text = decode(rec.fields[2]);
        std::string city = decode(rec.fields[3]);
        if (!city.empty()) text += (text.empty() ? "" : ", ") + city;
        std::string country_name = decode(rec.fields[4]);
        std::string code = country_name.empty() ? "" : countries.resolve(country_name).value_or("");
        if (code.empty() && starts_with_icase(country_name, "Region: "))
          code = countries.resolve(country_name.substr(8)).value_or("");
        if (code.empty() && !country_name.empty()) text += (text.empty() ? "" : ", ") + country_name;
        formats::add_address(p, text, code);
      } else {  // comments continue the remarks exactly where sdn.csv cut them
        raw_remarks[it->second] += decode(rec.fields[1]);
      }
      ++out.report.imported;
    }
    if (st == csv::Reader::Status::kError)
      return Error::BadInputAt(path, reader.error_line(), "", reader.error());
  }

  for (size_t i = 0; i < out.parties.size(); ++i) {
    auto& p = out.parties[i];
    formats::parse_ofac_remarks(p, raw_remarks[i], countries);
    std::string extra = std::move(p.remarks);  // title / vessel notes go after the source's remarks
    p.remarks.clear();
    formats::append_remarks(p, raw_remarks[i]);
    formats::append_remarks(p, extra);
    formats::finish_party(p);
  }
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_ofac_csv(const std::vector<SourceFile>& files, const LoadOptions& o,
                                 const CountryTable& c) {
  return guarded(files.empty() ? std::string("OFAC CSV set") : files.front().path, "OFAC CSV loader",
                 [&] { return load(files, o, c); });
}

}  // namespace clearance
