#pragma once
// Runs one SessionRequest in a child process of the same binary (internal verb `__attempt`),
// with a hard deadline: a hang or a crash inside libfreerdp cannot take the caller down.
// The request (password included) goes to the child over a pipe on its stdin, never in argv or
// the environment; the Outcome comes back as JSON on the child's fd 3.
#include <chrono>
#include <string>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor {

inline constexpr const char* kAttemptVerb = "__attempt";

struct IsolationOptions {
  std::string selfExe = "/proc/self/exe";
  /// Beyond the request's own deadline before SIGKILL: the child stops itself at its deadline
  /// (it waits 250 ms for FreeRDP to unwind), so a caller's budget holds within this.
  std::chrono::milliseconds grace{400};
  std::string logLevel = "warn";  // the child's log level (it logs to our stderr)
};

[[nodiscard]] Outcome runIsolated(const SessionRequest& request,
                                  const IsolationOptions& options = {});

/// The child side: reads the request from stdin, runs it, writes the Outcome to fd 3, returns
/// the process exit code (0 when an Outcome was written).
[[nodiscard]] int attemptChildMain();

}  // namespace rdpdoctor
