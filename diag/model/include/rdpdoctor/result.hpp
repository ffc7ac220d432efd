#pragma once
// Values, not exceptions: library code returns Result<T> (a value or an Error).
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rdpdoctor {

/// One error with its chain of causes, read as in IronRDP:
/// "tls handshake failed: caused by: tls alert protocol_version".
struct Error {
  std::string code;     // short, stable, machine-readable: "truncated", "timeout", "refused", ...
  std::string context;  // lower case, no final period, one fact
  std::vector<std::string> causes;

  [[nodiscard]] std::string message() const {
    std::string m = context.empty() ? code : context;
    for (const auto& c : causes) m += ": caused by: " + c;
    return m;
  }
  [[nodiscard]] Error because(std::string cause) && {
    causes.push_back(std::move(cause));
    return std::move(*this);
  }
};

[[nodiscard]] inline Error makeError(std::string code, std::string context) {
  return Error{std::move(code), std::move(context), {}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

/// Result of an operation with no value.
struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

}  // namespace rdpdoctor
