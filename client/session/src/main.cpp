// rdpdoctor-session: the process that links FreeRDP (client/core) and SDL (client/sdl) for the
// window, its certificate box and the display check; built a second time without SDL as
// rdpdoctor-attempt (headless attempts and the version only: smaller). The small windows without
// a terminal (credentials, keyring, error box) are rdpdoctor-forms (forms_main.cpp): neither of
// these maps libsecret or SDL2_ttf.
// The front (rdpdoctor) starts one per connection: argv[1] is the mode (session_process.hpp), the
// order is JSON on stdin (the password only there), the result JSON on fd 3. Not for people.
#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "rdpdoctor/core/freerdp_version.hpp"
#include "rdpdoctor/core/session.hpp"
#include "rdpdoctor/core/wlog_bridge.hpp"
#include "rdpdoctor/front/certificate_question.hpp"
#include "rdpdoctor/front/session_process.hpp"
#ifdef RDPDOCTOR_SESSION_WINDOW
#include "rdpdoctor/sdl/viewer.hpp"
#endif
#include "child_io.hpp"
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

constexpr int kExitBadOrder = 64;
constexpr int kExitFailed = 70;

using pipes::readAll;
using pipes::writeFd3;

/// The front's side of stdin for a connection: the order is its first line (or all of it, up to
/// EOF), the answers to certificate questions the lines after it (certificate_question.hpp).
class FrontInput {
 public:
  /// The next line without its "\n"; at EOF what is left (nullopt when nothing is). Waits at most
  /// `patience` (none: until EOF), then nullopt.
  std::optional<std::string> line(std::optional<std::chrono::milliseconds> patience) {
    const auto until = std::chrono::steady_clock::now() + patience.value_or(std::chrono::hours(0));
    for (;;) {
      if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string out = buffer_.substr(0, nl);
        wipe(0, nl + 1);
        return out;
      }
      if (eof_) {
        if (buffer_.empty()) return std::nullopt;
        std::string out = buffer_;
        wipe(0, buffer_.size());
        return out;
      }
      if (patience) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              until - std::chrono::steady_clock::now())
                              .count();
        pollfd p{STDIN_FILENO, POLLIN, 0};
        if (left <= 0) return std::nullopt;
        const int r = ::poll(&p, 1, static_cast<int>(left));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return std::nullopt;
      }
      char chunk[4096];
      const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        eof_ = true;
        continue;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
      std::fill(chunk, chunk + sizeof chunk, '\0');
    }
  }
  [[nodiscard]] bool ended() const { return eof_ && buffer_.empty(); }

 private:
  void wipe(std::size_t from, std::size_t count) {  // the order carries the password
    std::fill(buffer_.begin() + static_cast<std::ptrdiff_t>(from),
              buffer_.begin() + static_cast<std::ptrdiff_t>(from + count), '\0');
    buffer_.erase(from, count);
  }
  std::string buffer_;
  bool eof_ = false;
};

std::mutex gResultFd;      // the result and the questions share fd 3
bool gResultDone = false;  // guarded by gResultFd: the result is written, nothing may follow

bool writeResult(const std::string& data) {
  std::lock_guard<std::mutex> lock(gResultFd);
  gResultDone = true;
  const bool ok = writeFd3(data);
  ::close(kResultFd);
  return ok;
}

/// How long a question waits for its answer: a person reads the certificate and decides; the
/// front ends the wait sooner by answering or closing our stdin (EOF: "no"), or by dying.
constexpr std::chrono::minutes kAnswerPatience{10};

/// The certificate question, in-band: the frame on fd 3, the answer line on stdin.
std::optional<CertPolicy> askFront(FrontInput& in, const CertificateSeen& seen,
                                   const std::string& validity) {
  {
    std::lock_guard<std::mutex> lock(gResultFd);
    if (gResultDone || !writeFd3(encodeQuestion(CertificateQuestion{seen, validity})))
      return std::nullopt;
  }
  const auto answer = in.line(std::chrono::milliseconds(kAnswerPatience));
  if (!answer) return std::nullopt;
  return decodeAnswer(*answer, seen.decision);
}

/// Logs to the front's stderr (child_io.hpp), FreeRDP's WLog included.
void routeLogs(const std::string& level, bool window) {
  routeWlogTo(pipes::logToFront(level, window));
}

/// attempt / window: one connection on a new FreeRDP instance, its Outcome on fd 3.
int connectMain(bool window) {
  FrontInput in;
  auto input = in.line(std::nullopt);
  if (!input) return kExitBadOrder;
  auto order = decodeSessionOrder(*input);
  std::fill(input->begin(), input->end(), '\0');
  if (!order || window != order->window.has_value()) return kExitBadOrder;
  routeLogs(order->logLevel, window);
  if (order->request.certificateQuestions && !in.ended())
    order->request.askCertificate = [&in](const CertificateSeen& seen,
                                          const std::string& validity) {
      return askFront(in, seen, validity);
    };
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
#endif
  return kExitBadOrder;
}
