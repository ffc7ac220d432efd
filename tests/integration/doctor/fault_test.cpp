// Hosts that misbehave at the byte level (tests/lab fault endpoints) and a host where nothing
// works: the doctor ends in time, names the failing stage, never invents a winner.
#include <algorithm>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

/// How far past --timeout a whole `rdpdoctor diagnose` may end: --timeout is the overall budget
/// (README: "overall time budget"); the margin covers the last attempt child's kill grace
/// (IsolationOptions::grace, 3 s would already be generous) and process start and exit.
constexpr std::chrono::milliseconds kTimeoutMargin{3000};

using MisbehavingHost = DoctorScenario;

TEST_F(MisbehavingHost, SilentServerIsReportedAsServerSilentWithExit5) {
  auto server = startServer({.kind = lab::Kind::FaultSilent});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--timeout", "30"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 5) << run.describe();
  EXPECT_TRUE(j["winner"].is_null());
  ASSERT_TRUE(j["original"].is_object())
      << "nothing was tried against the silent host: " << j["verdict"];
  EXPECT_EQ(j["original"]["signature"], "server-silent") << run.describe();
  EXPECT_EQ(j["original"]["mstsc"]["disconnect_reason"], 0x108);
  EXPECT_EQ(j["stopped_by"], "server-silent");
  // it accepted TCP: never "nothing listens", never the name
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "network-retry"), ids.end()) << j["remedies"].dump(1);
  for (const char* wrong : {"start-service", "check-name", "renew-certificate"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for a silent server: " << j["remedies"].dump(1);
}

TEST_F(MisbehavingHost, SilentServerDiagnosisEndsWithinTheTimeoutPlusTheDocumentedMargin) {
  auto server = startServer({.kind = lab::Kind::FaultSilent});
  ASSERT_NE(server, nullptr);
  constexpr int kTimeoutSeconds = 10;
  const auto run = diagnoseOnTerminal(
      {server->hostSpec(), "--security", "tls", "--timeout", std::to_string(kTimeoutSeconds)});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  EXPECT_EQ(run.process.exitCode, 5) << run.describe();
  EXPECT_EQ(run.json["original"]["signature"], "server-silent") << run.describe();
  EXPECT_EQ(run.json["original"]["layer"], "negotiation");
  EXPECT_LE(run.process.elapsed, std::chrono::seconds(kTimeoutSeconds) + kTimeoutMargin)
      << "--timeout " << kTimeoutSeconds << " took " << run.process.elapsed.count() << " ms (probe "
      << run.json["probe"].value("elapsed_ms", -1) << " ms + ladder " << run.json["elapsed_ms"]
      << " ms)";
}

TEST_F(MisbehavingHost,
       ResetRightAfterTheConnectionConfirmIsClosedAfterNegotiationWithFirewallRemedies) {
  auto server = startServer({.kind = lab::Kind::FaultResetAfterConfirm});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--security", "tls"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 1) << run.describe();
  EXPECT_TRUE(j["winner"].is_null());
  EXPECT_EQ(j["original"]["signature"], "closed-after-negotiation") << run.describe();
  EXPECT_EQ(j["original"]["mstsc"]["disconnect_reason"], 0x904);
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "firewall-av"), ids.end()) << j["remedies"].dump(1);
  // TCP and the Confirm worked: not a stopped service, not the name
  for (const char* wrong : {"start-service", "check-name", "dns-fix"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for a reset after the Confirm: " << j["remedies"].dump(1);
  for (const auto& a : ranAttempts(j)) EXPECT_EQ(a["result"], "failed") << a["profile"]["summary"];
}

TEST_F(MisbehavingHost, WhereNoCombinationWorksTheReportSaysSoWithNoWinnerAndExit1) {
  auto server = startServer({.kind = lab::Kind::Xrdp3desOnly});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--min-security", "tls"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 1) << run.describe();
  EXPECT_TRUE(j["winner"].is_null());
  EXPECT_FALSE(j["confirmed"].get<bool>());
  const auto ran = ranAttempts(j);
  EXPECT_FALSE(ran.empty()) << "nothing was tried: " << j["verdict"];
  for (const auto& a : ran) {
    EXPECT_EQ(a["result"], "failed") << a["profile"]["summary"];
    EXPECT_EQ(a["layer"], "tls") << a["profile"]["summary"];
  }
  EXPECT_NE(j["verdict"].get<std::string>().find("no combination"), std::string::npos)
      << j["verdict"];
  EXPECT_FALSE(j["remedies"].empty());
}

}  // namespace
}  // namespace rdpdoctor::doctortest
