#pragma once
// What the session programs (rdpdoctor-session, -attempt, -forms) share on the front's side of
// their pipes (session_process.hpp): the order on stdin, the result on fd 3, the logs on the
// front's stderr.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <string>

#include "rdpdoctor/front/log_format.hpp"
#include "rdpdoctor/front/session_process.hpp"

namespace rdpdoctor::pipes {

/// All of `fd` up to EOF into `out`; false on a read error.
inline bool readAll(int fd, std::string& out) {
  char chunk[4096];
  for (ssize_t n; (n = ::read(fd, chunk, sizeof chunk)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    out.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

/// All of `data` to the result pipe (fd 3, not closed); false when the front's end is gone.
inline bool writeFd3(const std::string& data) { return writeAll(kResultFd, data); }

/// The default logger, on the front's stderr at `level`: attempts with a timestamped prefix (the
/// doctor's progress lines are between them), a window as the front logs (`level message`).
inline std::shared_ptr<spdlog::logger> logToFront(const std::string& level, bool window) {
  auto logger = window ? spdlog::stderr_color_mt("rdpdoctor", ::isatty(STDERR_FILENO) != 0
                                                                  ? spdlog::color_mode::automatic
                                                                  : spdlog::color_mode::never)
                       : spdlog::stderr_color_mt("attempt");
  logger->set_level(spdlog::level::from_str(level));
  logger->set_formatter(
      terminalSafeLogFormatter(window ? "%^%l%$ %*" : "[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %*"));
  spdlog::set_default_logger(logger);
  return logger;
}

}  // namespace rdpdoctor::pipes
