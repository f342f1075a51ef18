// Errors are values at the library boundary. The library never prints, exits or throws across
// its public API for bad input: it returns an Error naming the input, line and field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace clearance {

struct Error {
  enum class Kind {
    kBadInput,  // the caller's data or request is wrong: maps to exit 2 / HTTP 4xx
    kNotFound,  // a named thing does not exist: exit 2 / HTTP 404
    kIo,        // the file system or network failed: exit 1 / HTTP 5xx
    kInternal,  // a bug or an impossible state: exit 1 / HTTP 500
  };
  Kind kind = Kind::kInternal;
  std::string message;  // the whole text, "file:line: field: what" when it is about one place
  // Where, when the error is about one place of an input, so callers (row reports, an HTTP 4xx body)
  // take the parts without parsing the message: the file, the 1-based line (0: none), the column,
  // key or element (empty: none).
  std::string file;
  size_t line = 0;
  std::string field;

  static Error BadInput(std::string m) { return Make(Kind::kBadInput, std::move(m)); }
  static Error NotFound(std::string m) { return Make(Kind::kNotFound, std::move(m)); }
  static Error Io(std::string m) { return Make(Kind::kIo, std::move(m)); }
  static Error Internal(std::string m) { return Make(Kind::kInternal, std::move(m)); }
  // kBadInput about one place: message "file:line: field: what" (":line" without a line, "field: "
  // without a field), and the parts kept.
  static Error BadInputAt(std::string file, size_t line, std::string field, std::string_view what) {
    Error e = Make(Kind::kBadInput, file);
    if (line) e.message += ":" + std::to_string(line);
    e.message += ": ";
    if (!field.empty()) e.message += field + ": ";
    e.message += what;
    e.file = std::move(file);
    e.line = line;
    e.field = std::move(field);
    return e;
  }

 private:
  static Error Make(Kind kind, std::string m) {
    Error e;
    e.kind = kind;
    e.message = std::move(m);
    return e;
  }
};

// Result<T>: a T or an Error. Check ok() before value().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Error> v_;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace clearance
