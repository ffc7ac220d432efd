#pragma once
// Runs one program to completion (or its deadline) with a chosen environment, capturing stdout
// and stderr. The test harness of the doctor's integration, hostile and bench tests: it runs the
// real rdpdoctor binary the way a script would.
#include <chrono>
#include <string>
#include <vector>

namespace rdpdoctor::doctortest {

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is the program path
  std::vector<std::string> env;   // "KEY=value", the whole environment (nothing is inherited)
  std::chrono::milliseconds deadline{180000};  // then SIGKILL to the whole process group
};

struct ProcessResult {
  int exitCode = -1;   // -1 when killed by a signal
  int termSignal = 0;  // the signal that ended it, 0 for a normal exit
  bool killedAtDeadline = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
  std::string spawnError;  // non-empty: the program did not start

  /// One line for assertion messages: "exit 1 after 2345 ms".
  [[nodiscard]] std::string describe() const;
};

[[nodiscard]] ProcessResult runProcess(const ProcessRequest& request);
/// Waits for `pid` to end and records its exit code or signal and the time since `start`.
void reapInto(int pid, std::chrono::steady_clock::time_point start, ProcessResult& r);

/// A minimal environment for a child: PATH, LANG, HOME and the given extra "KEY=value" entries.
[[nodiscard]] std::vector<std::string> baseEnvironment(const std::string& home);

}  // namespace rdpdoctor::doctortest
