// `clearance screen` and `clearance compare`: options in, the library's answers out
// (match/query.hpp reads the qualifiers, match/batch.hpp runs batches, match/json.hpp shapes them).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "clearance/match/batch.hpp"
#include "clearance/match/json.hpp"
#include "clearance/match/query.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {
namespace {

int screen_batch_file(const ScreenArgs& a, const Screener& screener, const TextTables& tables) {
  std::ifstream in(a.input, std::ios::binary);  // read as a stream, never mapped: a file may change
  if (!in) return exit_with(Error::BadInput(a.input + ": cannot open for reading"));
  Output out;
  if (auto st = out.open(a.output, {a.input}); !st) return exit_with(st.error());
  BatchOptions o;
  o.id_column = a.id_column;
  o.name_column = a.name_column;
  o.country_column = a.country_column;
  o.type_column = a.type_column;
  o.dob_column = a.dob_column;
  o.identifiers_column = a.identifiers_column;
  o.min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  o.limit = a.limit;
  o.format = a.format == "csv" ? BatchFormat::kCsv : BatchFormat::kJsonl;
  if (o.format == BatchFormat::kCsv)
    if (auto st = out.write(batch_csv_header()); !st) return exit_with(st.error());

  const bool bar = ::isatty(2);
  std::error_code ec;
  const auto total = std::filesystem::file_size(a.input, ec);
  auto progress = [&](const BatchProgress& p) {
    if (!bar) return;
    double frac = ec || total == 0 ? 1.0 : std::min(1.0, static_cast<double>(p.bytes_read) / total);
    int width = 30, filled = static_cast<int>(frac * width);
    std::fprintf(stderr, "\r[%s%s] %3d%% %zu rows", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), static_cast<int>(frac * 100), p.rows);
  };
  auto sum = screen_batch(
      in, a.input, screener, tables, o, [&](const BatchRow& r) { return out.write(r.output); }, progress);
  if (bar) std::fprintf(stderr, "\n");
  if (sum)
    for (const auto& p : sum->first_problems) std::cerr << "clearance: " << p << "\n";
  if (auto st = out.close(); !st) return exit_with(st.error());
  if (!sum) return exit_with(sum.error());
  if (sum->warned)
    std::cerr << "clearance: " << sum->warned << " rows were screened on the name without a qualifier "
              << "that could not be read (see their warnings)\n";
  if (sum->errors)
    std::cerr << "clearance: " << sum->errors << " rows without a name could not be screened\n";
  if (auto note = screener.lists_note(); !note.empty()) std::cerr << "clearance: note: " << note << "\n";
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
  if (!a.input.empty()) return screen_batch_file(a, **screener, **tables);

  // One name from the command line: a qualifier that cannot be read is a usage error here.
  auto read = read_screen_query({a.name, a.type, a.country, a.dob, a.ids}, **tables);
  if (!read) return exit_with(Error::BadInput("NAME: " + read.error().message));
  if (!read->warnings.empty()) {
    const auto& w = read->warnings.front();
    return exit_with(Error::BadInput(w.field + ": " + w.message));
  }
  ScreenQuery& q = read->query;
  q.limit = a.limit;
  q.min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  auto hits = (*screener)->screen(q);
  std::string note = (*screener)->lists_note();
  if (a.format == "json" || a.format == "jsonl") {
    auto j = screening_to_json(q, hits, {}, note);
    std::cout << (a.format == "json" ? j.dump(2) : j.dump()) << "\n";
  } else {
    std::cout << screening_to_text(q, hits, note);
  }
  return 0;
}

int cmd_compare(Context& ctx, const CompareArgs& a) {
  auto screener = ctx.screener();
  if (!screener) return exit_with(screener.error());
  auto t = parse_party_type(a.type);
  if (!t) return exit_with(t.error());
  auto c = (*screener)->compare(a.a, a.b, *t);
  if (a.format == "json")
    std::cout << comparison_to_json(c).dump(2) << "\n";
  else
    std::cout << comparison_to_text(c);
  return 0;
}

}  // namespace clearance::cli
