// Error values and Result<T> used at every public boundary of the engine.
// No exception crosses the engine API; errors carry a code, a message a person
// understands and, for netlist errors, the source location.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace simcore {

enum class ErrorCode {
  Parse,            // lexical / syntax error in the netlist
  Semantic,         // well-formed but meaningless: unknown model, bad parameter, recursion
  Topology,         // floating node, voltage-source loop
  Singular,         // singular matrix found by the LU
  Convergence,      // Newton failed after every fallback (operating point, dc point)
  TimestepTooSmall, // transient step fell below the minimum
  Cancelled,        // the caller asked to stop
  Limit,            // a resource limit set by the caller was exceeded
  Internal,         // a bug: should never reach a user
};

const char* errorCodeName(ErrorCode c);

// A place in a netlist file. line and col are 1-based; 0 means unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  SourceLoc loc;

  // "FILE:LINE:COL: error: message" (location parts omitted when unknown).
  std::string format() const;
};

// `s` with every byte sequence that is not UTF-8 replaced by U+FFFD, so that
// messages quoting netlist text stay valid text (gRPC, JSON, Python str).
std::string validUtf8(std::string s);

// An Error whose message is made valid UTF-8.
Error makeError(ErrorCode c, std::string msg, SourceLoc loc = {});

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& takeError() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation that returns nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : err_(std::move(e)), failed_(true) {}
  static Status success() { return Status(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(failed_); return err_; }
  Error&& takeError() { assert(failed_); return std::move(err_); }

 private:
  Error err_;
  bool failed_ = false;
};

}  // namespace simcore
