// Certificate facts from DER: a certificate generated here (never committed), read back.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "rdpdoctor/probe/certificate_info.hpp"

namespace rdpdoctor::probe {
namespace {

using std::chrono::system_clock;

/// A self-signed EC P-256 certificate, CN=lab-host, SAN DNS:lab.example + IP:127.0.0.1, valid
/// from 2020-01-01 to 2021-01-01 (as Unix times 1577836800 .. 1609459200).
std::vector<std::uint8_t> makeCertificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  ASN1_TIME_set(X509_getm_notBefore(x), 1577836800);
  ASN1_TIME_set(X509_getm_notAfter(x), 1609459200);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lab-host"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:lab.example,IP:127.0.0.1");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  X509_sign(x, key, EVP_sha256());
  std::vector<std::uint8_t> der(static_cast<std::size_t>(i2d_X509(x, nullptr)));
  unsigned char* p = der.data();
  i2d_X509(x, &p);
  X509_free(x);
  EVP_PKEY_free(key);
  return der;
}

const system_clock::time_point kMid = system_clock::from_time_t(1593561600);    // 2020-07-01
const system_clock::time_point kAfter = system_clock::from_time_t(1609459200 + 10 * 86400);
const system_clock::time_point kBefore = system_clock::from_time_t(1577836800 - 86400);

TEST(CertificateInfo, ReadsSubjectValidityKeyAndFingerprint) {
  const auto der = makeCertificate();
  auto info = describeCertificate(der, "lab.example", kMid);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->subject, "CN=lab-host");
  EXPECT_EQ(info->issuer, "CN=lab-host");
  EXPECT_EQ(info->subjectAltNames, (std::vector<std::string>{"DNS:lab.example", "IP:127.0.0.1"}));
  EXPECT_EQ(info->notBefore, "2020-01-01T00:00:00Z");
  EXPECT_EQ(info->notAfter, "2021-01-01T00:00:00Z");
  EXPECT_FALSE(info->expired);
  EXPECT_FALSE(info->notYetValid);
  EXPECT_EQ(info->daysLeft, 184);
  EXPECT_TRUE(info->selfSigned);
  EXPECT_EQ(info->keyType, "EC");
  EXPECT_EQ(info->keyBits, 256);
  EXPECT_EQ(info->signatureAlgorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(info->sha256.size(), 32U * 3 - 1);
  EXPECT_TRUE(info->nameMatch);
}

TEST(CertificateInfo, ExpiredAndNotYetValidFollowTheClock) {
  const auto der = makeCertificate();
  auto after = describeCertificate(der, "lab.example", kAfter);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->expired);
  EXPECT_EQ(after->daysLeft, -10);
  auto before = describeCertificate(der, "lab.example", kBefore);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->notYetValid);
  EXPECT_FALSE(before->expired);
}

TEST(CertificateInfo, NameMatchUsesIpSansForLiteralsAndDnsSansForNames) {
  const auto der = makeCertificate();
  EXPECT_TRUE(describeCertificate(der, "127.0.0.1", kMid)->nameMatch);
  EXPECT_FALSE(describeCertificate(der, "127.0.0.2", kMid)->nameMatch);
  EXPECT_FALSE(describeCertificate(der, "::1", kMid)->nameMatch);
  EXPECT_FALSE(describeCertificate(der, "other.example", kMid)->nameMatch);
}

TEST(CertificateInfo, GarbageIsMalformed) {
  const std::vector<std::uint8_t> junk{0x30, 0x03, 0x01, 0x01};
  auto info = describeCertificate(junk, "x", kMid);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, "malformed");
}

}  // namespace
}  // namespace rdpdoctor::probe
