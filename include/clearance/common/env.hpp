// The IO seam: every file the library reads or writes goes through an Env, so tests can run the
// real code over a fault-injecting Env (tests/support/fault_env.hpp) and a future server can count
// or sandbox file access. In the spirit of LevelDB's Env: small virtual primitives here, helpers
// built on top of them in common/files.hpp (read a whole file, write one atomically, list files).
//
// Thread safety: Env::Default() may be used from any thread. A SequentialFile, WritableFile or
// FileLock is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"

namespace clearance {

// A file read front to back (a list source, an order book, a manifest).
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes into buf; returns how many were read, 0 at the end of the file.
  virtual Result<size_t> read(char* buf, size_t n) = 0;
};

// A file written front to back. Every call is checked: a failed or short write, sync or close is
// an Error naming the file, never a silent loss.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status append(std::string_view data) = 0;
  // Flushes the file's data to stable storage (fsync).
  virtual Status sync() = 0;
  // Closes the file; an error here (e.g. deferred ENOSPC) means the data may not be there.
  // The destructor closes an unclosed file and ignores the outcome: call close() to know.
  virtual Status close() = 0;
};

// A file read and written at offsets: the store's SQLite files (through the VFS in
// src/store/sqlite_vfs.cpp) and its chain-head file. Such files are opened by their owner, which
// keeps its own descriptor for locks (SQLite's POSIX locks, flock); Env::adopt_file routes their IO
// through an Env. Every call is checked; errors name the file.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset; returns how many were read (fewer only at the end of the file).
  virtual Result<size_t> read_at(std::uint64_t offset, char* buf, size_t n) = 0;
  // Writes all of data at offset (a short write is an error).
  virtual Status write_at(std::uint64_t offset, std::string_view data) = 0;
  virtual Status truncate(std::uint64_t size) = 0;
  // Flushes the file's data to stable storage (fdatasync).
  virtual Status sync() = 0;
};

// An exclusive advisory lock on a file (flock), held until the object is destroyed. The kernel
// drops it when the process dies, so a crashed writer never leaves a home locked.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct FileStat {
  bool is_dir = false;
  bool is_regular = false;
  std::uint64_t size = 0;
};

struct DirEntry {
  std::string name;         // the entry's name within its directory (no path)
  bool is_dir = false;      // after following a symlink
  bool is_regular = false;  // after following a symlink
  bool is_symlink = false;
};

class Env {
 public:
  virtual ~Env() = default;
  // The POSIX implementation; lives for the whole process.
  static Env* Default();

  // Opens a file for reading. kNotFound when missing; kBadInput when it is a directory.
  virtual Result<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) = 0;
  // Creates or truncates a file for writing (follows symlinks, like a shell redirection).
  virtual Result<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) = 0;
  // Creates a new file with a unique name "<dir>/<prefix><random>.tmp" (O_CREAT | O_EXCL |
  // O_NOFOLLOW: a file or symlink planted at the name is never opened). Its name goes to *path.
  virtual Result<std::unique_ptr<WritableFile>> new_temp_file(const std::string& dir, std::string_view prefix,
                                                              std::string* path) = 0;
  // Atomically replaces `to` with `from` (rename(2)).
  virtual Status rename_file(const std::string& from, const std::string& to) = 0;
  virtual Status remove_file(const std::string& path) = 0;
  // fsyncs a directory, making renames and new names in it durable.
  virtual Status sync_dir(const std::string& dir) = 0;
  // Creates dir and its missing parents.
  virtual Status make_dirs(const std::string& dir) = 0;
  // The entries of one directory (not recursive, without "." and ".."), in no particular order.
  virtual Result<std::vector<DirEntry>> list_dir(const std::string& dir) = 0;
  // kNotFound when nothing is at path (symlinks are followed).
  virtual Result<FileStat> stat(const std::string& path) = 0;
  // Takes an exclusive lock on path (created when missing). With wait, blocks until the holder
  // lets go; without, fails at once with kIo "… is locked by another process".
  virtual Result<std::unique_ptr<FileLock>> lock_file(const std::string& path, bool wait) = 0;
  // The IO of a file its owner opened (base does it) as a file of this Env: the POSIX Env returns
  // base as it is; a test Env wraps it to count calls and inject faults.
  virtual std::unique_ptr<RandomAccessFile> adopt_file(const std::string& path,
                                                       std::unique_ptr<RandomAccessFile> base) {
    (void)path;
    return base;
  }
  // A RandomAccessFile over a descriptor the caller keeps open and closes (pread, pwrite,
  // ftruncate, fdatasync); path is for messages.
  static std::unique_ptr<RandomAccessFile> file_over_fd(const std::string& path, int fd);
};

}  // namespace clearance
