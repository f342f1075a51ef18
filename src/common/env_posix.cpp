// The POSIX Env: plain system calls, every return value checked, errors naming the path.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "clearance/common/env.hpp"

namespace clearance {
namespace {

std::string why(int e) { return std::strerror(e); }

// ENOENT and ENOTDIR mean "nothing there": kNotFound; anything else is the file system's failure.
Error open_error(const std::string& path, const char* what, int e) {
  if (e == ENOENT || e == ENOTDIR) return Error::NotFound(path + ": " + what + ": " + why(e));
  if (e == EISDIR) return Error::BadInput(path + ": " + what + ": it is a directory");
  if (e == EACCES || e == EPERM || e == ELOOP) return Error::BadInput(path + ": " + what + ": " + why(e));
  return Error::Io(path + ": " + what + ": " + why(e));
}

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }
  Result<size_t> read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      if (errno == EISDIR) return Error::BadInput(path_ + ": cannot read: it is a directory");
      return Error::Io(path_ + ": read failed: " + why(errno));
    }
  }

 private:
  std::string path_;
  int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status append(std::string_view data) override {
    if (fd_ < 0) return Error::Internal(path_ + ": write after close");
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::Io(path_ + ": write failed: " + why(errno));
      }
      if (n == 0) return Error::Io(path_ + ": write failed: no progress");
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }
  Status sync() override {
    if (fd_ < 0) return Error::Internal(path_ + ": sync after close");
    // fsync on a pipe, a terminal or /dev/null is meaningless (EINVAL): nothing to make durable.
    if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS)
      return Error::Io(path_ + ": cannot flush to disk: " + why(errno));
    return Status::Ok();
  }
  Status close() override {
    if (fd_ < 0) return Status::Ok();
    int r = ::close(fd_);
    fd_ = -1;
    if (r != 0 && errno != EINTR) return Error::Io(path_ + ": close failed: " + why(errno));
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFdFile final : public RandomAccessFile {
 public:
  PosixFdFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  Result<size_t> read_at(std::uint64_t offset, char* buf, size_t n) override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, buf + got, n - got, static_cast<off_t>(offset + got));
      if (r == 0) break;
      if (r < 0) {
        if (errno == EINTR) continue;
        return Error::Io(path_ + ": read failed: " + why(errno));
      }
      got += static_cast<size_t>(r);
    }
    return got;
  }
  Status write_at(std::uint64_t offset, std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error::Io(path_ + ": write failed: " + why(errno));
      }
      if (n == 0) return Error::Io(path_ + ": write failed: no progress");
      data.remove_prefix(static_cast<size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
    return Status::Ok();
  }
  Status truncate(std::uint64_t size) override {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0)
      return Error::Io(path_ + ": cannot truncate: " + why(errno));
    return Status::Ok();
  }
  Status sync() override {
    if (::fdatasync(fd_) != 0) return Error::Io(path_ + ": cannot flush to disk: " + why(errno));
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

std::string random_suffix() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[12];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t r = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    got += static_cast<size_t>(r);
  }
  // getrandom cannot fail on Linux ≥ 3.17 for this size; should it, O_EXCL still guarantees that
  // no file is shared, and the pid keeps processes apart.
  std::string s = std::to_string(::getpid()) + "-";
  for (size_t i = 0; i < sizeof bytes; ++i) s += kAlphabet[bytes[i] % (sizeof kAlphabet - 1)];
  return s;
}

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<SequentialFile>> new_sequential_file(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return open_error(path, "cannot open", errno);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Error::BadInput(path + ": cannot read: it is a directory");
    }
    return std::unique_ptr<SequentialFile>(new PosixSequentialFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> new_writable_file(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return open_error(path, "cannot create", errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<std::unique_ptr<WritableFile>> new_temp_file(const std::string& dir, std::string_view prefix,
                                                      std::string* path) override {
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string p = dir + "/" + std::string(prefix) + random_suffix() + ".tmp";
      int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd >= 0) {
        *path = p;
        return std::unique_ptr<WritableFile>(new PosixWritableFile(p, fd));
      }
      if (errno != EEXIST) return open_error(p, "cannot create", errno);
    }
    return Error::Io(dir + ": cannot create a temporary file: every name tried exists");
  }

  Status rename_file(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      return Error::Io(to + ": cannot rename " + from + " into place: " + why(errno));
    return Status::Ok();
  }

  Status remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return open_error(path, "cannot remove", errno);
    return Status::Ok();
  }

  Status sync_dir(const std::string& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return open_error(dir, "cannot open directory", errno);
    int r = ::fsync(fd);
    int e = errno;
    ::close(fd);
    if (r != 0 && e != EINVAL) return Error::Io(dir + ": cannot flush directory to disk: " + why(e));
    return Status::Ok();
  }

  Status make_dirs(const std::string& dir) override {
    if (dir.empty()) return Status::Ok();
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::Ok();
      return Error::BadInput(dir + ": cannot create directory: a file of that name exists");
    }
    auto slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0) {
      if (auto s = make_dirs(dir.substr(0, slash)); !s) return s;
    }
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
      return Error::Io(dir + ": cannot create directory: " + why(errno));
    return Status::Ok();
  }

  Result<std::vector<DirEntry>> list_dir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return open_error(dir, "cannot list directory", errno);
    std::vector<DirEntry> out;
    errno = 0;
    while (dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      DirEntry entry{std::string(name), e->d_type == DT_DIR, e->d_type == DT_REG, e->d_type == DT_LNK};
      if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {  // ask the file system (follows symlinks)
        struct stat st {};
        std::string p = dir + "/" + entry.name;
        if (::stat(p.c_str(), &st) == 0) {
          entry.is_dir = S_ISDIR(st.st_mode);
          entry.is_regular = S_ISREG(st.st_mode);
        }
        if (e->d_type == DT_UNKNOWN && ::lstat(p.c_str(), &st) == 0) entry.is_symlink = S_ISLNK(st.st_mode);
      }
      out.push_back(std::move(entry));
      errno = 0;
    }
    int e = errno;
    ::closedir(d);
    if (e != 0) return Error::Io(dir + ": cannot list directory: " + why(e));
    return out;
  }

  Result<FileStat> stat(const std::string& path) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return open_error(path, "cannot stat", errno);
    return FileStat{S_ISDIR(st.st_mode), S_ISREG(st.st_mode), static_cast<std::uint64_t>(st.st_size)};
  }

  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path, bool wait) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return open_error(path, "cannot open lock file", errno);
    for (;;) {
      if (::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0) break;
      int e = errno;
      if (e == EINTR) continue;
      ::close(fd);
      if (e == EWOULDBLOCK) return Error::Io(path + ": is locked by another process (a writer is at work)");
      return Error::Io(path + ": cannot lock: " + why(e));
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }
};

}  // namespace

std::unique_ptr<RandomAccessFile> Env::file_over_fd(const std::string& path, int fd) {
  return std::make_unique<PosixFdFile>(path, fd);
}

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv;  // never destroyed: usable from static destructors
  return env;
}

}  // namespace clearance
