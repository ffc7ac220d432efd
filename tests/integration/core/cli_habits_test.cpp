// Command-line habits (issue 10, point 5), through the binary as people type them: a password on
// the command line is refused without echoing it, xfreerdp's /v: gets a hint, a mistyped verb a
// suggestion, `help VERB` its real defaults, bad numbers a one-line error, probe says it ignores
// credentials, and NO_COLOR turns colours off on a terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core_harness.hpp"
#include "rdpdoctor/core/freerdp_version.hpp"

namespace rdpdoctor::itest {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 6;

const std::string kSecret = "Sekr1t-On-The-Cli-5521";

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

class CliHabits : public ::testing::Test {
 protected:
  [[nodiscard]] CliResult run(
      const std::vector<std::string>& args,
      const std::vector<std::pair<std::string, std::string>>& env = {}) const {
    return runCli(args, env, home_.path(), std::chrono::milliseconds(20000));
  }
  lab::TempDir home_;
};

TEST_F(CliHabits, APasswordOnTheCommandLineIsRefusedWithoutEchoingIt) {
  const std::vector<std::vector<std::string>> typed = {
      {"connect", "--headless", "127.0.0.1:1", "--password", kSecret},
      {"connect", "127.0.0.1:1", "--password=" + kSecret},
      {"diagnose", "127.0.0.1:1", "/p:" + kSecret},
      {"probe", "127.0.0.1:1", "-p", kSecret}};
  for (const auto& args : typed) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, kExitUsage) << r.describe();
    EXPECT_EQ(r.out.find(kSecret), std::string::npos) << r.describe();
    EXPECT_EQ(r.err.find(kSecret), std::string::npos) << "the password was echoed:\n"
                                                      << r.describe();
    EXPECT_NE(r.err.find("RDPDOCTOR_PASSWORD"), std::string::npos) << r.describe();
    EXPECT_NE(r.err.find("--password-file"), std::string::npos) << r.describe();
  }
}

TEST_F(CliHabits, XfreerdpHabitsGetTheRdpdoctorSpelling) {
  const auto host = run({"connect", "/v:10.1.2.3:3390", "/u:bob"});
  EXPECT_EQ(host.exitCode, kExitUsage) << host.describe();
  EXPECT_NE(host.err.find("rdpdoctor connect 10.1.2.3:3390"), std::string::npos) << host.describe();
  const auto user = run({"connect", "somehost", "/u:bob"});
  EXPECT_NE(user.err.find("--user bob"), std::string::npos) << user.describe();
  // about the certificate option itself: xfreerdp's /cert:ignore is spelled --cert accept-once
  const auto cert = run({"diagnose", "somehost", "/cert:ignore"});
  EXPECT_NE(cert.err.find("--cert accept-once"), std::string::npos) << cert.describe();
}

TEST_F(CliHabits, AMistypedVerbGetsTheNearestOne) {
  const std::vector<std::pair<std::string, std::string>> typos = {
      {"diagnos", "diagnose"}, {"dianose", "diagnose"}, {"conect", "connect"}, {"prob", "probe"}};
  for (const auto& [typed, meant] : typos) {
    const auto r = run({typed, "somehost"});
    EXPECT_EQ(r.exitCode, kExitUsage) << r.describe();
    EXPECT_NE(r.err.find("did you mean '" + meant + "'"), std::string::npos) << r.describe();
  }
  const auto host = run({"myhost.example"});
  EXPECT_EQ(host.exitCode, kExitUsage);
  EXPECT_EQ(host.err.find("did you mean"), std::string::npos) << host.describe();
  EXPECT_NE(host.err.find("rdpdoctor connect HOST"), std::string::npos) << host.describe();
}

TEST_F(CliHabits, HelpShowsEachVerbsRealDefaultsAndTheExitCodes) {
  const auto diagnose = run({"help", "diagnose"});
  EXPECT_EQ(diagnose.exitCode, kExitOk) << diagnose.describe();
  EXPECT_NE(diagnose.out.find("=120"), std::string::npos) << "diagnose's --timeout default:\n"
                                                          << diagnose.out;
  EXPECT_NE(diagnose.out.find("exit codes"), std::string::npos) << diagnose.out;
  const auto viaFlag = run({"diagnose", "--help"});
  EXPECT_EQ(viaFlag.out, diagnose.out);
  const auto probe = run({"help", "probe"});
  EXPECT_EQ(probe.exitCode, kExitOk) << probe.describe();
  EXPECT_NE(probe.out.find("=10 "), std::string::npos) << "probe's --timeout default:\n"
                                                       << probe.out;
  for (const auto* credential : {"--user", "--domain", "--password-file"})
    EXPECT_EQ(probe.out.find(credential), std::string::npos) << credential << " listed for probe:\n"
                                                             << probe.out;
  const auto all = run({"help"});
  EXPECT_EQ(all.exitCode, kExitOk);
  EXPECT_NE(all.out.find("diagnose"), std::string::npos) << all.out;
  EXPECT_EQ(run({"help", "diagnos"}).exitCode, kExitUsage);
}

TEST_F(CliHabits, VersionNamesTheFreerdpLinkedAtRunTime) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.exitCode, kExitOk) << r.describe();
  // the library's own answer, with its patch level, of the major this build was configured for
  const std::string linked = freerdpRuntimeVersion();
  EXPECT_EQ(linked.rfind(std::string(RDPDOCTOR_EXPECTED_FREERDP_MAJOR) + ".", 0), 0u) << linked;
  EXPECT_EQ(std::count(linked.begin(), linked.end(), '.'), 2) << linked;
  EXPECT_NE(r.out.find("(FreeRDP " + linked + ")"), std::string::npos) << r.describe();
}

TEST_F(CliHabits, BadNumbersAreOneLineErrors) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"connect", "h", "--timeout", "0"},
                                             {"diagnose", "h", "--timeout", "abc"},
                                             {"diagnose", "h", "--attempt-timeout", "-3"},
                                             {"probe", "h", "--step-timeout", "nan"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, kExitUsage) << r.describe();
    EXPECT_EQ(lines(r.err), 1u) << r.describe();
    EXPECT_NE(r.err.find(args[2]), std::string::npos) << "the option is not named:\n"
                                                      << r.describe();
    EXPECT_TRUE(r.out.empty()) << r.describe();
  }
}

TEST_F(CliHabits, ProbeAcceptsCredentialOptionsButSaysItIgnoresThem) {
  auto closed = lab::start({.kind = lab::Kind::FaultClosed});
  ASSERT_TRUE(closed.ok()) << closed.error().message();
  const auto r = run({"probe", (*closed)->hostSpec(), "--user", "bob", "--domain", "CORP"});
  EXPECT_EQ(r.exitCode, kExitUnreachable) << r.describe();
  EXPECT_NE(r.err.find("ignored"), std::string::npos) << r.describe();
}

TEST_F(CliHabits, NoColorTurnsColoursOffOnATerminal) {
  auto closed = lab::start({.kind = lab::Kind::FaultClosed});
  ASSERT_TRUE(closed.ok()) << closed.error().message();
  // script(1) gives the binary a pseudo-terminal, as a person's terminal
  const std::string cmd = std::string(RDPDOCTOR_BIN) + " probe " + (*closed)->hostSpec();
  const auto coloured = runProgram({"/usr/bin/script", "-qec", cmd, "/dev/null"}, {}, home_.path(),
                                   std::chrono::milliseconds(20000));
  const auto plain = runProgram({"/usr/bin/script", "-qec", cmd, "/dev/null"}, {{"NO_COLOR", "1"}},
                                home_.path(), std::chrono::milliseconds(20000));
  EXPECT_NE(coloured.out.find("\033["), std::string::npos) << "no colour on a terminal at all:\n"
                                                           << coloured.describe();
  EXPECT_NE(plain.out.find("TCP"), std::string::npos) << plain.describe();
  EXPECT_EQ(plain.out.find("\033["), std::string::npos) << "colour despite NO_COLOR:\n"
                                                        << plain.describe();
}

TEST_F(CliHabits, AHostBehindAnRdGatewayIsDiagnosedAsExactlyThat) {
  // the host behind the gateway does not resolve from here: that must not be the diagnosis
  const auto file = home_.path() / "behind-gateway.rdp";
  std::ofstream(file)
      << "full address:s:rds01.corp.invalid\r\ngatewayhostname:s:rdgw.corp.invalid\r\n"
         "gatewayusagemethod:i:1\r\n";
  const std::vector<std::vector<std::string>> runs = {{"diagnose", file.string()},
                                                      {"connect", "--headless", file.string()},
                                                      {"probe", file.string()}};
  for (const auto& args : runs) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 1) << r.describe();
    EXPECT_NE(r.err.find("reached through the RD Gateway rdgw.corp.invalid"), std::string::npos)
        << r.describe();
    EXPECT_EQ(r.err.find("resolve"), std::string::npos) << "blamed on DNS: " << r.describe();
    EXPECT_EQ(r.out.find("resolve"), std::string::npos) << "blamed on DNS: " << r.describe();
  }
}

}  // namespace
}  // namespace rdpdoctor::itest

namespace rdpdoctor::itest {
namespace {

// A broken install (the attempt program is missing) is this machine's problem: said as such, at
// once, with no host-side remedy and no diagnosis ladder against a host that was never reached.
TEST_F(CliHabits, AMissingAttemptProgramIsNamedAsThisClientsProblem) {
  auto closed = lab::start({.kind = lab::Kind::FaultClosed});
  ASSERT_TRUE(closed.ok()) << closed.error().message();
  const auto r = runProgram({RDPDOCTOR_BIN, "connect", "--headless", (*closed)->hostSpec()},
                            {{"RDPDOCTOR_SESSION_EXE", "/nonexistent/rdpdoctor-attempt"}},
                            home_.path(), std::chrono::milliseconds(30000));
  const std::string all = r.out + r.err;
  EXPECT_EQ(r.exitCode, 1) << r.describe();
  EXPECT_NE(all.find("/nonexistent/rdpdoctor-attempt"), std::string::npos) << all;
  EXPECT_NE(all.find("client-setup-failed"), std::string::npos) << all;
  EXPECT_EQ(all.find("firewall"), std::string::npos) << all;
  EXPECT_EQ(all.find("looking for a combination"), std::string::npos)
      << "no ladder for a local fault: " << all;
}

}  // namespace
}  // namespace rdpdoctor::itest
