// The probe against the fault endpoints, a name with two addresses and an IPv6-only server.
#include <gtest/gtest.h>

#include <chrono>

#include "probe_test_util.hpp"
#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/wire/protocols.hpp"

namespace rdpdoctor::probe::test {
namespace {

using namespace wire;
using lab::Kind;

TEST(ProbeFault, SilentHostEndsOnTimeWithATimeoutPerRequest) {
  auto server = lab::start(labOptions(Kind::FaultSilent));
  ASSERT_TRUE(server.ok()) << server.error().message();
  ProbeOptions o;
  o.stepTimeout = std::chrono::milliseconds(800);
  o.totalTimeout = std::chrono::milliseconds(2000);
  const auto r = probeServer(**server, o);
  EXPECT_EQ(r.addresses.at(0).tcp, "ok");
  ASSERT_EQ(r.negotiation.size(), defaultRequestSets().size());
  for (const auto& c : r.negotiation) EXPECT_EQ(c.status, NegotiationStatus::Timeout) << c.requested;
  EXPECT_LT(r.elapsedMs, 800 + 400) << "one step deadline covers every concurrent request";
  EXPECT_EQ(answerOf(r), ProbeAnswer::Timeout);
}

TEST(ProbeFault, ResetAfterConfirmClosesEveryHandshake) {
  auto server = lab::start(labOptions(Kind::FaultResetAfterConfirm));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto r = probeServer(**server);
  const auto& ssl = negotiationFor(r, kProtocolSsl);
  EXPECT_EQ(ssl.status, NegotiationStatus::Selected);
  EXPECT_EQ(ssl.selected.value_or(99), kProtocolSsl);
  const auto& rdp = negotiationFor(r, kProtocolRdp);
  EXPECT_EQ(rdp.selected.value_or(99), kProtocolRdp);
  for (const auto& v : r.tls.versions) EXPECT_EQ(v.status, TlsStatus::Closed) << v.version << ": " << v.reason;
  for (const auto& c : r.rdp.checks) EXPECT_EQ(c.status, "closed") << c.detail;
  EXPECT_EQ(answerOf(r), ProbeAnswer::NoRdp);
}

TEST(ProbeFault, GarbageIsAnErrorPerRequest) {
  auto server = lab::start(labOptions(Kind::FaultGarbage));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto r = probeServer(**server);
  ASSERT_FALSE(r.negotiation.empty());
  for (const auto& c : r.negotiation) {
    EXPECT_EQ(c.status, NegotiationStatus::Error) << c.detail;
    EXPECT_FALSE(c.evidence.empty());
  }
  EXPECT_FALSE(r.tls.offered);
  EXPECT_EQ(answerOf(r), ProbeAnswer::NoRdp);
}

TEST(ProbeFault, ClosedPortIsAFindingNotACrash) {
  auto server = lab::start(labOptions(Kind::FaultClosed));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const auto r = probeServer(**server);
  ASSERT_EQ(r.addresses.size(), 1U);
  EXPECT_EQ(r.addresses[0].tcp, "refused");
  EXPECT_TRUE(r.negotiation.empty());
  EXPECT_EQ(answerOf(r), ProbeAnswer::Unreachable);
  const auto findings = findingsOf(r);
  ASSERT_GE(findings.size(), 2U);
  EXPECT_EQ(findings[1].layer, Layer::Tcp);
  EXPECT_EQ(findings[1].status, FindingStatus::Failed);
}

TEST(ProbeName, LocalhostListsEveryAddressAndProbesTheLiveOne) {
  auto server = lab::start(labOptions(Kind::XrdpTls));
  ASSERT_TRUE(server.ok()) << server.error().message();
  const HostSpec spec{"localhost", (*server)->port(), false};
  const auto r = probeHost(spec);
  bool sawV4 = false;
  for (const auto& a : r.addresses) {
    if (a.address == "127.0.0.1") {
      sawV4 = true;
      EXPECT_EQ(a.tcp, "ok");
    }
    if (a.address == "::1") {
      EXPECT_EQ(a.tcp, "refused") << "xrdp listens on 127.0.0.1 only";
    }
  }
  EXPECT_TRUE(sawV4);
  EXPECT_EQ(r.probedAddress, "127.0.0.1");
  ASSERT_TRUE(r.tls.certificate.has_value());
  EXPECT_TRUE(r.tls.certificate->nameMatch) << "the lab certificate names DNS:localhost";
}

TEST(ProbeName, Ipv6LiteralWithPort) {
  auto server = lab::start(labOptions(Kind::XrdpTls, "high", true));
  ASSERT_TRUE(server.ok()) << server.error().message();
  EXPECT_EQ((*server)->hostSpec().front(), '[');
  const auto r = probeServer(**server);
  ASSERT_EQ(r.addresses.size(), 1U);
  EXPECT_EQ(r.addresses[0].address, "::1");
  EXPECT_TRUE(r.addresses[0].ipv6);
  EXPECT_EQ(r.addresses[0].tcp, "ok");
  EXPECT_EQ(negotiationFor(r, kProtocolSsl).selected.value_or(99), kProtocolSsl);
  EXPECT_EQ(tlsFor(r, "1.3").status, TlsStatus::Ok);
  ASSERT_TRUE(r.tls.certificate.has_value());
  EXPECT_TRUE(r.tls.certificate->nameMatch) << "IP:::1 is in the SANs";
}

}  // namespace
}  // namespace rdpdoctor::probe::test
