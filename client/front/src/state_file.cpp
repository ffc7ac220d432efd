#include "rdpdoctor/front/state_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace rdpdoctor::statefile {

Fd::~Fd() {
  if (fd >= 0) ::close(fd);
}

std::string errnoText() { return std::strerror(errno); }

Result<std::filesystem::path> pathOf(std::string_view name, std::string_view what) {
  if (const char* d = std::getenv("RDPDOCTOR_STATE_DIR"); d && *d)
    return std::filesystem::path(d) / name;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x)
    return std::filesystem::path(x) / "rdpdoctor" / name;
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local/state/rdpdoctor" / name;
  return makeError("config", "no place for " + std::string(what) +
                                 ": HOME, XDG_STATE_HOME and RDPDOCTOR_STATE_DIR are all unset");
}

Status checkDirectory(const std::filesystem::path& dir, std::string_view what) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    return makeError("io", "cannot read " + dir.string()).because(errnoText());
  if (!S_ISDIR(st.st_mode))
    return makeError("unsafe", "the state directory " + dir.string() + " is not a directory");
  if (st.st_uid != ::geteuid())
    return makeError("unsafe", "the state directory " + dir.string() + " belongs to uid " +
                                   std::to_string(st.st_uid) + ", not to you: refusing " +
                                   std::string(what) + " there");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return makeError("unsafe", "the state directory " + dir.string() +
                                   " is writable by others: refusing " + std::string(what) +
                                   " there (chmod go-w)");
  return okStatus();
}

Status writeAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return makeError("io", "write failed").because(errnoText());
    done += static_cast<std::size_t>(n);
  }
  return okStatus();
}

}  // namespace rdpdoctor::statefile
