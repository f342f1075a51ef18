#include "clearance/store/record.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <vector>

#include "clearance/common/utf8.hpp"

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

// Exactly as nlohmann's dump writes a string (UTF-8 as is, invalid bytes replaced). Most strings
// need no escaping, non-ASCII names included: valid UTF-8 without control characters, quotes or
// backslashes is written as it is; only the others go through nlohmann (a recorded batch writes
// every entry name and list of every hit this way).
void append_json_string(std::string& out, const std::string& s) {
  const size_t n = s.size();
  const char* p = s.data();
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time (remarks and explanations run to hundreds): none below 0x20,
    // none a quote or a backslash, none with the high bit set. The zero-byte test may flag a clean
    // window (it is then read byte by byte below), never pass one that needs care.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    for (std::uint64_t x; i + 8 <= n; i += 8) {
      std::memcpy(&x, p + i, 8);
      const std::uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
      const std::uint64_t care = ((x - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes)) & ~x & kHigh;
      if (care | (x & kHigh)) break;
    }
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(p[i]);
    size_t len = 1;
    if (c < 0x80 ? (c < 0x20 || c == '"' || c == '\\') : (len = utf8::sequence_length(s, i)) == 0) {
      out += nlohmann::ordered_json(s).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      return;
    }
    i += len;
  }
  out.reserve(out.size() + n + 2);
  out += '"';
  out += s;
  out += '"';
}

// Appends j as canonical JSON: objects' keys sorted (bytewise, as std::map orders them), no
// whitespace; strings and numbers exactly as nlohmann's dump writes them.
namespace {

void append_canonical(std::string& out, const nlohmann::ordered_json& j) {
  using V = nlohmann::ordered_json::value_t;
  auto append_string = [&](const std::string& s) { append_json_string(out, s); };
  switch (j.type()) {
    case V::object: {
      std::vector<const std::pair<const std::string, nlohmann::ordered_json>*> items;
      items.reserve(j.size());
      for (const auto& kv : j.get_ref<const nlohmann::ordered_json::object_t&>()) items.push_back(&kv);
      std::sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
      out += '{';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_string(items[i]->first);
        out += ':';
        append_canonical(out, items[i]->second);
      }
      out += '}';
      return;
    }
    case V::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j) {
        if (!first) out += ',';
        first = false;
        append_canonical(out, v);
      }
      out += ']';
      return;
    }
    case V::string:
      append_string(j.get_ref<const std::string&>());
      return;
    case V::number_integer:
      out += std::to_string(j.get<std::int64_t>());
      return;
    case V::number_unsigned:
      out += std::to_string(j.get<std::uint64_t>());
      return;
    default:  // floats, booleans, null, binary: nlohmann's own writing
      out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
}

// SHA-256 fetched once: OpenSSL 3 looks an algorithm up on every EVP_sha256() digest otherwise,
// which costs more than hashing a record.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// A streaming SHA-256 on a context kept per thread.
class Sha256 {
 public:
  Sha256() {
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                             &EVP_MD_CTX_free);
    ctx_ = ctx.get();
    EVP_DigestInit_ex(ctx_, sha256_md(), nullptr);
  }
  Sha256& operator+=(std::string_view s) {
    EVP_DigestUpdate(ctx_, s.data(), s.size());
    return *this;
  }
  std::string hex();

 private:
  EVP_MD_CTX* ctx_;
};

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

std::string canonical_json_of(const nlohmann::ordered_json& j) {
  std::string out;
  out.reserve(1024);
  append_canonical(out, j);
  return out;
}

std::string Sha256::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, md, &n);
  return to_hex(md, n);
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h += bytes;
  return h.hex();
}

Result<std::string> sha256_file(Env& env, const std::string& path) {
  auto f = env.new_sequential_file(path);
  if (!f) return f.error();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, sha256_md(), nullptr);
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

namespace {

// The record's canonical JSON without `hash` and the inputs, written piece by piece to `out`. The
// stored canonical texts (result, snapshots, rules, threshold) go in byte for byte as stored; keys
// in sorted order, as canonical_json would write them.
template <class Out>
void write_hashed(const Record& r, Out& out) {
  const std::string seq = std::to_string(r.seq);
  struct Field {
    const char* key;
    const std::string* value;
    bool text;  // a string to write as JSON; else canonical JSON already
  };
  const Field fields[] = {{"action", &r.action, true},
                          {"caller", &r.caller, true},
                          {"catalogue", &r.catalogue, true},
                          {"engine", &r.engine, true},
                          {"inputs_sha256", &r.inputs_sha256, true},
                          {"prev_hash", &r.prev_hash, true},
                          {"result", &r.result, false},
                          {"rules", &r.rules, false},
                          {"seq", &seq, false},
                          {"snapshots", &r.snapshots, false},
                          {"threshold", &r.threshold, false},
                          {"time", &r.time, true}};
  std::string s;
  for (const Field& f : fields) {
    s = s.empty() ? "{\"" : ",\"";
    s += f.key;
    s += "\":";
    if (f.text) append_json_string(s, *f.value);
    out += s;
    if (!f.text) out += *f.value;
  }
  out += "}";
}

}  // namespace

std::string Record::hashed_text() const {
  std::string out;
  out.reserve(256 + result.size() + snapshots.size() + inputs_sha256.size());
  write_hashed(*this, out);
  return out;
}

std::string Record::compute_hash() const {
  Sha256 h;
  write_hashed(*this, h);
  return h.hex();
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
