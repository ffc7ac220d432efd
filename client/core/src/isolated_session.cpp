#include "rdpdoctor/core/isolated_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "rdpdoctor/core/wlog_bridge.hpp"
#include "rdpdoctor/text_safety.hpp"

extern char** environ;

namespace rdpdoctor {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kResultFd = 3;

std::string encodeRequest(const SessionRequest& r, const IsolationOptions& o) {
  nlohmann::json j{{"profile", r.profile},          {"password", r.password.reveal()},
                   {"goal", toString(r.goal)},      {"deadline_ms", r.deadline.count()},
                   {"floor", toString(r.floor)},    {"hold_ms", r.holdAfterGoal.count()},
                   {"cert_store", r.certStorePath}, {"logon_grace_ms", r.logonGrace.count()},
                   {"log_level", o.logLevel}};
  if (r.untilColour) j["until_colour"] = *r.untilColour;
  return j.dump();
}

bool writeAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

struct Child {
  pid_t pid = -1;
  int requestFd = -1;
  int resultFd = -1;
};

Result<Child> spawnChild(const std::string& exe) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return makeError("io", "pipe failed").because(std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return makeError("io", "pipe failed").because(std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa, out[1], kResultFd);
  std::string arg0 = "rdpdoctor", arg1 = kAttemptVerb;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    return makeError("io", "cannot start attempt process " + exe).because(std::strerror(rc));
  }
  return Child{pid, in[1], out[0]};
}

/// Reads the child's result pipe until EOF or the deadline.
bool readUntil(int fd, std::string& buf, Clock::time_point deadline) {
  char chunk[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // EOF
    buf.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

Outcome runIsolated(const SessionRequest& request, const IsolationOptions& options) {
  const auto start = Clock::now();
  Outcome o;
  o.goal = request.goal;
  auto child = spawnChild(options.selfExe);
  if (!child) {
    o.detail = child.error().message();
    return o;
  }
  ::signal(SIGPIPE, SIG_IGN);
  const bool sent = writeAll(child->requestFd, encodeRequest(request, options));
  ::close(child->requestFd);
  std::string buf;
  const bool complete =
      sent && readUntil(child->resultFd, buf, start + request.deadline + options.grace);
  ::close(child->resultFd);
  int status = 0;
  // the result is in hand (or the deadline passed): FreeRDP's teardown in the child is not
  // waited for, a caller's budget has no room for it
  if (!complete || ::waitpid(child->pid, &status, WNOHANG) != child->pid) {
    ::kill(child->pid, SIGKILL);
    while (::waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  if (complete && !buf.empty()) {
    try {
      o = nlohmann::json::parse(buf).get<Outcome>();
      return o;
    } catch (const std::exception& e) {
      o.detail = std::string("attempt process wrote a broken result: ") + e.what();
    }
  }
  o.elapsedMs = elapsed;
  if (!complete) {
    o.timedOut = true;
    o.detail = "attempt process killed after the deadline of " +
               std::to_string(request.deadline.count()) + " ms";
  } else if (WIFSIGNALED(status)) {
    o.crashed = true;
    o.detail = std::string("attempt process died: ") + strsignal(WTERMSIG(status));
  } else if (o.detail.empty()) {
    o.crashed = true;
    o.detail = "attempt process exited with status " + std::to_string(WEXITSTATUS(status)) +
               " and no result";
  }
  return o;
}

int attemptChildMain() {
  // an attempt never outlives the process that asked for it
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) return 70;
  std::string input;
  char chunk[4096];
  for (ssize_t n; (n = ::read(STDIN_FILENO, chunk, sizeof chunk)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return 70;
    input.append(chunk, static_cast<size_t>(n));
  }
  SessionRequest r;
  std::string logLevel;
  try {
    auto j = nlohmann::json::parse(input);
    r.profile = j.at("profile").get<Profile>();
    r.password = Secret(j.value("password", ""));
    if (!parseGoal(j.at("goal").get<std::string>(), r.goal)) return 64;
    r.deadline = std::chrono::milliseconds(j.at("deadline_ms").get<std::int64_t>());
    auto floor = parseFloor(j.at("floor").get<std::string>());
    if (!floor) return 64;
    r.floor = *floor;
    r.holdAfterGoal = std::chrono::milliseconds(j.value("hold_ms", std::int64_t{0}));
    r.certStorePath = j.value("cert_store", "");
    r.logonGrace = std::chrono::milliseconds(j.value("logon_grace_ms", std::int64_t{3000}));
    if (j.contains("until_colour")) r.untilColour = j["until_colour"].get<std::uint32_t>();
    logLevel = j.value("log_level", "warn");
    r.ownsProcessSockets = true;
    j["password"] = "";
  } catch (const std::exception&) {
    return 64;
  }
  auto logger = spdlog::stderr_color_mt("attempt");
  logger->set_level(spdlog::level::from_str(logLevel));
  logger->set_formatter(terminalSafeLogFormatter("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %*"));
  routeWlogTo(logger);
  bool abandoned = false;
  const Outcome o = runSession(r, &abandoned);
  const std::string out = jsonText(nlohmann::json(o));  // a host's bytes never lose the result
  const bool written = writeAll(kResultFd, out);
  ::close(kResultFd);
  if (abandoned) ::_exit(written ? 0 : 70);  // a worker still blocks inside libfreerdp
  return written ? 0 : 70;
}

}  // namespace rdpdoctor
