// API keys of `clearance serve`: created and revoked by `clearance keys`, checked by the server.
//
// A key is "clr_<id>_<secret>" (id: 8 hex digits, secret: 32 random bytes in hex). It is printed
// once at creation; only its SHA-256 is kept, in <home>/keys.json with its id, name, role and
// times. Revoking marks the entry (it stays listed, so the audit trail's caller ids keep a name).
// Writers hold <home>/keys.lock (flock) for their read-modify-write and replace the file
// atomically; the server re-reads it when it changes, so a revocation takes effect within a
// fraction of a second without a restart.
//
// Replicas sharing a PostgreSQL store keep their keys in the store instead (table api_keys, the
// same fields): `clearance --store postgres://… keys create|list|revoke`, and a server on that
// store reads them from there, again at most every second, so a key created or revoked anywhere
// works or stops working on every replica within about a second (docs/SCALING.md).
//
// Thread-safety: KeyRing::find may be called from any number of threads.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/store/store.hpp"

namespace clearance::server {

struct ApiKey {
  std::string id;    // "k1a2b3c4d"
  std::string name;  // who it is for
  std::string role;  // viewer|analyst|approver|admin|auditor
  std::string sha256;
  std::string created_at;
  std::string revoked_at;  // "" while valid
};

// The keys file of a data home.
class KeyFile {
 public:
  explicit KeyFile(std::string home) : home_(std::move(home)) {}
  std::string path() const { return home_ + "/keys.json"; }

  // Every key, revoked ones included (an absent file: none).
  Result<std::vector<ApiKey>> read() const;
  // Returns the new key's entry and the key itself (the only time it exists in clear).
  Result<std::pair<ApiKey, std::string>> create(const std::string& name, const std::string& role,
                                                const std::string& now);
  // kNotFound for an unknown id; revoking twice keeps the first time.
  Result<ApiKey> revoke(const std::string& id, const std::string& now);

 private:
  template <typename F>
  Result<ApiKey> modify(F&& f);
  std::string home_;
};

// The keys of a data home's file, or of `store` when it is a PostgreSQL store (null: the file).
Result<std::vector<ApiKey>> read_keys(const std::string& home, Store* store);
Result<std::pair<ApiKey, std::string>> create_key(const std::string& home, Store* store,
                                                  const std::string& name, const std::string& role,
                                                  const std::string& now);
Result<ApiKey> revoke_key(const std::string& home, Store* store, const std::string& id,
                          const std::string& now);

// The server's view of the keys file, re-read when it changes (checked at most every 200 ms), or
// of a PostgreSQL store's keys (read again at most every second).
class KeyRing {
 public:
  explicit KeyRing(std::string home) : file_(std::move(home)) {}
  // With a PostgreSQL store: the keys of the data home's file not yet in the store are added to
  // it (an upgrade keeps its keys), then the store's keys are the ones checked.
  Status load(Store* store = nullptr);
  // The valid (not revoked) key whose secret this is; nullopt otherwise.
  std::optional<ApiKey> find(std::string_view key);

 private:
  KeyFile file_;
  Store* store_ = nullptr;
  std::mutex mu_;
  std::vector<ApiKey> keys_;
  std::chrono::steady_clock::time_point checked_{};
  std::string stamp_;  // mtime and size of the file last read
};

}  // namespace clearance::server
