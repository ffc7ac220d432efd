// One scenario per signature that needs a real host or a real machine state (issue 10: "a scenario
// test per signature asserting the cause and the remedies shown, and the ones not shown"), run as
// a person runs it: a terminal, the host and nothing else. The byte-level ones (server-denied,
// licensing-failed, unknown) are tests/hostile/scenarios files.
#include <algorithm>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

bool hasRemedy(const nlohmann::json& doc, const std::string& id) {
  const auto ids = remedyIds(doc);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

using Signatures = DoctorScenario;

// A port whose SYNs nobody answers (lab fault-filtered: the kernel drops them, as a filtering
// firewall does): "does not answer", a firewall or a host that is down; never "nothing listens"
// (that is a refusal, RST) and never the name layer.
TEST_F(Signatures, APortThatNeverAnswersTcpIsPortFilteredWithFirewallRemedies) {
  auto server = startServer({.kind = lab::Kind::FaultFiltered});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--timeout", "30"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 1) << run.describe();
  ASSERT_TRUE(j["original"].is_object()) << run.describe();
  EXPECT_EQ(j["original"]["signature"], "port-filtered") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "tcp");
  EXPECT_TRUE(j["winner"].is_null());
  EXPECT_TRUE(hasRemedy(j, "firewall-av")) << j["remedies"].dump(1);
  EXPECT_TRUE(hasRemedy(j, "network-retry")) << j["remedies"].dump(1);
  EXPECT_FALSE(hasRemedy(j, "start-service")) << "a silent port blamed on a stopped service";
  EXPECT_FALSE(hasRemedy(j, "check-name")) << j["remedies"].dump(1);
  const auto& out = run.process.out;
  EXPECT_TRUE(has(out, "the port does not answer TCP connections")) << out;
  EXPECT_FALSE(has(out, "nothing accepts TCP connections")) << out;
  EXPECT_FALSE(has(out, "does not resolve")) << out;
  EXPECT_EQ(certificateQuestions(run.process), 0u) << "nothing reached TLS:\n" << out;
}

// The trust store is unusable (known_hosts is a directory: root is refused too, unlike chmod 000):
// the certificate is refused before any question, exit 4, and the fix is this machine's store;
// never the host's certificate, never "accept it with --cert accept-once" (that would not help).
TEST_F(Signatures, AnUnusableTrustStoreIsCertificateStoreUnusableWithALocalRemedy) {
  auto server = startServer({.kind = lab::Kind::XrdpTls});
  ASSERT_NE(server, nullptr);
  std::filesystem::create_directories(env_.stateDir() / "known_hosts");
  const auto run = diagnoseOnTerminal({server->hostSpec()});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 4) << run.describe();
  ASSERT_TRUE(j["original"].is_object()) << run.describe();
  EXPECT_EQ(j["original"]["signature"], "certificate-store-unusable") << run.describe();
  EXPECT_TRUE(has(stringAt(j["original"], "cause"), "is not a regular file"))
      << stringAt(j["original"], "cause");
  EXPECT_TRUE(j["winner"].is_null());
  EXPECT_TRUE(hasRemedy(j, "trust-store")) << j["remedies"].dump(1);
  EXPECT_FALSE(hasRemedy(j, "renew-certificate")) << "the host's certificate is not at fault";
  EXPECT_FALSE(hasRemedy(j, "machinekeys-permissions")) << j["remedies"].dump(1);
  const auto& out = run.process.out;
  EXPECT_TRUE(has(out, "trust store")) << out;
  EXPECT_FALSE(has(out, "--cert accept-once")) << "accepting cannot help an unusable store:\n"
                                               << out;
  EXPECT_FALSE(has(out, "delete the certificate")) << out;
  EXPECT_EQ(certificateQuestions(run.process), 0u) << "asked, then refused anyway:\n" << out;
  EXPECT_TRUE(std::filesystem::is_directory(env_.stateDir() / "known_hosts"))
      << "the store in the way was touched";
}

}  // namespace
}  // namespace rdpdoctor::doctortest
