#include "hostile_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace rdpdoctor::hostile {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// The entry is set from raw bytes: a non-MBSTRING type makes OpenSSL copy them unchecked.
bool addEntry(X509_NAME* name, int nid, int type, const std::string& value) {
  return X509_NAME_add_entry_by_NID(name, nid, type, bytes(value), static_cast<int>(value.size()),
                                    -1, 0) == 1;
}

bool addAltNames(X509* cert, const std::vector<std::string>& dnsNames) {
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  if (names == nullptr) return false;
  bool ok = true;
  for (const auto& dns : dnsNames) {
    ASN1_IA5STRING* s = ASN1_IA5STRING_new();
    GENERAL_NAME* n = GENERAL_NAME_new();
    if (s == nullptr || n == nullptr ||
        ASN1_STRING_set(s, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(s);
      GENERAL_NAME_free(n);
      ok = false;
      break;
    }
    GENERAL_NAME_set0_value(n, GEN_DNS, s);
    sk_GENERAL_NAME_push(names, n);
  }
  ok = ok && X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) == 1;
  GENERAL_NAMES_free(names);
  return ok;
}

}  // namespace

Result<std::shared_ptr<ssl_ctx_st>> serverContextWith(const CertificateNames& names) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(2048));
  if (!key) return makeError("io", "cannot generate an RSA key");
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!cert) return makeError("io", "cannot allocate a certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 0x5AFE);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!addEntry(subject, NID_commonName, V_ASN1_UTF8STRING, names.commonName) ||
      !addEntry(subject, NID_organizationName, V_ASN1_T61STRING, names.organization))
    return makeError("io", "cannot set the subject");
  if (X509_set_issuer_name(cert.get(), subject) != 1)
    return makeError("io", "cannot set the issuer");
  if (X509_set_pubkey(cert.get(), key.get()) != 1)
    return makeError("io", "cannot set the public key");
  if (!names.dnsNames.empty() && !addAltNames(cert.get(), names.dnsNames))
    return makeError("io", "cannot add the subject alternative names");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return makeError("io", "cannot sign the certificate");

  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return makeError("io", "cannot create a TLS context");
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  if (SSL_CTX_use_certificate(ctx.get(), cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1)
    return makeError("io", "cannot load the certificate into the TLS context");
  return ctx;
}

}  // namespace rdpdoctor::hostile
