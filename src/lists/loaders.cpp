// Format names, detection and dispatch. The per-format loaders live in src/lists/formats/.
#include "clearance/lists/loaders.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <iterator>

#include "clearance/common/strings.hpp"
#include "lists/formats/party_builders.hpp"

namespace clearance {

namespace {

constexpr ListFormat kAllFormats[] = {ListFormat::kAuto,     ListFormat::kCslCsv,  ListFormat::kCslJson,
                                      ListFormat::kOfacCsv,  ListFormat::kOfacXml, ListFormat::kUnXml,
                                      ListFormat::kFtmJson,  ListFormat::kBisDpl,  ListFormat::kBisCsv,
                                      ListFormat::kStateIsn, ListFormat::kBisUvl,  ListFormat::kDdtcDebarred};

// The header row's cell names, lower case, without quotes and surrounding blanks.
std::vector<std::string> header_cells(std::string_view line) {
  char sep = line.find('\t') != std::string_view::npos ? '\t' : ',';
  std::vector<std::string> out;
  for (auto cell : split(line, sep)) {
    auto t = trim(cell);
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = trim(t.substr(1, t.size() - 2));
    out.push_back(to_lower_ascii(t));
  }
  return out;
}

bool has_cells(const std::vector<std::string>& cells, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (std::find(cells.begin(), cells.end(), n) == cells.end()) return false;
  return true;
}

}  // namespace

std::string_view to_string(ListFormat f) {
  switch (f) {
    case ListFormat::kAuto:
      return "auto";
    case ListFormat::kCslCsv:
      return "csl-csv";
    case ListFormat::kCslJson:
      return "csl-json";
    case ListFormat::kOfacCsv:
      return "ofac-csv";
    case ListFormat::kOfacXml:
      return "ofac-xml";
    case ListFormat::kUnXml:
      return "un-xml";
    case ListFormat::kFtmJson:
      return "ftm-json";
    case ListFormat::kBisDpl:
      return "bis-dpl";
    case ListFormat::kBisCsv:
      return "bis-csv";
    case ListFormat::kStateIsn:
      return "state-isn";
    case ListFormat::kBisUvl:
      return "bis-uvl";
    case ListFormat::kDdtcDebarred:
      return "ddtc-debarred";
  }
  return "auto";
}

Result<ListFormat> list_format_from_string(std::string_view s) {
  for (auto f : kAllFormats)
    if (s == to_string(f)) return f;
  std::string names;
  for (size_t i = 0; i < std::size(kAllFormats); ++i) {
    if (i) names += i + 1 == std::size(kAllFormats) ? " or " : ", ";
    names += to_string(kAllFormats[i]);
  }
  return Error::BadInput("unknown list format '" + std::string(s) + "' (expected " + names + ")");
}

std::string RowProblem::to_string() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line);
  s += ": ";
  if (!field.empty()) s += field + ": ";
  s += message;
  return s;
}

void LoadReport::add_problem(const LoadOptions& o, RowProblem p) {
  if (problems.size() < o.max_reported) problems.push_back(std::move(p));
}

Result<ListFormat> detect_format(const std::vector<SourceFile>& files) {
  if (files.empty()) return Error::BadInput("no files to import");
  auto& f = files.front();
  auto base = to_lower_ascii(std::filesystem::path(f.path).filename().string());
  auto ext = to_lower_ascii(std::filesystem::path(f.path).extension().string());
  if (base == "sdn.csv" || base == "alt.csv" || base == "add.csv" || base == "sdn_comments.csv" ||
      starts_with_icase(base, "cons_"))
    return ListFormat::kOfacCsv;
  // Sniff the first non-blank bytes.
  std::string_view head(f.contents.data(), std::min<size_t>(f.contents.size(), 4096));
  if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  head = trim(head);
  if (head.empty()) return Error::BadInput(f.path + ": file is empty");
  if (head[0] == '<') {
    if (head.find("CONSOLIDATED_LIST") != std::string_view::npos) return ListFormat::kUnXml;
    if (head.find("sdnList") != std::string_view::npos || head.find("sdnEntry") != std::string_view::npos)
      return ListFormat::kOfacXml;
    return Error::BadInput(f.path + ": XML file is neither an OFAC sdn.xml nor a UN consolidated list");
  }
  if (head[0] == '{' || head[0] == '[') {
    // FtM is JSON lines with "schema"; CSL JSON is one object with "results".
    auto nl = head.find('\n');
    auto first = head.substr(0, nl);
    if (first.find("\"schema\"") != std::string_view::npos &&
        first.find("\"properties\"") != std::string_view::npos)
      return ListFormat::kFtmJson;
    if (head.find("\"results\"") != std::string_view::npos || head[0] == '[') return ListFormat::kCslJson;
    if (ext == ".json" && f.contents.find("\"schema\"") != std::string::npos) return ListFormat::kFtmJson;
    return Error::BadInput(f.path + ": JSON file is neither CSL JSON (\"results\") nor FollowTheMoney lines");
  }
  auto nl = head.find('\n');
  auto first = to_lower_ascii(head.substr(0, nl));
  // The lists as BIS and the State Department publish them, by their header rows.
  auto cells = header_cells(head.substr(0, nl));
  if (has_cells(cells, {"name", "street_address", "city", "country", "fr_citation"}))
    return ListFormat::kBisDpl;
  if (has_cells(cells, {"source list", "entity number", "name", "federal register notice", "alternate name"}))
    return ListFormat::kBisCsv;
  if (has_cells(cells, {"source list", "programs", "name", "alternative names", "federal register notice"}))
    return ListFormat::kStateIsn;
  if (cells.size() >= 3 && cells[0] == "country" && cells[1] == "name" && cells[2] == "address")
    return ListFormat::kBisUvl;
  if (has_cells(cells, {"party name", "federal register notice"})) return ListFormat::kDdtcDebarred;
  // A corpus of company names (cn/a-share-issuers-*.csv) is not a restricted-party list: importing it
  // would make every listed company a screening hit. Refuse it by name (see docs/LISTS.md).
  if (has_cells(cells, {"short_name", "market"}))
    return Error::BadInput(f.path +
                           ": line 1: a table of listed-company names (code, short_name, market), not a "
                           "restricted-party list: it cannot be imported as a list");
  if (first.find("source") != std::string::npos && first.find("name") != std::string::npos &&
      first.find("alt_names") != std::string::npos)
    return ListFormat::kCslCsv;
  if (ext == ".csv" && !first.empty() && first[0] >= '0' && first[0] <= '9') return ListFormat::kOfacCsv;
  return Error::BadInput(f.path + ": line 1: cannot tell the format; pass --format");
}

Result<LoadedList> load_list(const std::vector<SourceFile>& files, const LoadOptions& options,
                             const CountryTable& countries) {
  auto fmt = options.format;
  if (fmt == ListFormat::kAuto) {
    auto d = detect_format(files);
    if (!d) return d.error();
    fmt = *d;
  }
  if (fmt != ListFormat::kOfacCsv && files.size() != 1)
    return Error::BadInput("format " + std::string(to_string(fmt)) + " takes one file per source");
  Result<LoadedList> r = Error::Internal("unreachable");
  switch (fmt) {
    case ListFormat::kCslCsv:
      r = load_csl_csv(files[0], options, countries);
      break;
    case ListFormat::kCslJson:
      r = load_csl_json(files[0], options, countries);
      break;
    case ListFormat::kOfacCsv:
      r = load_ofac_csv(files, options, countries);
      break;
    case ListFormat::kOfacXml:
      r = load_ofac_xml(files[0], options, countries);
      break;
    case ListFormat::kUnXml:
      r = load_un_xml(files[0], options, countries);
      break;
    case ListFormat::kFtmJson:
      r = load_ftm_json(files[0], options, countries);
      break;
    case ListFormat::kBisDpl:
      r = load_bis_dpl(files[0], options, countries);
      break;
    case ListFormat::kBisCsv:
      r = load_bis_csv(files[0], options, countries);
      break;
    case ListFormat::kStateIsn:
      r = load_state_isn(files[0], options, countries);
      break;
    case ListFormat::kBisUvl:
      r = load_bis_uvl(files[0], options, countries);
      break;
    case ListFormat::kDdtcDebarred:
      r = load_ddtc_debarred(files[0], options, countries);
      break;
    case ListFormat::kAuto:
      break;
  }
  if (!r) return r;
  r->format = fmt;
  // Values over the per-party caps were dropped by the builders: say so, once per party.
  for (auto& p : r->parties)
    if (auto what = formats::capped_values(p); !what.empty())
      r->report.add_problem(
          options,
          RowProblem{files[0].path, 0, what,
                     "party " + p.id + " (" + p.primary_name() + ") has more than " +
                         std::to_string(formats::kMaxValuesPerParty) + " values; the rest were dropped"});
  return r;
}

}  // namespace clearance
