#include "core_harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

extern char** environ;

namespace rdpdoctor::itest {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::vector<std::string> childEnvironment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  auto overridden = [&overrides](const std::string& entry) {
    const auto name = entry.substr(0, entry.find('='));
    if (name == "RDPDOCTOR_PASSWORD") return true;  // only a test's own override passes one on
    for (const auto& [k, v] : overrides)
      if (k == name) return true;
    return false;
  };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (!overridden(*e)) env.emplace_back(*e);
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// Reads both pipes until EOF on both or the deadline; false on the deadline.
bool drain(int outFd, int errFd, std::string& out, std::string& err, Clock::time_point deadline) {
  pollfd fds[2] = {{outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  char chunk[4096];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    const int r = ::poll(fds, 2, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;  // EOF (or error): ignored by poll from now on
        continue;
      }
      sinks[i]->append(chunk, static_cast<std::size_t>(n));
    }
  }
  return true;
}

}  // namespace

std::string rdpdoctorBinary() { return RDPDOCTOR_BIN; }

SessionRequest requestFor(const lab::Server& server, const std::filesystem::path& dir, Goal goal) {
  SessionRequest r;
  auto spec = parseHostSpec(server.hostSpec());
  if (spec) r.profile.target = *spec;
  r.profile.cert = CertPolicy::AcceptOnce;
  r.goal = goal;
  r.deadline = std::chrono::milliseconds(15000);
  r.certStorePath = (dir / "known_hosts").string();
  return r;
}

std::string storeKey(const lab::Server& server) {
  return server.address() + ":" + std::to_string(server.port());
}

std::string Attempt::describe() const {
  nlohmann::json j = outcome;
  j["signature"] = signature.id;
  j["layer"] = toString(signature.layer);
  j["wall_ms"] = wall.count();
  return "attempt: " + j.dump(2);
}

Attempt runAttempt(const SessionRequest& request, const HostFacts& facts) {
  IsolationOptions iso;
  iso.sessionExe = RDPDOCTOR_SESSION_BIN;
  iso.logLevel = "warn";
  const auto start = Clock::now();
  Attempt a;
  a.outcome = runIsolated(request, iso);
  a.wall = since(start);
  a.signature = classify(a.outcome, request.profile, facts);
  return a;
}

void SharedServer::start(const lab::ServerOptions& options) {
  auto server = lab::start(options);
  if (server) {
    server_ = std::move(server).value();
    error_.clear();
  } else {
    server_.reset();
    error_ = "lab server " + std::string(lab::toString(options.kind)) +
             " did not start: " + server.error().message();
  }
}

std::string CliResult::describe() const {
  constexpr std::size_t kTail = 6000;  // trace-level runs print a lot: the end tells the story
  auto tail = [](const std::string& s) {
    return s.size() <= kTail ? s : "[...]" + s.substr(s.size() - kTail);
  };
  return "rdpdoctor exited " + std::to_string(exitCode) +
         (timedOut ? " (killed at the deadline)" : "") + " after " + std::to_string(wall.count()) +
         " ms\n--- stdout ---\n" + tail(out) + "\n--- stderr ---\n" + tail(err);
}

CliResult runCli(const std::vector<std::string>& args,
                 const std::vector<std::pair<std::string, std::string>>& env,
                 const std::filesystem::path& home, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{rdpdoctorBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProgram(argv, env, home, timeout);
}

TerminalResult runCliOnTerminal(const std::vector<std::string>& args,
                                const std::vector<std::pair<std::string, std::string>>& env,
                                const std::filesystem::path& home, const std::string& certificate,
                                std::vector<doctortest::TypedAnswer> more,
                                std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{rdpdoctorBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto overrides = env;
  overrides.emplace_back("HOME", home.string());
  overrides.emplace_back("RDPDOCTOR_STATE_DIR", (home / "state").string());
  overrides.emplace_back("TERM", "xterm");
  std::vector<doctortest::TypedAnswer> answers{doctortest::certificateAnswer(certificate)};
  for (auto& a : more) answers.push_back(std::move(a));
  const auto ran = doctortest::runOnTerminal(argv, childEnvironment(overrides), answers, timeout);
  TerminalResult r;
  r.out = doctortest::terminalText(ran.out);
  r.err = ran.spawnError;
  r.timedOut = ran.killedAtDeadline;
  r.wall = ran.elapsed;
  if (!ran.killedAtDeadline && ran.termSignal == 0) r.exitCode = ran.exitCode;
  const auto q = doctortest::kCertificateQuestion;
  for (auto at = r.out.find(q); at != std::string::npos; at = r.out.find(q, at + q.size()))
    ++r.questions;
  return r;
}

CliResult runProgram(std::vector<std::string> argv,
                     const std::vector<std::pair<std::string, std::string>>& env,
                     const std::filesystem::path& home, std::chrono::milliseconds timeout) {
  CliResult result;
  auto overrides = env;
  overrides.emplace_back("HOME", home.string());
  overrides.emplace_back("RDPDOCTOR_STATE_DIR", (home / "state").string());
  auto envStrings = childEnvironment(overrides);
  auto argvPtrs = pointers(argv);
  auto envPtrs = pointers(envStrings);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  const auto start = Clock::now();
  pid_t pid = -1;
  const int rc =
      ::posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, argvPtrs.data(), envPtrs.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    result.err = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  result.timedOut = !drain(out[0], err[0], result.out, result.err, start + timeout);
  ::close(out[0]);
  ::close(err[0]);
  if (result.timedOut) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.wall = since(start);
  if (!result.timedOut && WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  return result;
}

}  // namespace rdpdoctor::itest
