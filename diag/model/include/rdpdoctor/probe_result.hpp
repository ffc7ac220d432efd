#pragma once
// What `rdpdoctor probe` learned about one host, layer by layer: plain values, no I/O, shared by
// every room (diag/model). diag/probe fills them (prober.hpp); diag/report renders them and turns
// them into HostFacts; scan collects them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/layer.hpp"

namespace rdpdoctor::probe {

/// The facts of a server certificate (the TLS layer of MS-RDPBCGR 5.4.5.1): describeCertificate
/// (diag/probe) reads them from DER bytes.
struct CertificateInfo {
  std::string subject;  // RFC 2253, e.g. "CN=rdpdoctor-lab"
  std::string issuer;
  std::vector<std::string> subjectAltNames;  // "DNS:localhost", "IP:127.0.0.1"
  std::string notBefore;                     // ISO 8601 UTC, "2020-01-01T00:00:00Z"
  std::string notAfter;
  std::int64_t daysLeft = 0;  // whole days until notAfter (negative once expired)
  bool expired = false;
  bool notYetValid = false;
  bool selfSigned = false;  // issued by itself and its signature verifies with its own key
  std::string keyType;      // "RSA", "EC", "ED25519", ...
  int keyBits = 0;
  std::string signatureAlgorithm;  // "sha256WithRSAEncryption"
  std::string sha256;              // "AB:CD:..." (32 bytes)
  bool nameMatch = false;          // the name (or IP literal) the user typed matches SAN/CN
};

enum class FindingStatus { Ok, Failed, Skipped, Inconclusive };

/// One result of the probe: a value, never an exception (DESIGN.md "Finding"). Its layer is one
/// of those a probe reaches without credentials (name .. rdp-security).
struct Finding {
  Layer layer = Layer::Name;
  FindingStatus status = FindingStatus::Inconclusive;
  std::string evidence;
  std::int64_t elapsedMs = 0;
};

/// One address of the name, in resolver order, and what a TCP connect to it did.
struct AddressResult {
  std::string address;
  bool ipv6 = false;
  std::string tcp = "not-tried";  // "ok", "refused", "timeout", "unreachable", "reset", ...
  std::string detail;             // strerror text for a failure
  std::int64_t connectMs = -1;    // -1: no connection
};

/// MS-RDPBCGR 2.2.1.2 what the Connection Confirm said to one requestedProtocols set.
enum class NegotiationStatus { Selected, Failure, NoNegotiation, Closed, Timeout, Error };

struct NegotiationCheck {
  std::uint32_t requested = 0;  // MS-RDPBCGR 2.2.1.1.1 requestedProtocols
  NegotiationStatus status = NegotiationStatus::Error;
  std::optional<std::uint32_t> selected;     // 2.2.1.2.1 selectedProtocol
  std::uint8_t flags = 0;                    // 2.2.1.2.1 RDP_NEG_RSP flags
  std::optional<std::uint32_t> failureCode;  // 2.2.1.2.2 RDP_NEG_FAILURE failureCode
  /// The server selected a protocol that was not requested (e.g. RDP when asked for HYBRID only).
  bool downgrade = false;
  std::string
      detail;  // closed: "fin", "reset", "ultimatum rn-...", "disconnect-request"; error text
  std::string evidence;  // hex of the bytes received (at most 64)
  std::size_t bytesReceived =
      0;  // all of them: a timeout after some bytes is a slow host, not a silent one
  std::int64_t elapsedMs = 0;
};

/// One TLS version tried alone (min = max) after an X.224 exchange that selected SSL or HYBRID.
enum class TlsStatus {
  Ok,       // handshake completed (at secLevel)
  Refused,  // the server answered with an alert (reason: e.g. "protocol version")
  Closed,   // the server closed or reset the connection during the handshake, no alert
  Timeout,
  ClientRefused,  // our OpenSSL gave up even at security level 0 (reason: its error)
  NotOffered,     // the host never selected SSL/HYBRID: no TLS to try
  Skipped,        // not tried: the user asked for no TLS checks (--no-tls)
  Error,          // anything else (reason)
};

struct TlsVersionCheck {
  std::string version;          // "1.0", "1.1", "1.2", "1.3"
  std::uint32_t requested = 0;  // the X.224 requestedProtocols in front of the handshake
  TlsStatus status = TlsStatus::NotOffered;
  std::optional<int> secLevel;  // the OpenSSL security level it completed at (1, else 0)
  std::string reason;  // alert or OpenSSL reason, per level tried: "level 1: ...; level 0: ..."
  std::string cipher;  // OpenSSL name of the cipher chosen
  std::int64_t elapsedMs = 0;
};

struct TlsResult {
  bool offered = false;         // some request selected SSL or HYBRID
  bool skipped = false;         // --no-tls: the version and certificate checks were not run
  std::uint32_t requested = 0;  // the requestedProtocols used in front of each handshake
  std::vector<TlsVersionCheck> versions;  // 1.0, 1.1, 1.2, 1.3 (in that order)
  std::optional<int> minSecLevel;         // lowest level needed by the best working version
  std::string cipher;                     // cipher of the highest working version
  std::string cipherVersion;              // that version
  std::optional<CertificateInfo> certificate;
  std::string certificateError;  // why the certificate could not be read
};

/// MS-RDPBCGR 5.3.2 one encryption method offered alone in CS_SECURITY (2.2.1.3.3).
struct RdpMethodCheck {
  std::uint32_t offered = 0;
  /// "accepted" (the server chose it), "other-method" (it answered with a method not offered),
  /// "no-encryption" (it answered method and level none: works, unencrypted),
  /// "refused" (no method, MCS failure or a Disconnect Provider Ultimatum), "closed", "timeout",
  /// "not-offered" (no standard RDP security), "skipped" (--no-rdp-security), "error".
  std::string status = "not-offered";
  std::uint32_t serverMethod = 0;              // 2.2.1.4.3 encryptionMethod answered
  std::optional<std::uint32_t> level;          // 2.2.1.4.3 encryptionLevel answered
  std::optional<std::uint32_t> serverVersion;  // 2.2.1.4.2 SC_CORE version
  std::string detail;
  std::int64_t elapsedMs = 0;
};

struct RdpSecurityResult {
  bool offered = false;  // a request for PROTOCOL_RDP was answered with RDP (or no neg data)
  bool skipped = false;  // --no-rdp-security: the method checks were not run
  std::vector<RdpMethodCheck> checks;  // 40, 56, 128, FIPS
  std::uint32_t methods = 0;           // the accepted methods (acceptedFrom the offer)
  bool unencrypted = false;            // some offer was answered with method and level none
  std::optional<std::uint32_t> level;
  std::optional<std::uint32_t> serverVersion;
};

struct ProbeResult {
  HostSpec target;
  std::string resolveError;  // empty: resolved
  bool resolveTimedOut = false;
  std::int64_t resolveMs = 0;
  std::vector<AddressResult> addresses;
  std::string probedAddress;  // the first address that accepted TCP: every deeper check used it
  std::vector<NegotiationCheck> negotiation;
  TlsResult tls;
  RdpSecurityResult rdp;
  bool deadlineReached = false;  // the overall deadline cut a check short
  std::int64_t elapsedMs = 0;
};

[[nodiscard]] std::string_view toString(FindingStatus s);
[[nodiscard]] std::string_view toString(NegotiationStatus s);
[[nodiscard]] std::string_view toString(TlsStatus s);

/// True when some negotiation check of `r` got exactly `protocolBit` selected.
[[nodiscard]] bool selects(const ProbeResult& r, std::uint32_t protocolBit);

/// The contract's TLS version keys in order.
inline constexpr std::string_view kTlsVersions[] = {"1.0", "1.1", "1.2", "1.3"};

}  // namespace rdpdoctor::probe
