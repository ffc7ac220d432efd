// rdpdoctor-lab, the CLI the README demo and the benchmarks use: READY line, clean stop on
// SIGTERM, and no server outliving a CLI that was SIGKILLed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "net.hpp"
#include "proc_table.hpp"
#include "process.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {
namespace {

struct RunningCli {
  ChildProcess process;
  std::string hostSpec;
  std::vector<pid_t> servers;  // the CLI's children
};

/// Starts the CLI and waits (deadline) for its READY line.
void startCli(const std::vector<std::string>& args, const TempDir& dir, RunningCli& out) {
  std::vector<std::string> argv = {RDPDOCTOR_LAB_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  // TMPDIR inside our TempDir: a SIGKILLed CLI cannot remove its servers' directories itself.
  auto child = ChildProcess::spawn(
      {argv, {{"TMPDIR", dir.path().string()}}, dir.path(), dir.path() / "cli.log"});
  ASSERT_TRUE(child.ok()) << child.error().message();
  out.process = std::move(*child);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string log;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(dir.path() / "cli.log");
    std::ostringstream text;
    text << in.rdbuf();
    log = text.str();
    const auto at = log.find("READY ");
    if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
      out.hostSpec = log.substr(at + 6, log.find('\n', at) - at - 6);
      break;
    }
    ASSERT_TRUE(out.process.running()) << "the CLI exited: " << log;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(out.hostSpec.empty()) << "no READY line: " << log;
  out.servers = descendantsOf(listProcesses(), out.process.pid());
}

bool allGoneWithin(const std::vector<pid_t>& pids, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool any = false;
    for (pid_t p : pids) any = any || processAlive(p);
    if (!any) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TEST(LabCli, PrintsReadyWithAHostSpecAndStopsEverythingOnSigterm) {
  TempDir dir;
  RunningCli cli;
  ASSERT_NO_FATAL_FAILURE(startCli({"shadow-tls"}, dir, cli));
  ASSERT_EQ(cli.hostSpec.rfind("127.0.0.1:", 0), 0U) << cli.hostSpec;
  const auto port = static_cast<std::uint16_t>(std::stoi(cli.hostSpec.substr(10)));
  EXPECT_EQ(tryConnect("127.0.0.1", port, std::chrono::milliseconds(2000)),
            ConnectOutcome::Connected);
  EXPECT_EQ(cli.servers.size(), 2U) << "freerdp-shadow-cli and Xvfb";

  ASSERT_EQ(::kill(cli.process.pid(), SIGTERM), 0);
  ASSERT_TRUE(cli.process.waitFor(std::chrono::seconds(8))) << "the CLI ignored SIGTERM";
  EXPECT_TRUE(WIFEXITED(cli.process.exitStatus()) && WEXITSTATUS(cli.process.exitStatus()) == 0);
  EXPECT_TRUE(allGoneWithin(cli.servers, std::chrono::milliseconds(500)));
}

TEST(LabCli, ServersDieWithACliThatWasKilled) {
  TempDir dir;
  RunningCli cli;
  ASSERT_NO_FATAL_FAILURE(startCli({"xrdp-tls", "--ipv6"}, dir, cli));
  EXPECT_EQ(cli.hostSpec.rfind("[::1]:", 0), 0U) << cli.hostSpec;
  ASSERT_EQ(cli.servers.size(), 1U);
  ASSERT_EQ(::kill(cli.process.pid(), SIGKILL), 0);
  ASSERT_TRUE(cli.process.waitFor(std::chrono::seconds(5)));
  EXPECT_TRUE(allGoneWithin(cli.servers, std::chrono::seconds(3)))
      << "xrdp outlived its killed parent (PR_SET_PDEATHSIG)";
}

TEST(LabCli, RejectsAnUnknownKindWithUsageExitCode) {
  TempDir dir;
  auto rc = runCommand({{RDPDOCTOR_LAB_CLI, "xrdp-nla"}, {}, dir.path(), dir.path() / "cli.log"},
                       std::chrono::seconds(10));
  ASSERT_TRUE(rc.ok()) << rc.error().message();
  EXPECT_EQ(*rc, 2);
  EXPECT_NE(logTail(dir.path() / "cli.log").find("xrdp-negotiate"), std::string::npos)
      << "the usage lists the kinds";
}

}  // namespace
}  // namespace rdpdoctor::lab
