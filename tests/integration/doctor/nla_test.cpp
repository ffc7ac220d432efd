// The NLA-only FreeRDP shadow server: reached with a TLS-only starting profile the doctor finds
// NLA; with a wrong password it stops after exactly one attempt (no lockouts).
#include <algorithm>
#include <filesystem>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

int rejectedAuthentications(const lab::Server& s) {
  return doctortest::rejectedAuthentications(s.logFile());
}

using NlaOnlyHost = DoctorScenario;

TEST_F(NlaOnlyHost, ReachedWithATlsOnlyStartTheWinnerIsNlaAndTheOriginalNeededNla) {
  auto server = startServer({.kind = lab::Kind::ShadowNla});
  ASSERT_NE(server, nullptr);
  env_.set("RDPDOCTOR_PASSWORD", kLabPassword);
  const auto run =
      diagnoseOnTerminal({server->hostSpec(), "--security", "tls", "--user", kLabUser});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_EQ(j["original"]["profile"]["security"], "tls");
  EXPECT_EQ(j["original"]["signature"], "nla-required") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "negotiation");
  EXPECT_EQ(j["original"]["mstsc"]["disconnect_reason"], 0x904);
  EXPECT_EQ(j["original"]["mstsc"]["extended_reason"], 0x7);
  // the winner proves the cause: NLA, never the certificate, TLS versions or a filter
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "allow-nla"), ids.end()) << j["remedies"].dump(1);
  for (const char* wrong : {"renew-certificate", "enable-tls12", "firewall-av"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for an NLA-only host: " << j["remedies"].dump(1);
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_EQ(j["winner"]["security"], "nla");
  EXPECT_TRUE(j["winner"]["downgrades"].empty())
      << "NLA is an upgrade, not a downgrade: " << j["winner"]["downgrades"];
  EXPECT_TRUE(anyContains(j["winner"]["xfreerdp_args"], "/sec:nla"))
      << j["winner"]["xfreerdp_args"];
  EXPECT_FALSE(anyContains(j["winner"]["xfreerdp_args"], "/p:"))
      << "credentials are left out of the args";
  EXPECT_TRUE(j["confirmed"].get<bool>());
  EXPECT_TRUE(j["logon_proven"].get<bool>()) << "a frame after NLA proves the logon";
  EXPECT_EQ(rejectedAuthentications(*server), 0);
  expectPasswordNowhere(run.process, kLabPassword);
}

TEST_F(NlaOnlyHost, WrongPasswordStopsTheLadderAfterExactlyOneAttemptWithExit3) {
  auto server = startServer({.kind = lab::Kind::ShadowNla});
  ASSERT_NE(server, nullptr);
  const std::string wrong = "Wrong-Pass-5678";
  env_.set("RDPDOCTOR_PASSWORD", wrong);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--user", kLabUser});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 3) << run.describe();
  EXPECT_EQ(j["stopped_by"], "credentials-rejected");
  EXPECT_TRUE(j["winner"].is_null());
  const auto ran = ranAttempts(j);
  EXPECT_EQ(ran.size(), 1u) << "attempts that ran: " << j["attempts"].dump(1);
  ASSERT_FALSE(ran.empty());
  EXPECT_EQ(ran.front()["signature"], "credentials-rejected")
      << "the first attempt already sent the wrong password";
  EXPECT_EQ(ran.front()["layer"], "nla");
  EXPECT_EQ(j["original"]["signature"], "credentials-rejected");
  // the remedies are about the account and the password, never about weakening the host
  std::string remedies;
  for (const auto& r : j["remedies"]) remedies += stringAt(r, "text") + "\n";
  EXPECT_NE(remedies.find("the password"), std::string::npos) << remedies;
  EXPECT_NE(remedies.find("locked out"), std::string::npos) << "no lockout warning:\n" << remedies;
  EXPECT_EQ(remedies.find("Network Level Authentication"), std::string::npos)
      << "turning NLA off is no fix for a wrong password:\n"
      << remedies;
  // every other rung is reported as skipped because of the rejection, never tried
  for (const auto& a : j["attempts"]) {
    if (a["result"] == "skipped") {
      EXPECT_NE(stringAt(a, "skip_reason").find("credentials-rejected"), std::string::npos)
          << a.dump();
    }
  }
  // the server saw exactly one failed authentication (its NTLM log line per rejected CredSSP run)
  EXPECT_EQ(rejectedAuthentications(*server), 1)
      << "the server rejected our credentials more than once: "
         "each failed logon counts towards an account lockout";
  EXPECT_EQ(j["original"]["profile"]["security"], "negotiate")
      << "the 'original' section must describe the user's own settings (--security auto), not the "
         "first rung tried";
  expectPasswordNowhere(run.process, wrong);
}

// FreeRDP's NTLM needs MD4, which OpenSSL 3 keeps in its legacy provider. Where this machine cannot
// load it (here: OPENSSL_MODULES pointing at an empty directory, as a broken or FIPS setup does),
// NTLM fails on this side before anything is checked, and the host only sees a closed connection.
// That must be named as this machine's problem, never as a rejected password (exit 3, "check the
// password", the ladder stopped for lockouts).
TEST_F(NlaOnlyHost, WithoutOpensslsLegacyProviderNtlmFailsOnThisMachineNotAsARejectedPassword) {
  auto server = startServer({.kind = lab::Kind::ShadowNla});
  ASSERT_NE(server, nullptr);
  const auto noModules = dir_.path() / "empty-ossl-modules";
  std::filesystem::create_directories(noModules);
  env_.set("OPENSSL_MODULES", noModules.string());
  env_.set("RDPDOCTOR_PASSWORD", kLabPassword);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--user", kLabUser});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 1) << "no connection, and not 3 (credentials rejected)\n"
                                     << run.describe();
  EXPECT_EQ(j["original"]["signature"], "local-crypto-missing") << run.describe();
  EXPECT_NE(stringAt(j["original"], "cause").find("MD4"), std::string::npos) << j["original"];
  EXPECT_NE(j["stopped_by"], "credentials-rejected");
  EXPECT_EQ(rejectedAuthentications(*server), 0) << "no credential reached the host's check";
  std::string remedies;
  for (const auto& r : j["remedies"]) remedies += stringAt(r, "id") + "\n";
  EXPECT_NE(remedies.find("openssl-legacy-provider"), std::string::npos) << remedies;
  EXPECT_EQ(remedies.find("check-credentials"), std::string::npos) << remedies;
  EXPECT_EQ(remedies.find("allow-nla"), std::string::npos) << remedies;
  // the first lines a person reads put the fix on this machine, not on the host
  EXPECT_NE(run.process.out.find("fix on this machine"), std::string::npos) << run.process.out;
  EXPECT_NE(run.process.out.find("legacy provider"), std::string::npos) << run.process.out;
  expectPasswordNowhere(run.process, kLabPassword);
}

}  // namespace
}  // namespace rdpdoctor::doctortest
