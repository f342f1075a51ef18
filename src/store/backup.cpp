// Backup and restore of a SQLite store with SQLite's online backup API: the copy is one consistent
// read transaction (WAL lets writers go on meanwhile). PostgreSQL stores are backed up with
// pg_dump (docs/RECORDS.md).
#include <sqlite3.h>

#include <filesystem>

#include "clearance/common/files.hpp"
#include "store/store_impl.hpp"

namespace clearance {

using namespace store_detail;

namespace {

constexpr const char* kBackupFile = "store.sqlite";
constexpr const char* kManifest = "backup.json";

// Copies database src_path into dst_path (created or overwritten) in one step.
Status sqlite_copy(const std::string& src_path, const std::string& dst_path) {
  sqlite3 *src = nullptr, *dst = nullptr;
  auto close_both = [&] {
    if (src) sqlite3_close(src);
    if (dst) sqlite3_close(dst);
  };
  if (sqlite3_open_v2(src_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string m = src ? sqlite3_errmsg(src) : "out of memory";
    close_both();
    return Error::Io(src_path + ": cannot open: " + m);
  }
  if (sqlite3_open_v2(dst_path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string m = dst ? sqlite3_errmsg(dst) : "out of memory";
    close_both();
    return Error::Io(dst_path + ": cannot open: " + m);
  }
  sqlite3_busy_timeout(src, 30000);
  sqlite3_busy_timeout(dst, 30000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    std::string m = sqlite3_errmsg(dst);
    close_both();
    return Error::Io(dst_path + ": cannot start the backup: " + m);
  }
  int rc;
  do {
    rc = sqlite3_backup_step(b, -1);  // all pages in one read transaction: a consistent copy
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  std::string m = sqlite3_errmsg(dst);
  close_both();
  if (rc != SQLITE_DONE) return Error::Io(dst_path + ": backup failed: " + m);
  return Status::Ok();
}

Result<ChainHead> last_record(const std::string& path) {
  auto c = open_sqlite(path);
  if (!c) return c.error();
  auto r = (*c)->query("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
  if (!r) return r.error();
  if (r->empty()) return ChainHead{};
  return ChainHead{col_int((*r)[0], 0), col((*r)[0], 1)};
}

}  // namespace

Status Store::backup(const std::string& dir) {
  if (impl_->pg)
    return Error::BadInput(
        "backup: this store is in PostgreSQL: back it up with pg_dump (see docs/RECORDS.md)");
  if (auto st = make_dirs(dir); !st) return st;
  std::string dest = dir + "/" + kBackupFile;
  std::error_code ec;
  if (std::filesystem::exists(dest, ec) || std::filesystem::exists(dir + "/" + kManifest, ec))
    return Error::BadInput("backup: " + dir + " already holds a backup; give an empty directory");
  if (auto st = sqlite_copy(impl_->location, dest); !st) return st;
  auto head = last_record(dest);
  if (!head) return head.error();
  HeadFile hf(dest + ".head");
  if (auto st = hf.reset(*head); !st) return st;
  auto version = schema_version();
  if (!version) return version.error();
  nlohmann::ordered_json m = {{"format", "clearance-store-backup"},
                              {"schema_version", *version},
                              {"head", head->to_string()},
                              {"taken_at", impl_->now()},
                              {"source", impl_->location}};
  return write_file_atomic(dir + "/" + kManifest, m.dump(2) + "\n");
}

Result<Appended> Store::restore(const std::string& dir, const StoreOptions& options,
                                const std::string& caller) {
  StoreOptions target = options;
  std::string loc = target.location;
  if (loc.rfind("postgres://", 0) == 0 || loc.rfind("postgresql://", 0) == 0)
    return Error::BadInput(
        "restore: this store is in PostgreSQL: restore it with pg_restore (see docs/RECORDS.md)");
  if (loc.rfind("sqlite:", 0) == 0) loc = loc.substr(7);
  std::string src = dir + "/" + kBackupFile;
  auto manifest_text = read_file(dir + "/" + kManifest, 1 << 20);
  if (!manifest_text)
    return Error::BadInput("restore: " + dir + " is not a Clearance backup (no " + kManifest + ")");
  auto manifest = nlohmann::json::parse(*manifest_text, nullptr, false);
  if (manifest.is_discarded() || manifest.value("format", "") != "clearance-store-backup")
    return Error::BadInput("restore: " + dir + "/" + kManifest + " is not a Clearance backup manifest");
  std::error_code ec;
  if (!std::filesystem::exists(src, ec)) return Error::BadInput("restore: " + src + " is missing");

  // The backup must verify before it replaces anything (checked on a scratch copy, which is what
  // gets restored, so the backup directory itself is never modified).
  if (auto parent = std::filesystem::path(loc).parent_path().string(); !parent.empty())
    if (auto st = make_dirs(parent); !st) return st.error();
  std::string scratch = loc + ".restoring";
  std::filesystem::remove(scratch, ec);
  std::filesystem::remove(scratch + ".head", ec);
  if (auto st = sqlite_copy(src, scratch); !st) return st.error();
  ChainHead backup_head;
  {
    StoreOptions so = options;
    so.location = scratch;
    so.head_file = scratch + ".head";
    auto h = last_record(scratch);
    if (!h) return h.error();
    if (auto st = HeadFile(so.head_file).reset(*h); !st) return st.error();
    auto s = Store::open(so);
    if (!s) return s.error();
    auto rep = (*s)->verify();
    if (!rep) return rep.error();
    if (!rep->ok)
      return Error::BadInput("restore: the backup in " + dir + " does not verify: " + rep->message);
    backup_head = rep->head;
  }
  std::string head_path = target.head_file.empty() ? loc + ".head" : target.head_file;
  std::optional<ChainHead> previous;
  if (auto p = HeadFile(head_path).read(); p && *p) previous = **p;
  if (auto st = sqlite_copy(scratch, loc); !st) return st.error();
  std::filesystem::remove(scratch, ec);
  std::filesystem::remove(scratch + ".head", ec);
  std::filesystem::remove(scratch + "-wal", ec);
  std::filesystem::remove(scratch + "-shm", ec);
  if (auto st = HeadFile(head_path).reset(backup_head); !st) return st.error();

  auto s = Store::open(target);
  if (!s) return s.error();
  RecordDraft d;
  d.caller = caller;
  d.action = "store.restore";
  d.inputs = {{"dir", dir}};
  d.result = {{"restored_head", backup_head.to_string()},
              {"backup_taken_at", manifest.value("taken_at", "")},
              {"previous_head", previous ? nlohmann::json(previous->to_string()) : nlohmann::json(nullptr)}};
  return (*s)->append(std::move(d));
}

}  // namespace clearance
