#pragma once
// The files rdpdoctor keeps in the user's state directory (the trust store, the remembered hosts):
// where they live, the directory they may live in, and the low-level pieces their readers and
// writers share. One place, so that every store is as careful as the most careful one.
#include <filesystem>
#include <string>
#include <string_view>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::statefile {

/// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd();
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

/// `name` in the state directory: $RDPDOCTOR_STATE_DIR, else $XDG_STATE_HOME/rdpdoctor, else
/// ~/.local/state/rdpdoctor. `what` ("the certificate store") names it in the error.
[[nodiscard]] Result<std::filesystem::path> pathOf(std::string_view name, std::string_view what);

/// The directory must be the user's own and writable by nobody else (else anyone who may write
/// there could plant an entry, a link or a lock). `what` names the store in the error.
[[nodiscard]] Status checkDirectory(const std::filesystem::path& dir, std::string_view what);

/// Writes all of `text` to `fd` (EINTR retried).
[[nodiscard]] Status writeAll(int fd, const std::string& text);

[[nodiscard]] std::string errnoText();

}  // namespace rdpdoctor::statefile
