// Impact benchmark: a generated book of 1,000,000 orders (tests/impact/order_generator.hpp: chips to
// China and elsewhere from NVIDIA, AMD and a distributor, Chinese materials, 5,000 recurring customers,
// four currencies) written to a temporary file, then run through the real streaming path — the file
// read in chunks, every order determined at 2025-03-01 and 2025-08-15, each order's CSV row formatted
// (and dropped), the aggregates kept. Prints one JSON object: orders/s, peak RSS, the resident set
// after the first 100,000 orders and at the end (flat memory: the two should be close), and, as the
// in-process baseline, the same path without memoisation on the first 100,000 orders.
//
// Customers are screened against the bundled sample lists as `clearance impact` does (--checker none:
// rules only).
//
// Usage: impact_bench [ORDERS] [--threads N] [--checker screener|none] [--keep FILE]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "bench_util.hpp"
#include "clearance/common/files.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/impact/impact.hpp"
#include "clearance/impact/report.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/text/tables.hpp"
#include "impact/order_generator.hpp"
#include "sample_checker.hpp"
#include "support/paths.hpp"

using namespace clearance;

namespace {

using bench::make_checker;

struct RunStats {
  double seconds = 0;
  double rss_at_100k = 0, rss_at_end = 0;
  std::uint64_t rows = 0, errors = 0, flips = 0, changes = 0, memo_hits = 0, memo_misses = 0, csv_bytes = 0;
  std::string error;
};

RunStats run(std::istream& in, const std::string& name, const ImpactPoint& a, const ImpactPoint& b,
             ImpactOptions opt) {
  RunStats s;
  const std::vector<std::string> jur{"US-EAR", "CN"};
  double t0 = bench::now_seconds();
  std::uint64_t seen = 0;
  auto r = run_impact(in, name, a, b, opt, [&](const OrderImpact& o) {
    s.csv_bytes += impact_csv_row(o, jur).size();
    s.flips += is_flip(o.change);
    if (++seen == 100000) s.rss_at_100k = bench::rss_mib();
  });
  s.seconds = bench::now_seconds() - t0;
  s.rss_at_end = bench::rss_mib();
  if (!r) {
    s.error = r.error().message;
    return s;
  }
  s.rows = r->rows;
  s.errors = r->errors;
  s.changes = r->changes_total;
  s.memo_hits = r->memo_hits;
  s.memo_misses = r->memo_misses;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 1000000;
  unsigned threads = thread_count(0);
  std::string checker_kind = "screener", keep;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (arg == "--checker" && i + 1 < argc)
      checker_kind = argv[++i];
    else if (arg == "--keep" && i + 1 < argc)
      keep = argv[++i];
    else
      n = static_cast<std::uint64_t>(std::atoll(argv[i]));
  }
  auto engine = Engine::load(clearance::testing::data_dir());
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  std::string err;
  auto checker = make_checker(checker_kind, &err);
  if (!checker) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }

  // Generate the book into a temporary file, streaming (the generator never holds the book either).
  std::string path = keep.empty() ? (std::filesystem::temp_directory_path() /
                                     ("clearance-impact-orders-" + std::to_string(::getpid()) + ".csv"))
                                        .string()
                                  : keep;
  double g0 = bench::now_seconds();
  {
    testing::OrderGenerator gen(n, 5000);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << &gen;
    if (!out) {
      std::fprintf(stderr, "%s: write failed\n", path.c_str());
      return 1;
    }
  }
  double gen_seconds = bench::now_seconds() - g0;
  double file_mib = static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);

  ImpactPoint a{"2025-03-01", *engine, *Date::parse("2025-03-01")};
  ImpactPoint b{"2025-08-15", *engine, *Date::parse("2025-08-15")};
  ImpactOptions opt;
  opt.threads = threads;
  opt.checker = checker->get();
  double rss_before = bench::rss_mib();

  ImpactOptions plain = opt;
  plain.memoize = false;
  // Baseline in the same process: the same path without memoisation on the first 100,000 orders
  // (the generator is deterministic: the same orders as the file's first lines).
  testing::OrderGenerator prefix(std::min<std::uint64_t>(n, 100000), 5000);
  std::istream prefix_in(&prefix);
  RunStats base = run(prefix_in, "generated", a, b, plain);
  std::ifstream file_in(path, std::ios::binary);
  RunStats s = run(file_in, path, a, b, opt);
  if (keep.empty()) std::filesystem::remove(path);
  if (!s.error.empty() || !base.error.empty()) {
    std::fprintf(stderr, "%s\n", (s.error.empty() ? base.error : s.error).c_str());
    return 1;
  }
  double base_rate = base.seconds > 0 ? static_cast<double>(base.rows) / base.seconds : 0;
  std::printf(
      "{\"orders\": %llu, \"seconds\": %.3f, \"orders_per_s\": %.0f, \"peak_rss_mib\": %.1f, "
      "\"rss_before_mib\": %.1f, \"rss_at_100k_mib\": %.1f, \"rss_at_end_mib\": %.1f, "
      "\"threads\": %u, \"checker\": \"%s\", \"from\": \"2025-03-01\", \"to\": \"2025-08-15\", "
      "\"errors\": %llu, \"flips\": %llu, \"changes\": %llu, \"determinations\": %llu, \"memo_hits\": %llu, "
      "\"csv_mib\": %.1f, \"file_mib\": %.1f, \"generate_seconds\": %.3f, "
      "\"baseline_unmemoized\": {\"orders\": %llu, \"orders_per_s\": %.0f}, \"speedup_vs_baseline\": %.2f}\n",
      static_cast<unsigned long long>(s.rows), s.seconds,
      s.seconds > 0 ? static_cast<double>(s.rows) / s.seconds : 0.0, bench::peak_rss_mib(), rss_before,
      s.rss_at_100k, s.rss_at_end, threads, checker_kind.c_str(), static_cast<unsigned long long>(s.errors),
      static_cast<unsigned long long>(s.flips), static_cast<unsigned long long>(s.changes),
      static_cast<unsigned long long>(s.memo_misses), static_cast<unsigned long long>(s.memo_hits),
      static_cast<double>(s.csv_bytes) / (1024.0 * 1024.0), file_mib, gen_seconds,
      static_cast<unsigned long long>(base.rows), base_rate,
      base_rate > 0 && s.seconds > 0 ? (static_cast<double>(s.rows) / s.seconds) / base_rate : 0.0);
  return 0;
}
