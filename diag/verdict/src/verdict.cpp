#include "rdpdoctor/verdict/verdict.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

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
constexpr std::uint32_t kErrinfoServerDenied = 0x7;
constexpr std::uint32_t kErrinfoLogoffByUser = 0xC;

bool nameIs(const Outcome& o, std::string_view n) { return o.freerdpErrorName == n; }

bool logMentions(const Outcome& o, std::string_view needle) {
  return std::any_of(o.logTail.begin(), o.logTail.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

constexpr std::int64_t kHybridBits = 0x2 | 0x8;  // PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX

bool usesNla(const Profile& p, const HostFacts& f, const Outcome& o) {
  if (o.selectedProtocol > 0)
    return (o.selectedProtocol & kHybridBits) != 0;  // what the server chose
  return p.security == Security::Nla || p.security == Security::NlaExt ||
         (p.security == Security::Negotiate && f.offersNla);
}

Signature make(std::string id, Layer layer, MstscCodes codes, std::string cause,
               std::initializer_list<std::string_view> remedyIds, bool retryable = true) {
  Signature s{std::move(id), layer, codes, std::move(cause), {}, retryable, false};
  for (auto r : remedyIds)
    if (auto rem = remedyById(r)) s.remedies.push_back(*rem);
  return s;
}

/// FreeRDP dropped the Confirm: the server selected a layer below the floor. Nothing was sent
/// after the X.224 request (no user name, no password).
Signature floorRefusal(const Outcome& o) {
  const std::string offered = o.noNegotiationData
                                  ? "answered without negotiation data (a pre-Vista host: standard "
                                    "RDP security only)"
                                  : "selected standard RDP security (no TLS)";
  if (o.pinnedOverTls) {
    auto s = make(
        "tls-stripped", Layer::Negotiation, {kSocketClosed, 0},
        "the host was reached over TLS before and now " + offered +
            ": possibly a man in the middle stripping TLS; the connection was dropped before any "
            "credential was sent",
        {"tls-stripped"}, false);
    s.stopsLadder = true;
    return s;
  }
  if (o.noNegotiationData)  // the pre-Vista signature: below the floor too, and more specific
    return make("pre-vista-host", Layer::Negotiation, {kSocketClosed, kExtServerDenied},
                "the host does not negotiate at all (a pre-Vista Windows XP/2003 host): it speaks "
                "standard RDP "
                "security only, below your floor; the connection was dropped before any credential "
                "was sent",
                {"legacy-rdp-security", "below-floor"}, true);
  return make("below-floor", Layer::Negotiation, {kSocketClosed, 0},
              "the host " + offered +
                  ", below your floor: the connection was dropped before any credential was sent",
              {"below-floor"}, true);
}

std::optional<Signature> credentials(const Outcome& o, const Profile& p, const HostFacts& f) {
  static constexpr std::array<std::string_view, 14> kRejected = {
      "ERRCONNECT_AUTHENTICATION_FAILED",
      "ERRCONNECT_LOGON_FAILURE",
      "ERRCONNECT_WRONG_PASSWORD",
      "ERRCONNECT_ACCOUNT_DISABLED",
      "ERRCONNECT_ACCOUNT_EXPIRED",
      "ERRCONNECT_ACCOUNT_LOCKED_OUT",
      "ERRCONNECT_ACCOUNT_RESTRICTION",
      "ERRCONNECT_PASSWORD_EXPIRED",
      "ERRCONNECT_PASSWORD_CERTAINLY_EXPIRED",
      "ERRCONNECT_PASSWORD_MUST_CHANGE",
      "ERRCONNECT_ACCESS_DENIED",
      "ERRCONNECT_LOGON_TYPE_NOT_GRANTED",
      "ERRCONNECT_CLIENT_REVOKED",
      "ERRCONNECT_INSUFFICIENT_PRIVILEGES"};
  const bool named =
      std::find(kRejected.begin(), kRejected.end(), o.freerdpErrorName) != kRejected.end();
  // NLA against servers that just close on a bad password (FreeRDP's shadow, some appliances):
  // TLS completed (certificate accepted), CredSSP ran, then the transport failed. Classify by
  // stage.
  const bool closedInCredSsp = usesNla(p, f, o) && o.certificate && o.certificate->accepted &&
                               o.reached == Stage::Certificate &&
                               nameIs(o, "ERRCONNECT_CONNECT_TRANSPORT_FAILED");
  if (nameIs(o, "ERRCONNECT_NO_OR_MISSING_CREDENTIALS")) {
    auto s = make("credentials-missing", Layer::Nla, {kLogonFailed, 0},
                  "the host needs credentials and none were given", {"give-credentials"}, false);
    s.stopsLadder = true;
    return s;
  }
  if (!named && !closedInCredSsp) return std::nullopt;
  auto s = make(
      "credentials-rejected", usesNla(p, f, o) ? Layer::Nla : Layer::Session, {kLogonFailed, 0},
      named
          ? "the host rejected the credentials (" + o.freerdpErrorName + ")"
          : "the host closed the connection during NLA after TLS: the credentials were most likely "
            "rejected (this server does not send a logon failure code)",
      {"event-viewer"}, false);
  s.stopsLadder = true;  // never try again with the same credentials: no account lockouts
  return s;
}

std::optional<Signature> certificate(const Outcome& o, const HostFacts& f) {
  if (!o.certificate || o.certificate->accepted) return std::nullopt;
  const auto& c = *o.certificate;
  Signature s;
  if (c.decision == CertDecision::TofuChanged || c.decision == CertDecision::ChangedNeedsConsent) {
    s = make("certificate-changed", Layer::Tls, {kSocketClosed, 0},
             "the host's certificate CHANGED since it was trusted: this may be a man in the middle "
             "(pinned " +
                 c.pinnedFingerprint + ", now " + c.fingerprint +
                 "); if the host really has a new certificate, replace the pin with --cert replace",
             {"renew-certificate"}, false);
  } else if (c.decision == CertDecision::StoreError) {
    s = make("certificate-store-unusable", Layer::Tls, {kSocketClosed, 0},
             "the certificate was not checked against the trust store, so it was refused (" +
                 c.storeError + ")",
             {}, false);
  } else if (f.certExpired) {
    s = make("certificate-expired", Layer::Tls, {kSocketClosed, 0},
             "the host's certificate has expired (" + c.subject + ")", {"renew-certificate"},
             false);
  } else {
    s = make("certificate-untrusted", Layer::Tls, {kSocketClosed, 0},
             "the host's certificate cannot be verified and was not accepted (" + c.subject +
                 "): accept it with --cert accept-once or --cert tofu",
             {}, false);
  }
  s.stopsLadder = true;  // trusting a certificate is the user's decision, never a fallback
  return s;
}

std::optional<Signature> addressing(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (nameIs(o, "ERRCONNECT_DNS_NAME_NOT_FOUND") || nameIs(o, "ERRCONNECT_DNS_ERROR") ||
      f.resolveFailed)
    return make("name-not-resolved", Layer::Name, {kDnsFailed, 0}, "the host name does not resolve",
                {"dns-fix"}, false);
  // FreeRDP 2.11 reports a refused port as CONNECT_TRANSPORT_FAILED too: the probe's TCP facts, or
  // the attempt's own re-check, decide
  // a connection accepted and then reset is someone listening and dropping it, not "nothing"
  const bool allReset = !f.addresses.empty() &&
                        std::all_of(f.addresses.begin(), f.addresses.end(),
                                    [](const AddressFact& a) { return a.tcpError == "reset"; });
  if (allReset && !o.tcpRefused && o.reached <= Stage::Started && !o.certificate)
    return make("reset-after-accept", Layer::Tcp, {kSocketClosed, 0},
                "the host accepts TCP and then resets the connection before any RDP data: "
                "something in the path "
                "(firewall, antivirus, connection limit) drops it",
                {"firewall-av", "server-denied-check"});
  if ((f.allAddressesDead() || o.tcpRefused) && o.reached <= Stage::Started && !o.certificate)
    return make("nothing-listening", Layer::Tcp, {kConnectFailed, 0},
                "nothing accepts TCP connections on that port (" +
                    (f.addresses.empty() || f.addresses.front().tcpError.empty()
                         ? std::string("refused")
                         : f.addresses.front().tcpError) +
                    ")",
                {"firewall-av"}, false);
  if (!nameIs(o, "ERRCONNECT_CONNECT_FAILED")) return std::nullopt;
  const bool dialledLive =
      std::any_of(f.addresses.begin(), f.addresses.end(), [&](const AddressFact& a) {
        return a.tcpOk && (a.address == p.dialHost() || p.dialAddress.empty());
      });
  if (dialledLive && !f.someAddressDead())
    return make("reset-after-accept", Layer::Tcp, {kSocketClosed, 0},
                "the host accepts TCP and then resets the connection before any RDP data: "
                "something in the path "
                "(firewall, antivirus, connection limit) drops it",
                {"firewall-av", "server-denied-check"});
  if (f.someAddressDead() && !f.allAddressesDead())
    return make(
        "address-unreachable", Layer::Name, {kConnectFailed, 0},
        "the name resolves to an address that does not accept connections, while another one does",
        {"dns-fix"});
  return make("nothing-listening", Layer::Tcp, {kConnectFailed, 0},
              "nothing accepts TCP connections on that port (refused or filtered)", {"firewall-av"},
              false);
}

std::optional<Signature> negotiation(const Outcome& o, const Profile& p, const HostFacts& f) {
  auto failed = [&](std::string_view code) {
    return logMentions(o, code) || (f.negotiationFailure && *f.negotiationFailure == code);
  };
  const bool negError =
      nameIs(o, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED") || o.reached <= Stage::Started;
  if (!negError || o.timedOut) return std::nullopt;
  if (!usesNla(p, f, o) && (failed("HYBRID_REQUIRED_BY_SERVER") || f.nlaRequired))
    return make("nla-required", Layer::Negotiation, {kSocketClosed, kExtServerDenied},
                "the host requires Network Level Authentication (HYBRID_REQUIRED_BY_SERVER) and it "
                "was not offered",
                {"allow-nla"});
  if (p.security == Security::Rdp && failed("SSL_REQUIRED_BY_SERVER"))
    return make(
        "ssl-required", Layer::Negotiation, {kSocketClosed, kExtServerDenied},
        "the host requires TLS (SSL_REQUIRED_BY_SERVER) and only standard RDP security was offered",
        {"security-layer-policy"});
  if (p.security != Security::Rdp && (failed("SSL_NOT_ALLOWED_BY_SERVER") || f.noNegotiationData))
    return make(f.noNegotiationData ? "pre-vista-host" : "ssl-not-allowed", Layer::Negotiation,
                {kSocketClosed, kExtServerDenied},
                f.noNegotiationData
                    ? "the host does not negotiate at all (a pre-Vista Windows XP/2003 host): it "
                      "speaks standard RDP security only"
                    : "the host does not allow TLS (SSL_NOT_ALLOWED_BY_SERVER)",
                {"legacy-rdp-security", "security-layer-policy"});
  if (f.notRdp)
    return make("not-rdp", Layer::Negotiation, {kSocketClosed, 0},
                "the port accepts connections but does not answer like an RDP server (no X.224 "
                "Connection Confirm)",
                {"firewall-av"}, false);
  // any other RDP_NEG_FAILURE this attempt met (the probe's failure may belong to another request)
  if (!nameIs(o, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED")) return std::nullopt;
  for (std::string_view code :
       {"SSL_CERT_NOT_ON_SERVER", "INCONSISTENT_FLAGS", "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
        "SSL_REQUIRED_BY_SERVER", "SSL_NOT_ALLOWED_BY_SERVER", "HYBRID_REQUIRED_BY_SERVER"}) {
    if (!failed(code)) continue;
    const bool cert = code == "SSL_CERT_NOT_ON_SERVER";
    return make("negotiation-refused", Layer::Negotiation, {kSocketClosed, kExtServerDenied},
                "the host refused the security negotiation (" + std::string(code) + ")" +
                    (cert ? ": it has no usable certificate for TLS" : ""),
                cert ? std::initializer_list<std::string_view>{"renew-certificate",
                                                               "machinekeys-permissions"}
                     : std::initializer_list<std::string_view>{"security-layer-policy"});
  }
  return std::nullopt;
}

std::optional<Signature> tls(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (!nameIs(o, "ERRCONNECT_TLS_CONNECT_FAILED") || o.certificate) return std::nullopt;
  if (f.tlsHandshakeClosedByServer &&
      f.rdpSecurityClosed)  // not TLS-specific: every path dies after the Confirm
    return make(
        "closed-after-negotiation", Layer::Tls, {kSocketClosed, kExtServerDenied},
        "the socket is closed right after the security negotiation whatever follows (TLS or "
        "standard RDP "
        "security): the server or something in the path (firewall, antivirus, filter) drops it",
        {"firewall-av", "event-viewer"});
  const bool lowered = p.tlsSecLevel && *p.tlsSecLevel == 0;
  if (f.legacyTlsOnly() && !lowered)
    return make("tls-legacy-refused-locally", Layer::Tls, {kSocketClosed, kExtServerDenied},
                "the host speaks only TLS 1.0/1.1 (or weak ciphers) and this machine's OpenSSL "
                "refuses them at its "
                "default security level",
                {"enable-tls12"});
  return make("tls-closed-by-server", Layer::Tls, {kSocketClosed, kExtServerDenied},
              "the TLS handshake failed: the host closed it (an expired, corrupt or unreadable RDP "
              "certificate or "
              "private key, or no cipher suite in common)",
              {"renew-certificate", "machinekeys-permissions", "enable-tls12", "firewall-av"});
}

std::optional<Signature> session(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (o.errinfo == kErrinfoServerDenied)
    return make("server-denied", Layer::Session, {kSocketClosed, kExtServerDenied},
                "the server denied the connection (ERRINFO_SERVER_DENIED_CONNECTION)",
                {"server-denied-check"}, false);
  if (o.errinfo >= 0x100 && o.errinfo <= 0x10F)
    return make("licensing-failed", Layer::Session, {kLicensingFailed, o.errinfo},
                "remote desktop licensing failed (" + o.errinfoName + ")", {"licensing"}, false);
  const bool rdpLayer = p.security == Security::Rdp ||
                        (p.security == Security::Negotiate && !f.offersTls && f.offersRdp);
  if (rdpLayer && p.saltedMac &&
      (o.errinfo == kErrinfoLogoffByUser || nameIs(o, "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR")))
    return make("rdp-encryption-mismatch", Layer::RdpSecurity, {kDecryptionError, o.errinfo},
                "standard RDP security failed right after the handshake: the host rejects this "
                "client's MAC or "
                "encryption (xrdp logs 'MAC checksum error')",
                {"rdp-encryption", "security-layer-policy"});
  if ((nameIs(o, "ERRCONNECT_CONNECT_TRANSPORT_FAILED") ||
       nameIs(o, "ERRCONNECT_CONNECT_UNDEFINED") ||
       nameIs(o, "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR")) &&
      o.reached < Stage::Connected)
    return make("closed-after-negotiation", o.certificate ? Layer::Tls : Layer::Negotiation,
                {kSocketClosed, kExtServerDenied},
                "the socket was closed right after the security negotiation, before the session "
                "started: the "
                "server or something in the path (firewall, antivirus, filter) dropped it",
                {"firewall-av", "renew-certificate", "event-viewer"});
  return std::nullopt;
}

/// "sent 12 bytes in 2.4 s"
std::string sentIn(const SlowAnswer& s) {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(s.elapsedMs) / 1000.0);
  return "sent " + std::to_string(s.bytes) + (s.bytes == 1 ? " byte" : " bytes") + " in " + secs +
         " s";
}

Signature fallback(const Outcome& o, const HostFacts& f) {
  if (o.timedOut && o.reached >= Stage::Frame)
    return make("logon-not-reached", Layer::Session, {kTimedOut, 0},
                "the session painted frames but the goal was not reached before the deadline (" +
                    o.detail + ")",
                {"server-denied-check", "event-viewer"});
  if (o.timedOut && o.reached <= Stage::Started && f.slowAnswer)
    return make("server-slow", Layer::Negotiation, {kTimedOut, 0},
                "the host answers, but too slowly: it " + sentIn(*f.slowAnswer) +
                    " without completing the X.224 Connection Confirm (" + o.detail + ")",
                {"network-retry", "firewall-av"}, false);
  if (o.timedOut)
    return make("server-silent", o.reached <= Stage::Started ? Layer::Negotiation : Layer::Session,
                {kTimedOut, 0},
                "the host accepted the connection and then stopped answering (" + o.detail + ")",
                {"network-retry", "firewall-av"}, o.reached > Stage::Started);
  if (o.crashed)
    return make("attempt-crashed", Layer::Session, {},
                "the attempt's process died (" + o.detail + ")", {});
  if (o.reached >= Stage::Connected)
    return make("logon-not-reached", Layer::Session, {kSocketClosed, o.errinfo},
                "the connection was established but no logon or frame followed" +
                    (o.errinfoName.empty() ? std::string() : " (" + o.errinfoName + ")"),
                {"server-denied-check", "event-viewer"});
  return make("unknown", Layer::Negotiation, {kSocketClosed, 0},
              "the connection failed (" +
                  (o.freerdpErrorName.empty() ? o.detail : o.freerdpErrorName) + ")",
              {"event-viewer"});
}

}  // namespace

std::string_view toString(Layer l) {
  switch (l) {
    case Layer::Name:
      return "name";
    case Layer::Tcp:
      return "tcp";
    case Layer::Negotiation:
      return "negotiation";
    case Layer::Tls:
      return "tls";
    case Layer::RdpSecurity:
      return "rdp-security";
    case Layer::Nla:
      return "nla";
    case Layer::Session:
      return "session";
    case Layer::None:
      return "none";
  }
  return "?";
}

Signature explainByWinner(const Signature& original, const Profile& from, const Profile& winner) {
  if (original.id == "ok") return original;
  const bool levelFixed =
      winner.tlsSecLevel == 0u && from.tlsSecLevel != 0u && original.layer == Layer::Tls;
  if (levelFixed)
    return make("tls-legacy-refused-locally", Layer::Tls, original.mstsc,
                "the host's TLS (TLS 1.0/1.1 or weak ciphers) is refused by this machine's OpenSSL "
                "at its default "
                "security level: the same connection works at level 0",
                {"enable-tls12"});
  if (!winner.saltedMac && from.saltedMac && original.layer == Layer::RdpSecurity)
    return make("rdp-encryption-mismatch", Layer::RdpSecurity, original.mstsc,
                "the host rejects salted MACs on standard RDP security (xrdp: 'MAC checksum "
                "error'): the same "
                "connection works with the classic MAC",
                {"rdp-encryption", "security-layer-policy"});
  const bool nlaFixed = (winner.security == Security::Nla || winner.security == Security::NlaExt) &&
                        from.security == Security::Tls && original.layer <= Layer::Tls;
  if (nlaFixed)
    return make("nla-required", Layer::Negotiation, {0x904, 0x7},
                "the host requires Network Level Authentication: the same host works with NLA",
                {"allow-nla"});
  const bool addressFixed = !winner.dialAddress.empty() && winner.dialAddress != from.dialAddress &&
                            winner.security == from.security &&
                            winner.tlsSecLevel == from.tlsSecLevel;
  if (addressFixed)
    return make("address-unreachable", Layer::Name, {kConnectFailed, 0},
                "the name's first address does not answer; " + winner.dialAddress + " does",
                {"dns-fix"});
  return original;
}

Signature classify(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (o.success) return Signature{"ok", Layer::None, {}, "connected", {}, false, false};
  if (o.belowFloor) return floorRefusal(o);
  if (nameIs(o, "ERRCONNECT_PRE_CONNECT_FAILED") || nameIs(o, "ERRCONNECT_POST_CONNECT_FAILED")) {
    // our own side failed to set up (channels, graphics): no other combination fixes that
    auto s = make("client-setup-failed", Layer::None, {},
                  "this client failed to set up the session (" + o.freerdpErrorName +
                      "); see --log-level debug",
                  {}, false);
    s.stopsLadder = true;
    return s;
  }
  if (auto s = certificate(o, f)) return *s;
  if (auto s = credentials(o, p, f)) return *s;
  if (o.timedOut) return fallback(o, f);
  if (auto s = addressing(o, p, f)) return *s;
  if (auto s = negotiation(o, p, f)) return *s;
  if (auto s = tls(o, p, f)) return *s;
  if (auto s = session(o, p, f)) return *s;
  return fallback(o, f);
}

}  // namespace rdpdoctor
