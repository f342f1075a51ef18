#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "clearance/common/csv.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/strings.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {
namespace {

nlohmann::json hit_json(const Hit& h) {
  const Party& p = *h.party;
  return {{"score", h.score},
          {"list", p.list},
          {"entry_id", p.id},
          {"name", p.primary_name()},
          {"matched_name", h.matched_name},
          {"matched_kind", std::string(to_string(h.matched_kind))},
          {"type", std::string(to_string(p.type))},
          {"countries", p.countries},
          {"programs", p.programs},
          {"explanation", h.explanation}};
}

nlohmann::json query_json(const ScreenQuery& q) {
  nlohmann::json j = {{"name", q.name}};
  if (q.type != PartyType::kUnknown) j["type"] = std::string(to_string(q.type));
  if (!q.country.empty()) j["country"] = q.country;
  if (!q.birth_date.empty()) j["dob"] = q.birth_date;
  return j;
}

Result<PartyType> parse_type(const std::string& s) {
  if (s.empty()) return PartyType::kUnknown;
  auto t = party_type_from_string(s);
  if (t == PartyType::kUnknown) return Error::BadInput("type '" + s + "': expected person or entity");
  return t;
}

// Fills the parts of a query shared by single and batch screening. `where` prefixes messages.
Status fill_query(ScreenQuery& q, const std::string& type, const std::string& country, const std::string& dob,
                  const TextTables& tables, const std::string& where) {
  auto t = parse_type(type);
  if (!t) return Error::BadInput(where + t.error().message);
  q.type = *t;
  if (!country.empty()) {
    auto c = tables.countries.resolve(country);
    if (!c) return Error::BadInput(where + "country: unknown country '" + country + "'");
    q.country = *c;
  }
  if (!dob.empty()) {
    q.birth_date = normalize_date(dob);
    if (q.birth_date.empty()) return Error::BadInput(where + "dob: cannot read date '" + dob + "'");
  }
  return Status::Ok();
}

class MappedFile {
 public:
  ~MappedFile() {
    if (data_ && size_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  Status open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return Error::BadInput(path + ": cannot open");
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return Error::BadInput(path + ": cannot stat");
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) return Error::BadInput(path + ": file is empty");
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) return Error::Io(path + ": cannot map");
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
    return Status::Ok();
  }
  std::string_view view() const { return {data_, size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

struct Row {
  size_t line;
  std::string id;
  ScreenQuery q;
  std::string error;
};

int screen_batch(Context& ctx, const ScreenArgs& a, const Screener& screener, const TextTables& tables) {
  MappedFile in;
  if (auto st = in.open(a.input); !st) return exit_with(st.error());
  csv::Reader reader(in.view());
  csv::Record rec;
  if (reader.next(rec) != csv::Reader::Status::kRecord)
    return exit_with(Error::BadInput(a.input + ": line 1: no header row"));
  auto col = [&](const std::string& name) -> int {
    for (size_t i = 0; i < rec.fields.size(); ++i)
      if (equals_icase(trim(rec.fields[i]), name)) return static_cast<int>(i);
    return -1;
  };
  int c_name = col(a.name_column), c_id = col(a.id_column), c_country = col(a.country_column),
      c_type = col(a.type_column), c_dob = col(a.dob_column);
  if (c_dob < 0) c_dob = col("date_of_birth");
  if (c_name < 0)
    return exit_with(
        Error::BadInput(a.input + ": line 1: no column named '" + a.name_column + "' (use --name-column)"));
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!a.output.empty()) {
    file_out.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file_out) return exit_with(Error::BadInput(a.output + ": cannot write"));
    out = &file_out;
  }
  bool csv_out = a.format == "csv";
  if (csv_out) *out << "id,query,score,list,entry_id,name,matched_name\n";
  double min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  bool progress = ::isatty(2);
  size_t done = 0, bad = 0, total_bytes = in.view().size();
  unsigned threads = thread_count(0);
  const size_t kChunk = 2048;
  std::vector<Row> rows;
  std::vector<std::string> results;
  bool eof = false;
  auto field = [&](int c) -> std::string {
    return c >= 0 && static_cast<size_t>(c) < rec.fields.size() ? std::string(trim(rec.fields[c])) : "";
  };
  while (!eof) {
    rows.clear();
    while (rows.size() < kChunk) {
      auto st = reader.next(rec);
      if (st == csv::Reader::Status::kEnd) {
        eof = true;
        break;
      }
      if (st == csv::Reader::Status::kError)
        return exit_with(
            Error::BadInput(a.input + ":" + std::to_string(reader.error_line()) + ": " + reader.error()));
      Row r;
      r.line = rec.line;
      r.id = c_id >= 0 ? field(c_id) : std::to_string(rec.line);
      r.q.name = field(c_name);
      r.q.min_score = min_score;
      r.q.limit = a.limit;
      std::string where = a.input + ":" + std::to_string(rec.line) + ": ";
      if (find_invalid_utf8(r.q.name) != std::string::npos)
        r.error = where + "name: invalid UTF-8";
      else if (r.q.name.empty())
        r.error = where + "name: empty";
      else if (auto s = fill_query(r.q, field(c_type), field(c_country), field(c_dob), tables, where); !s)
        r.error = s.error().message;
      rows.push_back(std::move(r));
    }
    results.assign(rows.size(), std::string());
    parallel_for(rows.size(), threads, [&](size_t i) {
      auto& r = rows[i];
      if (!r.error.empty()) return;
      auto hits = screener.screen(r.q);
      if (csv_out) {
        std::string s;
        auto esc = [](const std::string& v) { return csv::quoted(v); };
        for (auto& h : hits) {
          char score[16];
          std::snprintf(score, sizeof score, "%.4f", h.score);
          s += esc(r.id) + "," + esc(r.q.name) + "," + score + "," + esc(h.party->list) + "," +
               esc(h.party->id) + "," + esc(h.party->primary_name()) + "," + esc(h.matched_name) + "\n";
        }
        results[i] = std::move(s);
      } else {
        nlohmann::json j = {{"id", r.id}, {"query", query_json(r.q)}, {"hits", nlohmann::json::array()}};
        for (auto& h : hits) j["hits"].push_back(hit_json(h));
        results[i] = j.dump() + "\n";
      }
    });
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].error.empty()) {
        ++bad;
        if (bad <= 20) std::cerr << "clearance: " << rows[i].error << " (row skipped)\n";
        if (!csv_out) {
          nlohmann::json j = {{"id", rows[i].id}, {"error", rows[i].error}};
          *out << j.dump() << "\n";
        }
        continue;
      }
      *out << results[i];
    }
    done += rows.size();
    if (progress) {
      double frac =
          static_cast<double>(reader.position()) / static_cast<double>(std::max<size_t>(total_bytes, 1));
      int width = 30, filled = static_cast<int>(frac * width);
      std::fprintf(stderr, "\r[%s%s] %3d%% %zu rows", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), static_cast<int>(frac * 100), done);
    }
  }
  if (progress) std::fprintf(stderr, "\n");
  out->flush();
  if (bad) std::cerr << "clearance: " << bad << " rows could not be screened\n";
  return 0;
}

}  // namespace

int cmd_screen(Context& ctx, const ScreenArgs& a) {
  auto tables = ctx.tables();
  if (!tables) return exit_with(tables.error());
  if (a.format != "text" && a.format != "json" && a.format != "jsonl" && a.format != "csv")
    return exit_with(Error::BadInput("--format must be text, json, jsonl or csv"));
  if (a.min_score > 1) return exit_with(Error::BadInput("--min-score must be in [0, 1]"));
  if (a.input.empty() && a.name.empty())
    return exit_with(Error::BadInput("screen: give a NAME or --input FILE.csv"));
  auto screener = ctx.screener();
  if (!screener) return exit_with(screener.error());
  if (!a.input.empty()) return screen_batch(ctx, a, **screener, **tables);

  ScreenQuery q;
  q.name = a.name;
  q.limit = a.limit;
  q.min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  if (find_invalid_utf8(q.name) != std::string::npos)
    return exit_with(Error::BadInput("NAME: invalid UTF-8"));
  if (auto st = fill_query(q, a.type, a.country, a.dob, **tables, ""); !st) return exit_with(st.error());
  for (auto& id : a.ids) {
    auto colon = id.find(':');
    if (colon == std::string::npos)
      q.ids.push_back({"", id, ""});
    else
      q.ids.push_back({id.substr(0, colon), id.substr(colon + 1), ""});
  }
  auto hits = (*screener)->screen(q);
  if (a.format == "json" || a.format == "jsonl") {
    nlohmann::json j = {{"query", query_json(q)}, {"hits", nlohmann::json::array()}};
    for (auto& h : hits) j["hits"].push_back(hit_json(h));
    std::cout << (a.format == "json" ? j.dump(2) : j.dump()) << "\n";
    return 0;
  }
  if (hits.empty()) {
    std::printf("no hits at or above %.2f for '%s'\n", q.min_score, q.name.c_str());
    return 0;
  }
  for (auto& h : hits) {
    std::printf("%.4f  %s  [%s]\n", h.score, h.party->primary_name().c_str(), h.party->list.c_str());
    if (h.matched_name != h.party->primary_name())
      std::printf("        matched %s: %s\n", std::string(to_string(h.matched_kind)).c_str(),
                  h.matched_name.c_str());
    for (auto& e : h.explanation) std::printf("        - %s\n", e.c_str());
  }
  return 0;
}

int cmd_compare(Context& ctx, const CompareArgs& a) {
  auto screener = ctx.screener();
  if (!screener) return exit_with(screener.error());
  auto t = parse_type(a.type);
  if (!t) return exit_with(t.error());
  auto c = (*screener)->compare(a.a, a.b, *t);
  if (a.format == "json") {
    std::cout << nlohmann::json{{"score", c.score}, {"explanation", c.explanation}}.dump(2) << "\n";
  } else {
    std::printf("%.4f\n", c.score);
    for (auto& e : c.explanation) std::printf("  - %s\n", e.c_str());
  }
  return 0;
}

}  // namespace clearance::cli
