#include "clearance/common/csv.hpp"

#include <algorithm>
#include <cstring>

namespace clearance::csv {

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  return quoted(s);
}

namespace {

std::string size_text(size_t bytes) {
  if (bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (size_t{1} << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Reader::Reader(std::string_view data, Options options) : data_(data), options_(options) {
  if (data_.size() >= 3 && data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  if (options_.max_record_bytes == 0) options_.max_record_bytes = 1;
}

// A DOS end-of-file byte followed by nothing but line ends / blanks ends the data.
bool Reader::at_eof_marker() const {
  if (pos_ >= data_.size() || data_[pos_] != '\x1A') return false;
  for (size_t i = pos_ + 1; i < data_.size(); ++i) {
    char c = data_[i];
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && c != '\x1A') return false;
  }
  return true;
}

Reader::Status Reader::next(Record& out) {
  if (!error_.empty()) return Status::kError;
  const size_t n = data_.size();
  // Skip blank lines and the end-of-file marker.
  for (;;) {
    if (pos_ >= n) return Status::kEnd;
    char c = data_[pos_];
    if (c == '\n') {
      ++pos_;
      ++line_;
      continue;
    }
    if (c == '\r' && pos_ + 1 < n && data_[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
      continue;
    }
    if (c == '\r' && pos_ + 1 == n) {
      ++pos_;
      continue;
    }
    if (at_eof_marker()) {
      pos_ = n;
      return Status::kEnd;
    }
    break;
  }

  const size_t start = pos_;
  const size_t start_line = line_;
  // Scan up to the limit plus room for the line end, so a record exactly at the limit is accepted.
  const size_t room = options_.max_record_bytes >= n ? n : options_.max_record_bytes + 2;
  const size_t limit = (n - start > room) ? start + room : n;
  const char sep = options_.separator;
  auto too_long = [&]() {
    error_line_ = start_line;
    error_ = "record is longer than the limit of " + size_text(options_.max_record_bytes);
    return Status::kError;
  };
  refs_.clear();
  scratch_.clear();
  size_t record_end = start;
  bool ended_with_newline = false;

  for (;;) {
    FieldRef ref{false, pos_, 0};
    if (pos_ < n && data_[pos_] == '"') {
      const size_t quote_line = line_;
      ++pos_;
      const size_t field_start = pos_;
      bool use_scratch = false;
      size_t scratch_off = 0;
      for (;;) {
        const char* base = data_.data();
        const void* hit = pos_ < limit ? std::memchr(base + pos_, '"', limit - pos_) : nullptr;
        if (!hit) {
          if (limit < n) return too_long();
          error_line_ = quote_line;
          error_ = "quoted field is never closed (the file may be truncated)";
          return Status::kError;
        }
        size_t q = static_cast<size_t>(static_cast<const char*>(hit) - base);
        line_ += static_cast<size_t>(std::count(base + pos_, base + q, '\n'));
        if (q + 1 < n && data_[q + 1] == '"') {  // doubled quote: one literal quote
          if (!use_scratch) {
            use_scratch = true;
            scratch_off = scratch_.size();
            scratch_.append(data_.substr(field_start, q + 1 - field_start));
          } else {
            scratch_.append(data_.substr(pos_, q + 1 - pos_));
          }
          pos_ = q + 2;
          continue;
        }
        if (use_scratch) {
          scratch_.append(data_.substr(pos_, q - pos_));
          ref = {true, scratch_off, scratch_.size() - scratch_off};
        } else {
          ref = {false, field_start, q - field_start};
        }
        pos_ = q + 1;
        break;
      }
      // Blanks after the closing quote are ignored; other text is kept literally (as most readers do).
      const size_t after = pos_;
      size_t p = pos_;
      while (p < n && (data_[p] == ' ' || data_[p] == '\t')) ++p;
      if (p < n && data_[p] != sep && data_[p] != '\n' && data_[p] != '\r' && data_[p] != '\x1A') {
        if (!ref.scratch) {
          size_t off = scratch_.size();
          scratch_.append(data_.substr(ref.offset, ref.len));
          ref = {true, off, ref.len};
        }
        while (pos_ < limit && data_[pos_] != sep && data_[pos_] != '\n') ++pos_;
        if (pos_ == limit && limit < n) return too_long();
        size_t e = pos_;
        if (e > after && data_[e - 1] == '\r') --e;
        scratch_.append(data_.substr(after, e - after));
        ref.len = scratch_.size() - ref.offset;
      } else {
        pos_ = p;
      }
    } else {
      size_t p = pos_;
      while (p < limit) {
        char c = data_[p];
        if (c == sep || c == '\n') break;
        if (c == '\x1A') {
          size_t save = pos_;
          pos_ = p;
          bool eof = at_eof_marker();
          pos_ = save;
          if (eof) break;
        }
        ++p;
      }
      if (p == limit && limit < n) return too_long();
      size_t e = p;
      if (e > pos_ && data_[e - 1] == '\r' && (e == n || data_[e] == '\n' || data_[e] == '\x1A')) --e;
      ref = {false, pos_, e - pos_};
      pos_ = p;
    }
    refs_.push_back(ref);
    if (pos_ - start > options_.max_record_bytes) return too_long();

    if (pos_ < n && data_[pos_] == sep) {
      ++pos_;
      continue;
    }
    record_end = pos_;
    if (pos_ < n && data_[pos_] == '\r' && (pos_ + 1 == n || data_[pos_ + 1] == '\n')) ++pos_;
    if (pos_ < n && data_[pos_] == '\n') {
      ++pos_;
      ++line_;
      ended_with_newline = true;
    } else if (at_eof_marker()) {
      pos_ = n;
    }
    break;
  }

  if (record_end - start > options_.max_record_bytes) return too_long();
  out.fields.clear();
  out.fields.reserve(refs_.size());
  for (auto& r : refs_)
    out.fields.push_back(r.scratch ? std::string_view(scratch_).substr(r.offset, r.len)
                                   : data_.substr(r.offset, r.len));
  out.line = start_line;
  out.end_line = ended_with_newline ? line_ - 1 : line_;
  out.raw = data_.substr(start, record_end - start);
  return Status::kRecord;
}

StreamReader::StreamReader(std::istream& in, std::string filename, StreamOptions options)
    : in_(&in), filename_(std::move(filename)), options_(options) {
  if (options_.chunk_bytes == 0) options_.chunk_bytes = 1;
}

// Drops buf_[0, keep_from), reads the next chunk, restarts the reader at buf_[0].
bool StreamReader::refill(size_t keep_from) {
  line_base_ += static_cast<size_t>(
      std::count(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(keep_from), '\n'));
  buf_.erase(0, keep_from);
  size_t old = buf_.size();
  buf_.resize(old + options_.chunk_bytes);
  in_->read(buf_.data() + old, static_cast<std::streamsize>(options_.chunk_bytes));
  size_t got = static_cast<size_t>(in_->gcount());
  buf_.resize(old + got);
  bytes_read_ += got;
  if (got == 0) {
    if (in_->bad()) {
      error_ = filename_ + ":" + std::to_string(line_base_) + ": read error";
      return false;
    }
    eof_ = true;
  }
  Options o;
  o.separator = options_.separator;
  o.max_record_bytes = options_.max_record_bytes;
  reader_ = std::make_unique<Reader>(buf_, o);
  return true;
}

Reader::Status StreamReader::next(Record& rec) {
  for (;;) {
    if (!reader_ && !refill(0)) return Reader::Status::kError;
    size_t before = reader_->position();
    auto st = reader_->next(rec);
    if (st == Reader::Status::kRecord) {
      if (eof_ || reader_->position() < buf_.size()) {
        rec.line += line_base_ - 1;
        rec.end_line += line_base_ - 1;
        return st;
      }
      if (!refill(before)) return Reader::Status::kError;  // the record may go on
      continue;
    }
    if (st == Reader::Status::kEnd) {
      if (eof_) return st;
      if (!refill(reader_->position())) return Reader::Status::kError;
      continue;
    }
    // A quoted field or record cut by the end of the buffer looks like an error until more is read.
    if (!eof_ && buf_.size() - before <= options_.max_record_bytes + 2) {
      if (!refill(before)) return Reader::Status::kError;
      continue;
    }
    error_ =
        filename_ + ":" + std::to_string(reader_->error_line() + line_base_ - 1) + ": " + reader_->error();
    return st;
  }
}

}  // namespace clearance::csv
