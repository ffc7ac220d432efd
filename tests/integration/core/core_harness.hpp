#pragma once
// Shared by the client/core integration tests: requests aimed at lab servers, attempts run in a
// child process of the built rdpdoctor binary (runIsolated, as the doctor runs them), readable
// failure messages, suite-wide servers, and a runner for the rdpdoctor CLI itself.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/terminal_run.hpp"
#include "rdpdoctor/front/session_process.hpp"
#include "rdpdoctor/lab/lab.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor::itest {

/// The built rdpdoctor binary (a compile definition of this test target).
[[nodiscard]] std::string rdpdoctorBinary();

/// A request for `server` from a profile with the lab's explicit consent (accept-once) and the
/// TOFU store inside `dir` (never the user's store).
[[nodiscard]] SessionRequest requestFor(const lab::Server& server, const std::filesystem::path& dir,
                                        Goal goal = Goal::FirstFrame);

/// The store key the core writes for `server`: "127.0.0.1:PORT" or "::1:PORT".
[[nodiscard]] std::string storeKey(const lab::Server& server);

/// One attempt through runIsolated with the built binary, plus its signature (no probe facts).
struct Attempt {
  Outcome outcome;
  Signature signature;
  std::chrono::milliseconds wall{
      0};  // measured around runIsolated, process start and exit included

  /// One paragraph for assertion messages: stage, errors, signature, detail, log tail.
  [[nodiscard]] std::string describe() const;
};
[[nodiscard]] Attempt runAttempt(const SessionRequest& request, const HostFacts& facts = {});

/// A lab server shared by the tests of one suite: started in SetUpTestSuite, stopped in
/// TearDownTestSuite; a start failure is kept so that every test of the suite FAILS with it.
class SharedServer {
 public:
  void start(const lab::ServerOptions& options);
  void stop() { server_.reset(); }
  [[nodiscard]] const lab::Server* get() const { return server_.get(); }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::unique_ptr<lab::Server> server_;
  std::string error_;
};

/// What the rdpdoctor CLI did.
struct CliResult {
  int exitCode = -1;  // -1: killed by a signal or by the deadline
  bool timedOut = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds wall{0};

  [[nodiscard]] std::string describe() const;
};
/// Runs `rdpdoctor ARGS...` with stdin from /dev/null (no TTY: no prompts, certificates denied
/// by default), our environment minus RDPDOCTOR_PASSWORD plus `env`, and HOME and
/// RDPDOCTOR_STATE_DIR pointing into `home`. Captures stdout and stderr; kills it at `timeout`.
[[nodiscard]] CliResult runCli(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env, const std::filesystem::path& home,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(60000));

/// `rdpdoctor ARGS...` on a pseudo-terminal, as a person runs it (the environment as for runCli,
/// TERM=xterm): `certificate` typed when the certificate question comes ("o" once, "a" always,
/// "n" no), then `more`. `out` is what the terminal showed (stdout and stderr together, colour
/// dropped), `err` is empty; `questions` counts the certificate questions asked.
struct TerminalResult : CliResult {
  std::size_t questions = 0;
};
[[nodiscard]] TerminalResult runCliOnTerminal(
    const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env, const std::filesystem::path& home,
    const std::string& certificate = "o", std::vector<doctortest::TypedAnswer> more = {},
    std::chrono::milliseconds timeout = std::chrono::milliseconds(60000));

/// The same for any program (argv[0] an absolute path), e.g. script(1) around rdpdoctor.
[[nodiscard]] CliResult runProgram(
    std::vector<std::string> argv, const std::vector<std::pair<std::string, std::string>>& env,
    const std::filesystem::path& home,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(60000));

}  // namespace rdpdoctor::itest
