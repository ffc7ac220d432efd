// A name whose first address is dead or of the wrong family. What is real on this machine:
// /etc/hosts maps `localhost` to 127.0.0.1 only, so the dual-stack resolver orders that the
// scenario needs come from nss_wrapper (libnss-wrapper: LD_PRELOAD + NSS_WRAPPER_HOSTS), given
// only to the rdpdoctor process under test (and so to its attempt children). The names resolve
// to 127.0.0.1 and ::1 only. The winner must keep the name (the certificate name) and dial the
// live address; the .rdp it saves must connect without the doctor.
#include <algorithm>
#include <fstream>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

const std::filesystem::path kNssWrapper = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";

class NameWithADeadAddress : public DoctorScenario {
 protected:
  /// The rdpdoctor under test resolves `localhost` to `first`, then `second`.
  void resolveLocalhostAs(const std::string& first, const std::string& second) {
    ASSERT_TRUE(std::filesystem::exists(kNssWrapper))
        << kNssWrapper << " is missing: apt-get install libnss-wrapper";
    const auto hosts = dir_.path() / "hosts";
    std::ofstream(hosts) << first << " localhost\n" << second << " localhost\n";
    env_.set("LD_PRELOAD", kNssWrapper.string()).set("NSS_WRAPPER_HOSTS", hosts.string());
  }
  static std::string localhostSpec(const lab::Server& s) {
    return "localhost:" + std::to_string(s.port());
  }
};

TEST_F(NameWithADeadAddress,
       Ipv4FirstButTheHostListensOnIpv6OnlyTheWinnerKeepsTheNameAndDialsIpv6) {
  auto server = startServer({.kind = lab::Kind::XrdpTls, .ipv6 = true});
  ASSERT_NE(server, nullptr);
  resolveLocalhostAs("127.0.0.1", "::1");
  const auto rdp = dir_.path() / "winner.rdp";
  // "always": the saved file below connects without being asked again
  const auto run = diagnoseOnTerminal(
      {localhostSpec(*server), "--security", "tls", "--save-rdp", rdp.string()}, {}, "a");
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  ASSERT_EQ(j["probe"]["addresses"].size(), 2u) << j["probe"]["addresses"].dump();
  EXPECT_EQ(j["probe"]["addresses"][0]["address"], "127.0.0.1");
  EXPECT_NE(j["probe"]["addresses"][0]["tcp"], "ok");
  EXPECT_EQ(j["probe"]["addresses"][1]["tcp"], "ok");
  EXPECT_EQ(j["original"]["signature"], "address-unreachable") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "name");
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_EQ(j["winner"]["host"], "localhost") << "the name is kept (certificate name)";
  EXPECT_EQ(j["winner"]["dial_address"], "::1");
  EXPECT_TRUE(anyContains(j["winner"]["xfreerdp_args"], "/v:[::1]"))
      << j["winner"]["xfreerdp_args"];
  EXPECT_TRUE(j["confirmed"].get<bool>());
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "dns-fix"), ids.end());
  for (const char* wrong : {"start-service", "firewall-av", "check-name"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for a stale address: " << j["remedies"].dump(1);
  // the saved combination connects on its own (no doctor), through the same resolver order
  ASSERT_TRUE(std::filesystem::exists(rdp)) << run.describe();
  const auto connect = answering({"connect", "--headless", rdp.string(), "--no-doctor"}, "n");
  EXPECT_EQ(certificateQuestions(connect), 0u) << connect.out;
  EXPECT_EQ(connect.exitCode, 0) << connect.describe() << "\n.rdp:\n"
                                 << readFile(rdp) << "\nterminal:\n"
                                 << connect.out;
}

TEST_F(NameWithADeadAddress,
       Ipv6FirstButTheHostListensOnIpv4OnlyTheWinnerKeepsTheNameAndDialsIpv4) {
  auto server = startServer({.kind = lab::Kind::XrdpTls});
  ASSERT_NE(server, nullptr);
  resolveLocalhostAs("::1", "127.0.0.1");
  const auto run = diagnoseOnTerminal({localhostSpec(*server), "--security", "tls"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 0) << run.describe();
  ASSERT_EQ(j["probe"]["addresses"].size(), 2u) << j["probe"]["addresses"].dump();
  EXPECT_EQ(j["probe"]["addresses"][0]["address"], "::1");
  EXPECT_NE(j["probe"]["addresses"][0]["tcp"], "ok");
  ASSERT_TRUE(j["winner"].is_object()) << run.describe();
  EXPECT_EQ(j["winner"]["host"], "localhost");
  // FreeRDP dials IPv4 for names whatever the resolver order: the original may already work;
  // either way the winner dials the live IPv4 address, never ::1
  const auto dial = j["winner"]["dial_address"];
  EXPECT_TRUE(dial.is_null() || dial == "127.0.0.1") << dial;
  EXPECT_FALSE(j["winner"]["prefer_ipv6"].get<bool>());
  EXPECT_TRUE(j["confirmed"].get<bool>());
}

TEST_F(NameWithADeadAddress,
       WithThisMachinesOwnResolverLocalhostIsIpv4OnlyAndAnIpv6OnlyHostIsReportedUnreachable) {
  auto server = startServer({.kind = lab::Kind::XrdpTls, .ipv6 = true});
  ASSERT_NE(server, nullptr);
  const auto run = diagnoseOnTerminal({localhostSpec(*server), "--security", "tls"});
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, 1) << run.describe();
  EXPECT_TRUE(j["winner"].is_null());
  for (const auto& a : j["probe"]["addresses"]) EXPECT_NE(a["tcp"], "ok") << a.dump();
  EXPECT_EQ(j["original"]["signature"], "nothing-listening") << run.describe();
  EXPECT_EQ(j["original"]["layer"], "tcp");
  // refused everywhere: the service, never a filter (that drops, it does not refuse) or the DNS
  const auto ids = remedyIds(j);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "start-service"), ids.end()) << j["remedies"].dump(1);
  for (const char* wrong : {"firewall-av", "dns-fix", "check-name"})
    EXPECT_EQ(std::find(ids.begin(), ids.end(), wrong), ids.end())
        << wrong << " shown for a refused port: " << j["remedies"].dump(1);
}

}  // namespace
}  // namespace rdpdoctor::doctortest
