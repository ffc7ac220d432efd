// Every lab server starts on loopback, accepts TCP (FaultClosed refuses it, FaultFiltered never
// answers it), behaves as its Kind says at the byte level where that is cheap to check, and
// leaves no process behind.
#include "rdpdoctor/lab/lab.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "fault_wire.hpp"
#include "net.hpp"
#include "process.hpp"
#include "socket_client.hpp"

namespace rdpdoctor::lab {
namespace {

bool isXrdp(Kind k) {
  return k == Kind::XrdpNegotiate || k == Kind::XrdpTls || k == Kind::XrdpRdp ||
         k == Kind::XrdpTls10Ecdhe || k == Kind::XrdpTls10Rsa || k == Kind::Xrdp3desOnly ||
         k == Kind::XrdpExpiredCert;
}
bool isShadow(Kind k) {
  return k == Kind::ShadowNla || k == Kind::ShadowTls || k == Kind::ShadowRdp ||
         k == Kind::ShadowNoAuth || k == Kind::Shadow3Nla || k == Kind::Shadow3Tls;
}

struct Case {
  Kind kind;
  bool ipv6;
};

void PrintTo(const Case& c, std::ostream* os) {  // NOLINT(readability-identifier-naming): gtest
  *os << toString(c.kind) << (c.ipv6 ? " on ::1" : " on 127.0.0.1");
}

std::string caseName(const testing::TestParamInfo<Case>& info) {
  std::string name(toString(info.param.kind));
  for (auto& c : name) {
    if (c == '-') c = '_';
  }
  return name + (info.param.ipv6 ? "_ipv6" : "_ipv4");
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (Kind k : kAllKinds) cases.push_back({k, false});
  // IPv6 for one of each family is enough: the bind code is shared within a family.
  for (Kind k : {Kind::XrdpTls, Kind::ShadowNla, Kind::FaultResetAfterConfirm, Kind::FaultClosed}) {
    cases.push_back({k, true});
  }
  return cases;
}

class EveryKind : public testing::TestWithParam<Case> {};

TEST_P(EveryKind, StartsOnLoopbackAcceptsTcpAndLeavesNoProcessBehind) {
  ServerOptions options;
  options.kind = GetParam().kind;
  options.ipv6 = GetParam().ipv6;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto& s = **server;
  EXPECT_EQ(s.kind(), options.kind);
  EXPECT_EQ(s.address(), options.ipv6 ? "::1" : "127.0.0.1");
  ASSERT_NE(s.port(), 0);
  EXPECT_EQ(s.hostSpec(), options.ipv6 ? "[::1]:" + std::to_string(s.port())
                                       : "127.0.0.1:" + std::to_string(s.port()));

  const auto outcome = tryConnect(s.address(), s.port(), std::chrono::milliseconds(2000));
  if (options.kind == Kind::FaultClosed) {
    EXPECT_EQ(outcome, ConnectOutcome::Refused);
  } else if (options.kind == Kind::FaultFiltered) {
    EXPECT_EQ(outcome, ConnectOutcome::Timeout);
  } else {
    EXPECT_EQ(outcome, ConnectOutcome::Connected);
  }

  const auto pids = s.processIds();
  if (isXrdp(options.kind)) {
    EXPECT_EQ(pids.size(), 1U);
    EXPECT_TRUE(std::filesystem::exists(s.certificatePem()));
    EXPECT_TRUE(std::filesystem::exists(s.logFile()));
  } else if (isShadow(options.kind)) {
    EXPECT_EQ(pids.size(), 2U);  // freerdp-shadow-cli and its Xvfb
    EXPECT_TRUE(std::filesystem::exists(s.certificatePem())) << s.certificatePem();
    EXPECT_TRUE(std::filesystem::exists(s.logFile()));
  } else {
    EXPECT_TRUE(pids.empty());
    EXPECT_TRUE(s.logFile().empty());
  }
  for (int pid : pids) EXPECT_TRUE(processAlive(pid)) << "pid " << pid;

  const auto address = s.address();
  const auto port = s.port();
  server->reset();
  for (int pid : pids) EXPECT_FALSE(processAlive(pid)) << "pid " << pid << " outlived its server";
  for (int pid : pids) EXPECT_NE(::kill(pid, 0), 0) << "pid " << pid << " still exists";
  EXPECT_NE(tryConnect(address, port, std::chrono::milliseconds(500)), ConnectOutcome::Connected)
      << "something still listens on the port of a destroyed server";
}

INSTANTIATE_TEST_SUITE_P(Lab, EveryKind, testing::ValuesIn(allCases()), caseName);

TEST(KindNames, RoundTripThroughToStringAndParseKind) {
  for (Kind k : kAllKinds) {
    const auto parsed = parseKind(toString(k));
    ASSERT_TRUE(parsed.has_value()) << toString(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_EQ(toString(Kind::FaultResetAfterConfirm), "fault-reset-after-confirm");
  EXPECT_FALSE(parseKind("xrdp").has_value());
}

TEST(TempDir, IsCreatedPrivateAndRemovedWithItsContents) {
  std::filesystem::path path;
  {
    TempDir dir;
    path = dir.path();
    ASSERT_FALSE(path.empty());
    ASSERT_TRUE(std::filesystem::is_directory(path));
    std::filesystem::create_directories(path / "a/b");
    std::FILE* f = std::fopen((path / "a/b/file").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ExpiredCertificate, WasValidOnlyIn2020) {
  ServerOptions options;
  options.kind = Kind::XrdpExpiredCert;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  TempDir dir;
  const auto log = dir.path() / "openssl.log";
  auto rc = runCommand({{"openssl", "x509", "-in", (*server)->certificatePem().string(), "-noout",
                         "-dates", "-subject", "-ext", "subjectAltName"},
                        {},
                        {},
                        log},
                       std::chrono::milliseconds(10000));
  ASSERT_TRUE(rc.ok()) << rc.error().message();
  ASSERT_EQ(*rc, 0);
  const auto text = logTail(log, 4000);
  EXPECT_NE(text.find("notBefore=Jan  1 00:00:00 2020 GMT"), std::string::npos) << text;
  EXPECT_NE(text.find("notAfter=Jan  1 00:00:00 2021 GMT"), std::string::npos) << text;
  EXPECT_NE(text.find("CN = rdpdoctor-lab"), std::string::npos) << text;
  EXPECT_NE(text.find("IP Address:127.0.0.1"), std::string::npos) << text;
}

TEST(FaultResetAfterConfirm, ConfirmsSslWhenOfferedThenResets) {
  ServerOptions options;
  options.kind = Kind::FaultResetAfterConfirm;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  SocketClient client((*server)->address(), (*server)->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(connectionRequest(0x00000003)));  // SSL | HYBRID
  const auto reply = client.receiveUntilClosed(std::chrono::milliseconds(3000));
  EXPECT_EQ(reply, connectionConfirm(kProtocolSsl));
  EXPECT_TRUE(client.wasReset()) << "expected an RST, not a FIN";
}

TEST(FaultResetAfterConfirm, ConfirmsStandardRdpWhenSslIsNotOffered) {
  ServerOptions options;
  options.kind = Kind::FaultResetAfterConfirm;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  SocketClient client((*server)->address(), (*server)->port());
  ASSERT_TRUE(client.send(connectionRequest(0x00000002)));  // HYBRID only
  const auto reply = client.receiveUntilClosed(std::chrono::milliseconds(3000));
  ASSERT_EQ(reply.size(), 19U);
  EXPECT_EQ(reply[11], 0x02);  // RDP_NEG_RSP
  EXPECT_EQ(reply[15], 0x00);  // PROTOCOL_RDP
}

TEST(FaultGarbage, AnswersAnythingWithBytesThatAreNotATpkt) {
  ServerOptions options;
  options.kind = Kind::FaultGarbage;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  SocketClient client((*server)->address(), (*server)->port());
  ASSERT_TRUE(client.send(connectionRequest(0x00000001)));
  const auto reply = client.receiveUntilClosed(std::chrono::milliseconds(3000));
  ASSERT_EQ(reply.size(), 64U);
  EXPECT_NE(reply[0], 0x03);
}

TEST(FaultSilent, HoldsTheConnectionOpenWithoutAnswering) {
  ServerOptions options;
  options.kind = Kind::FaultSilent;
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  SocketClient client((*server)->address(), (*server)->port());
  ASSERT_TRUE(client.send(connectionRequest(0x00000003)));
  EXPECT_FALSE(client.readableWithin(std::chrono::milliseconds(500)))
      << "a silent endpoint neither answers nor closes";
  const auto started = std::chrono::steady_clock::now();
  server->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000))
      << "the endpoint thread must stop promptly";
}

TEST(FaultWire, ParsesAConnectionRequestWithCookieAndNegotiation) {
  auto cr = connectionRequest(0x0000000B);
  const auto parsed = parseConnectionRequest(cr);
  EXPECT_EQ(parsed.state, RequestState::Complete);
  EXPECT_TRUE(parsed.hasNegotiation);
  EXPECT_EQ(parsed.requestedProtocols, 0x0BU);
  EXPECT_TRUE(parsed.offersSsl);
  cr.pop_back();
  EXPECT_EQ(parseConnectionRequest(cr).state, RequestState::Incomplete);
  const std::vector<std::uint8_t> http = {'G', 'E', 'T', ' ', '/'};
  EXPECT_EQ(parseConnectionRequest(http).state, RequestState::Invalid);
}

TEST(ChildProcess, ExitBeforeReadyIsAnErrorCarryingTheLogTail) {
  TempDir dir;
  const auto log = dir.path() / "child.log";
  auto child = ChildProcess::spawn(
      {{"sh", "-c", "echo listen failed: address in use; exit 3"}, {}, dir.path(), log});
  ASSERT_TRUE(child.ok()) << child.error().message();
  auto port = reserveFreePort("127.0.0.1");
  ASSERT_TRUE(port.ok());
  auto ready =
      waitForTcp("127.0.0.1", *port, std::chrono::steady_clock::now() + std::chrono::seconds(5),
                 [&child] { return child->running(); });
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, "exited");
  EXPECT_NE(logTail(log).find("listen failed: address in use"), std::string::npos);
  EXPECT_TRUE(WIFEXITED(child->exitStatus()) && WEXITSTATUS(child->exitStatus()) == 3);
}

TEST(ChildProcess, StopEndsAProcessThatIgnoresSigterm) {
  TempDir dir;
  auto child = ChildProcess::spawn(
      {{"sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"}, {}, dir.path(), {}});
  ASSERT_TRUE(child.ok()) << child.error().message();
  const pid_t pid = child->pid();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the trap be installed
  const auto started = std::chrono::steady_clock::now();
  child->stop(std::chrono::milliseconds(300));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_NE(::kill(pid, 0), 0) << "pid " << pid << " survived stop()";
}

}  // namespace
}  // namespace rdpdoctor::lab
