// The one signature table (signature_table.hpp). Cause texts follow IronRDP's rule: lower case,
// no final period, one fact each.
#include "rdpdoctor/verdict/signature_table.hpp"

#include <algorithm>

namespace rdpdoctor {
namespace {

// mstsc disconnect reasons (IMsTscAxEvents::OnDisconnected) and extended reasons.
constexpr std::uint32_t kSocketClosed = 0x904;
constexpr std::uint32_t kTimedOut = 0x108;
constexpr std::uint32_t kDnsFailed = 0x104;
constexpr std::uint32_t kConnectFailed = 0x204;
constexpr std::uint32_t kLogonFailed = 0x807;
constexpr std::uint32_t kLicensingFailed = 0x808;
constexpr std::uint32_t kDecryptionError = 0xC06;
constexpr std::uint32_t kExtServerDenied = 0x7;
// the security-protocol codes mstsc gives certificates: an unexpected certificate (2311, the text
// of its GetErrorDescription) and SSL_ERR_CERT_EXPIRED (OnDisconnected)
constexpr std::uint32_t kUnexpectedCertificate = 0x907;
constexpr std::uint32_t kCertExpired = 0x1B07;

using S = SignatureId;
using L = Layer;
using E = ExitClass;

// clang-format off
constexpr std::array kRows{
  SignatureRow{S::Ok, "ok", L::None, {}, "connected", {}, E::Ok, false, false},
  SignatureRow{S::ClientSetupFailed, "client-setup-failed", L::None, {},
    "this client failed to set up the session ({}); see --log-level debug",
    {}, E::NoConnection, false, true},
  SignatureRow{S::LocalCryptoMissing, "local-crypto-missing", L::None, {},
    "this machine's OpenSSL lacks {}, so FreeRDP failed on this side before the host could "
    "answer (OpenSSL's legacy provider did not load); the host is not the cause and no "
    "credential was checked",
    {"openssl-legacy-provider"}, E::NoConnection, true, false},
  SignatureRow{S::RdGateway, "rd-gateway-required", L::Gateway, {},
    "this host is reached through the RD Gateway {}, which rdpdoctor cannot use yet: nothing was "
    "tried against the host behind it",
    {"rd-gateway"}, E::NotSupported, false, true},
  SignatureRow{S::TlsStripped, "tls-stripped", L::Negotiation, {kSocketClosed, 0},
    "the host was reached over TLS before and now {}: possibly a man in the middle stripping TLS; "
    "the connection was dropped before any credential was sent",
    {"tls-stripped"}, E::NoConnection, false, true},
  SignatureRow{S::PreVistaHost, "pre-vista-host", L::Negotiation, {kSocketClosed, kExtServerDenied},
    "the host does not negotiate at all (a pre-Vista Windows XP/2003 host): it speaks standard RDP "
    "security only",
    {"legacy-rdp-security"}, E::NoConnection, true, false},
  SignatureRow{S::BelowFloor, "below-floor", L::Negotiation, {kSocketClosed, 0},
    "the host {}, below your floor: the connection was dropped before any credential was sent",
    {"below-floor"}, E::NoConnection, true, false},
  SignatureRow{S::CredentialsMissing, "credentials-missing", L::Nla, {kLogonFailed, 0},
    "the host needs credentials and none were given",
    {"give-credentials"}, E::CredentialsNeeded, false, true},
  SignatureRow{S::CredentialsRejected, "credentials-rejected", L::Nla, {kLogonFailed, 0},
    "the host rejected the credentials ({})",
    {"check-credentials", "event-viewer"}, E::CredentialsRejected, false, true},
  SignatureRow{S::CertificateChanged, "certificate-changed", L::Tls, {kUnexpectedCertificate, 0},
    "the host's certificate CHANGED since it was trusted: this may be a man in the middle ({}); if "
    "the host really has a new certificate, replace the pin with --cert replace",
    {"check-certificate-change"}, E::CertificateRefused, false, true},
  SignatureRow{S::CertificateStoreUnusable, "certificate-store-unusable", L::Tls, {kSocketClosed, 0},
    "the certificate was not checked against the trust store, so it was refused ({})",
    {"trust-store"}, E::CertificateRefused, false, true},
  SignatureRow{S::CertificateExpired, "certificate-expired", L::Tls, {kCertExpired, 0},
    "the host's certificate has expired ({})",
    {"renew-certificate"}, E::CertificateRefused, false, true},
  SignatureRow{S::CertificateUntrusted, "certificate-untrusted", L::Tls, {kSocketClosed, 0},
    "the host's certificate cannot be verified and was not accepted ({}): accept it with --cert "
    "accept-once or --cert tofu",
    {}, E::CertificateRefused, false, true},
  SignatureRow{S::NameNotResolved, "name-not-resolved", L::Name, {kDnsFailed, 0},
    "the host name does not resolve",
    {"check-name"}, E::NoConnection, false, false},
  SignatureRow{S::ResetAfterAccept, "reset-after-accept", L::Tcp, {kSocketClosed, 0},
    "the host accepts TCP and then resets the connection before any RDP data: something in the "
    "path (firewall, antivirus, connection limit) drops it",
    {"firewall-av", "server-denied-check"}, E::NoConnection, true, false},
  SignatureRow{S::NothingListening, "nothing-listening", L::Tcp, {kConnectFailed, 0},
    "nothing accepts TCP connections on that port",
    {"start-service"}, E::NoConnection, false, false},
  SignatureRow{S::PortFiltered, "port-filtered", L::Tcp, {kConnectFailed, 0},
    "the port does not answer TCP connections: a firewall drops them, or the host is down",
    {"firewall-av", "network-retry"}, E::NoConnection, false, false},
  SignatureRow{S::AddressUnreachable, "address-unreachable", L::Name, {kConnectFailed, 0},
    "the name resolves to an address that does not accept connections, while another one does",
    {"dns-fix"}, E::NoConnection, true, false},
  SignatureRow{S::NlaRequired, "nla-required", L::Negotiation, {kSocketClosed, kExtServerDenied},
    "the host requires Network Level Authentication and this combination did not offer it",
    {"allow-nla"}, E::NoConnection, true, false},
  SignatureRow{S::SslRequired, "ssl-required", L::Negotiation, {kSocketClosed, kExtServerDenied},
    "the host requires TLS (SSL_REQUIRED_BY_SERVER) and only standard RDP security was offered",
    {"security-layer-policy"}, E::NoConnection, true, false},
  SignatureRow{S::SslNotAllowed, "ssl-not-allowed", L::Negotiation, {kSocketClosed, kExtServerDenied},
    "the host does not allow TLS (SSL_NOT_ALLOWED_BY_SERVER)",
    {"legacy-rdp-security", "security-layer-policy"}, E::NoConnection, true, false},
  SignatureRow{S::NotRdp, "not-rdp", L::Negotiation, {kSocketClosed, 0},
    "the port accepts connections but does not answer like an RDP server (no X.224 Connection "
    "Confirm)",
    {"wrong-service"}, E::NoConnection, false, false},
  SignatureRow{S::NegotiationRefused, "negotiation-refused", L::Negotiation,
    {kSocketClosed, kExtServerDenied},
    "the host refused the security negotiation ({})",
    {"security-layer-policy"}, E::NoConnection, true, false},
  SignatureRow{S::NoServerCertificate, "tls-no-server-certificate", L::Negotiation,
    {kSocketClosed, kExtServerDenied},
    "the host refused TLS: it has no usable certificate for it (SSL_CERT_NOT_ON_SERVER)",
    {"renew-certificate", "machinekeys-permissions"}, E::NoConnection, true, false},
  SignatureRow{S::ClientCertificateRequired, "tls-client-certificate-required", L::Negotiation,
    {kSocketClosed, kExtServerDenied},
    "the host requires TLS with a client certificate (SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER), "
    "which this client does not present",
    {"client-certificate"}, E::NoConnection, true, false},
  SignatureRow{S::ClosedAfterNegotiation, "closed-after-negotiation", L::Negotiation,
    {kSocketClosed, kExtServerDenied},
    "the socket was closed right after the security negotiation, before the session started{}: "
    "the server or something in the path (firewall, antivirus, filter) dropped it",
    {"firewall-av", "event-viewer"}, E::NoConnection, true, false},
  SignatureRow{S::TlsLegacyRefusedLocally, "tls-legacy-refused-locally", L::Tls,
    {kSocketClosed, kExtServerDenied},
    "the host speaks only TLS 1.0/1.1 (or weak ciphers) and this machine's OpenSSL refuses them at "
    "its default security level",
    {"enable-tls12"}, E::NoConnection, true, false},
  SignatureRow{S::TlsClosedByServer, "tls-closed-by-server", L::Tls, {kSocketClosed, kExtServerDenied},
    "the TLS handshake failed: the host closed it (an expired, corrupt or unreadable RDP "
    "certificate or private key, or no cipher suite in common)",
    {"renew-certificate", "machinekeys-permissions", "enable-tls12", "firewall-av"},
    E::NoConnection, true, false},
  SignatureRow{S::ServerDenied, "server-denied", L::Session, {kSocketClosed, kExtServerDenied},
    "the server denied the connection (ERRINFO_SERVER_DENIED_CONNECTION)",
    {"server-denied-check"}, E::NoConnection, false, false},
  SignatureRow{S::LicensingFailed, "licensing-failed", L::Session, {kLicensingFailed, 0},
    "remote desktop licensing failed ({})",
    {"licensing"}, E::NoConnection, false, false},
  SignatureRow{S::ServerGraphicsFailed, "server-graphics-failed", L::Session, {kSocketClosed, 0},
    "the connection and licensing completed, then the server's graphics failed ({}): its display "
    "driver, Desktop Window Manager or graphics pipeline, not the network, TLS or the credentials",
    {"server-graphics", "event-viewer"}, E::NoConnection, true, false},
  SignatureRow{S::RdpEncryptionMismatch, "rdp-encryption-mismatch", L::RdpSecurity,
    {kDecryptionError, 0},
    "the host rejects this client's MAC or encryption right after the standard RDP security "
    "handshake (xrdp logs 'MAC checksum error')",
    {"rdp-encryption", "security-layer-policy"}, E::NoConnection, true, false},
  SignatureRow{S::LogonNotReached, "logon-not-reached", L::Session, {kSocketClosed, 0},
    "the connection was established but no logon or frame followed",
    {"server-denied-check", "event-viewer"}, E::NoConnection, true, false},
  SignatureRow{S::ServerSlow, "server-slow", L::Negotiation, {kTimedOut, 0},
    "the host answers, but too slowly: it {}",
    {"network-retry", "firewall-av"}, E::Timeout, false, false},
  SignatureRow{S::ServerSilent, "server-silent", L::Negotiation, {kTimedOut, 0},
    "the host accepted the connection and then stopped answering ({})",
    {"network-retry", "firewall-av"}, E::Timeout, true, false},
  SignatureRow{S::AttemptCrashed, "attempt-crashed", L::Session, {},
    "the attempt's process died ({})",
    {}, E::NoConnection, true, false},
  SignatureRow{S::Unknown, "unknown", L::Negotiation, {kSocketClosed, 0},
    "the connection failed ({})",
    {"event-viewer"}, E::NoConnection, true, false},
};
// clang-format on

constexpr bool inIdOrder() {
  for (std::size_t i = 0; i < kRows.size(); ++i)
    if (static_cast<std::size_t>(kRows[i].id) != i) return false;
  return true;
}
static_assert(inIdOrder(), "kRows must list every SignatureId once, in enum order");
static_assert(kRows.size() == static_cast<std::size_t>(SignatureId::Unknown) + 1);

using H = HostFindingId;
using V = Severity;

// clang-format off
constexpr std::array kHostFindingRows{
  HostFindingRow{H::CertificateExpired, "certificate-expired", V::High},
  HostFindingRow{H::CertificateNotYetValid, "certificate-not-yet-valid", V::High},
  HostFindingRow{H::CertificateExpiring, "certificate-expiring", V::Medium},
  HostFindingRow{H::CertificateNameMismatch, "certificate-name-mismatch", V::Medium},
  HostFindingRow{H::CertificateWeakKey, "certificate-weak-key", V::Medium},
  HostFindingRow{H::CertificateWeakSignature, "certificate-weak-signature", V::Medium},
  HostFindingRow{H::CertificateSelfSigned, "certificate-self-signed", V::Low},
  HostFindingRow{H::TlsLegacyOnly, "tls-legacy-only", V::High},
  HostFindingRow{H::TlsLegacyEnabled, "tls-legacy-enabled", V::Low},
  HostFindingRow{H::RdpSecurityAccepted, "rdp-security-accepted", V::High},
  HostFindingRow{H::RdpWeakEncryption, "rdp-weak-encryption", V::High},
  HostFindingRow{H::NlaNotRequired, "nla-not-required", V::Medium},
};
// clang-format on

constexpr bool findingsInIdOrder() {
  for (std::size_t i = 0; i < kHostFindingRows.size(); ++i)
    if (static_cast<std::size_t>(kHostFindingRows[i].id) != i) return false;
  return true;
}
static_assert(findingsInIdOrder(), "kHostFindingRows must list every HostFindingId once, in order");
static_assert(kHostFindingRows.size() ==
              static_cast<std::size_t>(HostFindingId::NlaNotRequired) + 1);

}  // namespace

std::span<const HostFindingRow> hostFindingTable() { return kHostFindingRows; }

const HostFindingRow& hostFindingRow(HostFindingId id) {
  return kHostFindingRows[static_cast<std::size_t>(id)];
}

std::string_view toString(Severity s) {
  switch (s) {
    case Severity::Info:
      return "info";
    case Severity::Low:
      return "low";
    case Severity::Medium:
      return "medium";
    case Severity::High:
      return "high";
  }
  return "?";
}

std::span<const SignatureRow> signatureTable() { return kRows; }

const SignatureRow& signatureRow(SignatureId id) { return kRows[static_cast<std::size_t>(id)]; }

const SignatureRow* signatureRow(std::string_view key) {
  const auto* it =
      std::find_if(kRows.begin(), kRows.end(), [&](const SignatureRow& r) { return r.key == key; });
  return it == kRows.end() ? nullptr : &*it;
}

std::vector<const SignatureRow*> signaturesForMstsc(std::uint32_t disconnectReason,
                                                    std::optional<std::uint32_t> extended) {
  std::vector<const SignatureRow*> out;
  for (const auto& r : kRows)
    if (r.mstsc.disconnectReason == disconnectReason &&
        (!extended || r.mstsc.extendedReason == *extended))
      out.push_back(&r);
  return out;
}

std::string_view toString(SignatureId id) { return signatureRow(id).key; }

std::string_view toString(ExitClass e) {
  switch (e) {
    case ExitClass::Ok:
      return "ok";
    case ExitClass::NoConnection:
      return "no-connection";
    case ExitClass::CredentialsRejected:
      return "credentials-rejected";
    case ExitClass::CertificateRefused:
      return "certificate-refused";
    case ExitClass::Timeout:
      return "timeout";
    case ExitClass::CredentialsNeeded:
      return "credentials-needed";
    case ExitClass::NotSupported:
      return "not-supported";
  }
  return "?";
}

}  // namespace rdpdoctor
