// FreeRDP 3's fallback to standard RDP security (FreeRDP issue 12034: broken in some 3.x
// releases) on the installed version: an xrdp host with security_layer=negotiate whose TLS fails
// (a box on the way drops every TLS ClientHello, no alert). With --min-security rdp the doctor
// must still reach standard RDP security, whatever the linked library's own fallback does: the
// ladder offers standard RDP security alone, so no library fallback is needed. Runs on both
// majors (on 2.11 it guards the same path).
#include "doctor_scenario.hpp"
#include "rdpdoctor/lab/relay.hpp"

namespace rdpdoctor::doctortest {
namespace {

using NegotiateHostWithBrokenTls = DoctorScenario;

TEST_F(NegotiateHostWithBrokenTls,
       Freerdp3Issue12034AtFloorRdpTheDoctorStillReachesStandardRdpSecurity) {
  auto server = startServer({.kind = lab::Kind::XrdpNegotiate});
  ASSERT_NE(server, nullptr);
  lab::Relay relay(server->port());
  ASSERT_NE(relay.port(), 0);
  relay.dropTlsAbove(1);  // every TLS version: TLS fails

  const auto run = diagnose({relay.hostSpec(), "--min-security", "rdp"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_GT(relay.droppedHellos(), 0) << "TLS was never tried";
  ASSERT_TRUE(j["original"].is_object()) << run.describe();
  EXPECT_EQ(j["original"]["profile"]["security"], "negotiate");
  const auto attempts = ranAttempts(j);
  ASSERT_FALSE(attempts.empty()) << run.describe();
  EXPECT_EQ(attempts.front()["profile"]["security"], "negotiate");
  EXPECT_EQ(attempts.front()["result"], "failed")
      << "auto lands on TLS (xrdp selects it), which fails";
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_TRUE(j["confirmed"].get<bool>());
  EXPECT_EQ(j["winner"]["security"], "rdp") << j["winner"]["summary"];
  EXPECT_TRUE(anyContains(j["winner"]["downgrades"], "standard RDP security"))
      << j["winner"]["downgrades"];
  // the connection that worked really was standard RDP security: no TLS after that request
  bool rdpOk = false;
  for (const auto& a : attempts) rdpOk |= a["result"] == "ok" && a["profile"]["security"] == "rdp";
  EXPECT_TRUE(rdpOk) << j["attempts"].dump(1);
}

}  // namespace
}  // namespace rdpdoctor::doctortest
