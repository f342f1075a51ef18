// Capacity benchmark (issue 16, docs/SCALING.md): what one replica holds and does as the lists
// grow. The evaluation lists (../shared/eval/README.md) are loaded as they are (scale 1) and with
// every entry repeated K-1 more times under other names of the same shape (same number of names
// and of words per name). How many new words a list K times larger brings is not known, so two
// bounds are measured:
//   new:   every word of a copy (but short words such as legal forms) is a new, generated word:
//          the vocabulary grows with the names (the most memory an index can take);
//   reuse: every word of a copy is a word of the lists, drawn as often as the lists use it: the
//          vocabulary stays (the least).
// For each scale and bound, in a process of its own (so that memory figures do not mix): the
// index build time, the resident memory of the lists and of the index, and the screening rate of
// one thread (one core) and of all cores over the evaluation queries, with single-query p50/p99.
//
// usage: capacity_bench [SECONDS_PER_RATE]   runs the scales in $SCALES (default "1 3 10"), both
//                                            bounds ($WORDS, default "new reuse")
//        capacity_bench --scale K WORDS [SECONDS]   one of them, one JSON line (what the first runs)
// Prints one JSON object.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>

#include "bench_util.hpp"
#include "clearance/common/parallel.hpp"
#include "support/eval_lists.hpp"
#include "support/paths.hpp"

using namespace clearance;

namespace {

// A word of the same length class as `like`, made of syllables: new vocabulary, name-shaped.
std::string made_up_word(const std::string& like, std::mt19937_64& rng) {
  static const char* kOnsets[] = {"b", "br", "d",  "f", "g",  "k", "kh", "l", "m", "n",  "p",
                                  "r", "s",  "sh", "t", "tr", "v", "w",  "y", "z", "ch", "zh"};
  static const char* kVowels[] = {"a", "e", "i", "o", "u", "ai", "ao", "ei", "ia", "ou", "ua"};
  std::string w;
  const size_t target = std::max<size_t>(2, like.size());
  while (w.size() + 1 < target) w += std::string(kOnsets[rng() % 22]) + kVowels[rng() % 11];
  if (rng() % 3 == 0) w += "n";
  return w;
}

// Another name of the shape of `like`: its words replaced by new words, or by words of the lists
// (`pool`: every word of every name, so drawn as often as the lists use it).
std::string other_name(const std::string& like, const std::vector<std::string>* pool, std::mt19937_64& rng) {
  std::string out, word;
  std::istringstream in(like);
  while (in >> word) {
    if (!out.empty()) out += ' ';
    if (pool)
      out += (*pool)[rng() % pool->size()];
    else  // legal forms and other short words stay: a list K times larger has them too
      out += word.size() <= 3 ? word : made_up_word(word, rng);
  }
  return out;
}

struct ScaleResult {
  size_t parties = 0, names = 0;
  double lists_mib = 0, index_mib = 0, build_s = 0;
  double one_core_qps = 0, all_cores_qps = 0, p50_us = 0, p99_us = 0;
  unsigned threads = 0;
};

int run_scale(int scale, const std::string& words, double seconds) {
  std::string shared = clearance::testing::shared_dir();
  auto tables = TextTables::load(clearance::testing::data_dir());
  if (!tables) {
    std::fprintf(stderr, "%s\n", tables.error().message.c_str());
    return 1;
  }
  std::string err;
  const double rss0 = bench::rss_mib();
  auto lists = testing::load_eval_lists(shared, **tables, &err);
  if (lists.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  std::mt19937_64 rng(16);
  std::vector<std::string> pool;
  if (words == "reuse")
    for (auto& l : lists)
      for (auto& p : l.parties)
        for (auto& n : p.names) {
          std::istringstream in(n.text);
          for (std::string w; in >> w;) pool.push_back(w);
        }
  for (auto& l : lists) {
    const size_t n = l.parties.size();
    l.parties.reserve(n * static_cast<size_t>(scale));
    for (int copy = 1; copy < scale; ++copy)
      for (size_t i = 0; i < n; ++i) {
        Party p = l.parties[i];
        p.id += "~" + std::to_string(copy);
        for (auto& name : p.names) name.text = other_name(name.text, pool.empty() ? nullptr : &pool, rng);
        l.parties.push_back(std::move(p));
      }
    seal_snapshot(l);
  }
  ScaleResult r;
  const double rss_lists = bench::rss_mib();
  r.lists_mib = rss_lists - rss0;
  const double b0 = bench::now_seconds();
  auto screener = Screener::build(std::move(lists), *tables);
  r.build_s = bench::now_seconds() - b0;
  r.index_mib = bench::rss_mib() - rss_lists;
  r.parties = screener->party_count();
  r.names = screener->name_count();

  auto eval = testing::load_eval_queries(shared + "/eval/screening-dev.csv");
  std::vector<ScreenQuery> queries;
  for (auto& q : eval) queries.push_back(testing::to_screen_query(q, **tables));
  for (auto& q : queries) (void)screener->screen(q);  // warm-up
  std::vector<double> lat;
  lat.reserve(queries.size());
  for (auto& q : queries) {
    double a = bench::now_seconds();
    (void)screener->screen(q);
    lat.push_back((bench::now_seconds() - a) * 1e6);
  }
  r.p50_us = bench::percentile(lat, 0.5);
  r.p99_us = bench::percentile(lat, 0.99);
  auto rate = [&](unsigned threads) {
    size_t done = 0;
    double t0 = bench::now_seconds();
    while (bench::now_seconds() - t0 < seconds) {
      parallel_for(queries.size(), threads, [&](size_t i) { (void)screener->screen(queries[i]); });
      done += queries.size();
    }
    return static_cast<double>(done) / (bench::now_seconds() - t0);
  };
  r.threads = thread_count(0);
  r.one_core_qps = rate(1);
  r.all_cores_qps = rate(r.threads);
  std::printf(
      "{\"scale\": %d, \"words\": \"%s\", \"parties\": %zu, \"names\": %zu, \"index_build_s\": %.2f, "
      "\"lists_mib\": %.1f, "
      "\"index_mib\": %.1f, \"bytes_per_name\": %.0f, \"one_core_queries_per_s\": %.0f, "
      "\"all_cores_queries_per_s\": %.0f, \"threads\": %u, \"single_query_us\": {\"p50\": %.1f, \"p99\": "
      "%.1f}}\n",
      scale, words.c_str(), r.parties, r.names, r.build_s, r.lists_mib, r.index_mib,
      (r.lists_mib + r.index_mib) * 1024 * 1024 / static_cast<double>(std::max<size_t>(r.names, 1)),
      r.one_core_qps, r.all_cores_qps, r.threads, r.p50_us, r.p99_us);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!std::filesystem::exists(clearance::testing::shared_dir() + "/eval/screening-dev.csv")) {
    std::printf("{\"benchmark\": \"capacity\", \"skipped\": \"../shared/eval is absent\"}\n");
    return 0;
  }
  if (argc > 3 && std::string(argv[1]) == "--scale")
    return run_scale(std::atoi(argv[2]), argv[3], argc > 4 ? std::atof(argv[4]) : 2.0);
  const std::string seconds = argc > 1 ? argv[1] : "2";
  const char* scales_env = std::getenv("SCALES");
  const char* words_env = std::getenv("WORDS");
  std::vector<std::pair<int, std::string>> runs;
  std::istringstream words_in(words_env ? words_env : "new reuse");
  for (std::string w; words_in >> w;) {
    std::istringstream scales_in(scales_env ? scales_env : "1 3 10");
    for (int k; scales_in >> k;)
      if (k > 1 || runs.empty()) runs.emplace_back(k, w);  // scale 1 is the same for both
  }
  std::string out = "{\"benchmark\": \"capacity\", \"scales\": [";
  bool first = true;
  for (auto& [k, w] : runs) {
    // Each scale in a fresh process: a freed index does not give its memory back to the system.
    std::string cmd = std::filesystem::read_symlink("/proc/self/exe").string() + " --scale " +
                      std::to_string(k) + " " + w + " " + seconds;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return 1;
    std::string line;
    std::array<char, 4096> buf;
    while (fgets(buf.data(), buf.size(), p)) line += buf.data();
    if (pclose(p) != 0 || line.empty()) {
      std::fprintf(stderr, "scale %d failed\n", k);
      return 1;
    }
    while (!line.empty() && line.back() == '\n') line.pop_back();
    out += (first ? "" : ", ") + line;
    first = false;
  }
  std::printf("%s]}\n", out.c_str());
  return 0;
}
