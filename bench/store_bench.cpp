// Audit-trail benchmark, in one run:
// - append: records/s and per-append latency (p50, p99) for SQLite and PostgreSQL, with group
//   commit on and off. 16 threads append concurrently, as the answers of a busy server would; every
//   append waits until its record is durable. PostgreSQL runs in a throw-away cluster with fsync on
//   (tests/support/pg_cluster.sh), so both backends pay for real durability.
// - batch screening (`screen --input`) of ../shared/eval/screening-dev.csv against the evaluation
//   lists with recording off and on (one record per row, SQLite), alternating runs; the ratio is
//   the cost of the record (target: on >= 80 % of off).
// Prints one JSON object.
//
// usage: store_bench [SECONDS_PER_CASE] [batch]   (default 2; "batch": only the batch screening part)
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "bench_util.hpp"
#include "clearance/match/batch.hpp"
#include "clearance/store/recording.hpp"
#include "clearance/store/store.hpp"
#include "store/sql.hpp"
#include "support/eval_lists.hpp"
#include "support/paths.hpp"

using namespace clearance;

namespace {

// A screening record of realistic size: a query, three hits with explanations.
RecordDraft screen_record(int i) {
  RecordDraft d;
  d.caller = "bench";
  d.action = "screen";
  d.inputs = {
      {"name", "Shenzhen Example Electronics " + std::to_string(i)}, {"country", "CN"}, {"type", "entity"}};
  d.snapshots = {{"us-csl", "5f0c1d2e3a4b5c6d7e8f9a0b"}, {"us-sdn", "0a1b2c3d4e5f60718293a4b5"}};
  d.threshold = 0.82;
  nlohmann::json hits = nlohmann::json::array();
  for (int h = 0; h < 3; ++h)
    hits.push_back(
        {{"entry_id", "EL-" + std::to_string(1000 + h)},
         {"score", 0.9 - 0.01 * h},
         {"list", "Entity List (EL) - Bureau of Industry and Security"},
         {"name", "Shenzhen Example Electronics Co., Ltd."},
         {"explanation", {"shenzhen = shenzhen (1.00)", "example = example (1.00)", "country CN matches"}}});
  d.result = {{"hits", hits}};
  return d;
}

struct CaseResult {
  std::string backend;
  bool group_commit = true;
  size_t records = 0;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0;
  double records_per_commit = 0;
  std::string error;
};

CaseResult run_case(const std::string& backend, const std::string& location, const std::string& head_file,
                    bool group_commit, double seconds, int threads) {
  CaseResult r{backend, group_commit};
  StoreOptions o;
  o.location = location;
  o.head_file = head_file;
  o.clock = [] { return std::chrono::system_clock::now(); };  // a benchmark may read the clock
  o.group_commit = group_commit;
  auto store = Store::open(o);
  if (!store) {
    r.error = store.error().message;
    return r;
  }
  std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> ts;
  double t0 = bench::now_seconds();
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        double a = bench::now_seconds();
        if (!(*store)->append(screen_record(i)).ok()) ++failures;
        lat[static_cast<size_t>(t)].push_back((bench::now_seconds() - a) * 1e3);
      }
    });
  while (bench::now_seconds() - t0 < seconds) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  for (auto& t : ts) t.join();
  r.seconds = bench::now_seconds() - t0;
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  r.records = all.size();
  r.p50_ms = bench::percentile(all, 0.50);
  r.p99_ms = bench::percentile(all, 0.99);
  auto st = (*store)->stats();
  r.records_per_commit = st.commits ? static_cast<double>(st.records) / static_cast<double>(st.commits) : 0;
  if (failures) r.error = std::to_string(failures.load()) + " appends failed";
  auto rep = (*store)->verify();
  if (!rep || !rep->ok) r.error += rep ? rep->message : rep.error().message;
  return r;
}

std::string json_of(const CaseResult& r) {
  char buf[512];
  if (!r.error.empty()) {
    std::snprintf(buf, sizeof buf, "{\"backend\": \"%s\", \"group_commit\": %s, \"error\": \"%s\"}",
                  r.backend.c_str(), r.group_commit ? "true" : "false", r.error.c_str());
    return buf;
  }
  std::snprintf(buf, sizeof buf,
                "{\"backend\": \"%s\", \"group_commit\": %s, \"records\": %zu, \"records_per_s\": %.0f, "
                "\"records_per_commit\": %.1f, \"append_ms\": {\"p50\": %.2f, \"p99\": %.2f}}",
                r.backend.c_str(), r.group_commit ? "true" : "false", r.records, r.records / r.seconds,
                r.records_per_commit, r.p50_ms, r.p99_ms);
  return buf;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Rate {
  double wall = 0;  // rows per second
  double cpu = 0;   // rows per CPU second of the process (all its threads): less sensitive to other load
};

// Batch screening rows/s over `csv`, with recording (a fresh SQLite store) or without.
Rate batch_rate(const std::string& csv, const Screener& screener, const TextTables& tables, bool record,
                const std::string& dir, int run, std::string& error) {
  std::string out;
  BatchOptions o;
  std::unique_ptr<Store> store;
  std::unique_ptr<BatchRecorder> recorder;
  if (record) {
    StoreOptions so;
    so.location = dir + "/batch-" + std::to_string(run) + ".sqlite";
    so.clock = [] { return std::chrono::system_clock::now(); };
    auto s = Store::open(so);
    if (!s) {
      error = s.error().message;
      return {};
    }
    store = std::move(*s);
    auto refs = keep_snapshots(*store, screener.snapshots());  // once per store, not per batch
    if (!refs) {
      error = refs.error().message;
      return {};
    }
    BatchRecorder::Options ro;
    ro.caller = "bench";
    ro.file = "screening-dev.csv";
    ro.snapshots = *refs;
    // As `screen --input` records: groups of kRecordGroupRows rows, screened in chunks of that size
    // so that a group is recorded while the next one is screened.
    o.chunk_rows = ro.group = std::getenv("GROUP") ? std::stoul(std::getenv("GROUP")) : kRecordGroupRows;
    o.format_output = false;  // the recorder writes the rows
    recorder = std::make_unique<BatchRecorder>(*store, ro, [&](const std::string& line) {
      out += line;
      return Status::Ok();
    });
  }
  std::istringstream in(csv);
  double t0 = bench::now_seconds(), c0 = cpu_seconds();
  auto sum = screen_batch(in, "screening-dev.csv", screener, tables, o, [&](const BatchRow& r) {
    if (recorder) return recorder->add(r);
    out += r.output;
    return Status::Ok();
  });
  if (sum && recorder)
    if (auto st = recorder->flush(); !st) error = st.error().message;
  double secs = bench::now_seconds() - t0, cpu = cpu_seconds() - c0;
  if (!sum) error = sum.error().message;
  if (!sum) return {};
  return {static_cast<double>(sum->rows) / secs, static_cast<double>(sum->rows) / cpu};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const bool batch_only = argc > 2 && std::string(argv[2]) == "batch";
  const int threads = 16;
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("clearance-store-bench-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  std::vector<CaseResult> results;
  for (bool group : {true, false}) {
    if (batch_only) break;
    std::string tag = group ? "on" : "off";
    results.push_back(
        run_case("sqlite", (dir / ("store-" + tag + ".sqlite")).string(), "", group, seconds, threads));
  }

  // PostgreSQL: a cluster of its own, fsync on.
  std::string script = clearance::testing::support_dir() + "/pg_cluster.sh";
  std::string state = (dir / "pg-state").string();
  std::string pg_note;
  if (batch_only) {
    pg_note = "batch only";
  } else if (std::system((script + " start " + state + " fsync >/dev/null 2>" + state + ".err").c_str()) ==
             0) {
    std::string url;
    std::getline(std::ifstream(state), url);
    for (bool group : {true, false}) {
      std::string db = url.substr(0, url.rfind('/') + 1) + "postgres?options=-csearch_path%3Dbench_" +
                       (group ? std::string("on") : std::string("off"));
      if (auto c = store_detail::open_postgres(url); c)
        (void)(*c)->exec(std::string("CREATE SCHEMA IF NOT EXISTS bench_") + (group ? "on" : "off"));
      results.push_back(run_case("postgres", db,
                                 (dir / (std::string("pg-") + (group ? "on" : "off") + ".head")).string(),
                                 group, seconds, threads));
    }
    (void)std::system((script + " stop " + state + " >/dev/null 2>&1").c_str());
  } else {
    std::ifstream in(state + ".err");
    std::getline(in, pg_note);
  }
  // Batch screening with recording off and on, alternating (the machine is noisy): best of five.
  std::string batch_json = "{\"skipped\": \"../shared/eval is absent\"}";
  std::string shared = clearance::testing::shared_dir();
  if (std::filesystem::exists(shared + "/eval/screening-dev.csv")) {
    auto tables = TextTables::load(clearance::testing::data_dir());
    std::string err;
    auto lists = tables ? testing::load_eval_lists(shared, **tables, &err) : std::vector<ListSnapshot>{};
    if (!lists.empty()) {
      auto screener = Screener::build(std::move(lists), *tables);
      std::ifstream f(shared + "/eval/screening-dev.csv", std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      const std::string csv = ss.str();
      Rate off, on;
      auto best = [](Rate& b, Rate r) {
        b.wall = std::max(b.wall, r.wall);
        b.cpu = std::max(b.cpu, r.cpu);
      };
      std::string error;
      for (int run = 0; run < 5; ++run) {
        const char* only = std::getenv("ONLY");
        if (!only || std::string(only) == "off")
          best(off, batch_rate(csv, *screener, **tables, false, dir.string(), run, error));
        if (!only || std::string(only) == "on")
          best(on, batch_rate(csv, *screener, **tables, true, dir.string(), run, error));
      }
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "{\"rows\": %zu, \"recording_off_rows_per_s\": %.0f, \"recording_on_rows_per_s\": %.0f, "
                    "\"on_over_off\": %.3f, \"recording_off_rows_per_cpu_s\": %.0f, "
                    "\"recording_on_rows_per_cpu_s\": %.0f, \"cpu_on_over_off\": %.3f%s}",
                    static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n') - 1), off.wall, on.wall,
                    off.wall > 0 ? on.wall / off.wall : 0.0, off.cpu, on.cpu,
                    off.cpu > 0 ? on.cpu / off.cpu : 0.0,
                    error.empty() ? "" : (", \"error\": \"" + error + "\"").c_str());
      batch_json = buf;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);

  std::string out = "{\"benchmark\": \"store_append\", \"threads\": " + std::to_string(threads) +
                    ", \"seconds_per_case\": " + std::to_string(seconds) + ", \"cases\": [";
  for (size_t i = 0; i < results.size(); ++i) out += (i ? ", " : "") + json_of(results[i]);
  out += "], \"batch_screening\": " + batch_json;
  if (!pg_note.empty()) out += ", \"postgres_skipped\": \"" + pg_note + "\"";
  std::printf("%s}\n", out.c_str());
  return 0;
}
