#pragma once
// The facts of a server certificate (the TLS layer of MS-RDPBCGR 5.4.5.1), from DER bytes.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::probe {

struct CertificateInfo {
  std::string subject;               // RFC 2253, e.g. "CN=rdpdoctor-lab"
  std::string issuer;
  std::vector<std::string> subjectAltNames;  // "DNS:localhost", "IP:127.0.0.1"
  std::string notBefore;             // ISO 8601 UTC, "2020-01-01T00:00:00Z"
  std::string notAfter;
  std::int64_t daysLeft = 0;         // whole days until notAfter (negative once expired)
  bool expired = false;
  bool notYetValid = false;
  bool selfSigned = false;           // issued by itself and its signature verifies with its own key
  std::string keyType;               // "RSA", "EC", "ED25519", ...
  int keyBits = 0;
  std::string signatureAlgorithm;    // "sha256WithRSAEncryption"
  std::string sha256;                // "AB:CD:..." (32 bytes)
  bool nameMatch = false;            // the name (or IP literal) the user typed matches SAN/CN
};

/// Describes a DER X.509 certificate as of `now`, matching it against `typedName` (a host name or
/// an IP literal, without brackets). Error "malformed" when the DER does not parse.
[[nodiscard]] Result<CertificateInfo> describeCertificate(std::span<const std::uint8_t> der,
                                                          std::string_view typedName,
                                                          std::chrono::system_clock::time_point now);

}  // namespace rdpdoctor::probe
