// std::istream / std::ostream over the IO seam (common/env.hpp), for code written against streams
// (order books, batch output). A stream reports a failed read as an early end and a failed write
// as a bad bit, which loses the reason: these keep it, and status() / close() return it, so a read
// error is never mistaken for the end of the file and a full disk never for success.
#pragma once

#include <istream>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "clearance/common/env.hpp"
#include "clearance/common/result.hpp"

namespace clearance {

class InputFileStream : public std::istream {
 public:
  static Result<std::unique_ptr<InputFileStream>> open(Env& env, const std::string& path);
  ~InputFileStream() override;
  // The read error that ended the stream, if any. Check it once the reader saw the end.
  Status status() const;

 private:
  class Buf;
  explicit InputFileStream(std::unique_ptr<Buf> buf);
  std::unique_ptr<Buf> buf_;
};

class OutputFileStream : public std::ostream {
 public:
  // Creates or truncates path (new_writable_file).
  static Result<std::unique_ptr<OutputFileStream>> open(Env& env, const std::string& path);
  ~OutputFileStream() override;
  // Flushes, syncs and closes; the first error of any write, the flush, the sync or the close.
  // Call it: only then is every byte known to be written.
  Status close();
  // The first write error so far (the stream also goes bad).
  Status status() const;

 private:
  class Buf;
  explicit OutputFileStream(std::unique_ptr<Buf> buf);
  std::unique_ptr<Buf> buf_;
};

}  // namespace clearance
