// client/core against xrdp over TLS: certificate policies (accept-once, deny, TOFU new, match and
// changed), an expired certificate, a TLS 1.0-only ECDHE host, and IPv6. Through runIsolated:
// requests built in the test (requestFor: an explicit accept-once policy), no terminal and no
// --cert flag involved; the policies are this suite's subject.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

constexpr std::int64_t kProtocolSsl = 0x1;

/// SHA-256 of a PEM certificate's DER, lower-case hex without separators ("" on error).
std::string sha256Of(const std::filesystem::path& pem) {
  FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) return "";
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return "";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  const bool ok = X509_digest(cert, EVP_sha256(), md, &n) == 1;
  X509_free(cert);
  if (!ok) return "";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", md[i]);
    hex += b;
  }
  return hex;
}

/// "AB:cd:..." -> "abcd...".
std::string normalized(std::string fingerprint) {
  fingerprint.erase(std::remove(fingerprint.begin(), fingerprint.end(), ':'), fingerprint.end());
  std::transform(fingerprint.begin(), fingerprint.end(), fingerprint.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return fingerprint;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The certificate-policy tests run against xrdp in TLS mode and in negotiate mode; one server
/// per kind is shared by every test of that kind.
class XrdpCertificate : public ::testing::TestWithParam<lab::Kind> {
 protected:
  static void TearDownTestSuite() { servers().clear(); }
  void SetUp() override {
    auto& shared = servers()[GetParam()];
    if (shared.get() == nullptr) shared.start({.kind = GetParam()});
    ASSERT_NE(shared.get(), nullptr) << shared.error();
    server_ = shared.get();
  }
  static std::map<lab::Kind, SharedServer>& servers() {
    static std::map<lab::Kind, SharedServer> s;
    return s;
  }

  lab::TempDir dir_;
  const lab::Server* server_ = nullptr;
};

TEST_P(XrdpCertificate, ConnectsToFirstFrameWithAnAcceptedCertificate) {
  const auto a = runAttempt(requestFor(*server_, dir_.path()));
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame) << a.describe();
  EXPECT_EQ(a.signature.id, "ok");
  EXPECT_EQ(a.outcome.selectedProtocol, kProtocolSsl) << "xrdp selects TLS when it is offered";
  ASSERT_TRUE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_TRUE(a.outcome.certificate->accepted);
  EXPECT_EQ(a.outcome.certificate->decision, CertDecision::AcceptOnce);
  EXPECT_EQ(normalized(a.outcome.certificate->fingerprint), sha256Of(server_->certificatePem()))
      << "the certificate seen is the lab server's own";
  ASSERT_TRUE(a.outcome.frame.has_value()) << a.describe();
  EXPECT_EQ(a.outcome.frame->width, 1024U);
  EXPECT_EQ(a.outcome.frame->height, 768U);
  EXPECT_GE(a.outcome.frame->frames, 1U);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "known_hosts"))
      << "accept-once stores nothing";
}

TEST_P(XrdpCertificate, DenyRefusesTheCertificateAsUntrusted) {
  auto req = requestFor(*server_, dir_.path());
  req.profile.cert = CertPolicy::Deny;
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Certificate) << a.describe();
  ASSERT_TRUE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_FALSE(a.outcome.certificate->accepted);
  EXPECT_EQ(a.outcome.certificate->decision, CertDecision::Deny);
  EXPECT_EQ(a.signature.id, "certificate-untrusted") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tls);
  EXPECT_TRUE(a.signature.stopsLadder)
      << "trusting a certificate is the user's decision, never a fallback";
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "known_hosts"));
}

TEST_P(XrdpCertificate, TofuStoresOnFirstUseAndMatchesOnTheNextRun) {
  auto req = requestFor(*server_, dir_.path());
  req.profile.cert = CertPolicy::Tofu;
  const auto first = runAttempt(req);
  ASSERT_TRUE(first.outcome.success) << first.describe();
  ASSERT_TRUE(first.outcome.certificate.has_value()) << first.describe();
  EXPECT_EQ(first.outcome.certificate->decision, CertDecision::TofuNew);
  const auto stored = readFile(req.certStorePath);
  EXPECT_EQ(stored, storeKey(*server_) + " " + first.outcome.certificate->fingerprint + "\n");

  const auto second = runAttempt(req);
  ASSERT_TRUE(second.outcome.success) << second.describe();
  EXPECT_EQ(second.outcome.reached, Stage::Frame);
  ASSERT_TRUE(second.outcome.certificate.has_value()) << second.describe();
  EXPECT_EQ(second.outcome.certificate->decision, CertDecision::TofuMatch);
  EXPECT_EQ(readFile(req.certStorePath), stored) << "a match leaves the store as it was";
}

TEST_P(XrdpCertificate, TofuRejectsAChangedCertificate) {
  // A second server of the same kind has its own, new certificate. The store says this
  // host:port presented the first server's certificate before: as if the host's certificate
  // had been replaced between two runs.
  auto other = lab::start({.kind = GetParam()});
  ASSERT_TRUE(other.ok()) << other.error().message();
  auto firstReq = requestFor(*server_, dir_.path());
  firstReq.profile.cert = CertPolicy::Tofu;
  const auto first = runAttempt(firstReq);
  ASSERT_TRUE(first.outcome.success) << first.describe();
  ASSERT_TRUE(first.outcome.certificate.has_value());
  const auto oldFingerprint = first.outcome.certificate->fingerprint;
  const auto store = dir_.path() / "known_hosts";
  std::ofstream(store, std::ios::trunc) << storeKey(**other) << " " << oldFingerprint << "\n";

  auto req = requestFor(**other, dir_.path());
  req.profile.cert = CertPolicy::Tofu;
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Certificate) << a.describe();
  ASSERT_TRUE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_FALSE(a.outcome.certificate->accepted);
  EXPECT_EQ(a.outcome.certificate->decision, CertDecision::TofuChanged);
  EXPECT_NE(a.outcome.certificate->fingerprint, oldFingerprint);
  EXPECT_EQ(a.signature.id, "certificate-changed") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tls);
  EXPECT_TRUE(a.signature.stopsLadder);
  EXPECT_EQ(readFile(store), storeKey(**other) + " " + oldFingerprint + "\n")
      << "a rejected certificate is not stored";
}

INSTANTIATE_TEST_SUITE_P(Xrdp, XrdpCertificate,
                         ::testing::Values(lab::Kind::XrdpTls, lab::Kind::XrdpNegotiate),
                         [](const auto& p) {
                           std::string name(lab::toString(p.param));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

class XrdpExpiredCert : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server().start({.kind = lab::Kind::XrdpExpiredCert}); }
  static void TearDownTestSuite() { server().stop(); }
  static SharedServer& server() {
    static SharedServer s;
    return s;
  }
  void SetUp() override { ASSERT_NE(server().get(), nullptr) << server().error(); }
  lab::TempDir dir_;
};

TEST_F(XrdpExpiredCert, IsRefusedWithoutConsentAndNamedExpiredWhenTheProbeSawIt) {
  auto req = requestFor(*server().get(), dir_.path());
  req.profile.cert = CertPolicy::Deny;
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Certificate) << a.describe();
  ASSERT_TRUE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_FALSE(a.outcome.certificate->accepted);
  EXPECT_EQ(a.signature.id, "certificate-untrusted") << a.describe();
  HostFacts facts;
  facts.probed = true;
  facts.certExpired = true;
  facts.certSelfSigned = true;
  EXPECT_EQ(classify(a.outcome, req.profile, facts).id, "certificate-expired");
}

TEST_F(XrdpExpiredCert, ConnectsWhenTheUserAcceptsItExplicitly) {
  const auto a = runAttempt(requestFor(*server().get(), dir_.path()));
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame);
  ASSERT_TRUE(a.outcome.certificate.has_value());
  EXPECT_EQ(a.outcome.certificate->decision, CertDecision::AcceptOnce);
}

class XrdpTls10Ecdhe : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server().start({.kind = lab::Kind::XrdpTls10Ecdhe}); }
  static void TearDownTestSuite() { server().stop(); }
  static SharedServer& server() {
    static SharedServer s;
    return s;
  }
  void SetUp() override { ASSERT_NE(server().get(), nullptr) << server().error(); }
  lab::TempDir dir_;
};

TEST_F(XrdpTls10Ecdhe, FailsAtTlsWithTheDefaultSecurityLevel) {
  auto req = requestFor(*server().get(), dir_.path());
  req.profile.security = Security::Tls;
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Started) << a.describe();
  EXPECT_FALSE(a.outcome.certificate.has_value()) << "the handshake never delivered a certificate";
  EXPECT_EQ(a.outcome.freerdpErrorName, "ERRCONNECT_TLS_CONNECT_FAILED") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tls) << a.describe();
  EXPECT_TRUE(a.signature.retryable);
  HostFacts facts;  // what the probe finds on this host
  facts.probed = true;
  facts.offersTls = true;
  facts.tlsVersionsOk = {"1.0"};
  facts.minSecLevel = 0;
  EXPECT_EQ(classify(a.outcome, req.profile, facts).id, "tls-legacy-refused-locally");
}

TEST_F(XrdpTls10Ecdhe, ConnectsAtSecurityLevelZero) {
  auto req = requestFor(*server().get(), dir_.path());
  req.profile.security = Security::Tls;
  req.profile.tlsSecLevel = 0;
  const auto a = runAttempt(req);
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame);
  EXPECT_EQ(a.outcome.selectedProtocol, kProtocolSsl);
}

TEST(XrdpTlsIpv6, ConnectsToFirstFrameOnLoopbackV6) {
  auto server = lab::start({.kind = lab::Kind::XrdpTls, .ipv6 = true});
  ASSERT_TRUE(server.ok()) << server.error().message();
  ASSERT_EQ((*server)->address(), "::1");
  lab::TempDir dir;
  auto req = requestFor(**server, dir.path());
  ASSERT_TRUE(req.profile.target.ipv6Literal) << (*server)->hostSpec();
  req.profile.cert = CertPolicy::Tofu;
  const auto a = runAttempt(req);
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame);
  EXPECT_EQ(a.outcome.selectedProtocol, kProtocolSsl);
  ASSERT_TRUE(a.outcome.certificate.has_value());
  EXPECT_EQ(a.outcome.certificate->decision, CertDecision::TofuNew);
  EXPECT_EQ(readFile(req.certStorePath),
            storeKey(**server) + " " + a.outcome.certificate->fingerprint + "\n");
}

}  // namespace
}  // namespace rdpdoctor::itest
