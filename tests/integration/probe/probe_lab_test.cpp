// The probe against every xrdp and shadow lab server: the exact protocol selected per request,
// the TLS versions, the certificate facts and the encryption methods each configuration implies.
#include <gtest/gtest.h>

#include "probe_test_util.hpp"
#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe::test {
namespace {

using namespace wire;
using lab::Kind;

constexpr std::uint32_t kSslHybrid = kProtocolSsl | kProtocolHybrid;
constexpr std::uint32_t kSslHybridEx = kProtocolSsl | kProtocolHybrid | kProtocolHybridEx;

void expectSelected(const ProbeResult& r, std::uint32_t requested, std::uint32_t selected,
                    bool downgrade = false) {
  const auto& c = negotiationFor(r, requested);
  EXPECT_EQ(c.status, NegotiationStatus::Selected) << "request " << requested << ": " << c.detail;
  EXPECT_EQ(c.selected.value_or(0xFFFFFFFF), selected) << "request " << requested;
  EXPECT_EQ(c.downgrade, downgrade) << "request " << requested;
}

void expectFailure(const ProbeResult& r, std::uint32_t requested, std::uint32_t code) {
  const auto& c = negotiationFor(r, requested);
  EXPECT_EQ(c.status, NegotiationStatus::Failure) << "request " << requested;
  EXPECT_EQ(c.failureCode.value_or(0), code) << "request " << requested;
}

void expectTls(const ProbeResult& r, TlsStatus v10, TlsStatus v11, TlsStatus v12, TlsStatus v13) {
  EXPECT_EQ(tlsFor(r, "1.0").status, v10) << tlsFor(r, "1.0").reason;
  EXPECT_EQ(tlsFor(r, "1.1").status, v11) << tlsFor(r, "1.1").reason;
  EXPECT_EQ(tlsFor(r, "1.2").status, v12) << tlsFor(r, "1.2").reason;
  EXPECT_EQ(tlsFor(r, "1.3").status, v13) << tlsFor(r, "1.3").reason;
}

/// The lab's xrdp certificate: CN=rdpdoctor-lab, SANs 127.0.0.1, ::1, localhost, RSA 2048.
void expectLabCertificate(const ProbeResult& r, const lab::Server& server) {
  ASSERT_TRUE(r.tls.certificate.has_value()) << r.tls.certificateError;
  const auto& c = *r.tls.certificate;
  EXPECT_EQ(c.subject, "CN=rdpdoctor-lab");
  EXPECT_EQ(c.issuer, "CN=rdpdoctor-lab");
  EXPECT_TRUE(c.selfSigned);
  EXPECT_TRUE(c.nameMatch);
  EXPECT_EQ(c.keyType, "RSA");
  EXPECT_EQ(c.keyBits, 2048);
  EXPECT_EQ(c.signatureAlgorithm, "sha256WithRSAEncryption");
  EXPECT_EQ(c.subjectAltNames,
            (std::vector<std::string>{"IP:127.0.0.1", "IP:::1", "DNS:localhost"}));
  EXPECT_EQ(c.sha256, pemSha256(server.certificatePem()));
}

#define START_AND_PROBE(var, options)                             \
  auto var##Server = lab::start(options);                         \
  ASSERT_TRUE(var##Server.ok()) << var##Server.error().message(); \
  const ProbeResult var = probeServer(**var##Server)

TEST(ProbeXrdp, NegotiateSelectsTlsForSslAndRdpForEverythingElse) {
  START_AND_PROBE(r, labOptions(Kind::XrdpNegotiate));
  expectSelected(r, kProtocolRdp, kProtocolRdp);
  expectSelected(r, kProtocolSsl, kProtocolSsl);
  expectSelected(r, kProtocolHybrid, kProtocolRdp, true);  // xrdp has no NLA: a silent downgrade
  expectSelected(r, kSslHybrid, kProtocolSsl);
  expectSelected(r, kSslHybridEx, kProtocolSsl);
  expectSelected(r, kProtocolRdstls, kProtocolRdp, true);
  expectTls(r, TlsStatus::Refused, TlsStatus::Refused, TlsStatus::Ok,
            TlsStatus::Ok);  // ssl_protocols=TLSv1.2, TLSv1.3
  EXPECT_EQ(r.tls.minSecLevel, 1);
  expectLabCertificate(r, **rServer);
  EXPECT_FALSE(r.tls.certificate->expired);
  EXPECT_EQ(r.rdp.methods,
            kEncryption128Bit);  // crypt_level=high: 128-bit only, whatever is offered
  EXPECT_EQ(r.rdp.level, kEncryptionLevelHigh);
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
  const auto facts = hostFactsFrom(r);
  EXPECT_TRUE(facts.offersRdp);
  EXPECT_TRUE(facts.offersTls);
  EXPECT_FALSE(facts.offersNla);
}

TEST(ProbeXrdp, TlsOnlyAnswersRdpRequestsWithSslRequired) {
  START_AND_PROBE(r, labOptions(Kind::XrdpTls));
  expectFailure(r, kProtocolRdp, kSslRequiredByServer);
  expectSelected(r, kProtocolSsl, kProtocolSsl);
  expectFailure(r, kProtocolHybrid, kSslRequiredByServer);
  expectSelected(r, kSslHybrid, kProtocolSsl);
  expectSelected(r, kSslHybridEx, kProtocolSsl);
  expectTls(r, TlsStatus::Refused, TlsStatus::Refused, TlsStatus::Ok, TlsStatus::Ok);
  expectLabCertificate(r, **rServer);
  EXPECT_FALSE(r.rdp.offered);
  EXPECT_EQ(r.rdp.methods, 0U);
  EXPECT_EQ(hostFactsFrom(r).negotiationFailure, "SSL_REQUIRED_BY_SERVER");
}

struct CryptCase {
  const char* level;
  std::uint32_t method;
  std::uint32_t encryptionLevel;
};

class ProbeXrdpRdp : public ::testing::TestWithParam<CryptCase> {};

TEST_P(ProbeXrdpRdp, AcceptsExactlyTheMethodOfItsCryptLevel) {
  START_AND_PROBE(r, labOptions(Kind::XrdpRdp, GetParam().level));
  for (std::uint32_t req :
       {kProtocolSsl, kProtocolHybrid, kSslHybrid, kSslHybridEx, kProtocolRdstls})
    expectSelected(r, req, kProtocolRdp, true);
  expectSelected(r, kProtocolRdp, kProtocolRdp);
  EXPECT_FALSE(r.tls.offered);
  expectTls(r, TlsStatus::NotOffered, TlsStatus::NotOffered, TlsStatus::NotOffered,
            TlsStatus::NotOffered);
  EXPECT_TRUE(r.rdp.offered);
  EXPECT_EQ(r.rdp.methods, GetParam().method) << encryptionMethodNames(r.rdp.methods).size();
  EXPECT_EQ(r.rdp.level, GetParam().encryptionLevel);
  for (const auto& c : r.rdp.checks) {
    EXPECT_EQ(c.serverMethod, GetParam().method) << "xrdp answers its own method to every offer";
    EXPECT_EQ(c.status, c.offered == GetParam().method ? "accepted" : "other-method");
  }
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
}

INSTANTIATE_TEST_SUITE_P(
    CryptLevels, ProbeXrdpRdp,
    ::testing::Values(CryptCase{"low", kEncryption40Bit, kEncryptionLevelLow},
                      CryptCase{"medium", kEncryption40Bit, kEncryptionLevelClientCompatible},
                      CryptCase{"high", kEncryption128Bit, kEncryptionLevelHigh},
                      CryptCase{"fips", wire::kEncryptionFips, kEncryptionLevelFips}),
    [](const ::testing::TestParamInfo<CryptCase>& p) { return std::string(p.param.level); });

TEST(ProbeXrdp, Tls10EcdheWorksOnlyAtSecurityLevelZero) {
  START_AND_PROBE(r, labOptions(Kind::XrdpTls10Ecdhe));
  expectTls(r, TlsStatus::Ok, TlsStatus::Refused, TlsStatus::Refused, TlsStatus::Refused);
  EXPECT_EQ(tlsFor(r, "1.0").secLevel, 0);
  EXPECT_EQ(tlsFor(r, "1.0").cipher, "ECDHE-RSA-AES128-SHA");
  EXPECT_EQ(r.tls.minSecLevel, 0);
  EXPECT_NE(verdictOf(r).find("TLS 1.0 only with ECDHE"), std::string::npos) << verdictOf(r);
  EXPECT_NE(verdictOf(r).find("unless the security level is 0"), std::string::npos) << verdictOf(r);
  const auto facts = hostFactsFrom(r);
  EXPECT_TRUE(facts.legacyTlsOnly());
  EXPECT_EQ(facts.minSecLevel, 0);
}

TEST(ProbeXrdp, Tls10RsaWorksAtTheDefaultSecurityLevel) {
  START_AND_PROBE(r, labOptions(Kind::XrdpTls10Rsa));
  expectTls(r, TlsStatus::Ok, TlsStatus::Refused, TlsStatus::Refused, TlsStatus::Refused);
  EXPECT_EQ(tlsFor(r, "1.0").secLevel, 1);
  EXPECT_EQ(tlsFor(r, "1.0").cipher, "AES128-SHA");
  EXPECT_EQ(r.tls.minSecLevel, 1);
  expectLabCertificate(r, **rServer);
}

TEST(ProbeXrdp, ThreeDesOnlyAbandonsEveryHandshake) {
  START_AND_PROBE(r, labOptions(Kind::Xrdp3desOnly));
  expectSelected(r, kProtocolSsl, kProtocolSsl);
  expectTls(r, TlsStatus::Closed, TlsStatus::Closed, TlsStatus::Closed, TlsStatus::Closed);
  EXPECT_FALSE(r.tls.certificate.has_value());
  EXPECT_FALSE(r.tls.minSecLevel.has_value());
  EXPECT_EQ(answerOf(r), ProbeAnswer::NoRdp);
  EXPECT_TRUE(hostFactsFrom(r).tlsHandshakeClosedByServer);
}

TEST(ProbeXrdp, ExpiredCertificateIsReportedWithItsValidity) {
  START_AND_PROBE(r, labOptions(Kind::XrdpExpiredCert));
  expectTls(r, TlsStatus::Refused, TlsStatus::Refused, TlsStatus::Ok, TlsStatus::Ok);
  ASSERT_TRUE(r.tls.certificate.has_value());
  const auto& c = *r.tls.certificate;
  EXPECT_TRUE(c.expired);
  EXPECT_FALSE(c.notYetValid);
  EXPECT_EQ(c.notBefore, "2020-01-01T00:00:00Z");
  EXPECT_EQ(c.notAfter, "2021-01-01T00:00:00Z");
  EXPECT_LT(c.daysLeft, 0);
  EXPECT_EQ(c.sha256, pemSha256((*rServer)->certificatePem()));
  EXPECT_TRUE(hostFactsFrom(r).certExpired);
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
}

TEST(ProbeShadow, NlaRequiresHybridForEveryOtherRequest) {
  START_AND_PROBE(r, labOptions(Kind::ShadowNla));
  expectFailure(r, kProtocolRdp, kHybridRequiredByServer);
  expectFailure(r, kProtocolSsl, kHybridRequiredByServer);
  expectSelected(r, kProtocolHybrid, kProtocolHybrid);
  expectSelected(r, kSslHybrid, kProtocolHybrid);
  expectSelected(r, kSslHybridEx, kProtocolHybrid);
  expectFailure(r, kProtocolRdstls, kHybridRequiredByServer);
  EXPECT_NE(r.tls.requested & kProtocolHybrid, 0U);  // the handshakes ran behind a HYBRID selection
  EXPECT_EQ(tlsFor(r, "1.2").status, TlsStatus::Ok);
  EXPECT_EQ(tlsFor(r, "1.3").status, TlsStatus::Ok);
  ASSERT_TRUE(r.tls.certificate.has_value());
  EXPECT_TRUE(r.tls.certificate->selfSigned);
  EXPECT_EQ(r.tls.certificate->sha256, pemSha256((*rServer)->certificatePem()));
  const auto facts = hostFactsFrom(r);
  EXPECT_TRUE(facts.nlaRequired);
  EXPECT_TRUE(facts.offersNla);
  EXPECT_FALSE(facts.offersTls);
  EXPECT_FALSE(facts.offersRdp);
}

TEST(ProbeShadow, TlsSelectsSslAndRequiresIt) {
  START_AND_PROBE(r, labOptions(Kind::ShadowTls));
  expectFailure(r, kProtocolRdp, kSslRequiredByServer);
  expectSelected(r, kProtocolSsl, kProtocolSsl);
  expectFailure(r, kProtocolHybrid, kSslRequiredByServer);
  expectSelected(r, kSslHybrid, kProtocolSsl);
  EXPECT_EQ(tlsFor(r, "1.2").status, TlsStatus::Ok);
  EXPECT_EQ(tlsFor(r, "1.3").status, TlsStatus::Ok);
  EXPECT_EQ(r.tls.minSecLevel, 1);
  EXPECT_FALSE(r.rdp.offered);
}

TEST(ProbeShadow, RdpRefusesTlsAndEncryptsNothing) {
  START_AND_PROBE(r, labOptions(Kind::ShadowRdp));
  expectSelected(r, kProtocolRdp, kProtocolRdp);
  for (std::uint32_t req : {kProtocolSsl, kProtocolHybrid, kSslHybrid, kSslHybridEx})
    expectFailure(r, req, kSslNotAllowedByServer);
  EXPECT_FALSE(r.tls.offered);
  EXPECT_TRUE(r.rdp.offered);
  EXPECT_TRUE(r.rdp.unencrypted);  // FreeRDP's shadow server answers method and level none
  EXPECT_EQ(r.rdp.methods, 0U);
  EXPECT_EQ(r.rdp.level, kEncryptionLevelNone);
  EXPECT_EQ(answerOf(r), ProbeAnswer::Works);
  EXPECT_EQ(hostFactsFrom(r).negotiationFailure, "SSL_NOT_ALLOWED_BY_SERVER");
}

TEST(ProbeShadow, NoAuthOffersTlsAndRdpButNotNla) {
  START_AND_PROBE(r, labOptions(Kind::ShadowNoAuth));
  expectSelected(r, kProtocolRdp, kProtocolRdp);
  expectSelected(r, kProtocolSsl, kProtocolSsl);
  expectSelected(r, kSslHybrid, kProtocolSsl);
  const auto& hybrid = negotiationFor(r, kProtocolHybrid);
  EXPECT_EQ(hybrid.status, NegotiationStatus::Failure);
  EXPECT_EQ(tlsFor(r, "1.2").status, TlsStatus::Ok);
  EXPECT_TRUE(r.rdp.offered);
  const auto facts = hostFactsFrom(r);
  EXPECT_TRUE(facts.offersTls);
  EXPECT_TRUE(facts.offersRdp);
  EXPECT_FALSE(facts.offersNla);
}

}  // namespace
}  // namespace rdpdoctor::probe::test
