// `rdpdoctor probe`: exit codes and the JSON contract (rdpdoctor/probe@1), run as a user would.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "probe_test_util.hpp"

namespace rdpdoctor::probe::test {
namespace {

using lab::Kind;
using nlohmann::json;

CommandResult probeCli(const std::string& args) {
  return runCommand(std::string(RDPDOCTOR_BINARY) + " probe " + args + " 2>/dev/null");
}

TEST(ProbeCli, TlsHostExitsZeroWithTheContractFields) {
  auto server = lab::start(labOptions(Kind::XrdpNegotiate));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --json -");
  ASSERT_EQ(run.exitCode, 0) << run.out;
  const json j = json::parse(run.out);
  EXPECT_EQ(j["schema"], "rdpdoctor/probe@1");
  EXPECT_EQ(j["host"], "127.0.0.1");
  EXPECT_EQ(j["port"], (*server)->port());
  ASSERT_EQ(j["addresses"].size(), 1U);
  EXPECT_EQ(j["addresses"][0]["address"], "127.0.0.1");
  EXPECT_EQ(j["addresses"][0]["family"], "ipv4");
  EXPECT_EQ(j["addresses"][0]["tcp"], "ok");
  EXPECT_TRUE(j["addresses"][0]["connect_ms"].is_number());
  bool sawHybrid = false;
  for (const auto& n : j["negotiation"]) {
    EXPECT_TRUE(n["requested"].is_array());
    if (n["requested"] == json::array({"HYBRID"})) {
      sawHybrid = true;
      EXPECT_EQ(n["result"], "selected");
      EXPECT_EQ(n["selected"], "RDP");
      EXPECT_EQ(n["downgrade"], true);
      EXPECT_TRUE(n["failure"].is_null());
    }
  }
  EXPECT_TRUE(sawHybrid);
  const auto& tls = j["tls"];
  EXPECT_EQ(tls["versions"],
            json({{"1.0", "refused"}, {"1.1", "refused"}, {"1.2", "ok"}, {"1.3", "ok"}}));
  EXPECT_EQ(tls["min_seclevel"], 1);
  EXPECT_TRUE(tls["cipher"].is_string());
  const auto& cert = tls["certificate"];
  EXPECT_EQ(cert["subject"], "CN=rdpdoctor-lab");
  EXPECT_EQ(cert["expired"], false);
  EXPECT_EQ(cert["self_signed"], true);
  EXPECT_EQ(cert["name_match"], true);
  EXPECT_EQ(cert["key_bits"], 2048);
  EXPECT_EQ(cert["sha256"], pemSha256((*server)->certificatePem()));
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  EXPECT_TRUE(std::regex_match(cert["not_before"].get<std::string>(), iso));
  EXPECT_TRUE(std::regex_match(cert["not_after"].get<std::string>(), iso));
  EXPECT_EQ(j["rdp_security"]["methods"], json::array({"128"}));
  EXPECT_EQ(j["rdp_security"]["level"], "high");
  EXPECT_FALSE(j["verdict"].get<std::string>().empty());
}

/// Issue 9: a check the user skipped is not a failure: not in the answer, the exit code, the
/// findings or the verdict. Before, `--no-tls` on a TLS-only host answered "no-rdp" (exit 1) with
/// the verdict "no TLS version completes a handshake ()".
void expectSkippedIsNoFailure(const json& j, const std::string& layer, const std::string& says) {
  EXPECT_EQ(j["answer"], "works") << j.dump(2);
  int checks = 0;
  for (const auto& f : j["findings"]) {
    if (f["layer"] != layer) continue;
    ++checks;
    EXPECT_EQ(f["status"], "skipped") << f.dump();
  }
  EXPECT_EQ(checks, 4) << "one finding per TLS version or encryption method: "
                       << j["findings"].dump(2);
  const auto verdict = j["verdict"].get<std::string>();
  EXPECT_NE(verdict.find(says), std::string::npos) << verdict;
  EXPECT_EQ(verdict.find("no TLS version completes"), std::string::npos) << verdict;
  EXPECT_EQ(verdict.find("none of 40, 56, 128-bit or FIPS"), std::string::npos) << verdict;
}

TEST(ProbeCli, NoTlsOnATlsOnlyHostSkipsTheChecksAndExitsZero) {
  auto server = lab::start(labOptions(Kind::XrdpTls));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --no-tls --json -");
  EXPECT_EQ(run.exitCode, 0) << run.out;
  const json j = json::parse(run.out);
  EXPECT_EQ(j["tls"]["versions"],
            json({{"1.0", "skipped"}, {"1.1", "skipped"}, {"1.2", "skipped"}, {"1.3", "skipped"}}));
  expectSkippedIsNoFailure(j, "tls", "not checked (--no-tls)");
}

TEST(ProbeCli, NoRdpSecurityOnAStandardSecurityOnlyHostSkipsTheChecksAndExitsZero) {
  auto server = lab::start(labOptions(Kind::XrdpRdp));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --no-rdp-security --json -");
  EXPECT_EQ(run.exitCode, 0) << run.out;
  const json j = json::parse(run.out);
  EXPECT_EQ(j["rdp_security"]["methods"], json::array()) << j["rdp_security"].dump();
  expectSkippedIsNoFailure(j, "rdp-security", "not checked (--no-rdp-security)");
}

TEST(ProbeCli, FailureCodeNamesFollowMsRdpbcgr) {
  auto server = lab::start(labOptions(Kind::XrdpTls));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --json -");
  ASSERT_EQ(run.exitCode, 0) << run.out;
  const json j = json::parse(run.out);
  bool sawRdp = false;
  for (const auto& n : j["negotiation"]) {
    if (n["requested"] != json::array({"RDP"})) continue;
    sawRdp = true;
    EXPECT_EQ(n["result"], "failure");
    EXPECT_EQ(n["failure"], "SSL_REQUIRED_BY_SERVER");
    EXPECT_TRUE(n["selected"].is_null());
  }
  EXPECT_TRUE(sawRdp);
  EXPECT_EQ(j["rdp_security"]["methods"], json::array());
}

TEST(ProbeCli, GarbageExitsOne) {
  auto server = lab::start(labOptions(Kind::FaultGarbage));
  ASSERT_TRUE(server.ok()) << server.error().message();
  EXPECT_EQ(probeCli((*server)->hostSpec()).exitCode, 1);
}

TEST(ProbeCli, ThreeDesOnlyExitsOne) {
  auto server = lab::start(labOptions(Kind::Xrdp3desOnly));
  ASSERT_TRUE(server.ok()) << server.error().message();
  EXPECT_EQ(probeCli((*server)->hostSpec()).exitCode, 1);
}

TEST(ProbeCli, SilentHostExitsFiveWithinTheBudget) {
  auto server = lab::start(labOptions(Kind::FaultSilent));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --timeout 2 --step-timeout 0.5 --json -");
  EXPECT_EQ(run.exitCode, 5) << run.out;
  const json j = json::parse(run.out);
  EXPECT_EQ(j["negotiation"][0]["result"], "timeout");
  EXPECT_LT(j["elapsed_ms"].get<int>(), 2000);
}

TEST(ProbeCli, RefusedPortExitsSix) {
  auto server = lab::start(labOptions(Kind::FaultClosed));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec() + " --json -");
  EXPECT_EQ(run.exitCode, 6) << run.out;
  EXPECT_EQ(json::parse(run.out)["addresses"][0]["tcp"], "refused");
}

TEST(ProbeCli, UsageErrorsExitTwo) {
  EXPECT_EQ(probeCli("").exitCode, 2);
  EXPECT_EQ(probeCli("127.0.0.1:99999").exitCode, 2);
  EXPECT_EQ(probeCli("[::1:3389").exitCode, 2);
}

TEST(ProbeCli, PlainTextWithoutATerminalHasNoColour) {
  auto server = lab::start(labOptions(Kind::XrdpTls));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto run = probeCli((*server)->hostSpec());
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_EQ(run.out.find('\033'), std::string::npos);
  EXPECT_NE(run.out.find("verdict: "), std::string::npos);
  EXPECT_NE(run.out.find("X.224 negotiation"), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor::probe::test
