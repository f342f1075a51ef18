// Prometheus text-format metrics: requests by endpoint and status, latency histograms per
// endpoint, screening hits, audit append latency. Lock-free counters (relaxed atomics): observe()
// is called on every request from every thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace clearance::server {

class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
                                                     0.1,    0.25,  0.5,   1,     2.5,  5,    10};
  void observe(double seconds);
  // Appends name_bucket/_sum/_count lines with `labels` (e.g. `endpoint="screen"`, may be empty).
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> endpoints);

  void request(size_t endpoint, int status, double seconds);
  void hits(std::uint64_t n) { hits_.fetch_add(n, std::memory_order_relaxed); }
  void screened(std::uint64_t n) { screened_.fetch_add(n, std::memory_order_relaxed); }
  void audit_append(double seconds) { append_.observe(seconds); }
  // A `lists update` run: whether every source succeeded, and whether the lists in force switched.
  void list_update(bool ok, bool switched) {
    (ok ? updates_ok_ : updates_failed_).fetch_add(1, std::memory_order_relaxed);
    if (switched) switches_.fetch_add(1, std::memory_order_relaxed);
  }

  // The counters and histograms; the caller appends its gauges.
  std::string render() const;

 private:
  struct PerEndpoint {
    std::array<std::atomic<std::uint64_t>, 600> by_status{};
    Histogram latency;
  };
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<PerEndpoint>> endpoints_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> screened_{0};
  Histogram append_;
  std::atomic<std::uint64_t> updates_ok_{0}, updates_failed_{0}, switches_{0};
};

}  // namespace clearance::server
