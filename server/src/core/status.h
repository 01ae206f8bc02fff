// Status and Result: errors are values. A Status is either OK (no allocation) or the full
// wire text of a Redis error reply without the leading '-' ("ERR syntax error",
// "WRONGTYPE Operation against a key holding the wrong kind of value"). Every such text is
// built in errors.h/.cpp so that it is byte-exact with Redis in one place.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rill {

class Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string text) { return Status(std::move(text)); }

  bool is_ok() const { return !text_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  // The error line without '-' and CRLF. Empty for OK.
  std::string_view text() const { return text_ ? std::string_view(*text_) : std::string_view(); }

 private:
  explicit Status(std::string text) : text_(std::move(text)) {}
  std::optional<std::string> text_;
};

// A T or a non-OK Status (C++20 has no std::expected).
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.is_ok()); }  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace rill
