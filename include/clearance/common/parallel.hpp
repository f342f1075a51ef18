// The library's one way to spread work over threads: parallel_for over an index range. Callers
// chunk their input and write each result into its own slot, so output order is input order.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace clearance {

// `requested`, or the hardware concurrency when it is 0 (at least 1).
inline unsigned thread_count(unsigned requested) {
  if (requested) return requested;
  // Asked once: std::thread::hardware_concurrency() reads /sys each time (a server answering one
  // screening calls this per request).
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

// Runs fn(i) for every i in [0, n) on up to `threads` threads (0: hardware concurrency), the
// calling thread included; returns when all are done. Indexes are handed out one at a time, so
// uneven work balances. REQUIRES: fn is safe to call concurrently for different i.
// An exception thrown by fn stops the handing out of indexes and is rethrown here, on the calling
// thread, once every thread has stopped (an exception escaping a thread would abort the process).
template <class Fn>
void parallel_for(size_t n, unsigned threads, Fn&& fn) {
  if (n <= 1) {  // nothing to share out
    if (n) fn(size_t{0});
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto work = [&] {
    try {
      for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(i);
    } catch (...) {
      next.store(n, std::memory_order_relaxed);
      std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
    }
  };
  unsigned t = static_cast<unsigned>(std::min<size_t>(thread_count(threads), n));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace clearance
