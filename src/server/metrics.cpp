#include "server/metrics.hpp"

#include <cstdio>

namespace clearance::server {

namespace {
std::string fmt_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

void Histogram::observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::string le = i < kBounds.size() ? fmt_double(kBounds[i]) : "+Inf";
    out += name + "_bucket{" + labels + sep + "le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + fmt_double(sum_micros_.load(std::memory_order_relaxed) / 1e6) + "\n";
  out += name + "_count" + braces + " " + std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

Metrics::Metrics(std::vector<std::string> endpoints) : names_(std::move(endpoints)) {
  for (size_t i = 0; i < names_.size(); ++i) endpoints_.push_back(std::make_unique<PerEndpoint>());
}

void Metrics::request(size_t endpoint, int status, double seconds) {
  if (endpoint >= endpoints_.size()) return;
  auto& e = *endpoints_[endpoint];
  if (status >= 0 && status < 600)
    e.by_status[static_cast<size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  e.latency.observe(seconds);
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP clearance_http_requests_total HTTP requests answered, by endpoint and status.\n";
  out += "# TYPE clearance_http_requests_total counter\n";
  for (size_t i = 0; i < names_.size(); ++i)
    for (size_t s = 0; s < 600; ++s)
      if (auto n = endpoints_[i]->by_status[s].load(std::memory_order_relaxed))
        out += "clearance_http_requests_total{endpoint=\"" + names_[i] + "\",status=\"" + std::to_string(s) +
               "\"} " + std::to_string(n) + "\n";
  out += "# HELP clearance_http_request_duration_seconds Time from a complete request to its answer.\n";
  out += "# TYPE clearance_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < names_.size(); ++i)
    endpoints_[i]->latency.render(out, "clearance_http_request_duration_seconds",
                                  "endpoint=\"" + names_[i] + "\"");
  out += "# HELP clearance_screened_total Names screened (single, batch, compatibility endpoints).\n";
  out += "# TYPE clearance_screened_total counter\n";
  out += "clearance_screened_total " + std::to_string(screened_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP clearance_hits_total Hits at or above the caller's threshold returned.\n";
  out += "# TYPE clearance_hits_total counter\n";
  out += "clearance_hits_total " + std::to_string(hits_.load(std::memory_order_relaxed)) + "\n";
  out +=
      "# HELP clearance_audit_append_seconds Time from handing a record to the audit writer to its being "
      "durable.\n";
  out += "# TYPE clearance_audit_append_seconds histogram\n";
  append_.render(out, "clearance_audit_append_seconds", "");
  out +=
      "# HELP clearance_list_updates_total List updates run (POST /v1/lists/update, --update-every), by "
      "result: ok when every source was updated or unchanged, failed when one failed or was held back.\n";
  out += "# TYPE clearance_list_updates_total counter\n";
  out += "clearance_list_updates_total{result=\"ok\"} " +
         std::to_string(updates_ok_.load(std::memory_order_relaxed)) + "\n";
  out += "clearance_list_updates_total{result=\"failed\"} " +
         std::to_string(updates_failed_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP clearance_list_switches_total Times this server switched to new lists after an update.\n";
  out += "# TYPE clearance_list_switches_total counter\n";
  out += "clearance_list_switches_total " + std::to_string(switches_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace clearance::server
