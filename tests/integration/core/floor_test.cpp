// The security floor on every path (issue 9): a server that selects a layer below the floor is
// dropped at its Connection Confirm, before the user name or the password leave the machine, by
// `connect --headless` (with and without the doctor), `diagnose` and the NLA pre-check. The
// evidence is what the client sent (a relay in front of the server records it) and the server's
// own log. A relay that strips TLS from a host pinned over TLS is named as a possible man in the
// middle. An explicit request below the floor is a usage error; a lowered floor connects and
// every report marks the downgrade.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core_harness.hpp"
#include "rdpdoctor/lab/relay.hpp"

namespace rdpdoctor::itest {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitNoConnection = 1;
constexpr int kExitUsage = 2;

const std::string kUser = "floor-probe-user";
const std::string kPassword = "Floor-Secret-4471";

std::string utf16le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json jsonOf(const CliResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stdout is not one JSON document (" << e.what() << "):\n" << r.describe();
    return nlohmann::json::object();
  }
}

class Floor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // crypt_level fips: FreeRDP's defaults complete a standard-RDP-security logon to it, so
    // before the floor held on connect, the user name and the password reached it (exit 0)
    rdpOnly().start({.kind = lab::Kind::XrdpRdp, .cryptLevel = "fips"});
    negotiate().start({.kind = lab::Kind::XrdpNegotiate});
  }
  static void TearDownTestSuite() {
    rdpOnly().stop();
    negotiate().stop();
  }
  static SharedServer& rdpOnly() {
    static SharedServer s;
    return s;
  }
  static SharedServer& negotiate() {
    static SharedServer s;
    return s;
  }

  /// Where the server's log ends now: what a run adds comes after it.
  static std::size_t logMark(const lab::Server& server) {
    return readFile(server.logFile()).size();
  }

  [[nodiscard]] CliResult run(const std::vector<std::string>& args) const {
    return runCli(args, {{"RDPDOCTOR_PASSWORD", kPassword}}, home_.path());
  }

  /// Neither the user name nor the password left the machine (in the clear: the X.224 cookie;
  /// or at all: the server's own log of the Client Info it decrypted).
  static void expectNothingSent(const lab::Relay& relay, const lab::Server& server,
                                std::size_t logMark, const CliResult& r) {
    const std::string sent = relay.clientBytes();
    EXPECT_GT(relay.accepted(), 0) << "the client never connected:\n" << r.describe();
    for (const auto& secret : {kUser, kPassword}) {
      EXPECT_EQ(sent.find(secret), std::string::npos) << "'" << secret << "' sent in the clear\n"
                                                      << r.describe();
      EXPECT_EQ(sent.find(utf16le(secret)), std::string::npos)
          << "'" << secret << "' sent (UTF-16)\n"
          << r.describe();
    }
    const std::string log = readFile(server.logFile()).substr(logMark);
    EXPECT_EQ(log.find(kUser), std::string::npos) << "the server logged the user name:\n"
                                                  << r.describe();
    EXPECT_EQ(log.find("Client supplied username"), std::string::npos)
        << "a Client Info PDU reached the server";
  }

  lab::TempDir home_;
};

TEST_F(Floor, ConnectDropsAStandardRdpOnlyHostBeforeAnyCredentialOnEveryPath) {
  ASSERT_NE(rdpOnly().get(), nullptr) << rdpOnly().error();
  // the --cert modes are paths of their own (consent given before connecting changes which
  // attempts run): this scenario is about every path, so it names them; {} is the default
  const std::vector<std::vector<std::string>> variants = {
      {"--no-doctor"}, {}, {"--cert", "tofu"}, {"--cert", "accept-once"}};
  for (const auto& extra : variants) {
    lab::Relay relay(rdpOnly().get()->port());
    ASSERT_GT(relay.port(), 0);
    std::vector<std::string> args = {"connect", "--headless", relay.hostSpec(), "--user", kUser,
                                     "--json",  "-"};
    args.insert(args.end(), extra.begin(), extra.end());
    SCOPED_TRACE(testing::PrintToString(args));
    const auto mark = logMark(*rdpOnly().get());
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, kExitNoConnection) << r.describe();
    expectNothingSent(relay, *rdpOnly().get(), mark, r);
    const auto j = jsonOf(r);
    ASSERT_TRUE(j.contains("below_floor")) << j.dump(1);
    ASSERT_FALSE(j["below_floor"].empty())
        << "what the server offered is not reported: " << j.dump(1);
    EXPECT_EQ(j["below_floor"][0]["profile"]["security"], "rdp");
    if (j["schema"] == "rdpdoctor/connect@1") {  // --no-doctor: the one attempt
      EXPECT_EQ(j["signature"], "below-floor") << j.dump(1);
      EXPECT_EQ(j["outcome"]["below_floor"], true);
      EXPECT_EQ(j["outcome"]["selected_protocol"], 0);
      EXPECT_EQ(j["outcome"]["success"], false);
    } else {  // the doctor stepped in: no attempt may have worked below the floor
      EXPECT_EQ(j["schema"], "rdpdoctor/diagnose@1");
      EXPECT_TRUE(j["winner"].is_null()) << j["winner"].dump(1);
      EXPECT_EQ(j["original"]["signature"], "below-floor") << j.dump(1);
      for (const auto& a : j["attempts"]) EXPECT_NE(a["result"], "ok") << a.dump(1);
    }
  }
}

TEST_F(Floor, DiagnoseDropsItOnItsFirstAttemptToo) {
  ASSERT_NE(rdpOnly().get(), nullptr) << rdpOnly().error();
  lab::Relay relay(rdpOnly().get()->port());
  const auto mark = logMark(*rdpOnly().get());
  const auto r = run({"diagnose", relay.hostSpec(), "--user", kUser, "--json", "-"});
  EXPECT_EQ(r.exitCode, kExitNoConnection) << r.describe();
  expectNothingSent(relay, *rdpOnly().get(), mark, r);
  const auto j = jsonOf(r);
  EXPECT_EQ(j["original"]["signature"], "below-floor") << j.dump(1);
  EXPECT_FALSE(j["below_floor"].empty());
  EXPECT_NE(j["verdict"].get<std::string>().find("--min-security rdp"), std::string::npos)
      << j["verdict"];
}

TEST_F(Floor, AnExplicitRequestBelowTheFloorIsAUsageErrorThatNamesTheOption) {
  ASSERT_NE(rdpOnly().get(), nullptr) << rdpOnly().error();
  lab::Relay relay(rdpOnly().get()->port());
  const auto rdpFile = home_.path() / "legacy.rdp";
  std::ofstream(rdpFile) << "full address:s:" << relay.hostSpec()
                         << "\r\nenablecredsspsupport:i:0\r\nnegotiate security layer:i:0\r\n";
  const std::vector<std::vector<std::string>> runs = {
      {"connect", "--headless", relay.hostSpec(), "--security", "rdp", "--user", kUser},
      {"diagnose", relay.hostSpec(), "--security", "rdp", "--user", kUser},
      {"connect", "--headless", rdpFile.string(), "--user", kUser},
      {"connect", "--headless", relay.hostSpec(), "--security", "tls", "--min-security", "nla"}};
  for (const auto& args : runs) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, kExitUsage) << r.describe();
    EXPECT_NE(r.err.find("--min-security"), std::string::npos) << r.describe();
  }
  EXPECT_EQ(relay.accepted(), 0) << "a refused request still connected";
}

TEST_F(Floor, ALoweredFloorConnectsAndMarksTheDowngradeInEveryReport) {
  ASSERT_NE(rdpOnly().get(), nullptr) << rdpOnly().error();
  const auto text =
      run({"connect", "--headless", rdpOnly().get()->hostSpec(), "--min-security", "rdp"});
  EXPECT_EQ(text.exitCode, kExitOk) << text.describe();
  EXPECT_NE(text.out.find("downgrade in use: standard RDP security"), std::string::npos)
      << text.describe();
  const auto json = run({"connect", "--headless", rdpOnly().get()->hostSpec(), "--min-security",
                         "rdp", "--json", "-"});
  ASSERT_EQ(json.exitCode, kExitOk) << json.describe();
  const auto j = jsonOf(json);
  EXPECT_EQ(j["floor"], "rdp");
  ASSERT_TRUE(j["downgrades"].is_array()) << j.dump(1);
  bool marked = false;
  for (const auto& d : j["downgrades"])
    marked = marked || d.get<std::string>().find("standard RDP security") == 0;
  EXPECT_TRUE(marked) << j["downgrades"].dump();
}

TEST_F(Floor, ARelayThatStripsTlsIsDroppedAndAPinnedHostIsCalledAPossibleManInTheMiddle) {
  ASSERT_NE(negotiate().get(), nullptr) << negotiate().error();
  lab::Relay relay(negotiate().get()->port());
  // the real host through the same address first: TLS, its certificate pinned
  const auto pinned = run({"connect", "--headless", relay.hostSpec(), "--cert", "tofu"});
  ASSERT_EQ(pinned.exitCode, kExitOk) << pinned.describe();
  relay.stripTls(true);
  const auto mark = logMark(*negotiate().get());
  const auto connect =
      run({"connect", "--headless", relay.hostSpec(), "--user", kUser, "--json", "-"});
  EXPECT_EQ(connect.exitCode, kExitNoConnection) << connect.describe();
  expectNothingSent(relay, *negotiate().get(), mark, connect);
  const auto j = jsonOf(connect);
  EXPECT_EQ(j["signature"], "tls-stripped") << j.dump(1);
  EXPECT_NE(connect.err.find("man in the middle"), std::string::npos) << connect.describe();
  const auto diag = run({"diagnose", relay.hostSpec(), "--user", kUser, "--json", "-"});
  EXPECT_EQ(diag.exitCode, kExitNoConnection) << diag.describe();
  const auto d = jsonOf(diag);
  EXPECT_EQ(d["original"]["signature"], "tls-stripped") << d.dump(1);
  EXPECT_EQ(d["stopped_by"], "tls-stripped") << d.dump(1);
  EXPECT_EQ(d["verdict"].get<std::string>().find("--min-security rdp"), std::string::npos)
      << "a possible man in the middle is no reason to lower the floor: " << d["verdict"];
}

TEST_F(Floor, ARelayThatStripsTlsFromAnUnknownHostIsBelowTheFloor) {
  ASSERT_NE(negotiate().get(), nullptr) << negotiate().error();
  lab::Relay relay(negotiate().get()->port());
  relay.stripTls(true);
  const auto mark = logMark(*negotiate().get());
  const auto r = run(
      {"connect", "--headless", relay.hostSpec(), "--user", kUser, "--no-doctor", "--json", "-"});
  EXPECT_EQ(r.exitCode, kExitNoConnection) << r.describe();
  expectNothingSent(relay, *negotiate().get(), mark, r);
  EXPECT_EQ(jsonOf(r)["signature"], "below-floor") << r.describe();
}

}  // namespace
}  // namespace rdpdoctor::itest
