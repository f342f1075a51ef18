// The chain head kept outside the database: a small file beside the store, rewritten and fsynced
// after every group commit, so `audit verify` notices a truncated tail without any other help.
//
// Layout: two 128-byte slots, written alternately (slot = seq % 2) with pwrite + fdatasync. Each
// slot carries a checksum, so a torn write spoils at most the slot being written and the other
// still holds the previous head; a reader takes the valid slot with the higher sequence number.
// Writers take an exclusive flock and never move the head backwards, so several processes
// appending to one store may share the file.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"
#include "clearance/store/record.hpp"

namespace clearance::store_detail {

class HeadFile {
 public:
  // Reads and writes go through env (Env::adopt_file); the file is opened and flock'ed here.
  explicit HeadFile(std::string path, Env* env = nullptr)
      : path_(std::move(path)), env_(env ? env : Env::Default()) {}
  ~HeadFile();
  HeadFile(const HeadFile&) = delete;
  HeadFile& operator=(const HeadFile&) = delete;

  const std::string& path() const { return path_; }
  // Records head unless the file already names a later one; durable when it returns.
  Status advance(const ChainHead& head);
  // Overwrites both slots with head (restore only: the head may move backwards).
  Status reset(const ChainHead& head);
  // nullopt when the file does not exist; kIo when it exists but neither slot is valid.
  Result<std::optional<ChainHead>> read() const;

 private:
  Status open_locked();
  Status write_slot(const ChainHead& head, int slot);

  std::string path_;
  Env* env_;
  int fd_ = -1;
  std::unique_ptr<RandomAccessFile> io_;  // over fd_, through env_
  std::mutex mu_;
};

}  // namespace clearance::store_detail
