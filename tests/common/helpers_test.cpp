// The helpers every module shares: CSV writing, UTF-8 iteration, number formatting, parallel_for.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "clearance/common/csv.hpp"
#include "clearance/common/numbers.hpp"
#include "clearance/common/parallel.hpp"
#include "clearance/common/utf8.hpp"

namespace clearance {
namespace {

TEST(CsvWriter, QuotesOnlyWhenNeededAndDoublesQuotes) {
  EXPECT_EQ(csv::field("plain"), "plain");
  EXPECT_EQ(csv::field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv::quoted("plain"), "\"plain\"");
  // What the writer writes, the reader reads back.
  std::string line = csv::field("a,\"b\"") + "," + csv::quoted("c") + "\n";
  csv::Reader r(line);
  csv::Record rec;
  ASSERT_EQ(r.next(rec), csv::Reader::Status::kRecord);
  ASSERT_EQ(rec.fields.size(), 2u);
  EXPECT_EQ(rec.fields[0], "a,\"b\"");
  EXPECT_EQ(rec.fields[1], "c");
}

TEST(Utf8, DecodesCountsAndClipsByCodePoint) {
  std::string s = "Zürich 北京";
  EXPECT_EQ(utf8::count(s), 9u);
  auto cps = utf8::code_points(s);
  ASSERT_EQ(cps.size(), 9u);
  EXPECT_EQ(cps[1], U'ü');
  EXPECT_EQ(cps[7], U'北');
  EXPECT_EQ(utf8::clip(s, 8), "Zürich 北…");
  EXPECT_EQ(utf8::clip(s, 9), s);
  auto at = utf8::starts("a北b");
  EXPECT_EQ(at, (std::vector<size_t>{0, 1, 4, 5}));
  std::string out;
  for (char32_t c : {U'a', U'é', U'北', U'𠀀'}) utf8::append(out, c);
  EXPECT_EQ(out, "aé北𠀀");
}

TEST(Utf8, InvalidBytesDecodeAsReplacementAndLoopsEnd) {
  std::string bad = "a\xC3(\xF0\x9F";  // truncated two- and four-byte sequences
  EXPECT_EQ(utf8::sequence_length(bad, 1), 0u);
  auto cps = utf8::code_points(bad);
  EXPECT_EQ(cps, (std::vector<char32_t>{U'a', 0xFFFD, U'(', 0xFFFD, 0xFFFD}));
  EXPECT_EQ(utf8::sequence_length("\xED\xA0\x80", 0), 0u);  // a surrogate
  EXPECT_EQ(utf8::sequence_length("\xC0\xAF", 0), 0u);      // overlong
}

TEST(Numbers, FormatsAlikeEverywhere) {
  EXPECT_EQ(format_fixed(0.8249, 2), "0.82");
  EXPECT_EQ(format_fixed(0.82, 4), "0.8200");
  EXPECT_EQ(format_general(4800), "4800");
  EXPECT_EQ(format_general(2.9123456), "2.91235");
  EXPECT_EQ(format_number(1000000), "1000000");
  EXPECT_EQ(format_number(2.5), "2.5");
  EXPECT_EQ(format_plain(1234567.5), "1234567.5");
  EXPECT_EQ(format_plain(-0.001), "0");
  EXPECT_EQ(format_plain(12), "12");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_money(1234567), "1,234,567");
  EXPECT_EQ(format_money(1234.5), "1,234.50");
  EXPECT_EQ(format_money(-12), "-12");
  EXPECT_EQ(format_money(-0.001), "0");
}

TEST(ParallelFor, RunsEveryIndexOnceOnSeveralThreads) {
  const size_t n = 10000;
  std::vector<int> hits(n, 0);
  std::mutex m;
  std::set<std::thread::id> threads;
  parallel_for(n, 4, [&](size_t i) {
    ++hits[i];  // each index is its own slot: no race
    if (i % 64 == 0) {
      std::lock_guard<std::mutex> l(m);
      threads.insert(std::this_thread::get_id());
    }
  });
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i], 1) << i;
  EXPECT_LE(threads.size(), 4u);
  parallel_for(0, 4, [&](size_t) { FAIL() << "no work for an empty range"; });
  EXPECT_GE(thread_count(0), 1u);
  EXPECT_EQ(thread_count(3), 3u);
}

// Regression: the other indexes used to be empty, so under load the three other threads could
// run all 100,000 while the thrower was still unwinding, and "handing out stopped" failed. Each
// index now takes ~50 us: running them all would take over a second, the throw takes micro-
// to milliseconds, so the check holds on a loaded machine and still fails if handing out
// never stops.
TEST(ParallelFor, AnExceptionInAWorkerReachesTheCaller) {
  std::atomic<size_t> ran{0};
  EXPECT_THROW(parallel_for(100000, 4,
                            [&](size_t i) {
                              ++ran;
                              if (i == 10) throw std::runtime_error("row 10");
                              std::this_thread::sleep_for(std::chrono::microseconds(50));
                            }),
               std::runtime_error);
  EXPECT_LT(ran.load(), 100000u);  // handing out stopped
}

}  // namespace
}  // namespace clearance
