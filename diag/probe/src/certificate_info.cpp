#include "rdpdoctor/probe/certificate_info.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace rdpdoctor::probe {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string nameText(const X509_NAME* name) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  const int len = ASN1_STRING_length(ip);
  const unsigned char* d = ASN1_STRING_get0_data(ip);
  if (len == 4) ::inet_ntop(AF_INET, d, buf, sizeof buf);
  if (len == 16) ::inet_ntop(AF_INET6, d, buf, sizeof buf);
  return buf;
}

std::vector<std::string> altNames(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      const auto* s = n->d.dNSName;
      out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                         static_cast<std::size_t>(ASN1_STRING_length(s))));
    } else if (n->type == GEN_IPADD) {
      out.push_back("IP:" + ipText(n->d.iPAddress));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string isoTime(const ASN1_TIME* t, std::tm& tm) {
  tm = {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string sha256Of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    if (i != 0) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0F];
  }
  return out;
}

void describeKey(X509* cert, CertificateInfo& info) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return;
  info.keyBits = EVP_PKEY_get_bits(key);
  const char* type = EVP_PKEY_get0_type_name(key);
  info.keyType = type != nullptr ? type : "unknown";
  if (info.keyType == "rsaEncryption") info.keyType = "RSA";
  info.selfSigned = X509_check_issued(cert, cert) == X509_V_OK && X509_verify(cert, key) == 1;
}

bool matches(X509* cert, std::string_view typedName) {
  const std::string name(typedName);
  if (name.empty()) return false;
  unsigned char buf[16];
  const bool ip = ::inet_pton(AF_INET, name.c_str(), buf) == 1 || ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
  if (ip) return X509_check_ip_asc(cert, name.c_str(), 0) == 1;
  return X509_check_host(cert, name.c_str(), name.size(), 0, nullptr) == 1;
}

}  // namespace

Result<CertificateInfo> describeCertificate(std::span<const std::uint8_t> der, std::string_view typedName,
                                            std::chrono::system_clock::time_point now) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return makeError("malformed", "the server certificate is not valid DER X.509");
  CertificateInfo info;
  info.subject = nameText(X509_get_subject_name(cert.get()));
  info.issuer = nameText(X509_get_issuer_name(cert.get()));
  info.subjectAltNames = altNames(cert.get());
  std::tm before{};
  std::tm after{};
  info.notBefore = isoTime(X509_get0_notBefore(cert.get()), before);
  info.notAfter = isoTime(X509_get0_notAfter(cert.get()), after);
  const std::time_t nowT = std::chrono::system_clock::to_time_t(now);
  const std::time_t beforeT = ::timegm(&before);
  const std::time_t afterT = ::timegm(&after);
  info.expired = nowT > afterT;
  info.notYetValid = nowT < beforeT;
  const auto diff = static_cast<std::int64_t>(afterT) - static_cast<std::int64_t>(nowT);
  info.daysLeft = diff >= 0 ? diff / 86400 : -((-diff + 86399) / 86400);
  const int sigNid = X509_get_signature_nid(cert.get());
  info.signatureAlgorithm = sigNid != NID_undef ? OBJ_nid2ln(sigNid) : "unknown";
  info.sha256 = sha256Of(cert.get());
  describeKey(cert.get(), info);
  info.nameMatch = matches(cert.get(), typedName);
  return info;
}

}  // namespace rdpdoctor::probe
