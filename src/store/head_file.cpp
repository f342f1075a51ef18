#include "store/head_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace clearance::store_detail {
namespace {

constexpr size_t kSlot = 128;
constexpr const char* kMagic = "CLRHEAD1";

std::string slot_text(const ChainHead& h) {
  std::string body = std::to_string(h.seq) + " " + h.hash;
  std::string s = std::string(kMagic) + " " + body + " " + sha256_hex(body).substr(0, 16) + "\n";
  s.resize(kSlot, ' ');
  s[kSlot - 1] = '\n';
  return s;
}

std::optional<ChainHead> parse_slot(std::string_view s) {
  // "CLRHEAD1 SEQ HASH CHECK\n" padded with spaces
  if (s.size() < kSlot || s.substr(0, 9) != "CLRHEAD1 ") return std::nullopt;
  auto line = s.substr(9, s.find('\n') == std::string_view::npos ? 0 : s.find('\n') - 9);
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return std::nullopt;
  std::string body(line.substr(0, sp2));
  std::string check(line.substr(sp2 + 1));
  while (!check.empty() && check.back() == ' ') check.pop_back();
  if (sha256_hex(body).substr(0, 16) != check) return std::nullopt;
  std::string seq_hash =
      std::string(line.substr(0, sp1)) + ":" + std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  return ChainHead::parse(seq_hash);
}

std::string errno_text() { return std::strerror(errno); }

struct Flock {
  int fd;
  explicit Flock(int f) : fd(f) {
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~Flock() { flock(fd, LOCK_UN); }
};

Result<std::optional<ChainHead>> best_slot(RandomAccessFile& io) {
  char buf[2 * kSlot];
  auto n = io.read_at(0, buf, sizeof buf);
  if (!n) return n.error();
  std::optional<ChainHead> best;
  for (size_t i = 0; i < 2; ++i) {
    if (*n < (i + 1) * kSlot) break;
    auto h = parse_slot(std::string_view(buf + i * kSlot, kSlot));
    if (h && (!best || h->seq > best->seq)) best = h;
  }
  return best;
}

}  // namespace

HeadFile::~HeadFile() {
  if (fd_ >= 0) close(fd_);
}

Status HeadFile::open_locked() {
  if (fd_ >= 0) return Status::Ok();
  bool existed = std::filesystem::exists(path_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return Error::Io(path_ + ": cannot open the chain-head file: " + errno_text());
  io_ = env_->adopt_file(path_, Env::file_over_fd(path_, fd_));
  if (!existed) {
    // The new directory entry must survive a crash too.
    auto dir = std::filesystem::path(path_).parent_path().string();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  return Status::Ok();
}

Status HeadFile::write_slot(const ChainHead& head, int slot) {
  auto text = slot_text(head);
  if (auto st = io_->write_at(static_cast<std::uint64_t>(slot) * kSlot, text); !st)
    return Error::Io("cannot write the chain head: " + st.error().message);
  return Status::Ok();
}

Status HeadFile::advance(const ChainHead& head) {
  std::lock_guard lk(mu_);
  if (auto st = open_locked(); !st) return st;
  Flock lock(fd_);
  auto current = best_slot(*io_);
  if (!current) return Error::Io("cannot read the chain head: " + current.error().message);
  if (*current && (*current)->seq >= head.seq) return Status::Ok();
  if (auto st = write_slot(head, static_cast<int>(head.seq % 2)); !st) return st;
  if (auto st = io_->sync(); !st) return Error::Io("cannot fsync the chain head: " + st.error().message);
  return Status::Ok();
}

Status HeadFile::reset(const ChainHead& head) {
  std::lock_guard lk(mu_);
  if (auto st = open_locked(); !st) return st;
  Flock lock(fd_);
  for (int slot = 0; slot < 2; ++slot)
    if (auto st = write_slot(head, slot); !st) return st;
  if (auto st = io_->sync(); !st) return Error::Io("cannot fsync the chain head: " + st.error().message);
  return Status::Ok();
}

Result<std::optional<ChainHead>> HeadFile::read() const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<ChainHead>{};
    return Error::Io(path_ + ": cannot read the chain-head file: " + errno_text());
  }
  Result<std::optional<ChainHead>> best = std::optional<ChainHead>{};
  off_t size = 0;
  {
    Flock lock(fd);
    size = lseek(fd, 0, SEEK_END);
    best = best_slot(*env_->adopt_file(path_, Env::file_over_fd(path_, fd)));
  }
  close(fd);
  if (!best) return Error::Io("cannot read the chain-head file: " + best.error().message);
  if (size == 0) return std::optional<ChainHead>{};  // created, never written (a crash in between)
  if (!*best) return Error::Io(path_ + ": the chain-head file is damaged (no valid slot)");
  return best;
}

}  // namespace clearance::store_detail
