// rdpdoctor-session: the process that links FreeRDP (client/core) and SDL (client/sdl); built a
// second time without SDL as rdpdoctor-attempt (headless attempts and the version only: smaller).
// The front (rdpdoctor) starts one per connection: argv[1] is the mode (session_process.hpp), the
// order is JSON on stdin (the password only there), the result JSON on fd 3. Not for people.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>

#include "rdpdoctor/core/freerdp_version.hpp"
#include "rdpdoctor/core/session.hpp"
#include "rdpdoctor/core/wlog_bridge.hpp"
#include "rdpdoctor/front/session_process.hpp"
#ifdef RDPDOCTOR_SESSION_WINDOW
#include "desktop_modes.hpp"
#include "rdpdoctor/sdl/viewer.hpp"
#endif
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

constexpr int kResultFd = 3;
constexpr int kExitBadOrder = 64;
constexpr int kExitFailed = 70;

bool readAll(int fd, std::string& out) {
  char chunk[4096];
  for (ssize_t n; (n = ::read(fd, chunk, sizeof chunk)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    out.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

bool writeResult(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(kResultFd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  ::close(kResultFd);
  return true;
}

/// Logs to the front's stderr, FreeRDP's WLog included: attempts with a timestamped prefix (the
/// doctor's progress lines are between them), the window as the front logs (`level message`).
void routeLogs(const std::string& level, bool window) {
  auto logger = window ? spdlog::stderr_color_mt("rdpdoctor", ::isatty(STDERR_FILENO) != 0
                                                                  ? spdlog::color_mode::automatic
                                                                  : spdlog::color_mode::never)
                       : spdlog::stderr_color_mt("attempt");
  logger->set_level(spdlog::level::from_str(level));
  logger->set_formatter(
      terminalSafeLogFormatter(window ? "%^%l%$ %*" : "[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %*"));
  spdlog::set_default_logger(logger);
  routeWlogTo(logger);
}

/// attempt / window: one connection on a new FreeRDP instance, its Outcome on fd 3.
int connectMain(bool window) {
  std::string input;
  if (!readAll(STDIN_FILENO, input)) return kExitFailed;
  auto order = decodeSessionOrder(input);
  std::fill(input.begin(), input.end(), '\0');
  if (!order || window != order->window.has_value()) return kExitBadOrder;
  routeLogs(order->logLevel, window);
  bool abandoned = false;
  Outcome o;
  if (window) {
#ifdef RDPDOCTOR_SESSION_WINDOW
    const auto& w = *order->window;
    o = sdl::runViewer(order->request, sdl::ViewerOptions{w.title, w.note, w.fullscreen});
#else
    return kExitBadOrder;  // rdpdoctor-attempt opens no window
#endif
  } else {
    order->request.ownsProcessSockets = true;
    o = runSession(order->request, &abandoned);
  }
  const bool written = writeResult(jsonText(nlohmann::json(o)));  // a host's bytes never lose it
  if (abandoned) ::_exit(written ? 0 : kExitFailed);  // a worker still blocks inside libfreerdp
  return written ? 0 : kExitFailed;
}

#ifdef RDPDOCTOR_SESSION_WINDOW
int displayMain() {
  std::string input;
  (void)readAll(STDIN_FILENO, input);
  std::string why;
  const bool available = sdl::displayAvailable(why);
  return writeResult(nlohmann::json{{"available", available}, {"why", why}}.dump()) ? 0
                                                                                    : kExitFailed;
}

#endif

int versionMain() {
  std::string input;
  (void)readAll(STDIN_FILENO, input);
  return writeResult(nlohmann::json{{"freerdp", freerdpRuntimeVersion()}}.dump()) ? 0 : kExitFailed;
}

#ifdef RDPDOCTOR_SESSION_WINDOW
int certificateMain() {
  std::string input;
  if (!readAll(STDIN_FILENO, input)) return kExitFailed;
  std::optional<CertificateSeen> seen;
  std::string validity;
  try {
    const auto j = nlohmann::json::parse(input);
    seen = j.at("outcome").get<Outcome>().certificate;
    validity = j.value("validity", "");
  } catch (const std::exception&) {
    return kExitBadOrder;
  }
  if (!seen) return kExitBadOrder;
  const auto choice = sdl::askCertificate(*seen, validity);
  nlohmann::json out{{"choice", nullptr}};
  if (choice) out["choice"] = std::string(toString(*choice));
  return writeResult(out.dump()) ? 0 : kExitFailed;
}

/// The modes for runs without a terminal (desktop_modes.hpp): the order's "log_level" routes
/// the logs as the window's.
int desktopMain(std::string (*mode)(std::string&)) {
  std::string input;
  if (!readAll(STDIN_FILENO, input)) return kExitFailed;
  std::string level = "warn";
  try {
    level = nlohmann::json::parse(input).value("log_level", level);
  } catch (const std::exception&) {
    return kExitBadOrder;
  }
  routeLogs(level, true);
  std::string out = mode(input);
  const bool written = writeResult(out);
  std::fill(out.begin(), out.end(), '\0');
  return written ? 0 : kExitFailed;
}
#endif

}  // namespace
}  // namespace rdpdoctor

int main(int argc, char** argv) {
  using namespace rdpdoctor;
  // a session never outlives the process that asked for it
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1 || argc != 2) return kExitBadOrder;
  const std::string mode = argv[1];
  if (mode == kAttemptMode) return connectMain(false);
  if (mode == kVersionMode) return versionMain();
#ifdef RDPDOCTOR_SESSION_WINDOW
  if (mode == kWindowMode) return connectMain(true);
  if (mode == kDisplayMode) return displayMain();
  if (mode == kCertificateMode) return certificateMain();
  if (mode == kCredentialsMode) return desktopMain(desktop::askCredentialsMode);
  if (mode == kRememberMode) return desktopMain(desktop::rememberPasswordMode);
  if (mode == kMessageMode) return desktopMain(desktop::messageMode);
#endif
  return kExitBadOrder;
}
