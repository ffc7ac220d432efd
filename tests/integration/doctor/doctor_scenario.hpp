#pragma once
// The fixture of the doctor's integration scenarios: a private HOME/RDPDOCTOR_STATE_DIR, lab
// servers that FAIL the test when they cannot start, and the real rdpdoctor binary.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

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

  /// `rdpdoctor ARGS...` on a terminal, as a person runs it: `certificate` typed when the
  /// certificate question comes ("o" once, "a" always, "n" no), then `more`. `out` is what the
  /// terminal showed (terminalText(): stdout and stderr together), `err` is empty.
  ProcessResult answering(const std::vector<std::string>& args,
                          const std::string& certificate = "o",
                          std::vector<TypedAnswer> more = {}) {
    std::vector<TypedAnswer> answers{certificateAnswer(certificate)};
    for (auto& a : more) answers.push_back(std::move(a));
    auto run = onTerminal(args, answers);
    run.out = terminalText(run.out);
    return run;
  }

  /// `rdpdoctor diagnose ARGS... --json FILE` on a terminal, as a person runs it: `certificate`
  /// ("o", accept once, unless told) when the certificate question comes, then `more`.
  /// `process.out` is terminalText().
  DoctorRun diagnoseOnTerminal(const std::vector<std::string>& args,
                               std::vector<TypedAnswer> more = {},
                               const std::string& certificate = "o") {
    const auto jsonPath = dir_.path() / ("diagnose-" + std::to_string(++terminalRuns_) + ".json");
    std::vector<std::string> all{"diagnose"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--json", jsonPath.string()});
    DoctorRun d;
    d.process = answering(all, certificate, std::move(more));
    try {
      d.json = nlohmann::json::parse(readFile(jsonPath));
    } catch (const std::exception& e) {
      d.jsonError = e.what();
    }
    return d;
  }

  /// How often the terminal of `run` showed the certificate question.
  static std::size_t certificateQuestions(const ProcessResult& run) {
    std::size_t n = 0;
    for (auto at = run.out.find(kCertificateQuestion); at != std::string::npos;
         at = run.out.find(kCertificateQuestion, at + kCertificateQuestion.size()))
      ++n;
    return n;
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
  int terminalRuns_ = 0;
};

}  // namespace rdpdoctor::doctortest
