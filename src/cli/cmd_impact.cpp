#include "cli/cmd_impact.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "clearance/common/file_stream.hpp"
#include "clearance/common/files.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/store/recording.hpp"

namespace clearance::cli {

namespace {

Result<Date> parse_date(const std::string& option, const std::string& s) {
  auto d = Date::parse(s);
  if (!d) return Error::BadInput(option + ": bad date '" + s + "' (expected YYYY-MM-DD)");
  return *d;
}

std::string dir_label(const std::string& dir) {
  std::filesystem::path p(dir);
  std::string name = p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  return name.empty() ? dir : name;
}

// Whether the book names customers (only then is the Screener worth loading).
bool has_customer_column(const std::string& path) {
  auto in = InputFileStream::open(*Env::Default(), path);
  if (!in) return true;
  OrderReaderOptions o;
  o.chunk_bytes = 64 << 10;
  auto r = OrderReader::open(**in, path, o);
  if (!r) return true;  // the real run reports the problem
  for (const auto& c : (*r)->columns())
    if (c == "customer") return true;
  return false;
}

}  // namespace

int run_impact(Context& ctx, const ImpactArgs& a) {
  if (a.orders.empty()) return exit_with(Error::BadInput("impact: --orders FILE is required"));
  if (a.from.empty() != a.to.empty())
    return exit_with(Error::BadInput("impact: give --from and --to together"));
  const bool dates = !a.from.empty();
  const bool packs = !a.rules_from.empty() || !a.rules_to.empty();
  if (!dates && !packs)
    return exit_with(
        Error::BadInput("impact: give two dates (--from DATE --to DATE) or two rule-pack directories "
                        "(--rules-from DIR --rules-to DIR [--as-of DATE])"));
  if (dates && !a.as_of.empty())
    return exit_with(Error::BadInput("impact: --as-of is for one date; with --from/--to leave it out"));
  if (a.format != "text" && a.format != "csv" && a.format != "json" && a.format != "html")
    return exit_with(Error::BadInput("impact: --format must be text, csv, json or html"));

  Date d_from, d_to;
  if (dates) {
    auto f = parse_date("--from", a.from);
    if (!f) return exit_with(f.error());
    auto t = parse_date("--to", a.to);
    if (!t) return exit_with(t.error());
    d_from = *f;
    d_to = *t;
  } else {
    auto d = parse_date(
        "--as-of", a.as_of.empty() ? utc_now().substr(0, 10) : a.as_of);  // front ends may read the clock
    if (!d) return exit_with(d.error());
    d_from = d_to = *d;
  }

  // Engines: one shared when both points use the same packs.
  auto e_from = load_impact_engine(ctx.data_dir, a.rules_from);
  if (!e_from) return exit_with(e_from.error());
  std::shared_ptr<const Engine> engine_to = *e_from;
  if (a.rules_to != a.rules_from) {
    auto e_to = load_impact_engine(ctx.data_dir, a.rules_to);
    if (!e_to) return exit_with(e_to.error());
    engine_to = *e_to;
  }
  auto label = [&](const std::string& dir, Date d) {
    if (!packs) return d.to_string();
    return (dir.empty() ? std::string("bundled rules") : dir_label(dir)) + " @ " + d.to_string();
  };
  ImpactPoint p_from{label(a.rules_from, d_from), *e_from, d_from};
  ImpactPoint p_to{label(a.rules_to, d_to), engine_to, d_to};
  if (p_from.label == p_to.label) {  // two directories with the same name
    p_from.label = (a.rules_from.empty() ? "bundled rules" : a.rules_from) + " @ " + d_from.to_string();
    p_to.label = (a.rules_to.empty() ? "bundled rules" : a.rules_to) + " @ " + d_to.to_string();
  }

  ImpactOptions opt;
  opt.threads = a.threads;
  opt.max_listed = a.max_listed;
  RateTable rates;
  if (!a.rates.empty()) {
    auto text = read_file(a.rates, 16 << 20);
    if (!text) return exit_with(text.error());
    auto t = RateTable::parse(*text, a.rates, a.base_currency);
    if (!t) return exit_with(t.error());
    rates = std::move(*t);
    opt.rates = &rates;
  }

  std::unique_ptr<ScreenerPartyChecker> screening;
  std::unique_ptr<CachingPartyChecker> cached;
  if (!a.no_screen && (a.orders == "-" || has_customer_column(a.orders))) {
    auto s = ctx.screener();
    if (!s) return exit_with(s.error());
    screening = std::make_unique<ScreenerPartyChecker>(*s);
    cached = std::make_unique<CachingPartyChecker>(*screening);
    opt.checker = cached.get();
  }

  std::unique_ptr<InputFileStream> file_in;
  if (a.orders != "-") {
    auto st = Env::Default()->stat(a.orders);
    if (!st || !st->is_regular) return exit_with(Error::BadInput(a.orders + ": no such file"));
    auto f = InputFileStream::open(*Env::Default(), a.orders);
    if (!f) return exit_with(f.error());
    file_in = std::move(*f);
  }
  // On the record, the order book is named by its digest and kept when it is not huge, so the run
  // can be replayed; a book from stdin is read first for that.
  std::string stdin_book;
  std::istringstream stdin_in;
  ImpactRecordInputs rec;
  if (ctx.record) {
    auto store = ctx.store();
    if (!store) return exit_with(store.error());
    std::string text;
    if (a.orders == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      stdin_book = ss.str();
      stdin_in.str(stdin_book);
      rec.orders_sha256 = sha256_hex(stdin_book);
      rec.orders_kept = stdin_book.size() <= kMaxKeptOrders;
      if (rec.orders_kept) text = stdin_book;
    } else {
      auto sha = sha256_file(a.orders);
      if (!sha) return exit_with(sha.error());
      rec.orders_sha256 = *sha;
      std::error_code ec;
      rec.orders_kept = std::filesystem::file_size(a.orders, ec) <= kMaxKeptOrders;
      if (rec.orders_kept) {
        auto t = read_file(a.orders);
        if (!t) return exit_with(t.error());
        text = std::move(*t);
      }
    }
    rec.orders_name = a.orders == "-" ? "stdin" : a.orders;
    if (rec.orders_kept)
      if (auto st = (*store)->keep_files("orders", rec.orders_sha256, {{rec.orders_name, text}}); !st)
        return exit_with(st.error());
    const std::string* dirs[2] = {&a.rules_from, &a.rules_to};
    const ImpactPoint* points[2] = {&p_from, &p_to};
    ImpactRecordPoint* out_points[2] = {&rec.from, &rec.to};
    for (int k = 0; k < 2; ++k) {
      auto eo = impact_engine_options(ctx.data_dir, *dirs[k]);
      if (!eo) return exit_with(eo.error());
      auto v = keep_engine_data(**store, eo->rules_dir, eo->items_dir, *points[k]->engine);
      if (!v) return exit_with(v.error());
      *out_points[k] = {points[k]->label, points[k]->as_of.to_string(), *v};
    }
    rec.screen = opt.checker != nullptr;
    rec.base_currency = a.base_currency;
    if (!a.rates.empty()) {
      auto t = read_file(a.rates, 16 << 20);
      if (!t) return exit_with(t.error());
      rec.rates_text = *t;
    }
  }
  std::istream& in =
      a.orders == "-" ? (ctx.record ? static_cast<std::istream&>(stdin_in) : std::cin) : *file_in;

  Output out;
  if (auto st = out.open(a.output, {a.orders}); !st) return exit_with(st.error());
  if (auto st = refuse_output_over_input(a.report, {a.orders}); !st) return exit_with(st.error());

  std::vector<std::string> jurisdictions;
  for (const auto* e : {p_from.engine.get(), p_to.engine.get()})
    for (const auto& j : e->rules().jurisdictions())
      if (std::find(jurisdictions.begin(), jurisdictions.end(), j.id) == jurisdictions.end())
        jurisdictions.push_back(j.id);
  const bool csv = a.format == "csv";
  bool header_written = false;
  Status written;  // the first failed write; later rows are not written
  auto write = [&](const std::string& s) {
    if (written.ok()) written = out.write(s);
  };
  OrderSink sink;
  if (csv)
    sink = [&](const OrderImpact& o) {
      if (!header_written) {
        write(impact_csv_header(jurisdictions));
        header_written = true;
      }
      write(impact_csv_row(o, jurisdictions));
    };

  auto report = clearance::run_impact(in, a.orders == "-" ? "stdin" : a.orders, p_from, p_to, opt, sink);
  if (!report) return exit_with(report.error());
  if (csv && !header_written) write(impact_csv_header(jurisdictions));

  // On the record before anyone sees the report.
  auto report_json = impact_to_json(*report);
  std::int64_t seq = 0;
  if (ctx.record) {
    RecordDraft d;
    d.action = "impact";
    d.inputs = impact_inputs_to_json(rec);
    d.rules = {rec.from.versions.rules};
    if (rec.to.versions.rules != rec.from.versions.rules) d.rules.push_back(rec.to.versions.rules);
    d.catalogue = rec.from.versions.catalogue;
    if (opt.checker) {
      auto store = ctx.store();
      if (!store) return exit_with(store.error());
      auto refs = ctx.screened_lists(**store);
      if (!refs) return exit_with(refs.error());
      d.snapshots = *refs;
    }
    d.result = impact_record_result(report_json);
    auto s = ctx.put_on_record(std::move(d));
    if (!s) return exit_with(s.error());
    seq = *s;
  }
  mark_record(report_json, seq);

  HtmlOptions html;
  html.generated = utc_now();
  if (a.format == "text")
    write(impact_to_text(*report));
  else if (a.format == "json")
    write(report_json.dump(2) + "\n");
  else if (a.format == "html")
    write(impact_to_html(*report, html));
  Status closed = out.close();
  if (!written.ok()) return exit_with(written.error());
  if (!closed.ok()) return exit_with(closed.error());
  if (csv && !report->lists_note.empty()) std::cerr << "clearance: note: " << report->lists_note << "\n";
  if (a.format != "json") {
    if (!ctx.record)
      say_trial_run();
    else
      std::cerr << "clearance: " << record_line(true, seq);
  }
  if (!a.report.empty())
    if (auto st = write_file_atomic(a.report, impact_to_html(*report, html)); !st)
      return exit_with(st.error());

  if (report->errors) {
    std::cerr << "clearance: " << report->errors << " of " << report->rows
              << " orders had errors (see their rows)\n";
    return 2;
  }
  return 0;
}

}  // namespace clearance::cli
