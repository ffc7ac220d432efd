// A host that speaks only TLS 1.0 with ECDHE ciphers: OpenSSL 3 refuses it at its default
// security level; the doctor must find TLS at level 0, prove it twice and mark the downgrade.
#include <algorithm>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

using LegacyTlsHost = DoctorScenario;

TEST_F(LegacyTlsHost, Tls10EcdheHostWorksOverTlsAtSecurityLevelZeroAndTheDowngradeIsListed) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--security", "tls"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_EQ(j["schema"], "rdpdoctor/diagnose@1");
  EXPECT_EQ(j["original"]["profile"]["security"], "tls");
  EXPECT_EQ(j["original"]["signature"], "tls-legacy-refused-locally") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "tls");
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_EQ(j["winner"]["security"], "tls");
  EXPECT_EQ(j["winner"]["tls_seclevel"], 0);
  EXPECT_TRUE(j["confirmed"].get<bool>());
  EXPECT_TRUE(anyContains(j["winner"]["downgrades"], "security level 0"))
      << j["winner"]["downgrades"];
  EXPECT_TRUE(anyContains(j["winner"]["xfreerdp_args"], "/tls-seclevel:0"))
      << j["winner"]["xfreerdp_args"];
  EXPECT_TRUE(anyContains(j["winner"]["xfreerdp_args"], "/sec:tls"))
      << j["winner"]["xfreerdp_args"];
  EXPECT_TRUE(j["winner"]["xfreerdp_reproducible"].get<bool>());
  // the winner was tried, then confirmed by a second, fresh connection
  int okWinner = 0;
  for (const auto& a : ranAttempts(j))
    if (a["result"] == "ok" && a["profile"]["tls_seclevel"] == 0) ++okWinner;
  EXPECT_EQ(okWinner, 2) << j["attempts"].dump(1);
  // the winner proves the cause: TLS 1.2 on the host, never its certificate, key or a filter
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "enable-tls12"), ids.end()) << j["remedies"].dump(1);
  for (const char* wrong : {"renew-certificate", "machinekeys-permissions", "firewall-av"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for a legacy-TLS host: " << j["remedies"].dump(1);
  EXPECT_EQ(run.process.out.find("delete the certificate"), std::string::npos) << run.process.out;
}

}  // namespace
}  // namespace rdpdoctor::doctortest
