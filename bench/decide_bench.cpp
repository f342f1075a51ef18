// Determination benchmark: a generated order book of 100,000 orders (chips, systems, Chinese
// materials and technologies, many destinations and dates, recurring customers, some listed
// parties, exporters and end uses) written to a CSV file, parsed, and determined on all cores.
// Prints one JSON object: determinations/s with party screening (the headline), the same run
// without screening as the in-process baseline, single-order latency, parse time, verdict counts
// and peak RSS.
//
// Usage: decide_bench [ORDERS] [--checker screener|none] [--threads N] [--keep FILE]
// The party checker is pluggable: make_checker() (sample_checker.hpp) is the one place that chooses it.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "clearance/common/files.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/decide/engine.hpp"
#include "clearance/decide/orders.hpp"
#include "clearance/decide/screener_checker.hpp"
#include "clearance/lists/import.hpp"
#include "clearance/lists/loaders.hpp"
#include "clearance/text/tables.hpp"
#include "sample_checker.hpp"
#include "support/paths.hpp"

using namespace clearance;

namespace {

// Deterministic generator (no clock, no global RNG state): the same file on every run.
struct Lcg {
  std::uint64_t s;
  explicit Lcg(std::uint64_t seed) : s(seed) {}
  std::uint64_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

std::string generate_orders(size_t n) {
  Lcg rng(20260801);
  const std::vector<std::string> items = {"H100",
                                          "H20",
                                          "H200",
                                          "A100",
                                          "A800",
                                          "H800",
                                          "L20",
                                          "L2",
                                          "L40S",
                                          "RTX 4090",
                                          "RTX 4090D",
                                          "B200",
                                          "GB200",
                                          "MI250X",
                                          "MI300X",
                                          "MI325X",
                                          "MI308",
                                          "Gaudi 2",
                                          "Gaudi 3",
                                          "Ascend 910B",
                                          "DGX H100",
                                          "HGX H20",
                                          "HBM3E",
                                          "EAR99",
                                          "3A090.a",
                                          "gallium",
                                          "GaN",
                                          "germanium",
                                          "GeO2",
                                          "graphite",
                                          "natural flake graphite",
                                          "antimony",
                                          "InSb",
                                          "dysprosium oxide",
                                          "氧化镝",
                                          "Dy2O3",
                                          "terbium metal",
                                          "NdFeB magnets containing dysprosium",
                                          "samarium-cobalt magnets",
                                          "scandium oxide",
                                          "yttrium oxide",
                                          "holmium",
                                          "erbium oxide",
                                          "2805301200",
                                          "1C905.b",
                                          "LFP cathode material preparation technology",
                                          "磷酸铁锂正极材料制备技术",
                                          "lithium extraction from brine technology",
                                          "six-anvil press",
                                          "rare earth production line technology"};
  const std::vector<std::string> to = {"CN", "CN", "CN", "HK", "MO", "US", "US", "JP", "KR",
                                       "DE", "NL", "IN", "MY", "SG", "VN", "AE", "SA", "BR",
                                       "RU", "KH", "NI", "TW", "GB", "FR", "IL", "MX"};
  const std::vector<std::string> from = {"", "", "", "", "US", "SG", "CN", "JP"};
  const std::vector<std::string> exporters = {"",
                                              "",
                                              "",
                                              "NVIDIA Corporation",
                                              "Advanced Micro Devices, Inc.",
                                              "Intel Corporation",
                                              "Acme Distribution Ltd",
                                              "Shenzhen Example Trading Co., Ltd."};
  const std::vector<std::string> end_uses = {"",
                                             "",
                                             "",
                                             "",
                                             "",
                                             "",
                                             "civil",
                                             "supercomputer",
                                             "military",
                                             "military_end_user",
                                             "advanced_node_ic_production",
                                             "ai_model_training"};
  const std::vector<std::string> hq = {"", "", "", "", "", "", "CN", "US", "MO"};
  // Customers recur: 3,000 names, a few of them on the sample lists (Latin and Chinese script).
  std::vector<std::string> customers = {"Huawei Technologies Co., Ltd.",
                                        "Semiconductor Manufacturing International Corporation",
                                        "Hangzhou Hikvision Digital Technology Co., Ltd.",
                                        "通用动力公司",
                                        "General Dynamics",
                                        "Lockheed Martin Corporation",
                                        "Sugon",
                                        "Inspur Group Co., Ltd."};
  const std::vector<std::string> stems = {"Pacific", "Golden", "Orient", "Summit", "Harbor",
                                          "Nova",    "Silver", "Lotus",  "Delta",  "Apex"};
  const std::vector<std::string> kinds = {"Trading", "Electronics", "Computing",    "Materials",
                                          "Systems", "Logistics",   "Semiconductor"};
  const std::vector<std::string> forms = {"Co., Ltd.", "Pte. Ltd.", "GmbH", "Inc.", "LLC", "Limited"};
  while (customers.size() < 3000)
    customers.push_back(rng.pick(stems) + " " + rng.pick(kinds) + " " + std::to_string(customers.size()) +
                        " " + rng.pick(forms));
  std::string out = "id,item,to,from,party,exporter,end_use,buyer_hq,quantity,value,as_of\n";
  out.reserve(n * 110);
  for (size_t i = 0; i < n; ++i) {
    int year = 2022 + static_cast<int>(rng.below(5));
    int month = 1 + static_cast<int>(rng.below(12));
    int day = 1 + static_cast<int>(rng.below(28));
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    std::string party = rng.below(3) == 0 ? "" : rng.pick(customers);
    if (!party.empty() && rng.below(10) == 0) party += ";" + rng.pick(customers);
    std::string item = rng.pick(items);
    auto quote = [](const std::string& s) {
      std::string q = "\"";
      for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      return q + "\"";
    };
    out += "o" + std::to_string(i + 1) + "," + quote(item) + "," + rng.pick(to) + "," + rng.pick(from) + "," +
           quote(party) + "," + quote(rng.pick(exporters)) + "," + rng.pick(end_uses) + "," + rng.pick(hq) +
           "," + std::to_string(1 + rng.below(64)) + "," + std::to_string(1000 * (1 + rng.below(500))) + "," +
           date + "\n";
  }
  return out;
}

using bench::make_checker;

struct RunResult {
  double seconds = 0;
  size_t errors = 0;
  std::map<std::string, size_t> overall;
  std::string first_error;
};

RunResult run(const Engine& engine, const std::vector<OrderRow>& rows, const PartyChecker* checker,
              unsigned threads) {
  RunResult r;
  double t0 = bench::now_seconds();
  determine_orders(engine, rows, checker, threads, [&](size_t, const Result<Determination>& d) {
    if (!d.ok()) {
      if (r.first_error.empty()) r.first_error = d.error().message;
      ++r.errors;
      return;
    }
    ++r.overall[std::string(to_string(d->overall))];
  });
  r.seconds = bench::now_seconds() - t0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 100000;
  std::string checker_kind = "screener", keep;
  unsigned threads = thread_count(0);
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--checker" && i + 1 < argc)
      checker_kind = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--keep" && i + 1 < argc)
      keep = argv[++i];
    else
      n = static_cast<size_t>(std::atoll(argv[i]));
  }
  double t0 = bench::now_seconds();
  auto engine = Engine::load(clearance::testing::data_dir());
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  double t1 = bench::now_seconds();
  std::string text = generate_orders(n);
  std::string path = keep.empty() ? (std::filesystem::temp_directory_path() /
                                     ("clearance-orders-" + std::to_string(::getpid()) + ".csv"))
                                        .string()
                                  : keep;
  if (auto st = write_file_atomic(path, text); !st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  double t2 = bench::now_seconds();
  auto file = read_file(path);
  if (!file) {
    std::fprintf(stderr, "%s\n", file.error().message.c_str());
    return 1;
  }
  auto rows = parse_orders_csv(*file, path, std::nullopt);
  double t3 = bench::now_seconds();
  if (keep.empty()) std::filesystem::remove(path);
  if (!rows) {
    std::fprintf(stderr, "%s\n", rows.error().message.c_str());
    return 1;
  }
  std::string err;
  auto checker = make_checker(checker_kind, &err);
  if (!checker) {
    std::fprintf(stderr, "checker: %s\n", err.c_str());
    return 1;
  }
  double t4 = bench::now_seconds();

  // Warm-up (not timed), then the baseline (rules only), then the headline run with screening
  // (cold party cache: every distinct customer is screened once).
  std::vector<OrderRow> warm(rows->begin(),
                             rows->begin() + static_cast<long>(std::min<size_t>(rows->size(), 5000)));
  run(**engine, warm, nullptr, threads);
  RunResult base = run(**engine, *rows, nullptr, threads);
  RunResult full = checker->get() ? run(**engine, *rows, checker->get(), threads) : base;
  // Screening every party afresh (no memo) on a 5,000-order sample: the worst case of an order
  // book where no customer recurs.
  double uncached_per_s = 0;
  if (checker->inner) {
    std::vector<OrderRow> sample;
    for (size_t i = 0; i < rows->size() && sample.size() < 5000; i += rows->size() / 5000 + 1)
      sample.push_back((*rows)[i]);
    RunResult u = run(**engine, sample, checker->inner.get(), threads);
    uncached_per_s = static_cast<double>(sample.size()) / u.seconds;
  }

  // Single-order latency (one thread, warm), on a sample of 2,000 orders, screening included.
  std::vector<double> lat;
  for (size_t i = 0; i < rows->size() && lat.size() < 2000; i += rows->size() / 2000 + 1) {
    if (!(*rows)[i].tx) continue;
    double a = bench::now_seconds();
    auto d = (*engine)->determine(*(*rows)[i].tx, checker->get());
    lat.push_back((bench::now_seconds() - a) * 1e6);
  }
  size_t distinct = 0;
  double hit_rate = 0;
  if (checker->cached) {
    distinct = checker->cached->misses();
    size_t total = checker->cached->hits() + checker->cached->misses();
    hit_rate = total ? static_cast<double>(checker->cached->hits()) / static_cast<double>(total) : 0;
  }
  std::string verdicts;
  for (const auto& [k, v] : full.overall)
    verdicts += (verdicts.empty() ? "" : ", ") + ("\"" + k + "\": " + std::to_string(v));
  std::printf(
      "{\"benchmark\": \"decide\", \"orders\": %zu, \"determinations_per_s\": %.0f, \"threads\": %u, "
      "\"party_checker\": \"%s\", \"determinations_per_s_rules_only\": %.0f, \"screening_cost_ratio\": %.2f, "
      "\"determinations_per_s_screening_uncached\": %.0f, "
      "\"seconds\": %.3f, \"seconds_rules_only\": %.3f, "
      "\"single_order_us\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
      "\"engine_load_s\": %.3f, \"generate_write_s\": %.3f, \"read_parse_s\": %.3f, \"checker_build_s\": "
      "%.3f, "
      "\"distinct_party_queries\": %zu, \"party_cache_hit_rate\": %.3f, \"rules\": %zu, \"catalogue_items\": "
      "%zu, "
      "\"overall\": {%s}, \"errors\": %zu, \"first_error\": \"%s\", \"file_bytes\": %zu, \"peak_rss_mib\": "
      "%.1f}\n",
      rows->size(), static_cast<double>(rows->size()) / full.seconds, threads, checker_kind.c_str(),
      static_cast<double>(rows->size()) / base.seconds, full.seconds / base.seconds, uncached_per_s,
      full.seconds, base.seconds, bench::percentile(lat, 0.5), bench::percentile(lat, 0.9),
      bench::percentile(lat, 0.99), bench::percentile(lat, 1.0), t1 - t0, t2 - t1, t3 - t2, t4 - t3, distinct,
      hit_rate, (*engine)->rules().rules().size(), (*engine)->catalogue().items().size(), verdicts.c_str(),
      full.errors, full.first_error.c_str(), text.size(), bench::peak_rss_mib());
  return 0;
}
