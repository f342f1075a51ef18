#include "clearance/match/batch.hpp"

#include "clearance/common/numbers.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"
#include "clearance/match/json.hpp"
#include "clearance/match/query.hpp"

namespace clearance {

namespace {

constexpr size_t kFirstProblems = 20;

std::string joined(const std::vector<std::string>& v, std::string_view extra) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
  if (!extra.empty()) s += (s.empty() ? "" : "; ") + std::string(extra);
  return s;
}

}  // namespace

nlohmann::ordered_json batch_row_to_json(const BatchRow& r, std::string_view note,
                                         const std::vector<HitCaseMark>& marks, std::int64_t record) {
  nlohmann::ordered_json j = {{"id", r.id}};
  if (!r.error.empty()) {
    j["error"] = r.error;
    add_lists_note(j, note);
  } else {
    auto answer = screening_to_json(r.query, r.hits, r.warnings, note);
    for (size_t i = 0; i < answer["hits"].size() && i < marks.size(); ++i) {
      const HitCaseMark& m = marks[i];
      if (m.case_id == 0) continue;
      answer["hits"][i]["case"] = m.case_id;
      answer["hits"][i]["case_status"] = m.status;
      if (m.suppressed) answer["hits"][i]["suppressed_by"] = m.case_id;
    }
    for (auto& [k, v] : answer.items()) j[k] = std::move(v);
  }
  if (record > 0) j["record"] = record;
  return j;
}

std::string format_batch_row(const BatchRow& r, BatchFormat format, std::string_view note,
                             const std::vector<HitCaseMark>& marks, std::int64_t record) {
  if (format == BatchFormat::kJsonl) return batch_row_to_json(r, note, marks, record).dump() + "\n";
  auto mark = [&](size_t i) { return i < marks.size() ? marks[i] : HitCaseMark{}; };
  std::string warnings = csv::quoted(joined(r.warnings, note));
  std::string head = csv::quoted(r.id) + "," + csv::quoted(r.query.name) + ",";
  if (!r.error.empty()) return head + ",,,,," + warnings + "," + csv::quoted(r.error) + ",,\n";
  std::string out;
  for (size_t i = 0; i < r.hits.size(); ++i) {
    const auto& h = r.hits[i];
    HitCaseMark m = mark(i);
    std::string case_cols =
        m.case_id ? std::to_string(m.case_id) + "," + (m.suppressed ? std::to_string(m.case_id) : "")
                  : std::string(",");
    out += head + format_fixed(h.score, 4) + "," + csv::quoted(h.party->list) + "," +
           csv::quoted(h.party->id) + "," + csv::quoted(h.party->primary_name()) + "," +
           csv::quoted(h.matched_name) + "," + warnings + ",," + case_cols + "\n";
  }
  if (r.hits.empty() && (!r.warnings.empty() || !note.empty())) out = head + ",,,,," + warnings + ",,,\n";
  return out;
}

namespace {}  // namespace

std::string batch_csv_header() {
  return "id,query,score,list,entry_id,name,matched_name,warnings,error,case,suppressed_by\n";
}

Result<BatchSummary> screen_batch(std::istream& in, std::string_view filename, const Screener& screener,
                                  const TextTables& tables, const BatchOptions& options,
                                  const BatchSink& sink,
                                  const std::function<void(const BatchProgress&)>& progress) {
  const std::string file(filename);
  csv::StreamReader reader(in, file, options.reader);
  csv::Record rec;
  auto st = reader.next(rec);
  if (st == csv::Reader::Status::kError) return Error::BadInput(reader.error());
  if (st == csv::Reader::Status::kEnd) return Error::BadInput(file + ": empty (expected a header row)");
  auto col = [&](const std::string& name) -> int {
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      auto h = trim(rec.fields[i]);
      if (i == 0 && h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);  // a UTF-8 BOM
      if (equals_icase(trim(h), name)) return static_cast<int>(i);
    }
    return -1;
  };
  const int c_name = col(options.name_column), c_id = col(options.id_column),
            c_country = col(options.country_column), c_type = col(options.type_column);
  const int c_ids = col(options.identifiers_column);
  int c_dob = col(options.dob_column);
  if (c_dob < 0) c_dob = col("date_of_birth");
  if (c_name < 0)
    return Error::BadInput(file + ":" + std::to_string(rec.line) + ": header: no column named '" +
                           options.name_column + "' (use --name-column)");

  const std::string note = screener.lists_note();
  const size_t chunk = std::max<size_t>(options.chunk_rows, 1);
  BatchSummary sum;
  std::vector<BatchRow> rows;
  auto field = [&](int c) -> std::string {
    return c >= 0 && static_cast<size_t>(c) < rec.fields.size() ? std::string(trim(rec.fields[c])) : "";
  };
  bool end = false;
  size_t ordinal = 0;
  while (!end) {
    rows.clear();
    while (rows.size() < chunk) {
      st = reader.next(rec);
      if (st == csv::Reader::Status::kEnd) {
        end = true;
        break;
      }
      if (st == csv::Reader::Status::kError) return Error::BadInput(reader.error());
      const size_t this_row = ordinal++;
      if (options.only_rows && this_row < options.only_rows->size() && !(*options.only_rows)[this_row]) {
        ++sum.rows;
        ++sum.skipped;
        continue;
      }
      BatchRow& r = rows.emplace_back();
      r.ordinal = this_row;
      r.line = rec.line + options.line_shift;
      std::string where = file + ":" + std::to_string(r.line) + ": ";
      r.id = c_id >= 0 ? field(c_id) : "";
      r.id_from_column = !r.id.empty();
      if (find_invalid_utf8(r.id) != std::string::npos) {
        r.id = sanitize_utf8(r.id);
        r.warnings.push_back(where + "id: invalid UTF-8 replaced");
      }
      if (r.id.empty()) r.id = std::to_string(r.line);
      QueryFields f{field(c_name), field(c_type), field(c_country), field(c_dob), {}};
      const std::string ids = field(c_ids);
      for (auto id : split(ids, ';'))
        if (!trim(id).empty()) f.ids.emplace_back(trim(id));
      auto q = read_screen_query(f, tables);
      if (!q) {
        r.error = where + q.error().message;
        continue;
      }
      r.query = std::move(q->query);
      r.query.min_score = options.min_score;
      r.query.limit = options.limit;
      for (const auto& w : q->warnings) r.warnings.push_back(where + w.to_string());
      for (const auto& n : q->notes) r.warnings.push_back(where + n);
      r.script_notes = q->notes.size();
    }
    parallel_for(rows.size(), options.threads, [&](size_t i) {
      BatchRow& r = rows[i];
      const QueryProbe* known = options.known_probes && r.ordinal < options.known_probes->size()
                                    ? &(*options.known_probes)[r.ordinal]
                                    : nullptr;
      if (r.error.empty()) {
        auto hits = screener.screen_words(r.query, options.probe ? &r.probe : nullptr, known);
        if (hits)
          r.hits = std::move(*hits);
        else  // no word to screen: unscreened, as a row without a name is
          r.error = file + ":" + std::to_string(r.line) + ": " + hits.error().message;
      }
      if (options.format_output) r.output = format_batch_row(r, options.format, note);
    });
    for (const BatchRow& r : rows) {
      ++sum.rows;
      if (!r.error.empty()) {
        ++sum.errors;
        if (sum.first_problems.size() < kFirstProblems)
          sum.first_problems.push_back(r.error + " (not screened)");
      }
      if (r.warnings.size() > r.script_notes) ++sum.warned;
      if (r.script_notes) ++sum.uncovered;
      for (const auto& w : r.warnings)
        if (sum.first_problems.size() < kFirstProblems) sum.first_problems.push_back(w);
      sum.hits += r.hits.size();
      if (auto s = sink(r); !s) return s.error();
    }
    if (progress) progress({sum.rows, reader.bytes_read()});
  }
  return sum;
}

}  // namespace clearance
