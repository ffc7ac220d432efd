// The host's flaws from probe facts (issue 10, point 3): what an administrator should mend even
// when the connection works. Facts are built as the probe would report real hosts.
#include "rdpdoctor/verdict/host_findings.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace rdpdoctor;

namespace {

/// A modern, healthy host: NLA required, TLS 1.2/1.3 only, a CA-signed 2048-bit certificate
/// with a year left and the right name.
HostFacts healthy() {
  HostFacts f;
  f.probed = true;
  f.offersNla = true;
  f.nlaRequired = true;
  f.tlsVersionsOk = {"1.2", "1.3"};
  f.certificate = CertificateFacts{
      "CN=rds.example", "2027-12-01T00:00:00Z", 365, true, "RSA", 2048, "sha256WithRSAEncryption"};
  return f;
}

const HostFinding* find(const std::vector<HostFinding>& v, std::string_view id) {
  const auto it =
      std::find_if(v.begin(), v.end(), [&](const HostFinding& f) { return f.id == id; });
  return it == v.end() ? nullptr : &*it;
}

TEST(HostFindings, AHealthyHostHasNone) { EXPECT_TRUE(hostFindings(healthy()).empty()); }

TEST(HostFindings, AnUnprobedHostClaimsNothing) {
  HostFacts f;
  f.offersRdp = true;  // unknown facts must not be read as flaws
  EXPECT_TRUE(hostFindings(f).empty());
}

TEST(HostFindings, AnExpiredCertificateIsHighAndSaysWhen) {
  auto f = healthy();
  f.certExpired = true;
  f.certificate->notAfter = "2021-01-01T00:00:00Z";
  f.certificate->daysLeft = -2160;
  const auto v = hostFindings(f);
  const auto* e = find(v, "certificate-expired");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->severity, Severity::High);
  EXPECT_NE(e->evidence.find("2021-01-01"), std::string::npos) << e->evidence;
  EXPECT_NE(e->evidence.find("2160 days ago"), std::string::npos) << e->evidence;
  EXPECT_EQ(find(v, "certificate-expiring"), nullptr) << "expired is not also 'expiring'";
}

TEST(HostFindings, ACertificateExpiringWithinThirtyDaysIsNamedOneWithMoreIsNot) {
  auto soon = healthy();
  soon.certificate->daysLeft = 12;
  ASSERT_NE(find(hostFindings(soon), "certificate-expiring"), nullptr);
  EXPECT_NE(find(hostFindings(soon), "certificate-expiring")->evidence.find("in 12 days"),
            std::string::npos);
  auto later = healthy();
  later.certificate->daysLeft = 45;
  EXPECT_EQ(find(hostFindings(later), "certificate-expiring"), nullptr);
}

TEST(HostFindings, TheLegacyLabHostShowsItsTlsAndNlaFlawsMostSevereFirst) {
  // xrdp at TLS 1.0 only with its self-signed certificate: what the README's demo host looks like
  auto f = healthy();
  f.offersNla = false;
  f.nlaRequired = false;
  f.offersTls = true;
  f.tlsVersionsOk = {"1.0"};
  f.certSelfSigned = true;
  const auto v = hostFindings(f);
  ASSERT_NE(find(v, "tls-legacy-only"), nullptr);
  EXPECT_EQ(find(v, "tls-legacy-only")->severity, Severity::High);
  ASSERT_NE(find(v, "nla-not-required"), nullptr);
  ASSERT_NE(find(v, "certificate-self-signed"), nullptr);
  EXPECT_EQ(find(v, "tls-legacy-enabled"), nullptr) << "only-legacy is not also 'legacy enabled'";
  EXPECT_TRUE(std::is_sorted(v.begin(), v.end(), [](const HostFinding& a, const HostFinding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  }));
  EXPECT_EQ(v.front().severity, Severity::High);
}

TEST(HostFindings, TlsOneZeroBesideOneTwoIsOnlyLow) {
  auto f = healthy();
  f.tlsVersionsOk = {"1.0", "1.1", "1.2"};
  const auto v = hostFindings(f);
  ASSERT_NE(find(v, "tls-legacy-enabled"), nullptr);
  EXPECT_EQ(find(v, "tls-legacy-enabled")->severity, Severity::Low);
  EXPECT_EQ(find(v, "tls-legacy-only"), nullptr);
}

TEST(HostFindings, StandardRdpSecurityAndWeakMethodsAreHigh) {
  auto f = healthy();
  f.nlaRequired = false;
  f.offersRdp = true;
  f.rdpMethods = {"40", "128"};
  const auto v = hostFindings(f);
  ASSERT_NE(find(v, "rdp-security-accepted"), nullptr);
  ASSERT_NE(find(v, "rdp-weak-encryption"), nullptr);
  EXPECT_NE(find(v, "rdp-weak-encryption")->evidence.find("40"), std::string::npos);
  auto fips = f;
  fips.rdpMethods = {"FIPS"};
  EXPECT_EQ(find(hostFindings(fips), "rdp-weak-encryption"), nullptr);
}

TEST(HostFindings, APreVistaHostAcceptsStandardRdpSecurityWithoutNla) {
  HostFacts f;
  f.probed = true;
  f.noNegotiationData = true;
  const auto v = hostFindings(f);
  EXPECT_NE(find(v, "rdp-security-accepted"), nullptr);
  EXPECT_NE(find(v, "nla-not-required"), nullptr);
}

TEST(HostFindings, WeakKeysSha1AndAWrongNameAreNamed) {
  auto f = healthy();
  f.certificate->keyBits = 1024;
  f.certificate->signatureAlgorithm = "sha1WithRSAEncryption";
  f.certificate->nameMatch = false;
  const auto v = hostFindings(f);
  EXPECT_NE(find(v, "certificate-weak-key"), nullptr);
  EXPECT_NE(find(v, "certificate-weak-signature"), nullptr);
  EXPECT_NE(find(v, "certificate-name-mismatch"), nullptr);
  auto ec = healthy();
  ec.certificate->keyType = "EC";
  ec.certificate->keyBits = 256;
  EXPECT_EQ(find(hostFindings(ec), "certificate-weak-key"), nullptr) << "P-256 is not weak";
}

}  // namespace
