// RFC 4180 CSV, shared by every module that reads or writes it (list sources, order books, batch
// screening, the CLI's outputs).
//
// The reader works over an in-memory buffer, as the list sources write CSV in practice: quoted fields with
// embedded separators, doubled quotes and line breaks; CRLF or LF line ends; a UTF-8 BOM; a DOS end-of-file
// byte (\x1A) on the last line (OFAC). Fields are string_views into the input (or into the reader's scratch
// buffer when a field had doubled quotes), so reading is allocation-light.
//
// A record longer than Options::max_record_bytes stops the reader with an error naming the line, so
// a file that is one enormous line is rejected after scanning the limit, not after copying it.
//
// Not thread-safe; one reader per buffer. The views returned by next() stay valid until the next call.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clearance::csv {

// Writing: a field quoted only when it holds a comma, a quote or a line break (field), or always
// (quoted); quotes inside are doubled.
std::string field(std::string_view s);
std::string quoted(std::string_view s);

struct Options {
  char separator = ',';
  size_t max_record_bytes = size_t{16} << 20;
};

struct Record {
  std::vector<std::string_view> fields;
  size_t line = 0;       // physical line (1-based) where the record starts
  size_t end_line = 0;   // physical line where it ends (differs when a quoted field spans lines)
  std::string_view raw;  // the record's bytes in the input, without the line end
};

class Reader {
 public:
  enum class Status { kRecord, kEnd, kError };

  explicit Reader(std::string_view data, Options options = {});

  // Reads the next non-blank record. Blank lines are skipped (they are not records).
  // kError: error() says what and where; the reader stays at the error.
  Status next(Record& out);

  const std::string& error() const { return error_; }
  size_t error_line() const { return error_line_; }
  // Bytes of input consumed so far.
  size_t position() const { return pos_; }

 private:
  struct FieldRef {
    bool scratch;  // true: offset/len into scratch_, false: into data_
    size_t offset;
    size_t len;
  };

  bool at_eof_marker() const;

  std::string_view data_;
  Options options_;
  size_t pos_ = 0;
  size_t line_ = 1;
  std::string scratch_;
  std::vector<FieldRef> refs_;
  std::string error_;
  size_t error_line_ = 0;
};

struct StreamOptions {
  size_t chunk_bytes = size_t{1} << 20;        // bytes read from the stream at a time
  size_t max_record_bytes = size_t{16} << 20;  // a longer record stops the reader (kError)
  char separator = ',';
};

// Records from a stream (a file, stdin, a request body) in bounded memory: the reader holds one
// chunk plus the record being read, never the whole input, and never maps the file (a file that
// shrinks while read just ends early). Record lines count from the start of the stream.
// Not thread-safe; the views returned by next() stay valid until the next call.
class StreamReader {
 public:
  StreamReader(std::istream& in, std::string filename, StreamOptions options = {});

  // kRecord: `out` holds the next record. kEnd: no more. kError: error() says "file:line: what"
  // (a quoted field never closed, a record over the limit, a read failure).
  Reader::Status next(Record& out);

  const std::string& error() const { return error_; }
  const std::string& filename() const { return filename_; }
  // Bytes consumed from the stream so far (for progress).
  size_t bytes_read() const { return bytes_read_; }

 private:
  bool refill(size_t keep_from);

  std::istream* in_;
  std::string filename_;
  StreamOptions options_;
  std::string buf_;       // unparsed input: starts at a record boundary
  size_t line_base_ = 1;  // physical line of buf_[0]
  size_t bytes_read_ = 0;
  bool eof_ = false;
  std::unique_ptr<Reader> reader_;
  std::string error_;
};

}  // namespace clearance::csv
