// What the doctor leaves behind: the winner as an .rdp file that `connect --headless` uses on its
// own, an HTML page with the attempt matrix, and never the password in any output or file.
#include <fstream>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

using DoctorArtifacts = DoctorScenario;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_F(DoctorArtifacts,
       SavedRdpOfALegacyTlsHostConnectsHeadlessWithoutTheDoctorAndTheHtmlHasTheAttemptMatrix) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  const auto rdp = dir_.path() / "legacy.rdp";
  const auto html = dir_.path() / "report.html";
  // "always": the saved file below connects without being asked again
  const auto run = diagnoseOnTerminal({server->hostSpec(), "--security", "tls", "--save-rdp",
                                       rdp.string(), "--html", html.string()},
                                      {}, "a");
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  ASSERT_EQ(run.process.exitCode, 0) << run.describe();
  ASSERT_TRUE(std::filesystem::exists(rdp)) << run.describe();
  EXPECT_NE(readFile(rdp).find("rdpdoctor tls seclevel:i:0"), std::string::npos) << readFile(rdp);

  const auto connect = answering({"connect", "--headless", rdp.string(), "--no-doctor"}, "n");
  EXPECT_EQ(connect.exitCode, 0) << connect.describe() << "\n" << connect.out;
  EXPECT_EQ(certificateQuestions(connect), 0u) << connect.out;

  const std::string page = readFile(html);
  ASSERT_FALSE(page.empty()) << "no HTML page written";
  EXPECT_EQ(page.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(page.find("<table>"), std::string::npos);
  // one row per attempt of the JSON, coloured by result
  const auto attempts = run.json["attempts"].size();
  EXPECT_EQ(count(page, "<tr class=\"works\">") + count(page, "<tr class=\"fails\">") +
                count(page, "<tr class=\"skipped\">"),
            attempts)
      << page;
  EXPECT_GE(count(page, "<tr class=\"fails\">"), 1u);
  EXPECT_GE(count(page, "<tr class=\"works\">"), 2u) << "winner and its confirmation";
  EXPECT_NE(page.find("tls-legacy-refused-locally"), std::string::npos);
  EXPECT_NE(page.find("/tls-seclevel:0"), std::string::npos)
      << "the working combination's xfreerdp args";
}

TEST_F(DoctorArtifacts, ThePasswordAppearsInNoOutputReportRdpFileOrStateAndTheSavedNlaRdpConnects) {
  auto server = startServer({.kind = lab::Kind::ShadowNla});
  ASSERT_NE(server, nullptr);
  env_.set("RDPDOCTOR_PASSWORD", kLabPassword);
  const auto rdp = dir_.path() / "nla.rdp";
  const auto html = dir_.path() / "nla.html";
  const auto md = dir_.path() / "nla.md";
  const auto json = dir_.path() / "nla.json";
  // "always": the certificate is trusted from now on, so the saved file connects unasked below
  const auto run =
      answering({"diagnose", server->hostSpec(), "--security", "tls", "--user", kLabUser,
                 "--save-rdp", rdp.string(), "--html", html.string(), "--markdown", md.string(),
                 "--json", json.string(), "--log-level", "debug"},
                "a");
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.out;
  EXPECT_EQ(certificateQuestions(run), 1u) << run.out;
  for (const auto& f : {rdp, html, md, json}) EXPECT_TRUE(std::filesystem::exists(f)) << f;
  EXPECT_NE(readFile(rdp).find("username:s:" + kLabUser), std::string::npos) << readFile(rdp);

  const auto connect = answering(
      {"connect", "--headless", rdp.string(), "--no-doctor", "--log-level", "debug"}, "n");
  EXPECT_EQ(connect.exitCode, 0) << connect.describe() << "\n" << connect.out;
  EXPECT_EQ(certificateQuestions(connect), 0u) << "asked again after 'always':\n" << connect.out;
  EXPECT_FALSE(filesContaining(env_.stateDir(), "").empty()) << "'always' stored the certificate";

  expectPasswordNowhere(run, kLabPassword);
  expectPasswordNowhere(connect, kLabPassword);
}

TEST_F(DoctorArtifacts, TheSavedRdpIsNeverWeakerThanTheFileReadAndANeededDowngradeIsNamed) {
  auto server = startServer({.kind = lab::Kind::XrdpTls});
  ASSERT_NE(server, nullptr);
  const auto in = dir_.path() / "strict.rdp";
  {
    std::ofstream f(in, std::ios::binary);
    f << "full address:s:" << server->hostSpec()
      << "\r\nenablecredsspsupport:i:1\r\nauthentication level:i:1\r\n"
      << "prompt for credentials:i:1\r\nsome future key:s:kept\r\n";
  }
  auto line = [](const std::string& text, const std::string& key) {
    const auto at = text.find(key + ":");
    return at == std::string::npos ? std::string("(absent)")
                                   : text.substr(at, text.find('\r', at) - at);
  };
  // 1. the file's own settings work: nothing in the saved file is weaker, nothing to warn about
  const auto same = dir_.path() / "same.rdp";
  const auto run1 = diagnoseOnTerminal({in.string(), "--save-rdp", same.string()});
  ASSERT_EQ(run1.process.exitCode, 0) << run1.describe();
  const std::string saved1 = readFile(same);
  EXPECT_EQ(line(saved1, "authentication level"), "authentication level:i:1")
      << saved1;  // was 2 (warn)
  EXPECT_EQ(line(saved1, "prompt for credentials"), "prompt for credentials:i:1") << saved1;
  EXPECT_EQ(line(saved1, "enablecredsspsupport"), "enablecredsspsupport:i:1") << saved1;
  EXPECT_EQ(line(saved1, "some future key"), "some future key:s:kept") << saved1;
  EXPECT_EQ(run1.process.out.find("is weaker than"), std::string::npos) << run1.process.out;
  // 2. NLA asked for, the host offers TLS only: the winner needs NLA off, and the user is told
  const auto tls = dir_.path() / "tls.rdp";
  const auto run2 =
      diagnoseOnTerminal({in.string(), "--security", "nla", "--save-rdp", tls.string()});
  ASSERT_EQ(run2.process.exitCode, 0) << run2.describe();
  const std::string saved2 = readFile(tls);
  EXPECT_EQ(line(saved2, "enablecredsspsupport"), "enablecredsspsupport:i:0") << saved2;
  EXPECT_EQ(line(saved2, "authentication level"), "authentication level:i:1") << saved2;
  EXPECT_NE(run2.process.out.find("rdpdoctor: warning: " + tls.string() +
                                  ": 'enablecredsspsupport' is weaker than in " + in.string() +
                                  ": 1 -> 0 (the working combination needs it: "),
            std::string::npos)
      << run2.process.out;
}

}  // namespace
}  // namespace rdpdoctor::doctortest
