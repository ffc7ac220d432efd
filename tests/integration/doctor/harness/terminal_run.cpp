#include "terminal_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rdpdoctor::doctortest {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> pointers(std::vector<std::string>& v) {
  std::vector<char*> p;
  for (auto& s : v) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

}  // namespace

ProcessResult runOnTerminal(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env,
                            const std::vector<TypedAnswer>& answers,
                            std::chrono::milliseconds deadline) {
  ProcessResult r;
  const auto start = Clock::now();
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    r.spawnError = std::string("pty: ") + std::strerror(errno);
    if (master >= 0) ::close(master);
    return r;
  }
  const std::string slave = ::ptsname(master);
  auto args = argv;
  auto vars = env;
  auto argvp = pointers(args);
  auto envp = pointers(vars);
  const pid_t pid = ::fork();
  if (pid < 0) {
    r.spawnError = std::string("fork: ") + std::strerror(errno);
    ::close(master);
    return r;
  }
  if (pid == 0) {
    ::setsid();  // a new session: the terminal opened next becomes its controlling terminal
    const int fd = ::open(slave.c_str(), O_RDWR);
    if (fd < 0) ::_exit(127);
    ::ioctl(fd, TIOCSCTTY, 0);
    ::dup2(fd, STDIN_FILENO);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO) ::close(fd);
    ::execve(argvp[0], argvp.data(), envp.data());
    ::_exit(127);
  }
  std::size_t next = 0, seenUpTo = 0;
  bool shown = false;                  // the next answer's text is on the terminal
  Clock::time_point appeared = start;  // since then
  char chunk[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(start + deadline - Clock::now())
            .count();
    if (left <= 0) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      r.killedAtDeadline = true;
      break;
    }
    pollfd p{master, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
    if (n < 0 && errno != EINTR) break;
    if (n > 0) {
      const ssize_t got = ::read(master, chunk, sizeof chunk);
      if (got <= 0 && errno != EINTR && errno != EAGAIN)
        break;  // EIO: every holder of the terminal is gone
      if (got > 0) r.out.append(chunk, static_cast<std::size_t>(got));
    }
    if (next < answers.size()) {
      const auto at = r.out.find(answers[next].after, seenUpTo);
      if (at != std::string::npos) {
        if (!shown) {
          shown = true;
          appeared = Clock::now();
        }
        if (Clock::now() - appeared >= answers[next].thinking) {
          const std::string typed = answers[next].line + "\n";
          if (::write(master, typed.data(), typed.size()) < 0) break;
          seenUpTo = at + answers[next].after.size();
          ++next;
          shown = false;
        }
      }
    }
  }
  ::close(master);
  reapInto(pid, start, r);
  return r;
}

std::string terminalText(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < raw.size() && !(raw[j] >= '@' && raw[j] <= '~')) ++j;
      i = j;
      continue;
    }
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    out += raw[i];
  }
  return out;
}

}  // namespace rdpdoctor::doctortest
