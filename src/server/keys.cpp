#include "server/keys.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

namespace {

// A new key and its entry (the key is the only copy of its secret).
Result<std::pair<ApiKey, std::string>> new_key(const std::string& name, const std::string& role,
                                               const std::string& now) {
  if (name.empty()) return Error::BadInput("--name: empty");
  std::string secret = random_hex(32), id = "k" + random_hex(4);
  if (secret.empty() || id.size() != 9) return Error::Internal("no random bytes for a key");
  std::string key = "clr_" + id + "_" + secret;
  return std::make_pair(ApiKey{id, name, role, sha256_hex(key), now, ""}, key);
}

ApiKey from_stored(const StoredKey& k) {
  return {k.id, k.name, k.role, k.sha256, k.created_at, k.revoked_at};
}

bool shared(Store* store) { return store && store->is_postgres(); }

}  // namespace

Result<std::pair<ApiKey, std::string>> KeyFile::create(const std::string& name, const std::string& role,
                                                       const std::string& now) {
  auto made = new_key(name, role, now);
  if (!made) return made.error();
  auto entry = modify([&](std::vector<ApiKey>& keys) -> Result<ApiKey> {
    for (const auto& k : keys)
      if (k.id == made->first.id) return Error::Internal("key id collision; try again");
    keys.push_back(made->first);
    return keys.back();
  });
  if (!entry) return entry.error();
  return made;
}

Result<std::vector<ApiKey>> read_keys(const std::string& home, Store* store) {
  if (!shared(store)) return KeyFile(home).read();
  auto stored = store->keys();
  if (!stored) return stored.error();
  std::vector<ApiKey> out;
  for (const auto& k : *stored) out.push_back(from_stored(k));
  return out;
}

Result<std::pair<ApiKey, std::string>> create_key(const std::string& home, Store* store,
                                                  const std::string& name, const std::string& role,
                                                  const std::string& now) {
  if (!shared(store)) return KeyFile(home).create(name, role, now);
  auto made = new_key(name, role, now);
  if (!made) return made.error();
  const ApiKey& k = made->first;
  if (auto st = store->add_key({k.id, k.name, k.role, k.sha256, k.created_at, ""}); !st) return st.error();
  return made;
}

Result<ApiKey> revoke_key(const std::string& home, Store* store, const std::string& id,
                          const std::string& now) {
  if (!shared(store)) return KeyFile(home).revoke(id, now);
  auto k = store->revoke_key(id, now);
  if (!k) return k.error();
  return from_stored(*k);
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

Status KeyRing::load(Store* store) {
  if (shared(store)) {
    // An upgrade keeps its keys: those of the file the store lacks are added, revocations too.
    auto in_file = file_.read();
    if (!in_file) return in_file.error();
    auto in_store = store->keys();
    if (!in_store) return in_store.error();
    for (const auto& k : *in_file) {
      auto it =
          std::find_if(in_store->begin(), in_store->end(), [&](const StoredKey& s) { return s.id == k.id; });
      if (it == in_store->end()) {
        if (auto st = store->add_key({k.id, k.name, k.role, k.sha256, k.created_at, k.revoked_at}); !st)
          return st.error();
      } else if (!k.revoked_at.empty() && it->revoked_at.empty() && it->sha256 == k.sha256) {
        if (auto r = store->revoke_key(k.id, k.revoked_at); !r) return r.error();
      }
    }
    auto keys = read_keys("", store);
    if (!keys) return keys.error();
    std::lock_guard lock(mu_);
    store_ = store;
    keys_ = std::move(*keys);
    checked_ = std::chrono::steady_clock::now();
    return Status::Ok();
  }
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
  if (store_ && now - checked_ > std::chrono::seconds(1)) {
    // The store's keys, read again at most every second: a key created or revoked through any
    // replica counts here within about a second. A store that cannot be read keeps the keys last
    // read (its answers cannot be recorded then either: they are refused with 503).
    checked_ = now;
    if (auto keys = read_keys("", store_)) keys_ = std::move(*keys);
  } else if (!store_ && now - checked_ > std::chrono::milliseconds(200)) {
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
