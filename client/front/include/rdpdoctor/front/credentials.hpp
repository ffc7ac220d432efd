#pragma once
// Credentials: user/domain from options, the password from RDPDOCTOR_PASSWORD, a file, or a
// no-echo prompt on a TTY. The password is wiped from memory when its holder dies and is never
// logged, put in argv, or passed through the environment of child processes.
#include <string>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

/// A string that zeroes its buffer on destruction and never prints itself.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string s) : value_(std::move(s)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(Secret&&) noexcept = default;
  ~Secret();
  [[nodiscard]] const std::string& reveal() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

struct PasswordSources {
  std::string passwordFile;  // --password-file
  bool allowPrompt = true;   // prompt on a TTY when nothing else gives one
  std::string promptFor;     // "alice@host" in the prompt
};

/// Environment first (then removed from this process' environment), then the file, then a prompt.
/// Returns an empty Secret when no source applies (no TTY, nothing set).
[[nodiscard]] Result<Secret> readPassword(const PasswordSources& sources);

}  // namespace rdpdoctor
