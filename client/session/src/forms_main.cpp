// rdpdoctor-forms: the small windows of a run without a terminal (desktop_modes.hpp): the
// credentials window with the desktop's keyring, storing a password the person asked to keep,
// and the message box for an error. SDL2 with SDL2_ttf and libsecret (glib), no FreeRDP: the
// window's process (rdpdoctor-session) maps none of these. The front starts one per question
// (session_process.hpp): argv[1] is the mode, the order JSON on stdin (a password only there),
// the result JSON on fd 3. Not for people.
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <nlohmann/json.hpp>
#include <string>

#include "child_io.hpp"
#include "desktop_modes.hpp"
#include "rdpdoctor/front/session_process.hpp"

namespace rdpdoctor {
namespace {

constexpr int kExitBadOrder = 64;
constexpr int kExitFailed = 70;

/// One mode: the order's "log_level" routes the logs as the window's; the result is wiped once
/// written (it may carry a password from the keyring or the window).
int formsMain(std::string (*mode)(std::string&)) {
  std::string input;
  if (!pipes::readAll(STDIN_FILENO, input)) return kExitFailed;
  std::string level = "warn";
  try {
    level = nlohmann::json::parse(input).value("log_level", level);
  } catch (const std::exception&) {
    return kExitBadOrder;
  }
  (void)pipes::logToFront(level, true);
  std::string out = mode(input);
  const bool written = pipes::writeFd3(out);
  ::close(kResultFd);
  std::fill(out.begin(), out.end(), '\0');
  return written ? 0 : kExitFailed;
}

}  // namespace
}  // namespace rdpdoctor

int main(int argc, char** argv) {
  using namespace rdpdoctor;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a question never outlives the process that asked it
  if (::getppid() == 1 || argc != 2) return kExitBadOrder;
  const std::string mode = argv[1];
  if (mode == kCredentialsMode) return formsMain(desktop::askCredentialsMode);
  if (mode == kRememberMode) return formsMain(desktop::rememberPasswordMode);
  if (mode == kMessageMode) return formsMain(desktop::messageMode);
  return kExitBadOrder;
}
