// An expired certificate: denied, the ladder stops at once with a certificate signature (exit 4)
// and never falls back to weaker settings; accepted once, the same host works.
#include <algorithm>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

using ExpiredCertificate = DoctorScenario;

TEST_F(ExpiredCertificate, DeniedStopsTheLadderWithACertificateSignatureAndExit4) {
  auto server = startServer({.kind = lab::Kind::XrdpExpiredCert});
  ASSERT_NE(server, nullptr);
  const auto run = diagnose({server->hostSpec(), "--security", "tls", "--cert", "deny"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 4) << run.describe();
  EXPECT_EQ(j["original"]["signature"], "certificate-expired") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "tls");
  EXPECT_EQ(j["stopped_by"].get<std::string>().rfind("certificate-", 0), 0u) << j["stopped_by"];
  EXPECT_TRUE(j["winner"].is_null());
  EXPECT_EQ(ranAttempts(j).size(), 1u)
      << "trusting a certificate is never a fallback: " << j["attempts"].dump(1);
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "renew-certificate"), ids.end());
  for (const char* wrong : {"enable-tls12", "firewall-av", "allow-nla", "start-service"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for an expired certificate: " << j["remedies"].dump(1);
  EXPECT_TRUE(j["probe"]["tls"]["certificate"]["expired"].get<bool>()) << j["probe"]["tls"].dump();
  EXPECT_TRUE(filesContaining(env_.stateDir(), "").empty()) << "a denied certificate is not stored";
}

TEST_F(ExpiredCertificate, AcceptedOnceTheSameHostWorks) {
  auto server = startServer({.kind = lab::Kind::XrdpExpiredCert});
  ASSERT_NE(server, nullptr);
  const auto run = diagnose({server->hostSpec(), "--security", "tls", "--cert", "accept-once"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  EXPECT_EQ(j["original"]["signature"], "ok");
  ASSERT_TRUE(j["winner"].is_object());
  EXPECT_EQ(j["winner"]["security"], "tls");
  EXPECT_TRUE(j["winner"]["downgrades"].empty()) << j["winner"]["downgrades"];
  EXPECT_TRUE(j["confirmed"].get<bool>());
  for (const auto& a : ranAttempts(j)) {
    ASSERT_TRUE(a["outcome"]["certificate"].is_object()) << a.dump();
    EXPECT_EQ(a["outcome"]["certificate"]["decision"], "accept-once");
  }
  // the winner is remembered (hosts.json), the certificate is not: no pin
  EXPECT_FALSE(std::filesystem::exists(env_.stateDir() / "known_hosts"))
      << "accept-once pins nothing";
}

TEST_F(ExpiredCertificate, AWorkingConnectionStillNamesTheExpiredCertificateInEveryReport) {
  auto server = startServer({.kind = lab::Kind::XrdpExpiredCert});
  ASSERT_NE(server, nullptr);
  const auto md = env_.home() / "report.md";
  const auto html = env_.home() / "report.html";
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--security", "tls", "--markdown",
                                       md.string(), "--html", html.string()});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  ASSERT_TRUE(run.json["host_findings"].is_array()) << run.json.dump(1);
  const nlohmann::json* expired = nullptr;
  for (const auto& f : run.json["host_findings"])
    if (f["id"] == "certificate-expired") expired = &f;
  ASSERT_NE(expired, nullptr) << run.json["host_findings"].dump(1);
  EXPECT_EQ((*expired)["severity"], "high");
  EXPECT_NE((*expired)["evidence"].get<std::string>().find("2021-01-01"), std::string::npos)
      << expired->dump();
  EXPECT_EQ(run.json["host_findings"][0]["severity"], "high") << "most severe first";
  EXPECT_TRUE(run.json["probe"]["host_findings"].is_array()) << "probe@1 carries them too";
  // the text report on stdout (no --json) and the files
  const auto text = onTerminal({"diagnose", server->hostSpec(), "--security", "tls"},
                               {{std::string(kCertificateQuestion), "o"}});
  EXPECT_EQ(text.exitCode, 0) << text.out;
  EXPECT_NE(text.out.find("host findings"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("certificate-expired"), std::string::npos) << text.out;
  const auto slurp = [](const std::filesystem::path& p) { return readFile(p); };
  EXPECT_NE(slurp(md).find("| high | certificate-expired |"), std::string::npos) << slurp(md);
  EXPECT_NE(slurp(html).find("certificate-expired"), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor::doctortest
