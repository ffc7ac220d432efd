// Every cause and remedy fits the evidence (issue 10, point 2), read as a person reads it: the
// text report on a terminal, nothing typed but the host. A refused port is "nothing listening",
// never antivirus; a name that does not resolve is that, never "resolves to an address that does
// not answer"; an .rdp file behind an RD Gateway is diagnosed as exactly
// that in every report, never as a DNS or TCP failure of the host behind it.
#include <fstream>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

using Evidence = DoctorScenario;

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

TEST_F(Evidence, ARefusedPortIsNothingListeningAndNeverAntivirus) {
  auto server = startServer({.kind = lab::Kind::FaultClosed});
  ASSERT_NE(server, nullptr);
  const auto r = onTerminal({"diagnose", server->hostSpec()}, {});
  EXPECT_EQ(r.exitCode, 1) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(has(r.out, "nothing accepts TCP connections on that port")) << r.out;
  EXPECT_TRUE(has(r.out, "TermService")) << "the service that listens on 3389 is not named:\n"
                                         << r.out;
  EXPECT_FALSE(has(r.out, "antivirus")) << "a refusal (RST) blamed on a filter:\n" << r.out;
  EXPECT_FALSE(has(r.out, "your floor")) << "the floor played no part:\n" << r.out;
}

TEST_F(Evidence, ANameThatDoesNotResolveIsNeverAnAddressThatDoesNotAnswer) {
  const auto r = onTerminal({"diagnose", "no-such-host.invalid"}, {});
  EXPECT_EQ(r.exitCode, 1) << r.describe() << "\n" << r.out;
  EXPECT_TRUE(has(r.out, "does not resolve")) << r.out;
  EXPECT_FALSE(has(r.out, "resolves to an address")) << r.out;
  EXPECT_FALSE(has(r.out, "antivirus")) << r.out;
}

TEST_F(Evidence, AHostBehindAnRdGatewayIsDiagnosedAsThatInEveryReport) {
  const auto file = dir_.path() / "behind-gateway.rdp";
  std::ofstream(file)
      << "full address:s:rds01.corp.invalid\r\ngatewayhostname:s:rdgw.corp.invalid\r\n"
         "gatewayusagemethod:i:1\r\n";
  const auto md = dir_.path() / "report.md";
  const auto html = dir_.path() / "report.html";
  const auto r = onTerminal(
      {"diagnose", file.string(), "--markdown", md.string(), "--html", html.string()}, {});
  EXPECT_EQ(r.exitCode, 1) << r.describe() << "\n" << r.out;
  const auto json = diagnose({file.string()});
  ASSERT_TRUE(json.json.is_object()) << json.describe();
  EXPECT_EQ(json.json["original"]["layer"], "gateway") << json.describe();
  const std::string reports[] = {r.out, readFile(md), readFile(html),
                                 json.json["verdict"].get<std::string>()};
  for (const auto& text : reports) {
    EXPECT_TRUE(has(text, "reached through the RD Gateway rdgw.corp.invalid")) << text;
    EXPECT_TRUE(has(text, "cannot use yet")) << text;
    EXPECT_FALSE(has(text, "resolve")) << "blamed on DNS:\n" << text;
    EXPECT_FALSE(has(text, "TCP connections")) << "blamed on TCP:\n" << text;
  }
}

}  // namespace
}  // namespace rdpdoctor::doctortest
