// A host behind a version-intolerant middlebox: any ClientHello that offers TLS 1.3 is dropped
// (no alert), TLS 1.2 and lower pass to a real xrdp. The probe sees 1.3 dropped and 1.2 working;
// the doctor must cap TLS at 1.2 (FreeRDP's TLSMaxVersion, the linked major's), confirm it, and
// give the peers' commands: xfreerdp3 /tls:enforce:1.2, xfreerdp 2.11 none (no option for it).
#include "doctor_scenario.hpp"
#include "rdpdoctor/lab/relay.hpp"

namespace rdpdoctor::doctortest {
namespace {

using TlsVersionIntolerantHost = DoctorScenario;

TEST_F(TlsVersionIntolerantHost, AHostThatDropsTls13WorksWithTlsCappedAt12AndSaysHowToReproduceIt) {
  auto server = startServer({.kind = lab::Kind::XrdpTls});
  ASSERT_NE(server, nullptr);
  lab::Relay relay(server->port());
  ASSERT_NE(relay.port(), 0);
  relay.dropTlsAbove(0x0303);  // TLS 1.2

  const auto run = diagnoseOnTerminal({relay.hostSpec()});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_GT(relay.droppedHellos(), 0);  // the middlebox really broke the uncapped handshakes
  // the probe's facts: 1.3 dropped without an alert, 1.2 fine
  EXPECT_EQ(j["probe"]["tls"]["versions"]["1.3"], "closed") << j["probe"]["tls"].dump(1);
  EXPECT_EQ(j["probe"]["tls"]["versions"]["1.2"], "ok") << j["probe"]["tls"].dump(1);
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_EQ(j["winner"]["tls_max_version"], "1.2") << j["winner"].dump(1);
  EXPECT_TRUE(j["confirmed"].get<bool>());
  EXPECT_TRUE(anyContains(j["winner"]["xfreerdp3_args"], "/tls:enforce:1.2"))
      << j["winner"]["xfreerdp3_args"];
  EXPECT_TRUE(j["winner"]["xfreerdp3_reproducible"].get<bool>());
  EXPECT_FALSE(j["winner"]["xfreerdp_reproducible"].get<bool>());
  EXPECT_NE(run.process.out.find("--tls-max-version 1.2"), std::string::npos) << run.process.out;
  // every attempt without the cap failed, every capped one that ran worked
  for (const auto& a : ranAttempts(j)) {
    const bool capped = a["profile"]["tls_max_version"] == "1.2";
    if (a["profile"]["security"] == "tls" || capped) {
      EXPECT_EQ(a["result"] == "ok", capped) << a.dump(1);
    }
  }
}

}  // namespace
}  // namespace rdpdoctor::doctortest
