// The store's SQLite files through the Env seam: a VFS that lets SQLite's own "unix" VFS open,
// lock and map its files (the database, its WAL and the WAL index), and routes every read, write,
// truncate and sync through Env::adopt_file, so a test Env can fail any of them (a full disk during
// an append, an fsync failure at commit, a read error in a lookup). One VFS is registered per Env
// (named after its address) the first time a store is opened with it; Env::Default() uses SQLite's
// own VFS directly.
//
// SQLite reports an IO failure as a bare code ("disk I/O error"); the Env's message (which file,
// which call, why) is kept per thread and added to the store's error by take_sqlite_io_error().
#include <sqlite3.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "store/sql.hpp"

namespace clearance::store_detail {
namespace {

thread_local std::string t_last_io_error;

int io_failed(const Error& e, int code) {
  t_last_io_error = e.message;
  return code;
}

// The IO of one file SQLite's own VFS opened, as a RandomAccessFile (what Env::adopt_file wraps).
class SqliteFileIo final : public RandomAccessFile {
 public:
  SqliteFileIo(std::string path, sqlite3_file* real) : path_(std::move(path)), real_(real) {}
  Result<size_t> read_at(std::uint64_t offset, char* buf, size_t n) override {
    int rc = real_->pMethods->xRead(real_, buf, static_cast<int>(n), static_cast<sqlite3_int64>(offset));
    if (rc == SQLITE_OK) return n;
    if (rc == SQLITE_IOERR_SHORT_READ) {
      sqlite3_int64 size = 0;
      if (real_->pMethods->xFileSize(real_, &size) != SQLITE_OK)
        return Error::Io(path_ + ": cannot read its size");
      auto end = static_cast<std::uint64_t>(size);
      return static_cast<size_t>(end > offset ? std::min<std::uint64_t>(end - offset, n) : 0);
    }
    return Error::Io(path_ + ": read failed (SQLite error " + std::to_string(rc) + ")");
  }
  Status write_at(std::uint64_t offset, std::string_view data) override {
    int rc = real_->pMethods->xWrite(real_, data.data(), static_cast<int>(data.size()),
                                     static_cast<sqlite3_int64>(offset));
    if (rc == SQLITE_FULL) return Error::Io(path_ + ": write failed: " + std::strerror(ENOSPC));
    if (rc != SQLITE_OK) return Error::Io(path_ + ": write failed (SQLite error " + std::to_string(rc) + ")");
    return Status::Ok();
  }
  Status truncate(std::uint64_t size) override {
    if (int rc = real_->pMethods->xTruncate(real_, static_cast<sqlite3_int64>(size)); rc != SQLITE_OK)
      return Error::Io(path_ + ": cannot truncate (SQLite error " + std::to_string(rc) + ")");
    return Status::Ok();
  }
  Status sync() override {
    if (int rc = real_->pMethods->xSync(real_, sync_flags); rc != SQLITE_OK)
      return Error::Io(path_ + ": cannot flush to disk (SQLite error " + std::to_string(rc) + ")");
    return Status::Ok();
  }
  int sync_flags = SQLITE_SYNC_NORMAL;  // set by xSync before it calls sync()

 private:
  std::string path_;
  sqlite3_file* real_;
};

// What SQLite allocates per open file (szOsFile): this, then the real VFS's file.
struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;
  SqliteFileIo* raw;                         // owned through io
  RandomAccessFile* io;                      // the Env's view of the file
  std::unique_ptr<RandomAccessFile>* owner;  // heap: SQLite's memory is not constructed
};

sqlite3_vfs* root_vfs() { return sqlite3_vfs_find("unix"); }
sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

int x_close(sqlite3_file* f) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  delete s->owner;
  s->owner = nullptr;
  return s->real->pMethods->xClose(s->real);
}
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  auto r = s->io->read_at(static_cast<std::uint64_t>(off), static_cast<char*>(buf), static_cast<size_t>(n));
  if (!r) return io_failed(r.error(), SQLITE_IOERR_READ);
  if (*r < static_cast<size_t>(n)) {
    std::memset(static_cast<char*>(buf) + *r, 0, static_cast<size_t>(n) - *r);
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  auto st = s->io->write_at(static_cast<std::uint64_t>(off),
                            std::string_view(static_cast<const char*>(buf), static_cast<size_t>(n)));
  if (!st) {
    bool full = st.error().message.find(std::strerror(ENOSPC)) != std::string::npos;
    return io_failed(st.error(), full ? SQLITE_FULL : SQLITE_IOERR_WRITE);
  }
  return SQLITE_OK;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  auto st = s->io->truncate(static_cast<std::uint64_t>(size));
  return st ? SQLITE_OK : io_failed(st.error(), SQLITE_IOERR_TRUNCATE);
}
int x_sync(sqlite3_file* f, int flags) {
  auto* s = reinterpret_cast<ShimFile*>(f);
  s->raw->sync_flags = flags;
  auto st = s->io->sync();
  return st ? SQLITE_OK : io_failed(st.error(), SQLITE_IOERR_FSYNC);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  // Memory-mapped reads would bypass the Env: refuse, so SQLite reads through x_read.
  (void)f;
  (void)off;
  (void)n;
  *out = nullptr;
  return SQLITE_OK;
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  (void)f;
  (void)off;
  (void)p;
  return SQLITE_OK;
}

const sqlite3_io_methods kShimMethods = {
    3,          x_close,       x_read,           x_write,        x_truncate,    x_sync,   x_file_size,
    x_lock,     x_unlock,      x_check_reserved, x_file_control, x_sector_size, x_device, x_shm_map,
    x_shm_lock, x_shm_barrier, x_shm_unmap,      x_fetch,        x_unfetch,
};

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* env = static_cast<Env*>(vfs->pAppData);
  auto* s = reinterpret_cast<ShimFile*>(f);
  s->base.pMethods = nullptr;
  s->owner = nullptr;
  s->real = reinterpret_cast<sqlite3_file*>(s + 1);
  sqlite3_vfs* root = root_vfs();
  int rc = root->xOpen(root, name, s->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  std::string path = name ? name : "(temporary file)";
  auto raw = std::make_unique<SqliteFileIo>(path, s->real);
  s->raw = raw.get();
  s->owner = new std::unique_ptr<RandomAccessFile>(env->adopt_file(path, std::move(raw)));
  s->io = s->owner->get();
  s->base.pMethods = &kShimMethods;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return root_vfs()->xDelete(root_vfs(), name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return root_vfs()->xAccess(root_vfs(), name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return root_vfs()->xFullPathname(root_vfs(), name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return root_vfs()->xDlOpen(root_vfs(), name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { root_vfs()->xDlError(root_vfs(), n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return root_vfs()->xDlSym(root_vfs(), h, sym);
}
void x_dl_close(sqlite3_vfs*, void* h) { root_vfs()->xDlClose(root_vfs(), h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return root_vfs()->xRandomness(root_vfs(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return root_vfs()->xSleep(root_vfs(), us); }
int x_current_time(sqlite3_vfs*, double* out) { return root_vfs()->xCurrentTime(root_vfs(), out); }
int x_last_error(sqlite3_vfs*, int n, char* out) { return root_vfs()->xGetLastError(root_vfs(), n, out); }
int x_current_time64(sqlite3_vfs*, sqlite3_int64* out) {
  return root_vfs()->xCurrentTimeInt64(root_vfs(), out);
}

struct Registered {
  std::string name;
  sqlite3_vfs vfs{};
};

}  // namespace

const char* sqlite_vfs_for(Env* env) {
  if (env == nullptr || env == Env::Default()) return nullptr;
  static std::mutex mu;
  static std::map<Env*, std::unique_ptr<Registered>>
      registered;  // never unregistered: SQLite keeps the pointer
  std::lock_guard lk(mu);
  auto& r = registered[env];
  if (!r) {
    sqlite3_initialize();
    sqlite3_vfs* root = root_vfs();
    r = std::make_unique<Registered>();
    char buf[48];
    std::snprintf(buf, sizeof buf, "clearance-env-%p", static_cast<void*>(env));
    r->name = buf;
    sqlite3_vfs& v = r->vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(ShimFile)) + root->szOsFile;
    v.mxPathname = root->mxPathname;
    v.zName = r->name.c_str();
    v.pAppData = env;
    v.xOpen = x_open;
    v.xDelete = x_delete;
    v.xAccess = x_access;
    v.xFullPathname = x_full_pathname;
    v.xDlOpen = x_dl_open;
    v.xDlError = x_dl_error;
    v.xDlSym = x_dl_sym;
    v.xDlClose = x_dl_close;
    v.xRandomness = x_randomness;
    v.xSleep = x_sleep;
    v.xCurrentTime = x_current_time;
    v.xGetLastError = x_last_error;
    v.xCurrentTimeInt64 = x_current_time64;
    if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) return nullptr;
  }
  return r->name.c_str();
}

std::string take_sqlite_io_error() { return std::exchange(t_last_io_error, std::string()); }

}  // namespace clearance::store_detail
