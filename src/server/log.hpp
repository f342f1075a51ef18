// Structured log: one JSON object per line ({"ts", "level", "msg", …}) to stderr or a file.
// Thread-safe; each line is written whole.
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "clearance/common/result.hpp"

namespace clearance::server {

class Log {
 public:
  enum class Level { kDebug, kInfo, kWarn, kError };
  Log() = default;
  ~Log();
  // "" or "-" is stderr.
  Status open(const std::string& path, Level min_level);

  bool enabled(Level l) const { return l >= min_; }
  // Adds "ts" and "level" in front of `fields`.
  void write(Level l, nlohmann::ordered_json fields);
  void info(const std::string& msg, nlohmann::ordered_json extra = nlohmann::ordered_json::object());
  void warn(const std::string& msg, nlohmann::ordered_json extra = nlohmann::ordered_json::object());
  void error(const std::string& msg, nlohmann::ordered_json extra = nlohmann::ordered_json::object());

  static Result<Level> parse_level(const std::string& s);

 private:
  std::mutex mu_;
  std::FILE* f_ = stderr;
  bool owned_ = false;
  Level min_ = Level::kInfo;
};

// ISO 8601 UTC with milliseconds (front ends may read the clock; the library may not).
std::string utc_now_ms();

}  // namespace clearance::server
