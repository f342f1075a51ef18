#include "server/keys.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "clearance/common/files.hpp"
#include "clearance/store/record.hpp"

namespace clearance::server {

namespace {

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) return "";
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : buf) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// flock on <home>/keys.lock for the life of the object.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Result<std::vector<ApiKey>> parse_keys(const std::string& text, const std::string& path) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("keys") || !j["keys"].is_array())
    return Error::BadInput(path + ": not a keys file (expected {\"keys\": [...]})");
  std::vector<ApiKey> out;
  for (size_t i = 0; i < j["keys"].size(); ++i) {
    const auto& k = j["keys"][i];
    auto s = [&](const char* f) { return k.contains(f) && k[f].is_string() ? k[f].get<std::string>() : ""; };
    ApiKey key{s("id"), s("name"), s("role"), s("sha256"), s("created_at"), s("revoked_at")};
    if (key.id.empty() || key.sha256.size() != 64)
      return Error::BadInput(path + ": keys[" + std::to_string(i) + "]: missing id or sha256");
    out.push_back(std::move(key));
  }
  return out;
}

std::string dump_keys(const std::vector<ApiKey>& keys) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& k : keys)
    arr.push_back({{"id", k.id},
                   {"name", k.name},
                   {"role", k.role},
                   {"sha256", k.sha256},
                   {"created_at", k.created_at},
                   {"revoked_at",
                    k.revoked_at.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(k.revoked_at)}});
  return nlohmann::ordered_json{{"keys", arr}}.dump(2) + "\n";
}

std::string file_stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "absent";
  return std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_ino);
}

}  // namespace

Result<std::vector<ApiKey>> KeyFile::read() const {
  if (!file_exists(*Env::Default(), path())) return std::vector<ApiKey>{};
  auto text = read_file(path(), 16 << 20);
  if (!text) return text.error();
  return parse_keys(*text, path());
}

template <typename F>
Result<ApiKey> KeyFile::modify(F&& f) {
  if (auto st = make_dirs(home_); !st) return st.error();
  FileLock lock(home_ + "/keys.lock");
  if (!lock.ok()) return Error::Io(home_ + "/keys.lock: cannot lock");
  auto keys = read();
  if (!keys) return keys.error();
  auto changed = f(*keys);
  if (!changed) return changed.error();
  if (auto st = write_file_atomic(path(), dump_keys(*keys)); !st) return st.error();
  ::chmod(path().c_str(), 0600);
  return changed;
}

Result<std::pair<ApiKey, std::string>> KeyFile::create(const std::string& name, const std::string& role,
                                                       const std::string& now) {
  if (name.empty()) return Error::BadInput("--name: empty");
  std::string secret = random_hex(32), id = "k" + random_hex(4);
  if (secret.empty() || id.size() != 9) return Error::Internal("no random bytes for a key");
  std::string key = "clr_" + id + "_" + secret;
  auto entry = modify([&](std::vector<ApiKey>& keys) -> Result<ApiKey> {
    for (const auto& k : keys)
      if (k.id == id) return Error::Internal("key id collision; try again");
    keys.push_back({id, name, role, sha256_hex(key), now, ""});
    return keys.back();
  });
  if (!entry) return entry.error();
  return std::make_pair(*entry, key);
}

Result<ApiKey> KeyFile::revoke(const std::string& id, const std::string& now) {
  return modify([&](std::vector<ApiKey>& keys) -> Result<ApiKey> {
    for (auto& k : keys)
      if (k.id == id) {
        if (k.revoked_at.empty()) k.revoked_at = now;
        return k;
      }
    return Error::NotFound("no key " + id + " in " + path());
  });
}

Status KeyRing::load() {
  std::string stamp = file_stamp(file_.path());
  auto keys = file_.read();
  if (!keys) return keys.error();
  std::lock_guard lock(mu_);
  keys_ = std::move(*keys);
  stamp_ = stamp;
  checked_ = std::chrono::steady_clock::now();
  return Status::Ok();
}

std::optional<ApiKey> KeyRing::find(std::string_view key) {
  // clr_<id>_<secret>
  if (key.size() < 16 || key.substr(0, 4) != "clr_") return std::nullopt;
  auto us = key.find('_', 4);
  if (us == std::string_view::npos) return std::nullopt;
  std::string id(key.substr(4, us - 4));
  std::string hash = sha256_hex(key);
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (now - checked_ > std::chrono::milliseconds(200)) {
    checked_ = now;
    std::string stamp = file_stamp(file_.path());
    if (stamp != stamp_) {
      // A file being replaced or unreadable keeps the keys last read (a revocation is retried at
      // the next check: the stamp is only taken once the read succeeded).
      if (auto keys = file_.read()) {
        keys_ = std::move(*keys);
        stamp_ = stamp;
      }
    }
  }
  for (const auto& k : keys_)
    if (k.id == id) {
      if (!k.revoked_at.empty()) return std::nullopt;
      if (CRYPTO_memcmp(k.sha256.data(), hash.data(), hash.size()) != 0) return std::nullopt;
      return k;
    }
  return std::nullopt;
}

}  // namespace clearance::server
