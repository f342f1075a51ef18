// Screening benchmark on the evaluation lists (../shared/eval/README.md) and queries.
// Prints one JSON object: single-query latency in process (p50, p99), batch throughput on all
// cores, the same two for names in other scripts, index build time, peak RSS, and the same run's
// brute-force baseline (every name scored with the same scorer) as a ratio, and the batch
// pipeline's rows/s against the raw throughput.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "bench_util.hpp"
#include "clearance/common/csv.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/match/batch.hpp"
#include "support/eval_lists.hpp"
#include "support/paths.hpp"

using namespace clearance;

int main(int argc, char** argv) {
  std::string shared = clearance::testing::shared_dir();
  if (!std::filesystem::exists(shared + "/eval/screening-dev.csv")) {
    std::printf("{\"skipped\": \"../shared/eval is absent\"}\n");
    return 0;
  }
  double batch_seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  auto tables = TextTables::load(clearance::testing::data_dir());
  if (!tables) {
    std::fprintf(stderr, "%s\n", tables.error().message.c_str());
    return 1;
  }
  std::string err;
  double t0 = bench::now_seconds();
  auto lists = testing::load_eval_lists(shared, **tables, &err);
  if (lists.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  double t1 = bench::now_seconds();
  auto screener = Screener::build(std::move(lists), *tables);
  double t2 = bench::now_seconds();
  double rss_after_build = bench::peak_rss_mib();

  auto eval = testing::load_eval_queries(shared + "/eval/screening-dev.csv");
  std::vector<ScreenQuery> queries;
  for (auto& q : eval) queries.push_back(testing::to_screen_query(q, **tables));

  // Single-query latency: each query timed alone, after one warm-up pass.
  size_t total_hits = 0;
  for (auto& q : queries) total_hits += screener->screen(q).size();
  std::vector<double> lat;
  lat.reserve(queries.size());
  for (auto& q : queries) {
    double a = bench::now_seconds();
    auto h = screener->screen(q);
    lat.push_back((bench::now_seconds() - a) * 1e6);
    total_hits += h.size();
  }

  // Batch throughput: all cores, repeated passes over the queries for batch_seconds.
  unsigned threads = thread_count(0);
  size_t done = 0;
  double b0 = bench::now_seconds();
  while (bench::now_seconds() - b0 < batch_seconds) {
    parallel_for(queries.size(), threads, [&](size_t i) { (void)screener->screen(queries[i]); });
    done += queries.size();
  }
  double qps = static_cast<double>(done) / (bench::now_seconds() - b0);

  // The library's batch pipeline on the same queries (match/batch.hpp: CSV in, JSON lines out, what
  // `screen --input` and the server run), against the raw throughput above: the cost of reading
  // and formatting.
  std::string csv = "id,name,type,country\n";
  for (size_t i = 0; i < eval.size(); ++i)
    csv += std::to_string(i) + "," + csv::quoted(eval[i].name) + "," + eval[i].type + "," + eval[i].country +
           "\n";
  size_t piped = 0, out_bytes = 0;
  double p0 = bench::now_seconds();
  while (bench::now_seconds() - p0 < batch_seconds) {
    std::istringstream in(csv);
    auto sum = screen_batch(in, "queries.csv", *screener, **tables, BatchOptions{}, [&](const BatchRow& r) {
      out_bytes += r.output.size();
      return Status::Ok();
    });
    if (!sum) {
      std::fprintf(stderr, "%s\n", sum.error().message.c_str());
      return 1;
    }
    piped += sum->rows;
  }
  double pipeline_rps = static_cast<double>(piped) / (bench::now_seconds() - p0);

  // Names in other scripts (../shared/eval/world-scripts-dev.csv: Arabic script, Cyrillic, Hangul,
  // Hebrew, Thai), read word by word into Latin: the same single-query and batch figures.
  std::vector<ScreenQuery> world;
  if (std::filesystem::exists(shared + "/eval/world-scripts-dev.csv"))
    for (auto& q : testing::load_eval_queries(shared + "/eval/world-scripts-dev.csv"))
      world.push_back(testing::to_screen_query(q, **tables));
  std::vector<double> world_lat;
  double world_qps = 0;
  if (!world.empty()) {
    for (auto& q : world) total_hits += screener->screen(q).size();
    for (auto& q : world) {
      double a = bench::now_seconds();
      auto h = screener->screen(q);
      world_lat.push_back((bench::now_seconds() - a) * 1e6);
    }
    size_t world_done = 0;
    double w0 = bench::now_seconds();
    while (bench::now_seconds() - w0 < batch_seconds / 2) {
      parallel_for(world.size(), threads, [&](size_t i) { (void)screener->screen(world[i]); });
      world_done += world.size();
    }
    world_qps = static_cast<double>(world_done) / (bench::now_seconds() - w0);
  }

  // Brute-force baseline on a sample (every name scored), same process, same scorer.
  std::vector<double> brute;
  for (size_t i = 0; i < queries.size(); i += queries.size() / 100 + 1) {
    double a = bench::now_seconds();
    screener->screen_brute_force(queries[i]);
    brute.push_back((bench::now_seconds() - a) * 1e6);
  }
  std::vector<double> indexed_sample;
  for (size_t i = 0; i < queries.size(); i += queries.size() / 100 + 1) indexed_sample.push_back(lat[i]);
  double brute_mean = 0, idx_mean = 0;
  for (double v : brute) brute_mean += v / brute.size();
  for (double v : indexed_sample) idx_mean += v / indexed_sample.size();

  std::printf(
      "{\"benchmark\": \"screen\", \"parties\": %zu, \"names\": %zu, \"queries\": %zu, "
      "\"load_lists_s\": %.3f, \"index_build_s\": %.3f, "
      "\"single_query_us\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
      "\"batch_queries_per_s\": %.0f, \"threads\": %u, "
      "\"non_latin_queries\": %zu, \"non_latin_single_query_us\": {\"p50\": %.1f, \"p99\": %.1f}, "
      "\"non_latin_batch_queries_per_s\": %.0f, "
      "\"batch_pipeline_rows_per_s\": %.0f, \"pipeline_vs_raw\": %.2f, "
      "\"brute_force_us_mean\": %.1f, \"indexed_us_mean_same_sample\": %.1f, \"speedup_vs_brute_force\": "
      "%.1f, "
      "\"rss_after_build_mib\": %.1f, \"peak_rss_mib\": %.1f, \"hits\": %zu}\n",
      screener->party_count(), screener->name_count(), queries.size(), t1 - t0, t2 - t1,
      bench::percentile(lat, 0.5), bench::percentile(lat, 0.9), bench::percentile(lat, 0.99),
      bench::percentile(lat, 1.0), qps, threads, world.size(),
      world_lat.empty() ? 0.0 : bench::percentile(world_lat, 0.5),
      world_lat.empty() ? 0.0 : bench::percentile(world_lat, 0.99), world_qps, pipeline_rps,
      pipeline_rps / std::max(qps, 1e-9), brute_mean, idx_mean, brute_mean / std::max(idx_mean, 1e-9),
      rss_after_build, bench::peak_rss_mib(), total_hits);
  return 0;
}
