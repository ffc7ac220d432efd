#pragma once
// A TLS server context whose self-signed certificate (made at run time with the OpenSSL API, never
// committed) carries names a hostile server chooses: raw bytes, set without any validation, so
// they may hold escape sequences, NUL, invalid UTF-8 or 10 KB of text.
#include <memory>
#include <string>
#include <vector>

#include "rdpdoctor/result.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace rdpdoctor::hostile {

struct CertificateNames {
  // OpenSSL re-encodes a name canonically (as UTF-8) to write or read it, so a UTF8String that
  // is not valid UTF-8 cannot be in a certificate anyone parses; a T61String holds any bytes
  std::string commonName;    // subject CN, a UTF8String of these exact bytes (valid UTF-8)
  std::string organization;  // subject O, a T61String of these exact bytes (any bytes)
  std::vector<std::string>
      dnsNames;  // subjectAltName dNSName entries, IA5Strings of these exact bytes
};

/// An RSA-2048 key and a self-signed certificate valid from now for 30 days, with `names` as its
/// subject and issuer, in a TLS server context that accepts TLS 1.0 to 1.3 at security level 0.
[[nodiscard]] Result<std::shared_ptr<ssl_ctx_st>> serverContextWith(const CertificateNames& names);

}  // namespace rdpdoctor::hostile
