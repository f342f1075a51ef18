#include "clearance/store/record.hpp"

#include <openssl/evp.h>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#ifndef CLEARANCE_VERSION
#define CLEARANCE_VERSION "unknown"
#endif

namespace clearance {

std::string_view engine_version() { return CLEARANCE_VERSION; }

std::string format_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  int frac = static_cast<int>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view s) {
  auto num = [&](size_t pos, size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == s.data() + pos + len;
  };
  int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d))
    return std::nullopt;
  if (s.size() > 10) {
    if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || !num(11, 2, h) || !num(14, 2, mi) ||
        !num(17, 2, se))
      return std::nullopt;
    size_t p = 19;
    if (s[p] == '.') {
      if (!num(p + 1, 3, ms)) return std::nullopt;
      p += 4;
    }
    if (p + 1 != s.size() || s[p] != 'Z') return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} + milliseconds{ms};
}

std::string canonical_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

std::string to_hex(const unsigned char* md, unsigned n) {
  static const char* kHex = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (unsigned i = 0; i < n; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  return to_hex(md, n);
}

Result<std::string> sha256_file(Env& env, const std::string& path) {
  auto f = env.new_sequential_file(path);
  if (!f) return f.error();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  std::optional<Error> failed;
  for (;;) {
    auto n = (*f)->read(buf.data(), buf.size());
    if (!n) {
      failed = n.error();
      break;
    }
    if (*n == 0) break;
    EVP_DigestUpdate(ctx, buf.data(), *n);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  if (failed) return *failed;
  return to_hex(md, len);
}

Result<std::string> sha256_file(const std::string& path) { return sha256_file(*Env::Default(), path); }

std::string Record::hashed_text() const {
  // Hand-built so the stored canonical texts (result, snapshots, rules, threshold) are hashed byte
  // for byte as stored; keys in sorted order, as canonical_json would write them.
  auto str = [](const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out;
  out.reserve(256 + result.size() + snapshots.size() + inputs_sha256.size());
  out += "{\"action\":" + str(action);
  out += ",\"caller\":" + str(caller);
  out += ",\"catalogue\":" + str(catalogue);
  out += ",\"engine\":" + str(engine);
  out += ",\"inputs_sha256\":" + str(inputs_sha256);
  out += ",\"prev_hash\":" + str(prev_hash);
  out += ",\"result\":" + result;
  out += ",\"rules\":" + rules;
  out += ",\"seq\":" + std::to_string(seq);
  out += ",\"snapshots\":" + snapshots;
  out += ",\"threshold\":" + threshold;
  out += ",\"time\":" + str(time);
  out += "}";
  return out;
}

nlohmann::ordered_json Record::to_json() const {
  auto parse = [](const std::string& s) {
    auto j = nlohmann::ordered_json::parse(s, nullptr, false);
    return j.is_discarded() ? nlohmann::ordered_json(s) : j;
  };
  nlohmann::ordered_json j;
  j["seq"] = seq;
  j["time"] = time;
  j["caller"] = caller;
  j["action"] = action;
  if (inputs)
    j["inputs"] = parse(*inputs);
  else
    j["inputs"] = nullptr;
  if (redaction) j["redacted"] = {{"by", redaction->by_seq}, {"reason", redaction->reason}};
  j["inputs_sha256"] = inputs_sha256;
  j["snapshots"] = parse(snapshots);
  j["rules"] = parse(rules);
  j["catalogue"] = catalogue;
  j["engine"] = engine;
  j["threshold"] = parse(threshold);
  j["result"] = parse(result);
  j["prev_hash"] = prev_hash;
  j["hash"] = hash;
  return j;
}

std::optional<ChainHead> ChainHead::parse(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  ChainHead h;
  auto r = std::from_chars(s.data(), s.data() + colon, h.seq);
  if (r.ec != std::errc() || r.ptr != s.data() + colon || h.seq < 0) return std::nullopt;
  h.hash = std::string(s.substr(colon + 1));
  if (h.hash.size() != 64) return std::nullopt;
  for (char& c : h.hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return h;
}

}  // namespace clearance
