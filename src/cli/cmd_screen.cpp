// `clearance screen` and `clearance compare`: options in, the library's answers out
// (match/query.hpp reads the qualifiers, match/batch.hpp runs batches, match/json.hpp shapes them).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "clearance/common/files.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/match/json.hpp"
#include "clearance/match/query.hpp"
#include "clearance/store/recording.hpp"
#include "cli/commands.hpp"

namespace clearance::cli {
namespace {

int screen_batch_file(Context& ctx, const ScreenArgs& a, const Screener& screener, const TextTables& tables) {
  std::ifstream in(a.input, std::ios::binary);  // read as a stream, never mapped: a file may change
  if (!in) return exit_with(Error::BadInput(a.input + ": cannot open for reading"));
  Output out;
  if (auto st = out.open(a.output, {a.input}); !st) return exit_with(st.error());
  BatchOptions o = batch_options_of(a);
  o.identifiers_column = a.identifiers_column;
  o.format = a.format == "csv" ? BatchFormat::kCsv : BatchFormat::kJsonl;
  if (o.format == BatchFormat::kCsv)
    if (auto st = out.write(batch_csv_header()); !st) return exit_with(st.error());

  // Every row on the record (one record per row, appended in groups); answers are written only
  // once their records are durable. A trial run still shows the cases that apply.
  auto store = ctx.record ? ctx.store() : ctx.store_if_exists();
  if (!store) return exit_with(store.error());
  std::unique_ptr<BatchRecorder> recorder;
  if (*store) {
    BatchRecorder::Options ro;
    ro.caller = ctx.caller();
    ro.file = a.input;
    ro.format = o.format;
    ro.lists_note = screener.lists_note();
    ro.min_score = o.min_score;
    ro.limit = o.limit;
    ro.record = ctx.record;
    o.chunk_rows = ro.group = kRecordGroupRows;
    if (ctx.record) {
      auto sha = sha256_file(a.input);
      if (!sha) return exit_with(sha.error());
      ro.file_sha256 = *sha;
      auto refs = ctx.screened_lists(**store);
      if (!refs) return exit_with(refs.error());
      ro.snapshots = *refs;
    }
    recorder =
        std::make_unique<BatchRecorder>(**store, ro, [&](const std::string& s) { return out.write(s); });
    o.format_output = false;  // the recorder writes the rows, with their case marks
  }

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
      in, a.input, screener, tables, o,
      [&](const BatchRow& r) { return recorder ? recorder->add(r) : out.write(r.output); }, progress);
  if (sum && recorder)
    if (auto st = recorder->flush(); !st) sum = st.error();
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
  if (sum->uncovered)
    std::cerr << "clearance: " << sum->uncovered << " rows have names in a script screening does not read "
              << "(Lao, Khmer, Burmese the table cannot read): a listed name written so may be missed "
              << "(see their warnings)\n";
  if (auto note = screener.lists_note(); !note.empty()) std::cerr << "clearance: note: " << note << "\n";
  if (!ctx.record)
    say_trial_run();
  else if (recorder && recorder->last_seq())
    std::cerr << "clearance: on the record: audit records " << recorder->first_seq() << " to "
              << recorder->last_seq()
              << (recorder->cases_opened()
                      ? "; review cases opened: " + std::to_string(recorder->cases_opened())
                      : std::string())
              << "\n";
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
  if (!a.input.empty()) return screen_batch_file(ctx, a, **screener, **tables);

  // One name from the command line: a qualifier that cannot be read is a usage error here.
  ScreenRequest req;
  req.fields = {a.name, a.type, a.country, a.dob, a.ids};
  req.min_score = a.min_score >= 0 ? a.min_score : kDefaultThreshold;
  req.limit = a.limit;
  req.customer_id = a.customer;
  auto read = read_screen_query(req.fields, **tables);
  if (!read) return exit_with(Error::BadInput("NAME: " + read.error().message));
  if (!read->warnings.empty()) {
    const auto& w = read->warnings.front();
    return exit_with(Error::BadInput(w.field + ": " + w.message));
  }
  ScreenQuery& q = read->query;
  q.limit = req.limit;
  q.min_score = req.min_score;
  auto screened = (*screener)->screen_words(q);
  if (!screened) return exit_with(Error::BadInput("NAME: " + screened.error().message));
  auto& hits = *screened;
  std::string note = (*screener)->lists_note();
  auto answer = screening_to_json(q, hits, read->notes, note);

  // On the record before anyone sees it; a trial run shows the cases that apply and writes nothing.
  auto store = ctx.record ? ctx.store() : ctx.store_if_exists();
  if (!store) return exit_with(store.error());
  std::vector<ReviewMark> marks;
  if (*store) {
    ScreeningRecordArgs ra;
    ra.caller = ctx.caller();
    ra.inputs = screen_request_to_json(req);
    ra.query = &q;
    ra.hits = &hits;
    ra.customer_id = req.customer_id;
    ra.record = ctx.record;
    if (ctx.record) {
      auto refs = ctx.screened_lists(**store);
      if (!refs) return exit_with(refs.error());
      ra.snapshots = *refs;
    }
    auto m = record_screening(**store, ra, answer);
    if (!m) return exit_with(m.error());
    marks = *m;
  }
  if (!ctx.record) answer["recorded"] = false;
  if (a.format == "json" || a.format == "jsonl") {
    std::cout << (a.format == "json" ? answer.dump(2) : answer.dump()) << "\n";
  } else {
    std::cout << screening_to_text(q, hits, note, read->notes);
    auto notes = hit_case_notes(marks);
    for (size_t i = 0; i < notes.size(); ++i)
      if (!notes[i].empty())
        std::cout << "hit " << i + 1 << " (" << hits[i].party->primary_name() << "): " << notes[i] << "\n";
    std::cout << record_line(ctx.record, answer.value("record", std::int64_t{0}));
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
