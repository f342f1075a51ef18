// The US Consolidated Screening List as trade.gov publishes it in CSV: the current 29-column layout
// (with `_id`) and the older 28-column one. Columns are mapped by header name, not position.
#include <exception>
#include <unordered_map>

#include "clearance/common/csv.hpp"
#include "clearance/common/guard.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/lists/loaders.hpp"
#include "lists/formats/csl_records.hpp"
#include "lists/formats/party_builders.hpp"
#include "lists/formats/row_errors.hpp"

namespace clearance {
namespace {

using formats::RowErrors;

class Columns {
 public:
  explicit Columns(const std::vector<std::string_view>& header) {
    for (size_t i = 0; i < header.size(); ++i) {
      auto h = to_lower_ascii(trim(header[i]));
      if (i == 0 && h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0) h.erase(0, 3);
      index_.emplace(h, i);
      names_.push_back(h);
    }
  }
  int find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? -1 : static_cast<int>(it->second);
  }
  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::string> names_;
};

Result<LoadedList> load(const SourceFile& file, const LoadOptions& o, const CountryTable& countries) {
  LoadedList out;
  out.default_name = "us-csl";
  const std::string& path = file.path;
  std::string_view data = file.contents;
  if (trim(data).empty() || trim(data) == "\xEF\xBB\xBF")
    return Error::BadInputAt(path, 0, "", "file is empty");

  csv::Reader reader(data, csv::Options{',', o.max_record_bytes});
  csv::Record rec;
  auto fail = [&]() { return Error::BadInputAt(path, reader.error_line(), "", reader.error()); };
  auto st = reader.next(rec);
  if (st == csv::Reader::Status::kError) return fail();
  if (st == csv::Reader::Status::kEnd) return Error::BadInputAt(path, 0, "", "file is empty");
  Columns cols(rec.fields);
  if (cols.find("name") < 0 || cols.find("source") < 0)
    return Error::BadInputAt(path, rec.line, "",
                             "header has no 'name' and 'source' columns: not a CSL CSV file");
  if (auto bad = formats::invalid_utf8_at(rec.raw); bad != std::string_view::npos)
    return Error::BadInputAt(path, rec.line, "header", formats::invalid_utf8_message(rec.raw, bad));
  const int c_id = cols.find("_id") >= 0 ? cols.find("_id") : cols.find("id");
  const int c_source = cols.find("source"), c_entity = cols.find("entity_number"), c_type = cols.find("type"),
            c_programs = cols.find("programs"), c_name = cols.find("name"), c_title = cols.find("title"),
            c_addresses = cols.find("addresses"), c_frn = cols.find("federal_register_notice"),
            c_start = cols.find("start_date"), c_lreq = cols.find("license_requirement"),
            c_lpol = cols.find("license_policy"), c_call = cols.find("call_sign"),
            c_remarks = cols.find("remarks"), c_list_url = cols.find("source_list_url"),
            c_alt = cols.find("alt_names"), c_cit = cols.find("citizenships"),
            c_dob = cols.find("dates_of_birth"), c_nat = cols.find("nationalities"),
            c_info_url = cols.find("source_information_url"), c_ids = cols.find("ids");

  RowErrors errors(o, out.report);
  std::vector<std::string> id_cells;
  formats::IdOrderVotes votes;
  formats::CslRecord r;
  while ((st = reader.next(rec)) == csv::Reader::Status::kRecord) {
    ++out.report.rows;
    if (rec.fields.size() != cols.size()) {
      // The last record of the file, without its line end and short of fields: the file was cut
      // off mid-record (an interrupted download or copy). Loading the rows before it would put a
      // partial list in force, so the whole load fails.
      bool unterminated = rec.raw.data() + rec.raw.size() == data.data() + data.size();
      if (unterminated && rec.fields.size() < cols.size())
        return Error::BadInputAt(path, rec.line, "",
                                 "the file ends mid-record (" + std::to_string(rec.fields.size()) + " of " +
                                     std::to_string(cols.size()) + " fields): it is truncated");
      if (auto e = errors.skip(path, rec.line, "",
                               "expected " + std::to_string(cols.size()) + " fields, found " +
                                   std::to_string(rec.fields.size())))
        return *e;
      continue;
    }
    if (formats::invalid_utf8_at(rec.raw) != std::string_view::npos) {
      size_t i = 0, at = std::string_view::npos;
      for (; i < rec.fields.size(); ++i)
        if ((at = formats::invalid_utf8_at(rec.fields[i])) != std::string_view::npos) break;
      if (i == rec.fields.size()) i = 0, at = 0;
      // The line of the bad byte, when a quoted field spans lines.
      size_t line = rec.line;
      if (at != std::string_view::npos && i < rec.fields.size()) {
        auto f = rec.fields[i];
        for (size_t k = 0; k < at && k < f.size(); ++k)
          if (f[k] == '\n') ++line;
      }
      if (auto e = errors.skip(
              path, line, cols.name(i),
              formats::invalid_utf8_message(rec.fields[i], at == std::string_view::npos ? 0 : at)))
        return *e;
      continue;
    }
    auto get = [&](int c) -> std::string_view { return c < 0 ? std::string_view() : rec.fields[c]; };
    if (trim(get(c_name)).empty()) {
      if (auto e = errors.skip(path, rec.line, "name", "missing name")) return *e;
      continue;
    }
    r.id = std::string(trim(get(c_id)));
    r.source = get(c_source);
    r.entity_number = trim(get(c_entity));
    r.type = get(c_type);
    r.name = get(c_name);
    r.title = get(c_title);
    r.federal_register_notice = get(c_frn);
    r.start_date = get(c_start);
    r.license_requirement = get(c_lreq);
    r.license_policy = get(c_lpol);
    r.call_sign = get(c_call);
    r.remarks = get(c_remarks);
    r.source_list_url = get(c_list_url);
    r.source_information_url = get(c_info_url);
    r.programs.assign(1, std::string(get(c_programs)));
    r.alt_names = split_trimmed(get(c_alt), ";");
    r.citizenships.assign(1, std::string(get(c_cit)));
    r.nationalities.assign(1, std::string(get(c_nat)));
    r.dates_of_birth.assign(1, std::string(get(c_dob)));
    r.address_cell = get(c_addresses);
    out.parties.push_back(formats::build_csl_party(r, countries));
    auto ids = trim(get(c_ids));
    votes.add(ids, countries);
    id_cells.emplace_back(ids);
    ++out.report.imported;
  }
  if (st == csv::Reader::Status::kError) return fail();

  auto order = votes.order();
  for (size_t i = 0; i < out.parties.size(); ++i)
    formats::add_csl_ids(out.parties[i], id_cells[i], order, countries);
  formats::merge_duplicate_ids(out.parties);
  return out;
}

}  // namespace

Result<LoadedList> load_csl_csv(const SourceFile& file, const LoadOptions& o, const CountryTable& c) {
  return guarded(file.path, "CSL CSV loader", [&] { return load(file, o, c); });
}

}  // namespace clearance
