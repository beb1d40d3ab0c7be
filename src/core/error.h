// Error and Result<T>: how every custody library function reports failure.
//
// An Error carries a kind (which decides the command's exit code) and one
// human sentence saying what failed, where, and what to do. Library functions
// return Result<T> instead of throwing across their boundary. Both types are
// plain values: const methods may be called from several threads at once.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace custody {

enum class ErrorKind {
  kInput,         // bad arguments, unreadable or malformed input (exit 2)
  kVerification,  // input was well formed but did not verify (exit 1)
  kInternal,      // a library call failed unexpectedly (exit 2)
};

class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  static Error Input(std::string message) { return {ErrorKind::kInput, std::move(message)}; }
  static Error Verification(std::string message) {
    return {ErrorKind::kVerification, std::move(message)};
  }
  static Error Internal(std::string message) { return {ErrorKind::kInternal, std::move(message)}; }

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `.
  Error WithContext(const std::string& context) const {
    return {kind_, context + ": " + message_};
  }

 private:
  ErrorKind kind_;
  std::string message_;
};

// The exit code a command returns for an error of this kind.
int ExitCodeFor(ErrorKind kind);

// Result<T> holds either a T or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}         // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace custody

// Evaluates `expr` (a Result); on error returns the error from the enclosing
// function, otherwise binds the value to `lhs`.
#define CUSTODY_CONCAT_INNER(a, b) a##b
#define CUSTODY_CONCAT(a, b) CUSTODY_CONCAT_INNER(a, b)
#define CUSTODY_ASSIGN_OR_RETURN(lhs, expr) \
  CUSTODY_ASSIGN_OR_RETURN_IMPL(CUSTODY_CONCAT(_custody_r_, __LINE__), lhs, expr)
#define CUSTODY_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()
#define CUSTODY_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    auto _custody_s = (expr);                                  \
    if (!_custody_s.ok()) return _custody_s.error();           \
  } while (0)
