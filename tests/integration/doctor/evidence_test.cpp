// Every cause and remedy fits the evidence (issue 10, point 2), read as a person reads it: the
// text report on a terminal, nothing typed but the host. A refused port is "nothing listening",
// never antivirus; a name that does not resolve is that, never "resolves to an address that does
// not answer"; an .rdp file behind an RD Gateway is diagnosed as exactly
// that in every report, never as a DNS or TCP failure of the host behind it.
#include <fstream>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

bool has(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

class Evidence : public DoctorScenario {
 protected:
  /// `rdpdoctor ARGS...` on a terminal, in a private network whose only DNS server takes every
  /// query and answers none (tests/integration/doctor/harness/silent_dns_main.cpp).
  ProcessResult onTerminalWithSilentDns(const std::vector<std::string>& args) {
    std::vector<std::string> argv{RDPDOCTOR_SILENT_DNS, kRdpdoctor};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = env_.variables();
    env.push_back("TERM=xterm");
    auto r = runOnTerminal(argv, env, {}, std::chrono::milliseconds(60000));
    r.out = terminalText(r.out);
    return r;
  }

  /// The name layer's cause and remedy, and none of a silent server's.
  static void expectTheNameLayerOnly(const std::string& out) {
    EXPECT_TRUE(has(out, "the host name does not resolve")) << out;
    EXPECT_TRUE(has(out, "name-not-resolved")) << out;
    EXPECT_TRUE(has(out, "check its spelling and the DNS suffix, the DNS server or VPN")) << out;
    EXPECT_FALSE(has(out, "server-silent"))
        << "a resolver that did not answer blamed on the host:\n"
        << out;
    EXPECT_FALSE(has(out, "stopped answering")) << out;
    EXPECT_FALSE(has(out, "the host does not answer in time")) << "network-retry shown:\n" << out;
    EXPECT_FALSE(has(out, "antivirus")) << out;
    EXPECT_FALSE(has(out, "resolves to an address")) << out;
  }
};

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
  EXPECT_FALSE(has(r.out, "does not answer")) << "nothing was dialled:\n" << r.out;
  EXPECT_FALSE(has(r.out, "antivirus")) << r.out;
  EXPECT_FALSE(has(r.out, "TermService")) << "no service was reached:\n" << r.out;
}

// connect has a fact of the name layer of its own: it resolves before it dials, within the
// deadline. A resolver that never answers is a timeout at the name layer (exit 5), not a host that
// "accepted the connection and then stopped answering".
TEST_F(Evidence, ConnectToANameWhoseResolverNeverAnswersIsATimeoutAtTheNameLayer) {
  const auto r =
      onTerminalWithSilentDns({"connect", "--headless", "--timeout", "2", "no-such-host.invalid"});
  ASSERT_NE(r.exitCode, 70) << "the silent DNS did not start:\n" << r.out;
  EXPECT_EQ(r.exitCode, 5) << r.describe() << "\n" << r.out;
  expectTheNameLayerOnly(r.out);
  EXPECT_TRUE(has(r.out, "failed at name")) << r.out;
  EXPECT_TRUE(has(r.out, "the resolver did not answer before the deadline")) << r.out;
}

TEST_F(Evidence, DiagnoseOfANameWhoseResolverNeverAnswersIsATimeoutAtTheNameLayer) {
  const auto r = onTerminalWithSilentDns({"diagnose", "--timeout", "6", "no-such-host.invalid"});
  ASSERT_NE(r.exitCode, 70) << "the silent DNS did not start:\n" << r.out;
  EXPECT_EQ(r.exitCode, 5) << r.describe() << "\n" << r.out;
  expectTheNameLayerOnly(r.out);
  EXPECT_TRUE(has(r.out, "the host's name does not resolve")) << "the problem line:\n" << r.out;
  EXPECT_TRUE(has(r.out, "not attempted")) << "nothing can be dialled:\n" << r.out;
}

// a deadline too short for any answer: still the name layer, never "it fails: ." with no cause
TEST_F(Evidence, ADeadlineThatEndsBeforeTheNameResolvesStillNamesTheNameLayer) {
  for (const char* verb : {"connect", "diagnose"}) {
    SCOPED_TRACE(verb);
    std::vector<std::string> args{verb, "--timeout", "0.001", "no-such-host.invalid"};
    if (std::string_view(verb) == "connect") args.insert(args.begin() + 1, "--headless");
    auto r = onTerminal(args, {});
    r.out = terminalText(r.out);
    EXPECT_TRUE(r.exitCode == 5 || r.exitCode == 1) << r.describe() << "\n" << r.out;
    expectTheNameLayerOnly(r.out);
    EXPECT_FALSE(has(r.out, "it fails: .")) << r.out;
    EXPECT_FALSE(has(r.out, "the none layer")) << r.out;
  }
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

// nothing is dialled behind a gateway: the report lists that non-attempt as not attempted, with no
// time, in every format (it used to read "fails in 0 ms")
TEST_F(Evidence, TheGatewaysNonAttemptIsNotAttemptedWithNoTimeInEveryReport) {
  const auto file = dir_.path() / "behind-gateway.rdp";
  std::ofstream(file)
      << "full address:s:rds01.corp.invalid\r\ngatewayhostname:s:rdgw.corp.invalid\r\n";
  const auto md = dir_.path() / "report.md";
  const auto html = dir_.path() / "report.html";
  auto r = onTerminal(
      {"diagnose", file.string(), "--markdown", md.string(), "--html", html.string()}, {});
  r.out = terminalText(r.out);
  EXPECT_EQ(r.exitCode, 1) << r.describe() << "\n" << r.out;
  const std::string text = r.out, markdown = readFile(md), page = readFile(html);
  EXPECT_TRUE(has(text, "— not attempted: rd-gateway-required at gateway")) << text;
  EXPECT_TRUE(has(markdown, "| not attempted | rd-gateway-required | gateway |  |")) << markdown;
  EXPECT_TRUE(
      has(page, "<td>not attempted</td><td>rd-gateway-required</td><td>gateway</td><td></td>"))
      << page;
  EXPECT_FALSE(has(text, "fails in")) << text;
  EXPECT_FALSE(has(markdown, "| fails |")) << markdown;
  EXPECT_FALSE(has(markdown, "| 0 ms |")) << markdown;
  EXPECT_FALSE(has(page, "<td>0 ms</td>")) << page;
  const auto json = diagnose({file.string()});
  ASSERT_TRUE(json.json.is_object()) << json.describe();
  ASSERT_EQ(json.json["attempts"].size(), 1u) << json.json["attempts"].dump(1);
  const auto& a = json.json["attempts"][0];
  EXPECT_EQ(a["attempted"], false) << a.dump(1);
  EXPECT_TRUE(a["elapsed_ms"].is_null()) << a.dump(1);
  EXPECT_EQ(a["signature"], "rd-gateway-required") << a.dump(1);
  EXPECT_EQ(json.json["original"]["signature"], "rd-gateway-required");
}

}  // namespace
}  // namespace rdpdoctor::doctortest
