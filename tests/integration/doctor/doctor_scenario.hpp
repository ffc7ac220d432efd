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
/// The terminal question about a certificate nobody has accepted yet.
constexpr std::string_view kCertificateQuestion = "accept it? [o]nce, [a]lways, [N]o: ";

/// What a person reads of a terminal's output: colour sequences dropped, "\r\n" as "\n" (a lone
/// "\r", a live line being rewritten, is kept).
inline std::string terminalText(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < raw.size() && !(raw[j] >= '@' && raw[j] <= '~')) ++j;
      i = j;
      continue;
    }
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    out += raw[i];
  }
  return out;
}

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

  /// `rdpdoctor diagnose ARGS... --json FILE` on a terminal, as a person runs it: "o" (accept
  /// once) when the certificate question comes, then `more`. `process.out` is terminalText().
  DoctorRun diagnoseOnTerminal(const std::vector<std::string>& args,
                               std::vector<TypedAnswer> more = {}) {
    const auto jsonPath = dir_.path() / ("diagnose-" + std::to_string(++terminalRuns_) + ".json");
    std::vector<std::string> all{"diagnose"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--json", jsonPath.string()});
    more.insert(more.begin(), TypedAnswer{std::string(kCertificateQuestion), "o"});
    DoctorRun d;
    d.process = onTerminal(all, more);
    d.process.out = terminalText(d.process.out);
    try {
      d.json = nlohmann::json::parse(readFile(jsonPath));
    } catch (const std::exception& e) {
      d.jsonError = e.what();
    }
    return d;
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
