#pragma once
// The one signature table: every failure rdpdoctor can name, keyed by SignatureId, with its
// contract id (JSON "signature"), failing layer, what mstsc shows, the cause, the host remedies,
// the exit class and whether the ladder goes on. The classifier (verdict.cpp) only picks a row
// and the evidence; everything a user reads about a cause or a remedy comes from here.
// `explain` and `scan` read the same rows through this header.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "rdpdoctor/layer.hpp"

namespace rdpdoctor {

struct MstscCodes {
  std::uint32_t disconnectReason = 0;  // IMsTscAxEvents::OnDisconnected discReason
  std::uint32_t extendedReason = 0;    // ExtendedDisconnectReasonCode (= ERRINFO code)
};

enum class SignatureId : std::uint8_t {
  Ok,
  ClientSetupFailed,
  LocalCryptoMissing,
  RdGateway,
  TlsStripped,
  PreVistaHost,
  BelowFloor,
  CredentialsMissing,
  CredentialsRejected,
  CertificateChanged,
  CertificateStoreUnusable,
  CertificateExpired,
  CertificateUntrusted,
  NameNotResolved,
  ResetAfterAccept,
  NothingListening,
  PortFiltered,
  AddressUnreachable,
  NlaRequired,
  SslRequired,
  SslNotAllowed,
  NotRdp,
  NegotiationRefused,
  NoServerCertificate,
  ClientCertificateRequired,
  ClosedAfterNegotiation,
  TlsLegacyRefusedLocally,
  TlsClosedByServer,
  ServerDenied,
  LicensingFailed,
  ServerGraphicsFailed,
  RdpEncryptionMismatch,
  LogonNotReached,
  ServerSlow,
  ServerSilent,
  AttemptCrashed,
  Unknown,
};

/// What a signature means for the process's exit code (client/app maps it to the number).
enum class ExitClass : std::uint8_t {
  Ok,                   // 0
  NoConnection,         // 1
  CredentialsRejected,  // 3
  CertificateRefused,   // 4
  Timeout,              // 5
  CredentialsNeeded,    // 7
  NotSupported,         // 1 as well: nothing was tried (an RD Gateway)
};

inline constexpr std::size_t kMaxRemedies = 4;

struct SignatureRow {
  SignatureId id;
  std::string_view key;  // the contract id: "nla-required", "tls-legacy-refused-locally", ...
  Layer layer;
  MstscCodes mstsc;
  /// One sentence, lower case, no final period. "{}" takes the evidence; without "{}" the
  /// evidence, when there is some, follows in parentheses.
  std::string_view cause;
  std::array<std::string_view, kMaxRemedies> remedies;  // remedy ids, most useful first
  ExitClass exit;
  bool retryable;    // another combination may work
  bool stopsLadder;  // never try again (credential rejection: no lockouts; a refused certificate)
};

/// How much a host's flaw matters (JSON "severity": info|low|medium|high).
enum class Severity : std::uint8_t { Info = 0, Low = 1, Medium = 2, High = 3 };

/// A flaw of the host whether or not a connection needed a fix (host_findings.hpp finds them).
enum class HostFindingId : std::uint8_t {
  CertificateExpired,
  CertificateNotYetValid,
  CertificateExpiring,
  CertificateNameMismatch,
  CertificateWeakKey,
  CertificateWeakSignature,
  CertificateSelfSigned,
  TlsLegacyOnly,
  TlsLegacyEnabled,
  RdpSecurityAccepted,
  RdpWeakEncryption,
  NlaNotRequired,
};

/// The host-finding rows the signature table owns beside its own: id and severity in one place;
/// probe, diagnose and scan reports only read them.
struct HostFindingRow {
  HostFindingId id;
  std::string_view key;  // the contract id (JSON host_findings[].id): "certificate-expired", ...
  Severity severity;
};

/// Every row, in SignatureId order.
[[nodiscard]] std::span<const SignatureRow> signatureTable();
[[nodiscard]] const SignatureRow& signatureRow(SignatureId id);
/// The row of a contract id ("nla-required"), nullptr when there is none.
[[nodiscard]] const SignatureRow* signatureRow(std::string_view key);
/// The rows mstsc would show with this disconnect reason (and extended reason, when given).
[[nodiscard]] std::vector<const SignatureRow*> signaturesForMstsc(
    std::uint32_t disconnectReason, std::optional<std::uint32_t> extendedReason = std::nullopt);
/// Every host-finding row, in HostFindingId order.
[[nodiscard]] std::span<const HostFindingRow> hostFindingTable();
[[nodiscard]] const HostFindingRow& hostFindingRow(HostFindingId id);
[[nodiscard]] std::string_view toString(SignatureId id);  // the contract id
[[nodiscard]] std::string_view toString(Severity s);
[[nodiscard]] std::string_view toString(ExitClass e);

}  // namespace rdpdoctor
