// A fault-injecting Env for tests: wraps a real Env (POSIX by default) and makes chosen calls fail,
// so tests drive the library's real code through disk-full, short-write, fsync, rename, read and
// lock failures. It counts every call and every injected fault per kind, so a test can first run
// an operation cleanly to learn how many calls of each kind it makes, then fail each one in turn.
//
//   testing::FaultEnv env;
//   env.fail_nth(testing::Fault::kRename, 2);  // the 2nd rename from now fails (once)
//   auto r = import_lists(ListStore(home, &env), countries, request);
//
// Thread-safe: calls from several threads are counted under one mutex.
#pragma once

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/env.hpp"

namespace clearance::testing {

// Each kind is a call (or, for kShortWrite, a way an append fails) that can be made to fail.
enum class Fault : int {
  kOpenRead,    // new_sequential_file
  kRead,        // SequentialFile::read
  kCreate,      // new_writable_file, new_temp_file
  kWrite,       // WritableFile::append fails, writing nothing (EIO)
  kShortWrite,  // WritableFile::append writes half of its bytes, then fails (ENOSPC: disk full)
  kSync,        // WritableFile::sync
  kClose,       // WritableFile::close
  kRename,
  kRemove,
  kSyncDir,
  kMakeDirs,
  kListDir,
  kStat,
  kLock,
  kNoSpace,   // WritableFile::append or RandomAccessFile::write_at fails writing nothing (ENOSPC)
  kTruncate,  // RandomAccessFile::truncate
  kCount,
};

inline const char* fault_name(Fault f) {
  static constexpr const char* kNames[] = {
      "open-read", "read",     "create",    "write",    "short-write", "sync", "close",  "rename",
      "remove",    "sync-dir", "make-dirs", "list-dir", "stat",        "lock", "enospc", "truncate"};
  return kNames[static_cast<int>(f)];
}

// The kinds a writer uses: every step of writing a file, renaming it into place and locking.
inline constexpr Fault kWriteFaults[] = {Fault::kCreate, Fault::kWrite,  Fault::kShortWrite, Fault::kSync,
                                         Fault::kClose,  Fault::kRename, Fault::kSyncDir,    Fault::kMakeDirs,
                                         Fault::kLock,   Fault::kNoSpace};

class FaultEnv : public Env {
 public:
  explicit FaultEnv(Env* base = Env::Default()) : base_(base) {}

  // The nth call of kind from now on (1-based) fails, once. Several may be armed at a time.
  void fail_nth(Fault kind, int n) {
    std::lock_guard<std::mutex> g(mu_);
    armed_.push_back({kind, calls_[index(kind)] + n});
  }
  // Every call of kind fails until clear().
  void fail_always(Fault kind) {
    std::lock_guard<std::mutex> g(mu_);
    always_[index(kind)] = true;
  }
  // Only calls whose path contains this text count and fail (empty: every path).
  void only_paths_containing(std::string text) {
    std::lock_guard<std::mutex> g(mu_);
    path_filter_ = std::move(text);
  }
  void clear() {
    std::lock_guard<std::mutex> g(mu_);
    armed_.clear();
    always_.fill(false);
  }
  void reset_counts() {
    std::lock_guard<std::mutex> g(mu_);
    calls_.fill(0);
    injected_.fill(0);
    armed_.clear();
  }
  // Calls of kind seen (that passed the path filter), and faults injected.
  int calls(Fault kind) const {
    std::lock_guard<std::mutex> g(mu_);
    return calls_[index(kind)];
  }
  int injected(Fault kind) const {
    std::lock_guard<std::mutex> g(mu_);
    return injected_[index(kind)];
  }
  int injected_total() const {
    std::lock_guard<std::mutex> g(mu_);
    int n = 0;
    for (int v : injected_) n += v;
    return n;
  }

  // Env
  Result<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    if (hit(Fault::kOpenRead, path)) return Error::Io(path + ": cannot open: injected fault");
    auto f = base_->new_sequential_file(path);
    if (!f) return f.error();
    return std::unique_ptr<SequentialFile>(new File(this, path, std::move(*f)));
  }
  Result<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    if (hit(Fault::kCreate, path)) return Error::Io(path + ": cannot create: injected fault");
    auto f = base_->new_writable_file(path);
    if (!f) return f.error();
    return std::unique_ptr<WritableFile>(new Writable(this, path, std::move(*f)));
  }
  Result<std::unique_ptr<WritableFile>> new_temp_file(const std::string& dir, std::string_view prefix,
                                                      std::string* path) override {
    if (hit(Fault::kCreate, dir + "/" + std::string(prefix)))
      return Error::Io(dir + ": cannot create a temporary file: injected fault");
    auto f = base_->new_temp_file(dir, prefix, path);
    if (!f) return f.error();
    return std::unique_ptr<WritableFile>(new Writable(this, *path, std::move(*f)));
  }
  Status rename_file(const std::string& from, const std::string& to) override {
    if (hit(Fault::kRename, to)) return Error::Io(to + ": cannot rename into place: injected fault");
    return base_->rename_file(from, to);
  }
  Status remove_file(const std::string& path) override {
    if (hit(Fault::kRemove, path)) return Error::Io(path + ": cannot remove: injected fault");
    return base_->remove_file(path);
  }
  Status sync_dir(const std::string& dir) override {
    if (hit(Fault::kSyncDir, dir)) return Error::Io(dir + ": cannot flush directory: injected fault");
    return base_->sync_dir(dir);
  }
  Status make_dirs(const std::string& dir) override {
    if (hit(Fault::kMakeDirs, dir)) return Error::Io(dir + ": cannot create directory: injected fault");
    return base_->make_dirs(dir);
  }
  Result<std::vector<DirEntry>> list_dir(const std::string& dir) override {
    if (hit(Fault::kListDir, dir)) return Error::Io(dir + ": cannot list directory: injected fault");
    return base_->list_dir(dir);
  }
  Result<FileStat> stat(const std::string& path) override {
    if (hit(Fault::kStat, path)) return Error::Io(path + ": cannot stat: injected fault");
    return base_->stat(path);
  }
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path, bool wait) override {
    if (hit(Fault::kLock, path)) return Error::Io(path + ": cannot lock: injected fault");
    return base_->lock_file(path, wait);
  }
  // The store's SQLite files and chain-head file: reads (kRead), writes (kWrite, kShortWrite,
  // kNoSpace), truncates and syncs (kSync) count and fail as those of the files opened here.
  std::unique_ptr<RandomAccessFile> adopt_file(const std::string& path,
                                               std::unique_ptr<RandomAccessFile> base) override {
    return std::make_unique<Random>(this, path, base_->adopt_file(path, std::move(base)));
  }

 private:
  struct Armed {
    Fault kind;
    int at;  // the call number that fails
  };

  static size_t index(Fault f) { return static_cast<size_t>(f); }

  // Counts a call of kind and says whether it must fail.
  bool hit(Fault kind, const std::string& path) {
    std::lock_guard<std::mutex> g(mu_);
    if (!path_filter_.empty() && path.find(path_filter_) == std::string::npos) return false;
    int n = ++calls_[index(kind)];
    bool fail = always_[index(kind)];
    for (auto it = armed_.begin(); it != armed_.end();) {
      if (it->kind == kind && it->at == n) {
        fail = true;
        it = armed_.erase(it);
      } else {
        ++it;
      }
    }
    if (fail) ++injected_[index(kind)];
    return fail;
  }

  // One write (an append or a write at an offset) is one call of each write kind, so any of them
  // can be aimed at the nth write. `write` does the real write of the bytes given.
  template <class Write>
  Status write_with_faults(const std::string& path, std::string_view data, Write write) {
    bool fail = hit(Fault::kWrite, path);
    bool shorted = hit(Fault::kShortWrite, path);
    bool full = hit(Fault::kNoSpace, path);
    if (fail) return Error::Io(path + ": write failed: injected fault (" + std::strerror(EIO) + ")");
    if (shorted && !full) (void)write(data.substr(0, data.size() / 2));
    if (shorted || full)
      return Error::Io(path + ": write failed: injected fault (" + std::strerror(ENOSPC) + ")");
    return write(data);
  }

  class File final : public SequentialFile {
   public:
    File(FaultEnv* env, std::string path, std::unique_ptr<SequentialFile> base)
        : env_(env), path_(std::move(path)), base_(std::move(base)) {}
    Result<size_t> read(char* buf, size_t n) override {
      if (env_->hit(Fault::kRead, path_)) return Error::Io(path_ + ": read failed: injected fault");
      return base_->read(buf, n);
    }

   private:
    FaultEnv* env_;
    std::string path_;
    std::unique_ptr<SequentialFile> base_;
  };

  class Writable final : public WritableFile {
   public:
    Writable(FaultEnv* env, std::string path, std::unique_ptr<WritableFile> base)
        : env_(env), path_(std::move(path)), base_(std::move(base)) {}
    Status append(std::string_view data) override {
      return env_->write_with_faults(path_, data, [&](std::string_view d) { return base_->append(d); });
    }
    Status sync() override {
      if (env_->hit(Fault::kSync, path_)) return Error::Io(path_ + ": cannot flush to disk: injected fault");
      return base_->sync();
    }
    Status close() override {
      if (env_->hit(Fault::kClose, path_)) {
        (void)base_->close();
        return Error::Io(path_ + ": close failed: injected fault");
      }
      return base_->close();
    }

   private:
    FaultEnv* env_;
    std::string path_;
    std::unique_ptr<WritableFile> base_;
  };

  class Random final : public RandomAccessFile {
   public:
    Random(FaultEnv* env, std::string path, std::unique_ptr<RandomAccessFile> base)
        : env_(env), path_(std::move(path)), base_(std::move(base)) {}
    Result<size_t> read_at(std::uint64_t offset, char* buf, size_t n) override {
      if (env_->hit(Fault::kRead, path_)) return Error::Io(path_ + ": read failed: injected fault");
      return base_->read_at(offset, buf, n);
    }
    Status write_at(std::uint64_t offset, std::string_view data) override {
      return env_->write_with_faults(path_, data,
                                     [&](std::string_view d) { return base_->write_at(offset, d); });
    }
    Status truncate(std::uint64_t size) override {
      if (env_->hit(Fault::kTruncate, path_)) return Error::Io(path_ + ": cannot truncate: injected fault");
      return base_->truncate(size);
    }
    Status sync() override {
      if (env_->hit(Fault::kSync, path_)) return Error::Io(path_ + ": cannot flush to disk: injected fault");
      return base_->sync();
    }

   private:
    FaultEnv* env_;
    std::string path_;
    std::unique_ptr<RandomAccessFile> base_;
  };

  Env* base_;
  mutable std::mutex mu_;
  std::array<int, static_cast<size_t>(Fault::kCount)> calls_{};
  std::array<int, static_cast<size_t>(Fault::kCount)> injected_{};
  std::array<bool, static_cast<size_t>(Fault::kCount)> always_{};
  std::vector<Armed> armed_;
  std::string path_filter_;
};

// Faults injected over a whole test, by kind, for the line each fault-injection test prints:
// "faults injected: enospc=3 short_write=5 fsync=2 … total=N".
class FaultTally {
 public:
  void add(const FaultEnv& env) {
    for (size_t k = 0; k < n_.size(); ++k) n_[k] += env.injected(static_cast<Fault>(k));
  }
  int total() const {
    int t = 0;
    for (int v : n_) t += v;
    return t;
  }
  int of(Fault kind) const { return n_[static_cast<size_t>(kind)]; }
  std::string line() const {
    std::string out = "faults injected:";
    for (size_t k = 0; k < n_.size(); ++k) {
      if (n_[k] == 0) continue;
      std::string name = fault_name(static_cast<Fault>(k));
      for (auto& c : name)
        if (c == '-') c = '_';
      if (name == "sync") name = "fsync";
      out += " " + name + "=" + std::to_string(n_[k]);
    }
    return out + " total=" + std::to_string(total());
  }

 private:
  std::array<int, static_cast<size_t>(Fault::kCount)> n_{};
};

}  // namespace clearance::testing
