// A host limited to standard RDP security (xrdp security_layer=rdp) at each crypt level. Above
// --min-security rdp the doctor finds it (the classic MAC where xrdp rejects salted MACs, plain
// standard RDP security at FIPS); at the default floor it tries nothing below TLS and says how to
// allow it.
#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

class RdpOnlyHost : public DoctorScenario, public ::testing::WithParamInterface<std::string> {
 protected:
  [[nodiscard]] bool fips() const { return GetParam() == "fips"; }
};

TEST_P(RdpOnlyHost, WithRdpFloorTheWinnerIsStandardRdpSecurityMarkedAsADowngrade) {
  auto server = startServer({.kind = lab::Kind::XrdpRdp, .cryptLevel = GetParam()});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--min-security", "rdp"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_EQ(j["floor"], "rdp");
  ASSERT_TRUE(j["original"].is_object()) << run.describe();
  EXPECT_EQ(j["original"]["profile"]["security"], "negotiate")
      << "the original is the user's own (auto) settings";
  if (!fips()) {
    EXPECT_EQ(j["original"]["signature"], "rdp-encryption-mismatch") << run.describe();
    EXPECT_EQ(j["original"]["layer"], "rdp-security");
  }
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  const auto& w = j["winner"];
  EXPECT_TRUE(j["confirmed"].get<bool>());
  // the connection that works is standard RDP security, and the report says so
  EXPECT_TRUE(anyContains(w["downgrades"], "standard RDP security"))
      << "winner " << w["summary"] << " downgrades " << w["downgrades"];
  if (fips()) {
    // the original (auto) settings already work here: they land on standard RDP security
    EXPECT_TRUE(w["security"] == "rdp" || w["security"] == "negotiate") << w["summary"];
    EXPECT_TRUE(w["salted_mac"].get<bool>()) << "plain standard RDP security works at FIPS";
    EXPECT_TRUE(w["xfreerdp_reproducible"].get<bool>());
  } else {
    EXPECT_EQ(w["security"], "rdp");
    EXPECT_FALSE(w["salted_mac"].get<bool>()) << "xrdp rejects salted MACs below FIPS";
    EXPECT_TRUE(anyContains(w["downgrades"], "classic (unsalted) MAC")) << w["downgrades"];
    EXPECT_FALSE(w["xfreerdp_reproducible"].get<bool>())
        << "the classic MAC has no xfreerdp 2.11 option";
    EXPECT_TRUE(anyContains(w["xfreerdp_args"], "/sec:rdp")) << w["xfreerdp_args"];
  }
}

TEST_P(RdpOnlyHost, WithTheDefaultFloorNothingBelowTlsIsTriedAndTheReportSaysHowToAllowIt) {
  auto server = startServer({.kind = lab::Kind::XrdpRdp, .cryptLevel = GetParam()});
  ASSERT_NE(server, nullptr);
  const auto jsonPath = dir_.path() / "report.json";
  // --json FILE: stdout then carries the text report a user reads
  const auto run = answering({"diagnose", server->hostSpec(), "--json", jsonPath.string()});
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(readFile(jsonPath))) << run.describe() << "\n"
                                                                 << run.out;
  EXPECT_EQ(run.exitCode, 1) << run.describe() << "\n" << run.out;
  EXPECT_EQ(j["floor"], "tls");
  EXPECT_TRUE(j["winner"].is_null()) << j["winner"].dump();
  bool rdpListed = false;
  for (const auto& b : j["below_floor"]) rdpListed = rdpListed || b["profile"]["security"] == "rdp";
  EXPECT_TRUE(rdpListed) << j["below_floor"].dump(1);
  // the user's own (auto) settings are tried; every fallback stays at or above the floor
  for (const auto& a : ranAttempts(j)) {
    if (stringAt(a, "why") == "the original settings") continue;
    EXPECT_TRUE(a["profile"]["security"] == "tls" || a["profile"]["security"] == "nla")
        << "tried below the floor: " << a["profile"]["summary"];
  }
  // a connection that lands on standard RDP security is below a TLS floor, even when auto got there
  for (const auto& a : ranAttempts(j)) {
    if (a["result"] != "ok") continue;
    EXPECT_NE(a["outcome"]["selected_protocol"], 0)
        << "accepted standard RDP security at floor tls";
  }
  EXPECT_NE(run.out.find("--min-security rdp"), std::string::npos) << run.out;
  // the report still says what fails and what to fix on the host
  ASSERT_TRUE(j["original"].is_object()) << "no 'original' section: " << j["verdict"];
  EXPECT_EQ(j["original"]["profile"]["security"], "negotiate");
  EXPECT_FALSE(j["original"]["layer"].get<std::string>().empty());
  EXPECT_FALSE(j["remedies"].empty()) << "no host-side remedy for a host without TLS";
  EXPECT_NE(j["verdict"].get<std::string>().rfind(". ", 0), 0u)
      << "verdict starts with '. ': " << j["verdict"];
}

INSTANTIATE_TEST_SUITE_P(CryptLevels, RdpOnlyHost,
                         ::testing::Values("low", "medium", "high", "fips"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace rdpdoctor::doctortest
