#pragma once
// Child processes of the lab: spawned in their own process group with stdout+stderr appended to
// a log file, stopped by PID (SIGTERM to the group, a deadline, then SIGKILL) and always reaped.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::lab {

struct SpawnSpec {
  std::vector<std::string> argv;                             // argv[0] is looked up in PATH
  std::vector<std::pair<std::string, std::string>> env;     // overrides on top of ours
  std::filesystem::path workDir;                             // empty: ours
  std::filesystem::path logFile;                             // stdout+stderr (appended)
};

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] static Result<ChildProcess> spawn(const SpawnSpec& spec);

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::filesystem::path& logFile() const { return log_; }
  /// False once the process has exited (it is then reaped and exitStatus() is set).
  [[nodiscard]] bool running();
  /// waitpid status of an exited process; -1 while it runs.
  [[nodiscard]] int exitStatus() const { return status_; }
  /// Waits up to `timeout` for the process to exit on its own; true if it did.
  bool waitFor(std::chrono::milliseconds timeout);
  /// SIGTERM to the process group, waits up to `grace`, then SIGKILL; reaps the process.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

 private:
  pid_t pid_ = -1;
  pid_t owner_ = -1;  // the process that spawned it (a fork()ed copy must leave it alone)
  int status_ = -1;
  std::filesystem::path log_;
};

/// Runs a command to completion (deadline `timeout`, then it is killed) with `input` on its stdin.
/// Returns its exit code; an Error if it could not start or timed out.
[[nodiscard]] Result<int> runCommand(const SpawnSpec& spec, std::chrono::milliseconds timeout,
                                     const std::string& input = {});

/// As runCommand, but a non-zero exit is an Error carrying the tail of the log.
[[nodiscard]] Status runChecked(const SpawnSpec& spec, std::chrono::milliseconds timeout,
                                const std::string& input = {});

/// `inner` as the cause of a new error that says what we were doing: "cannot start x: caused by: y".
[[nodiscard]] inline Error wrapError(const Error& inner, std::string context) {
  Error outer{inner.code, std::move(context), {}};
  outer.causes.push_back(inner.context.empty() ? inner.code : inner.context);
  for (const auto& c : inner.causes) outer.causes.push_back(c);
  return outer;
}

/// The last `maxBytes` of a log file, for error messages ("" if unreadable).
[[nodiscard]] std::string logTail(const std::filesystem::path& file, std::size_t maxBytes = 1200);

/// True if `pid` names a live process (a zombie counts as gone).
[[nodiscard]] bool processAlive(pid_t pid);

/// Stops processes that are not our children (those are stopped with ChildProcess), the deepest
/// of their process tree first so that every parent is still there to reap its children (PID 1
/// of a container may be slow to reap orphans): SIGTERM to the deepest, a short wait, SIGKILL if
/// they ignored it, one level up, ..., until all are gone or `deadline` passes (then SIGKILL).
void terminateProcesses(const std::vector<pid_t>& pids, std::chrono::milliseconds deadline);

}  // namespace rdpdoctor::lab
