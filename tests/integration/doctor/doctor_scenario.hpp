#pragma once
// The fixture of the doctor's integration scenarios: a private HOME/RDPDOCTOR_STATE_DIR, lab
// servers that FAIL the test when they cannot start, and the real rdpdoctor binary.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "harness/doctor_run.hpp"
#include "harness/terminal_run.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::doctortest {

inline const std::string kRdpdoctor = RDPDOCTOR_BIN;
/// The lab user's password: must never appear in any output or file of ours.
inline const std::string kLabPassword = lab::ServerOptions{}.password;
inline const std::string kLabUser = lab::ServerOptions{}.user;

class DoctorScenario : public ::testing::Test {
 protected:
  DoctorScenario() : env_(dir_.path()) {}

  /// Starts a lab server; nullptr (and a test failure carrying the server's reason) when it cannot.
  std::unique_ptr<lab::Server> startServer(const lab::ServerOptions& options) {
    auto s = lab::start(options);
    if (!s.ok()) {
      ADD_FAILURE() << "lab server " << lab::toString(options.kind)
                    << " did not start: " << s.error().message();
      return nullptr;
    }
    return std::move(s).value();
  }

  DoctorRun diagnose(const std::vector<std::string>& args) {
    return diagnoseJson(kRdpdoctor, args, env_);
  }

  /// `rdpdoctor ARGS...` on a pseudo-terminal, as a person runs it, typing `answers`.
  ProcessResult onTerminal(const std::vector<std::string>& args,
                           const std::vector<TypedAnswer>& answers,
                           std::chrono::milliseconds deadline = std::chrono::milliseconds(90000)) {
    std::vector<std::string> argv{kRdpdoctor};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = env_.variables();
    env.push_back("TERM=xterm");
    return runOnTerminal(argv, env, answers, deadline);
  }

  /// The password appears nowhere: not in stdout/stderr of `run`, not in any file under our
  /// private directory (HOME, state dir, reports, .rdp files).
  void expectPasswordNowhere(const ProcessResult& run, const std::string& password) {
    EXPECT_EQ(run.out.find(password), std::string::npos) << "password in stdout";
    EXPECT_EQ(run.err.find(password), std::string::npos) << "password in stderr";
    for (const auto& f : filesContaining(dir_.path(), password))
      ADD_FAILURE() << "password in file " << f;
  }

  lab::TempDir dir_;
  DoctorEnvironment env_;
};

}  // namespace rdpdoctor::doctortest
