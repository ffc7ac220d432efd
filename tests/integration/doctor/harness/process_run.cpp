#include "process_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace rdpdoctor::doctortest {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> pointers(std::vector<std::string>& v) {
  std::vector<char*> p;
  p.reserve(v.size() + 1);
  for (auto& s : v) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

/// Reads both pipes until both are closed or the deadline passes.
bool drain(int outFd, int errFd, ProcessResult& r, Clock::time_point deadline) {
  std::array<pollfd, 2> fds{{{outFd, POLLIN, 0}, {errFd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&r.out, &r.err};
  int open = 2;
  char chunk[8192];
  while (open > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      sinks[i]->append(chunk, static_cast<std::size_t>(got));
    }
  }
  return true;
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string s =
      termSignal != 0 ? "signal " + std::to_string(termSignal) : "exit " + std::to_string(exitCode);
  s += " after " + std::to_string(elapsed.count()) + " ms";
  if (killedAtDeadline) s += " (killed at the harness deadline)";
  if (!spawnError.empty()) s += " (" + spawnError + ")";
  return s;
}

std::vector<std::string> baseEnvironment(const std::string& home) {
  std::vector<std::string> env{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                               "LANG=C.UTF-8", "HOME=" + home};
  // the sanitizer build's settings (tests/run.sh) reach the rdpdoctor under test too
  for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  return env;
}

ProcessResult runProcess(const ProcessRequest& request) {
  ProcessResult r;
  const auto start = Clock::now();
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    r.spawnError = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(
      &attr, POSIX_SPAWN_SETPGROUP);  // its own group: the deadline kills its attempts too
  posix_spawnattr_setpgroup(&attr, 0);
  auto argv = request.argv;
  auto env = request.env;
  auto argvp = pointers(argv);
  auto envp = pointers(env);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv.at(0).c_str(), &fa, &attr, argvp.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    r.spawnError = "cannot start " + argv.at(0) + ": " + std::strerror(rc);
    return r;
  }
  if (!drain(out[0], err[0], r, start + request.deadline)) {
    ::kill(-pid, SIGKILL);
    r.killedAtDeadline = true;
  }
  ::close(out[0]);
  ::close(err[0]);
  reapInto(pid, start, r);
  return r;
}

void reapInto(int pid, std::chrono::steady_clock::time_point start, ProcessResult& r) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.termSignal = WTERMSIG(status);
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
}

}  // namespace rdpdoctor::doctortest
