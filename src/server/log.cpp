#include "server/log.hpp"

#include <chrono>
#include <ctime>

namespace clearance::server {

namespace {
const char* level_name(Log::Level l) {
  switch (l) {
    case Log::Level::kDebug:
      return "debug";
    case Log::Level::kInfo:
      return "info";
    case Log::Level::kWarn:
      return "warn";
    case Log::Level::kError:
      return "error";
  }
  return "info";
}
}  // namespace

std::string utc_now_ms() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

Log::~Log() {
  if (owned_ && f_) std::fclose(f_);
}

Status Log::open(const std::string& path, Level min_level) {
  min_ = min_level;
  if (path.empty() || path == "-") return Status::Ok();
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return Error::BadInput("--log " + path + ": cannot open for appending");
  f_ = f;
  owned_ = true;
  return Status::Ok();
}

void Log::write(Level l, nlohmann::ordered_json fields) {
  if (!enabled(l)) return;
  nlohmann::ordered_json line = {{"ts", utc_now_ms()}, {"level", level_name(l)}};
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  std::string s = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  s += '\n';
  std::lock_guard lock(mu_);
  std::fwrite(s.data(), 1, s.size(), f_);
  std::fflush(f_);
}

void Log::info(const std::string& msg, nlohmann::ordered_json extra) {
  nlohmann::ordered_json f = {{"msg", msg}};
  for (auto& [k, v] : extra.items()) f[k] = std::move(v);
  write(Level::kInfo, std::move(f));
}
void Log::warn(const std::string& msg, nlohmann::ordered_json extra) {
  nlohmann::ordered_json f = {{"msg", msg}};
  for (auto& [k, v] : extra.items()) f[k] = std::move(v);
  write(Level::kWarn, std::move(f));
}
void Log::error(const std::string& msg, nlohmann::ordered_json extra) {
  nlohmann::ordered_json f = {{"msg", msg}};
  for (auto& [k, v] : extra.items()) f[k] = std::move(v);
  write(Level::kError, std::move(f));
}

Result<Log::Level> Log::parse_level(const std::string& s) {
  if (s == "debug") return Level::kDebug;
  if (s == "info") return Level::kInfo;
  if (s == "warn") return Level::kWarn;
  if (s == "error") return Level::kError;
  return Error::BadInput("--log-level: expected debug, info, warn or error, got '" + s + "'");
}

}  // namespace clearance::server
