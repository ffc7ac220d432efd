#include "process.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "keeper_thread.hpp"
#include "proc_table.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace rdpdoctor::lab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

std::vector<std::string> mergedEnvironment(const SpawnSpec& spec) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : spec.env) vars[key] = value;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [key, value] : vars) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

Result<pid_t> spawnOnThisThread(const SpawnSpec& spec, std::vector<std::string>& argvStrings,
                                std::vector<std::string>& envStrings, int stdinFd, int closeFd) {
  SpawnSetup s;
  // Own process group, default signal dispositions and an empty mask: a caller that blocks or
  // ignores SIGTERM (the CLI waits for it with sigwait) must not hand that on to its servers.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &defaults);
  posix_spawnattr_setpgroup(&s.attr, 0);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
  if (stdinFd >= 0) {
    posix_spawn_file_actions_adddup2(&s.actions, stdinFd, 0);
  } else {
    posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  }
  if (closeFd >= 0) posix_spawn_file_actions_addclose(&s.actions, closeFd);
  const std::string log = spec.logFile.empty() ? std::string("/dev/null") : spec.logFile.string();
  posix_spawn_file_actions_addopen(&s.actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&s.actions, 1, 2);
  const std::string dir = spec.workDir.string();
  if (!spec.workDir.empty()) posix_spawn_file_actions_addchdir_np(&s.actions, dir.c_str());

  auto argv = pointers(argvStrings);
  auto envp = pointers(envStrings);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &s.actions, &s.attr, argv.data(), envp.data());
  if (rc != 0) {
    return makeError("spawn", "cannot start " + spec.argv[0]).because(std::strerror(rc));
  }
  return pid;
}

/// The executable `name` resolves to through PATH (or `name` itself if it has a slash).
std::string findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  dirs += ":/usr/sbin:/sbin";  // xrdp lives in sbin, not always in a test runner's PATH
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto end = std::min(dirs.find(':', start), dirs.size());
    const auto dir = dirs.substr(start, end - start);
    if (!dir.empty()) {
      const auto candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return {};
}

/// Spawns with stdin from `stdinFd` (or /dev/null when -1); `closeFd` is closed in the child.
/// Runs on the keeper thread: see keeper_thread.hpp.
Result<pid_t> spawnRaw(const SpawnSpec& spec, int stdinFd, int closeFd) {
  if (spec.argv.empty()) return makeError("spawn", "empty command line");
  const auto executable = findExecutable(spec.argv[0]);
  if (executable.empty()) {
    return makeError("spawn", "cannot start " + spec.argv[0]).because("not found in PATH");
  }
  // setpriv sets PR_SET_PDEATHSIG, then execs the program (it keeps its PID and process group).
  std::vector<std::string> argvStrings;
  static const std::string setpriv = findExecutable("setpriv");
  if (!setpriv.empty()) argvStrings = {setpriv, "--pdeathsig", "KILL", "--"};
  argvStrings.push_back(executable);
  argvStrings.insert(argvStrings.end(), spec.argv.begin() + 1, spec.argv.end());
  auto envStrings = mergedEnvironment(spec);
  return onKeeperThread([&]() -> Result<pid_t> {
    return spawnOnThisThread(spec, argvStrings, envStrings, stdinFd, closeFd);
  });
}

/// The processes of `set` deepest in the process tree (depth counted within `set`). A leaf alone is
/// not enough: killing Xorg (a leaf) first makes xterm exit before it has reaped its shell.
std::vector<pid_t> deepestOf(const std::vector<ProcInfo>& table, const std::set<pid_t>& set) {
  std::map<pid_t, pid_t> parent;
  for (const auto& p : table) {
    if (set.count(p.pid) != 0) parent[p.pid] = p.ppid;
  }
  std::map<pid_t, int> depth;
  int deepest = 0;
  for (const auto& [pid, ppid] : parent) {
    int d = 0;
    for (pid_t up = ppid; parent.count(up) != 0 && d < 64; up = parent[up]) ++d;
    depth[pid] = d;
    deepest = std::max(deepest, d);
  }
  std::vector<pid_t> out;
  for (const auto& [pid, d] : depth) {
    if (d == deepest) out.push_back(pid);
  }
  return out;
}

/// Writes `data` (small: a password line) to a pipe; a reader that has gone away must not raise
/// SIGPIPE in the test process, so it is blocked on this thread and a pending one consumed.
void writeAllNoSigpipe(int fd, const std::string& data) {
  sigset_t pipeSet;
  sigemptyset(&pipeSet);
  sigaddset(&pipeSet, SIGPIPE);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
  std::size_t done = 0;
  bool broken = false;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      broken = errno == EPIPE;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (broken && sigismember(&old, SIGPIPE) == 0) {
    const timespec zero{};
    sigtimedwait(&pipeSet, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void killGroupAndReap(pid_t pid, int& status, std::chrono::milliseconds grace) {
  // The leader is not reaped before the final SIGKILL to its group, so the group id cannot have
  // been recycled by then.
  ::kill(-pid, SIGTERM);
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + grace;
  siginfo_t info{};
  for (;;) {
    info.si_pid = 0;
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) break;
    if (info.si_pid == pid || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  ::kill(-pid, SIGKILL);  // stragglers of the group, and the leader if it ignored SIGTERM
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

ChildProcess::~ChildProcess() { stop(); }

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      owner_(other.owner_),
      status_(other.status_),
      log_(std::move(other.log_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    owner_ = other.owner_;
    status_ = other.status_;
    log_ = std::move(other.log_);
  }
  return *this;
}

Result<ChildProcess> ChildProcess::spawn(const SpawnSpec& spec) {
  auto pid = spawnRaw(spec, -1, -1);
  if (!pid) return pid.error();
  ChildProcess child;
  child.pid_ = *pid;
  child.owner_ = ::getpid();
  child.log_ = spec.logFile;
  return child;
}

bool ChildProcess::running() {
  if (pid_ <= 0 || ::getpid() != owner_) return false;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    pid_ = -1;  // not our child (any more): nothing we may wait for
    return false;
  }
  if (info.si_pid != pid_) return true;
  // Exited: stragglers of its group go too, before the leader is reaped (while the group id
  // cannot have been recycled).
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = status;
  pid_ = -1;
  return false;
}

bool ChildProcess::waitFor(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (running()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0 || ::getpid() != owner_) return;  // a fork()ed copy of us must not stop it
  if (running()) killGroupAndReap(pid_, status_, grace);
  pid_ = -1;
}

Result<int> runCommand(const SpawnSpec& spec, std::chrono::milliseconds timeout,
                       const std::string& input) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) return makeError("spawn", "pipe failed");
  auto pid = spawnRaw(spec, fds[0], fds[1]);
  ::close(fds[0]);
  if (!pid) {
    ::close(fds[1]);
    return pid.error();
  }
  writeAllNoSigpipe(fds[1], input);
  ::close(fds[1]);
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(*pid, &status, WNOHANG);
    if (r == *pid) break;
    if (Clock::now() >= deadline) {
      killGroupAndReap(*pid, status, std::chrono::milliseconds(500));
      return makeError("timeout", spec.argv[0] + " did not finish in time");
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

Status runChecked(const SpawnSpec& spec, std::chrono::milliseconds timeout,
                  const std::string& input) {
  auto rc = runCommand(spec, timeout, input);
  if (!rc) return rc.error();
  if (*rc != 0) {
    auto err = makeError("command-failed", spec.argv[0] + " exited with " + std::to_string(*rc));
    const auto tail = logTail(spec.logFile, 600);
    if (!tail.empty()) return std::move(err).because(tail);
    return err;
  }
  return okStatus();
}

std::string logTail(const std::filesystem::path& file, std::size_t maxBytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() > maxBytes) text = "..." + text.substr(text.size() - maxBytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

bool processAlive(pid_t pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

void terminateProcesses(const std::vector<pid_t>& pids, std::chrono::milliseconds deadline) {
  constexpr auto kLeafGrace = std::chrono::milliseconds(500);
  const auto end = Clock::now() + deadline;
  std::set<pid_t> remaining(pids.begin(), pids.end());
  while (Clock::now() < end) {
    const auto table = listProcesses();
    std::set<pid_t> alive;
    for (const auto& p : table) {
      if (remaining.count(p.pid) != 0 && p.state != 'Z') alive.insert(p.pid);
    }
    remaining = alive;
    if (remaining.empty()) return;
    const auto leaves = deepestOf(table, remaining);
    for (pid_t pid : leaves) ::kill(pid, SIGTERM);
    const auto leafEnd = std::min(end, Clock::now() + kLeafGrace);
    auto anyAlive = [&] {
      return std::any_of(leaves.begin(), leaves.end(), [](pid_t p) { return processAlive(p); });
    };
    while (anyAlive() && Clock::now() < leafEnd) std::this_thread::sleep_for(kPollInterval);
    for (pid_t pid : leaves) {
      if (processAlive(pid)) ::kill(pid, SIGKILL);  // e.g. an interactive bash ignores SIGTERM
    }
    while (anyAlive() && Clock::now() < end) std::this_thread::sleep_for(kPollInterval);
  }
  for (pid_t pid : remaining) {
    if (processAlive(pid)) ::kill(pid, SIGKILL);
  }
}

}  // namespace rdpdoctor::lab
