#include "clearance/common/file_stream.hpp"

#include <optional>
#include <vector>

namespace clearance {

class InputFileStream::Buf : public std::streambuf {
 public:
  explicit Buf(std::unique_ptr<SequentialFile> file) : file_(std::move(file)), buf_(64 << 10) {}
  std::optional<Error> error;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (error) return traits_type::eof();
    auto n = file_->read(buf_.data(), buf_.size());
    if (!n) {
      error = n.error();
      return traits_type::eof();
    }
    if (*n == 0) return traits_type::eof();
    setg(buf_.data(), buf_.data(), buf_.data() + *n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::unique_ptr<SequentialFile> file_;
  std::vector<char> buf_;
};

InputFileStream::InputFileStream(std::unique_ptr<Buf> buf) : std::istream(buf.get()), buf_(std::move(buf)) {}
InputFileStream::~InputFileStream() = default;

Result<std::unique_ptr<InputFileStream>> InputFileStream::open(Env& env, const std::string& path) {
  auto f = env.new_sequential_file(path);
  if (!f) return f.error();
  return std::unique_ptr<InputFileStream>(new InputFileStream(std::make_unique<Buf>(std::move(*f))));
}

Status InputFileStream::status() const {
  if (buf_->error) return *buf_->error;
  return Status::Ok();
}

class OutputFileStream::Buf : public std::streambuf {
 public:
  explicit Buf(std::unique_ptr<WritableFile> file) : file_(std::move(file)), buf_(64 << 10) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }
  std::optional<Error> error;

  bool flush_buffer() {
    if (error) return false;
    std::string_view pending(pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(buf_.data(), buf_.data() + buf_.size());
    if (pending.empty()) return true;
    if (auto s = file_->append(pending); !s) {
      error = s.error();
      return false;
    }
    return true;
  }
  Status close() {
    if (closed_) return error ? Status(*error) : Status::Ok();
    closed_ = true;
    flush_buffer();
    if (!error)
      if (auto s = file_->sync(); !s) error = s.error();
    auto c = file_->close();
    if (!error && !c) error = c.error();
    return error ? Status(*error) : Status::Ok();
  }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  std::unique_ptr<WritableFile> file_;
  std::vector<char> buf_;
  bool closed_ = false;
};

OutputFileStream::OutputFileStream(std::unique_ptr<Buf> buf)
    : std::ostream(buf.get()), buf_(std::move(buf)) {}
OutputFileStream::~OutputFileStream() { (void)buf_->close(); }

Result<std::unique_ptr<OutputFileStream>> OutputFileStream::open(Env& env, const std::string& path) {
  auto f = env.new_writable_file(path);
  if (!f) return f.error();
  return std::unique_ptr<OutputFileStream>(new OutputFileStream(std::make_unique<Buf>(std::move(*f))));
}

Status OutputFileStream::close() {
  auto s = buf_->close();
  if (!s) setstate(std::ios::badbit);
  return s;
}

Status OutputFileStream::status() const {
  if (buf_->error) return *buf_->error;
  return Status::Ok();
}

}  // namespace clearance
