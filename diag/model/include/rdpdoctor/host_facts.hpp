#pragma once
// What the probe learned about a host, reduced to the facts the verdict and the ladder use.
// Pure data: diag/probe fills it; tests build it by hand.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

struct AddressFact {
  std::string address;
  bool ipv6 = false;
  bool tcpOk = false;
  std::string tcpError;  // "refused", "timeout", "unreachable", ...
};

/// The server certificate the probe read (its TLS handshake).
struct CertificateFacts {
  std::string subject;
  std::string notAfter;       // ISO 8601 UTC
  std::int64_t daysLeft = 0;  // negative once expired
  bool nameMatch = true;      // the typed name (or IP) matches a SAN or the CN
  std::string keyType;        // "RSA", "EC", ...
  int keyBits = 0;
  std::string signatureAlgorithm;
};

/// A request the host answered in part before the deadline: it sent `bytes` in `elapsedMs`.
struct SlowAnswer {
  std::size_t bytes = 0;
  std::int64_t elapsedMs = 0;
};

struct HostFacts {
  bool probed = false;                 // false: nothing below is known
  std::vector<AddressFact> addresses;  // resolver order
  bool resolveFailed = false;
  bool resolveTimedOut = false;  // the deadline passed before the resolver answered
  // X.224 negotiation
  bool noNegotiationData = false;  // pre-Vista host (XP/2003): standard RDP security only
  std::optional<std::string> negotiationFailure;  // e.g. "HYBRID_REQUIRED_BY_SERVER"
  bool offersRdp = false;                         // selects PROTOCOL_RDP when asked for RDP only
  bool offersTls = false;                         // selects SSL when asked for SSL
  bool offersNla = false;                         // selects HYBRID (or HYBRID_EX) when asked
  bool nlaRequired = false;                       // HYBRID_REQUIRED_BY_SERVER for non-NLA requests
  std::optional<SlowAnswer> slowAnswer;  // a Connection Confirm that trickled in past the deadline
  // TLS
  std::vector<std::string> tlsVersionsOk;      // "1.0", "1.1", "1.2", "1.3"
  std::vector<std::string> tlsVersionsClosed;  // tried alone, the server (or a box on the way)
                                               // dropped the handshake without an alert
  std::optional<int> minSecLevel;              // lowest OpenSSL security level that completes TLS
  bool tlsHandshakeClosedByServer = false;     // every TLS attempt dropped by the server
  bool rdpSecurityClosed = false;  // standard RDP security checks dropped right after the Confirm
  bool notRdp = false;             // the port answers, but never with a Connection Confirm
  bool certExpired = false;
  bool certNotYetValid = false;
  bool certSelfSigned = false;
  std::optional<CertificateFacts> certificate;
  // standard RDP security
  std::vector<std::string> rdpMethods;  // "40", "56", "128", "FIPS"
  std::optional<int> rdpLevel;

  [[nodiscard]] bool legacyTlsOnly() const;  // TLS works, but only at 1.0/1.1
  /// The highest version that works when a higher one breaks the connection (dropped, no alert):
  /// a ClientHello offering that higher version may be dropped too, so offer at most this one.
  /// nullopt when no higher version broke (a host that refuses a version with an alert
  /// negotiates down by itself).
  [[nodiscard]] std::optional<TlsVersion> tlsBreaksAbove() const;
  [[nodiscard]] bool someAddressDead() const;
  [[nodiscard]] bool allAddressesDead() const;
};

}  // namespace rdpdoctor
