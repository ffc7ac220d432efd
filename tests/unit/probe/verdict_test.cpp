// The probe's readings of hand-built results: answer, findings, the one-paragraph verdict.
#include <gtest/gtest.h>

#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe {
namespace {

using namespace wire;

NegotiationCheck selected(std::uint32_t requested, std::uint32_t protocol) {
  NegotiationCheck c;
  c.requested = requested;
  c.status = NegotiationStatus::Selected;
  c.selected = protocol;
  c.downgrade = protocol == kProtocolRdp && requested != kProtocolRdp;
  return c;
}

TlsVersionCheck version(const std::string& v, TlsStatus s, std::optional<int> level = {},
                        std::string cipher = {}) {
  TlsVersionCheck t;
  t.version = v;
  t.status = s;
  t.secLevel = level;
  t.cipher = std::move(cipher);
  t.reason = s == TlsStatus::Ok ? "level 1: ok" : "level 1: alert protocol version";
  return t;
}

ProbeResult reachable() {
  ProbeResult r;
  r.target = HostSpec{"10.0.0.5", 3389, false};
  r.addresses = {{"10.0.0.5", false, "ok", {}, 1}};
  r.probedAddress = "10.0.0.5";
  return r;
}

ProbeResult tls10Ecdhe() {
  auto r = reachable();
  r.negotiation = {selected(kProtocolSsl, kProtocolSsl)};
  r.tls.offered = true;
  r.tls.versions = {version("1.0", TlsStatus::Ok, 0, "ECDHE-RSA-AES128-SHA"),
                    version("1.1", TlsStatus::Refused), version("1.2", TlsStatus::Refused),
                    version("1.3", TlsStatus::Refused)};
  r.tls.minSecLevel = 0;
  r.tls.cipher = "ECDHE-RSA-AES128-SHA";
  r.tls.cipherVersion = "1.0";
  return r;
}

TEST(ProbeVerdict, SkippedTlsChecksAreNoFailure) {
  auto r = reachable();
  r.negotiation = {selected(kProtocolSsl, kProtocolSsl)};
  r.tls.offered = true;
  r.tls.skipped = true;  // --no-tls
  for (const char* v : {"1.0", "1.1", "1.2", "1.3"})
    r.tls.versions.push_back(version(v, TlsStatus::Skipped));
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
  const auto v = verdictOf(r);
  EXPECT_NE(v.find("its TLS versions and certificate were not checked (--no-tls)"),
            std::string::npos)
      << v;
  EXPECT_EQ(v.find("no TLS version completes"), std::string::npos) << v;
  for (const auto& f : findingsOf(r))
    if (f.layer == Layer::Tls) {
      EXPECT_EQ(f.status, FindingStatus::Skipped) << f.evidence;
    }
}

TEST(ProbeVerdict, SkippedRdpSecurityChecksAreNoFailure) {
  auto r = reachable();
  r.negotiation = {selected(kProtocolRdp, kProtocolRdp)};
  r.rdp.offered = true;
  r.rdp.skipped = true;  // --no-rdp-security
  r.rdp.checks.resize(4);
  for (auto& c : r.rdp.checks) c.status = "skipped";
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
  const auto v = verdictOf(r);
  EXPECT_NE(v.find("not checked (--no-rdp-security)"), std::string::npos) << v;
  for (const auto& f : findingsOf(r))
    if (f.layer == Layer::RdpSecurity) {
      EXPECT_EQ(f.status, FindingStatus::Skipped) << f.evidence;
    }
}

TEST(ProbeVerdict, ChecksThatRanAndFailedStillFailWhenTheOtherLayerIsSkipped) {
  auto r = tls10Ecdhe();
  for (auto& t : r.tls.versions) t.status = TlsStatus::Refused;
  r.tls.minSecLevel.reset();
  r.tls.cipher.clear();
  r.rdp.skipped = true;  // the host offers no standard RDP security: nothing was skipped there
  EXPECT_EQ(answerOf(r), ProbeAnswer::NoRdp);
}

TEST(ProbeVerdict, AConfirmThatTricklesInIsSlowWithTheBytesAndTheTime) {
  auto r = reachable();
  NegotiationCheck c;
  c.requested = kProtocolSsl;
  c.status = NegotiationStatus::Timeout;
  c.bytesReceived = 15;
  c.elapsedMs = 3004;
  r.negotiation = {c};
  EXPECT_EQ(answerOf(r), ProbeAnswer::Timeout);
  const auto v = verdictOf(r);
  EXPECT_NE(v.find("too slowly: it sent 15 bytes in 3.0 s"), std::string::npos) << v;
  EXPECT_EQ(v.find("never answers"), std::string::npos) << v;
  bool seen = false;
  for (const auto& f : findingsOf(r))
    if (f.layer == Layer::Negotiation) {
      seen = true;
      EXPECT_NE(f.evidence.find("after 15 bytes in 3004 ms"), std::string::npos) << f.evidence;
    }
  EXPECT_TRUE(seen);
  r.negotiation[0].bytesReceived = 0;  // nothing at all: that host never answers
  EXPECT_NE(verdictOf(r).find("never answers"), std::string::npos) << verdictOf(r);
}

TEST(ProbeVerdict, Tls10EcdheSaysSecurityLevelZero) {
  const auto r = tls10Ecdhe();
  const auto v = verdictOf(r);
  EXPECT_NE(v.find("host speaks TLS 1.0 only with ECDHE (ECDHE-RSA-AES128-SHA); modern OpenSSL "
                   "refuses it unless the "
                   "security level is 0"),
            std::string::npos)
      << v;
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
}

TEST(ProbeVerdict, RsaKeyExchangeWorksAtTheDefaultLevel) {
  auto r = tls10Ecdhe();
  r.tls.versions[0] = version("1.0", TlsStatus::Ok, 1, "AES128-SHA");
  r.tls.cipher = "AES128-SHA";
  r.tls.minSecLevel = 1;
  EXPECT_NE(
      verdictOf(r).find(
          "TLS 1.0 only with RSA key exchange (AES128-SHA); OpenSSL accepts it at its default"),
      std::string::npos)
      << verdictOf(r);
}

TEST(ProbeVerdict, EveryHandshakeClosedIsNoRdp) {
  auto r = tls10Ecdhe();
  for (auto& v : r.tls.versions) v.status = TlsStatus::Closed;
  r.tls.minSecLevel.reset();
  EXPECT_EQ(answerOf(r), ProbeAnswer::NoRdp);
  EXPECT_NE(verdictOf(r).find("abandons every TLS handshake"), std::string::npos);
}

TEST(ProbeVerdict, DowngradesAreNamedTogether) {
  auto r = reachable();
  r.negotiation = {selected(kProtocolRdp, kProtocolRdp), selected(kProtocolHybrid, kProtocolRdp),
                   selected(kProtocolRdstls, kProtocolRdp)};
  r.rdp.offered = true;
  r.rdp.methods = kEncryption128Bit;
  r.rdp.level = kEncryptionLevelHigh;
  const auto v = verdictOf(r);
  EXPECT_NE(
      v.find("it answers requests for HYBRID and RDSTLS by selecting RDP (silent downgrades)"),
      std::string::npos)
      << v;
  EXPECT_NE(v.find("standard RDP security accepts 128-bit encryption at level high"),
            std::string::npos)
      << v;
}

TEST(ProbeVerdict, SilentHostIsATimeout) {
  auto r = reachable();
  NegotiationCheck c;
  c.status = NegotiationStatus::Timeout;
  r.negotiation = {c, c};
  EXPECT_EQ(answerOf(r), ProbeAnswer::Timeout);
  EXPECT_NE(verdictOf(r).find("never answers the X.224 Connection Request"), std::string::npos);
}

TEST(ProbeVerdict, RefusedEverywhereIsUnreachableAndResolverSilenceIsATimeout) {
  ProbeResult r;
  r.target = HostSpec{"host.example", 3389, false};
  r.addresses = {{"::1", true, "refused", {}, -1}, {"127.0.0.1", false, "refused", {}, -1}};
  EXPECT_EQ(answerOf(r), ProbeAnswer::Unreachable);
  EXPECT_NE(verdictOf(r).find("nothing accepts TCP on port 3389"), std::string::npos);
  ProbeResult dns;
  dns.resolveError = "no answer from the resolver";
  dns.resolveTimedOut = true;
  EXPECT_EQ(answerOf(dns), ProbeAnswer::Timeout);
  dns.resolveTimedOut = false;
  EXPECT_EQ(answerOf(dns), ProbeAnswer::Unreachable);
}

TEST(ProbeFindings, OneFindingPerCheckInLayerOrder) {
  auto r = tls10Ecdhe();
  r.addresses.push_back({"::1", true, "refused", "connect: Connection refused", -1});
  const auto f = findingsOf(r);
  ASSERT_EQ(f.size(), 1U + 2U + 1U + 4U);
  EXPECT_EQ(f[0].layer, Layer::Name);
  EXPECT_EQ(f[1].layer, Layer::Tcp);
  EXPECT_EQ(f[2].status, FindingStatus::Failed);
  EXPECT_EQ(f[3].layer, Layer::Negotiation);
  EXPECT_EQ(f[4].layer, Layer::Tls);
  EXPECT_EQ(f[4].status, FindingStatus::Ok);
  EXPECT_EQ(f[5].status, FindingStatus::Failed);
}

}  // namespace
}  // namespace rdpdoctor::probe
