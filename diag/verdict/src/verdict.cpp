#include "rdpdoctor/verdict/verdict.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace rdpdoctor {
namespace {

using S = SignatureId;

constexpr std::uint32_t kTimedOut = 0x108;
constexpr std::uint32_t kSocketClosed = 0x904;
constexpr std::uint32_t kErrinfoServerDenied = 0x7;
constexpr std::uint32_t kErrinfoLogoffByUser = 0xC;

/// The server's display side failed (MS-RDPBCGR 2.2.5.1.1): its display driver was not ready or
/// failed (0x0F, 0x11, 0x12), the Desktop Window Manager crashed (0x10), or the graphics mode or
/// subsystem failed (0x112D-0x112F, ERRINFO_GRAPHICS_*).
constexpr bool isGraphicsErrinfo(std::uint32_t e) {
  return (e >= 0x000F && e <= 0x0012) || (e >= 0x112D && e <= 0x112F);
}

bool nameIs(const Outcome& o, std::string_view n) { return o.freerdpErrorName == n; }

bool logMentions(const Outcome& o, std::string_view needle) {
  return std::any_of(o.logTail.begin(), o.logTail.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

/// What the server selected decides (PROTOCOL_RDP, 0, included); before that, what was offered.
bool usesNla(const Profile& p, const HostFacts& f, const Outcome& o) {
  if (o.selectedProtocol >= 0)
    return layerOfSelectedProtocol(static_cast<std::uint32_t>(o.selectedProtocol)) ==
           SecurityFloor::Nla;
  return p.security == Security::Nla || p.security == Security::NlaExt ||
         (p.security == Security::Negotiate && f.offersNla);
}

/// The name layer failed: no address (the resolver said so), or no answer before the deadline (a
/// timeout at the name layer: nothing was dialled, so never a silent server).
Signature nameNotResolved(const Outcome& o, const HostFacts& f) {
  const bool answered =
      nameIs(o, "ERRCONNECT_DNS_NAME_NOT_FOUND") || nameIs(o, "ERRCONNECT_DNS_ERROR");
  if (answered || !f.resolveTimedOut) return signatureOf(S::NameNotResolved);
  Evidence e{"the resolver did not answer before the deadline"};
  e.exit = ExitClass::Timeout;
  return signatureOf(S::NameNotResolved, e);
}

/// FreeRDP dropped the Confirm: the server selected a layer below the floor. Nothing was sent
/// after the X.224 request (no user name, no password).
Signature floorRefusal(const Outcome& o) {
  const std::string offered = o.noNegotiationData
                                  ? "answered without negotiation data (a pre-Vista host: standard "
                                    "RDP security only)"
                                  : "selected standard RDP security (no TLS)";
  if (o.pinnedOverTls) return signatureOf(S::TlsStripped, {offered});
  if (o.noNegotiationData)  // the pre-Vista signature: below the floor too, and more specific
    return signatureOf(S::PreVistaHost, {"below your floor: the connection was dropped before "
                                         "any credential was sent"});
  return signatureOf(S::BelowFloor, {offered});
}

bool credentialsRejectedByName(const Outcome& o) {
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
  return std::find(kRejected.begin(), kRejected.end(), o.freerdpErrorName) != kRejected.end();
}

/// FreeRDP failed on this side for want of a legacy algorithm the layer in use needs: MD4 for
/// NTLM (NLA), RC4 for standard RDP security. Before credentials(): the closed connection that
/// follows is not the host rejecting a password (none was checked).
std::optional<Signature> localCrypto(const Outcome& o, const Profile& p, const HostFacts& f) {
  const auto lacks = [&](std::string_view alg) {
    return std::find(o.localCryptoMissing.begin(), o.localCryptoMissing.end(), alg) !=
           o.localCryptoMissing.end();
  };
  const bool rdpSecurity =
      o.selectedProtocol == 0 || (o.selectedProtocol < 0 && p.security == Security::Rdp);
  // NTLM hashes with MD4 and seals with RC4; standard RDP security encrypts with RC4
  std::string what;
  if ((lacks("md4") || lacks("rc4")) && usesNla(p, f, o))
    what = std::string(lacks("md4") && lacks("rc4") ? "MD4 and RC4"
                       : lacks("md4")               ? "MD4"
                                                    : "RC4") +
           " (NTLM, the usual Network Level Authentication, needs both)";
  else if (lacks("rc4") && rdpSecurity)
    what = "RC4 (standard RDP security)";
  if (what.empty()) return std::nullopt;
  Evidence e{what};
  e.layer = rdpSecurity ? Layer::RdpSecurity : Layer::Nla;
  return signatureOf(S::LocalCryptoMissing, e);
}

std::optional<Signature> credentials(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (nameIs(o, "ERRCONNECT_NO_OR_MISSING_CREDENTIALS")) return signatureOf(S::CredentialsMissing);
  const bool named = credentialsRejectedByName(o);
  // NLA against servers that just close on a bad password (FreeRDP's shadow, some appliances):
  // TLS completed (certificate accepted), CredSSP ran, then the transport failed
  const bool closedInCredSsp = usesNla(p, f, o) && o.certificate && o.certificate->accepted &&
                               o.reached == Stage::Certificate &&
                               nameIs(o, "ERRCONNECT_CONNECT_TRANSPORT_FAILED");
  if (!named && !closedInCredSsp) return std::nullopt;
  Evidence e{named ? o.freerdpErrorName
                   : std::string("the connection was closed during NLA after TLS: this server "
                                 "sends no logon failure code")};
  e.layer = usesNla(p, f, o) ? Layer::Nla : Layer::Session;
  return signatureOf(S::CredentialsRejected, e);
}

std::optional<Signature> certificate(const Outcome& o, const HostFacts& f) {
  if (!o.certificate || o.certificate->accepted) return std::nullopt;
  const auto& c = *o.certificate;
  if (c.decision == CertDecision::TofuChanged || c.decision == CertDecision::ChangedNeedsConsent)
    return signatureOf(S::CertificateChanged,
                       {"pinned " + c.pinnedFingerprint + ", now " + c.fingerprint});
  if (c.decision == CertDecision::StoreError)
    return signatureOf(S::CertificateStoreUnusable, {c.storeError});
  if (f.certExpired) return signatureOf(S::CertificateExpired, {c.subject});
  return signatureOf(S::CertificateUntrusted, {c.subject});
}

/// Nothing took the TCP connection: refused (nothing listening) or never answered (filtered).
Signature tcpFailed(const HostFacts& f) {
  const std::string how = f.addresses.empty() || f.addresses.front().tcpError.empty()
                              ? std::string("refused")
                              : f.addresses.front().tcpError;
  return signatureOf(how == "refused" ? S::NothingListening : S::PortFiltered, {how});
}

std::optional<Signature> addressing(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (nameIs(o, "ERRCONNECT_DNS_NAME_NOT_FOUND") || nameIs(o, "ERRCONNECT_DNS_ERROR") ||
      f.resolveFailed)
    return nameNotResolved(o, f);
  // FreeRDP 2.11 reports a refused port as CONNECT_TRANSPORT_FAILED too: the probe's TCP facts, or
  // the attempt's own re-check, decide. A connection accepted and then reset is someone listening
  // and dropping it, not "nothing".
  const bool allReset = !f.addresses.empty() &&
                        std::all_of(f.addresses.begin(), f.addresses.end(),
                                    [](const AddressFact& a) { return a.tcpError == "reset"; });
  const bool beforeAnyData = o.reached <= Stage::Started && !o.certificate;
  if (allReset && !o.tcpRefused && beforeAnyData) return signatureOf(S::ResetAfterAccept);
  if (o.tcpRefused && beforeAnyData) return signatureOf(S::NothingListening, {"refused"});
  if (f.allAddressesDead() && beforeAnyData) return tcpFailed(f);
  if (!nameIs(o, "ERRCONNECT_CONNECT_FAILED")) return std::nullopt;
  const bool dialledLive =
      std::any_of(f.addresses.begin(), f.addresses.end(), [&](const AddressFact& a) {
        return a.tcpOk && (a.address == p.dialHost() || p.dialAddress.empty());
      });
  if (dialledLive && !f.someAddressDead()) return signatureOf(S::ResetAfterAccept);
  if (f.someAddressDead() && !f.allAddressesDead()) return signatureOf(S::AddressUnreachable);
  return signatureOf(S::NothingListening, {"refused or filtered"});
}

/// An RDP_NEG_FAILURE code (MS-RDPBCGR 2.2.1.2.2) this attempt met, as its signature.
std::optional<Signature> negotiationFailure(const Outcome& o, const HostFacts& f) {
  auto failed = [&](std::string_view code) {
    return logMentions(o, code) || (f.negotiationFailure && *f.negotiationFailure == code);
  };
  if (failed("SSL_CERT_NOT_ON_SERVER")) return signatureOf(S::NoServerCertificate);
  if (failed("SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER"))
    return signatureOf(S::ClientCertificateRequired);
  for (std::string_view code : {"INCONSISTENT_FLAGS", "SSL_REQUIRED_BY_SERVER",
                                "SSL_NOT_ALLOWED_BY_SERVER", "HYBRID_REQUIRED_BY_SERVER"})
    if (failed(code)) return signatureOf(S::NegotiationRefused, {std::string(code)});
  return std::nullopt;
}

std::optional<Signature> negotiation(const Outcome& o, const Profile& p, const HostFacts& f) {
  auto failed = [&](std::string_view code) {
    return logMentions(o, code) || (f.negotiationFailure && *f.negotiationFailure == code);
  };
  const bool negError =
      nameIs(o, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED") || o.reached <= Stage::Started;
  if (!negError || o.timedOut) return std::nullopt;
  if (!usesNla(p, f, o) && (failed("HYBRID_REQUIRED_BY_SERVER") || f.nlaRequired))
    return signatureOf(S::NlaRequired, {"HYBRID_REQUIRED_BY_SERVER"});
  if (p.security == Security::Rdp && failed("SSL_REQUIRED_BY_SERVER"))
    return signatureOf(S::SslRequired);
  if (p.security != Security::Rdp && f.noNegotiationData) return signatureOf(S::PreVistaHost);
  if (p.security != Security::Rdp && failed("SSL_NOT_ALLOWED_BY_SERVER"))
    return signatureOf(S::SslNotAllowed);
  if (f.notRdp) return signatureOf(S::NotRdp);
  // any other RDP_NEG_FAILURE this attempt met (the probe's failure may belong to another request)
  if (!nameIs(o, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED")) return std::nullopt;
  return negotiationFailure(o, f);
}

std::optional<Signature> tls(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (!nameIs(o, "ERRCONNECT_TLS_CONNECT_FAILED") || o.certificate) return std::nullopt;
  if (f.tlsHandshakeClosedByServer && f.rdpSecurityClosed) {
    // not TLS-specific: every path dies after the Confirm
    Evidence e{" whatever followed (TLS or standard RDP security)"};
    e.layer = Layer::Tls;
    return signatureOf(S::ClosedAfterNegotiation, e);
  }
  const bool lowered = p.tlsSecLevel && *p.tlsSecLevel == 0;
  if (f.legacyTlsOnly() && !lowered) return signatureOf(S::TlsLegacyRefusedLocally);
  return signatureOf(S::TlsClosedByServer);
}

std::optional<Signature> session(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (o.errinfo == kErrinfoServerDenied) return signatureOf(S::ServerDenied);
  if (o.errinfo >= 0x100 && o.errinfo <= 0x10F) {
    Evidence e{o.errinfoName};
    e.mstsc = MstscCodes{signatureRow(S::LicensingFailed).mstsc.disconnectReason, o.errinfo};
    return signatureOf(S::LicensingFailed, e);
  }
  if (isGraphicsErrinfo(o.errinfo)) {
    Evidence e{o.errinfoName.empty() ? "ERRINFO " + std::to_string(o.errinfo) : o.errinfoName};
    e.mstsc = MstscCodes{signatureRow(S::ServerGraphicsFailed).mstsc.disconnectReason, o.errinfo};
    return signatureOf(S::ServerGraphicsFailed, e);
  }
  // standard RDP security whose MAC the host does not accept: the first encrypted PDU is the
  // licensing one, so this ends in FreeRDP's licensing phase too (checked before licensing)
  // (negotiate: the probe saw only standard RDP security, or this connection was put on it)
  const bool rdpLayer = p.security == Security::Rdp ||
                        (p.security == Security::Negotiate &&
                         ((!f.offersTls && f.offersRdp) || o.noNegotiationData ||
                          o.selectedProtocol == static_cast<std::int64_t>(kProtocolRdp)));
  if (rdpLayer && p.saltedMac &&
      (o.errinfo == kErrinfoLogoffByUser || nameIs(o, "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR"))) {
    Evidence e;
    e.mstsc = MstscCodes{signatureRow(S::RdpEncryptionMismatch).mstsc.disconnectReason, o.errinfo};
    return signatureOf(S::RdpEncryptionMismatch, e);
  }
  // FreeRDP failed on a PDU it received in its licensing phase: the host aborted licensing (a
  // License Error PDU with ST_TOTAL_ABORT) or sent its error there (a Set Error Info FreeRDP 3
  // cannot read before licensing is over): licensing, not the path or the certificate
  if (logMentions(o, "license connection sequence aborted") ||
      logMentions(o, "CONNECTION_STATE_LICENSING status STATE_RUN_FAILED"))
    return signatureOf(S::LicensingFailed, {"the connection ended in the licensing phase"});
  if ((nameIs(o, "ERRCONNECT_CONNECT_TRANSPORT_FAILED") ||
       nameIs(o, "ERRCONNECT_CONNECT_UNDEFINED") ||
       nameIs(o, "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR")) &&
      o.reached < Stage::Connected) {
    Evidence e;
    if (o.certificate) {
      e.text = " (TLS completed)";
      e.layer = Layer::Tls;
    }
    return signatureOf(S::ClosedAfterNegotiation, e);
  }
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
  if (o.timedOut && o.reached >= Stage::Frame) {
    Evidence e{"the session painted frames, but not before the deadline: " + o.detail};
    e.mstsc = MstscCodes{kTimedOut, 0};
    e.exit = ExitClass::Timeout;
    return signatureOf(S::LogonNotReached, e);
  }
  if (o.timedOut && o.reached <= Stage::Started && f.slowAnswer)
    return signatureOf(S::ServerSlow,
                       {sentIn(*f.slowAnswer) +
                        " without completing the X.224 Connection Confirm (" + o.detail + ")"});
  if (o.timedOut) {
    Evidence e{o.detail};
    if (o.reached <= Stage::Started) {
      e.retryable = false;
    } else {
      e.layer = Layer::Session;
    }
    return signatureOf(S::ServerSilent, e);
  }
  if (o.crashed) return signatureOf(S::AttemptCrashed, {o.detail});
  if (o.reached >= Stage::Connected) {
    Evidence e{o.errinfoName};
    e.mstsc = MstscCodes{kSocketClosed, o.errinfo};
    return signatureOf(S::LogonNotReached, e);
  }
  return signatureOf(S::Unknown, {o.freerdpErrorName.empty() ? o.detail : o.freerdpErrorName});
}

/// The row's cause with the evidence in it: at "{}", else in parentheses after it.
std::string causeOf(std::string_view pattern, const std::string& evidence) {
  if (const auto at = pattern.find("{}"); at != std::string_view::npos)
    return std::string(pattern.substr(0, at)) + evidence + std::string(pattern.substr(at + 2));
  std::string cause(pattern);
  if (!evidence.empty()) cause += " (" + evidence + ")";
  return cause;
}

void addRemedy(std::vector<Remedy>& out, const Remedy& r) {
  if (std::none_of(out.begin(), out.end(), [&](const Remedy& e) { return e.id == r.id; }))
    out.push_back(r);
}

}  // namespace

Signature signatureOf(SignatureId id, const Evidence& e) {
  const SignatureRow& row = signatureRow(id);
  Signature s;
  s.kind = id;
  s.id = row.key;
  s.layer = e.layer.value_or(row.layer);
  s.mstsc = e.mstsc.value_or(row.mstsc);
  s.cause = causeOf(row.cause, e.text);
  for (auto r : row.remedies)
    if (auto rem = remedyById(r); !r.empty() && rem) s.remedies.push_back(*rem);
  s.exit = e.exit.value_or(row.exit);
  s.retryable = e.retryable.value_or(row.retryable);
  s.stopsLadder = row.stopsLadder;
  return s;
}

Signature explainByWinner(const Signature& original, const Profile& from, const Profile& winner) {
  if (original.kind == S::Ok) return original;
  const bool levelFixed =
      winner.tlsSecLevel == 0u && from.tlsSecLevel != 0u && original.layer == Layer::Tls;
  if (levelFixed) {
    Evidence e{"proven: the same connection works at OpenSSL security level 0"};
    e.mstsc = original.mstsc;
    return signatureOf(S::TlsLegacyRefusedLocally, e);
  }
  if (!winner.saltedMac && from.saltedMac && original.layer == Layer::RdpSecurity) {
    Evidence e{"proven: the same connection works with the classic MAC"};
    e.mstsc = original.mstsc;
    return signatureOf(S::RdpEncryptionMismatch, e);
  }
  const bool nlaFixed = (winner.security == Security::Nla || winner.security == Security::NlaExt) &&
                        from.security == Security::Tls && original.layer <= Layer::Tls;
  if (nlaFixed) return signatureOf(S::NlaRequired, {"proven: the same host works with NLA"});
  const bool addressFixed = !winner.dialAddress.empty() && winner.dialAddress != from.dialAddress &&
                            winner.security == from.security &&
                            winner.tlsSecLevel == from.tlsSecLevel;
  if (addressFixed)
    return signatureOf(
        S::AddressUnreachable,
        {"proven: the name's first address does not answer; " + winner.dialAddress + " does"});
  return original;
}

std::vector<Remedy> diagnosisRemedies(const Signature& original,
                                      const std::vector<Signature>& failedRungs, bool haveWinner) {
  std::vector<Remedy> out;
  for (const auto& r : original.remedies) addRemedy(out, r);
  if (haveWinner) return out;
  for (const auto& s : failedRungs)
    for (const auto& r : s.remedies) addRemedy(out, r);
  return out;
}

Signature classify(const Outcome& o, const Profile& p, const HostFacts& f) {
  if (o.success) return signatureOf(S::Ok);
  if (o.belowFloor) return floorRefusal(o);
  // this machine could not start the attempt's program: nothing reached the host
  if (o.notStarted) return signatureOf(S::ClientSetupFailed, {o.detail});
  if (nameIs(o, "ERRCONNECT_PRE_CONNECT_FAILED") || nameIs(o, "ERRCONNECT_POST_CONNECT_FAILED"))
    // our own side failed to set up (channels, graphics): no other combination fixes that
    return signatureOf(S::ClientSetupFailed, {o.freerdpErrorName});
  // a name that does not resolve is that, whatever deadline passed while it was looked up
  if (nameIs(o, "ERRCONNECT_DNS_NAME_NOT_FOUND") || nameIs(o, "ERRCONNECT_DNS_ERROR") ||
      f.resolveFailed)
    return nameNotResolved(o, f);
  if (auto s = certificate(o, f)) return *s;
  if (auto s = localCrypto(o, p, f)) return *s;
  if (auto s = credentials(o, p, f)) return *s;
  if (o.timedOut) return fallback(o, f);
  if (auto s = addressing(o, p, f)) return *s;
  if (auto s = negotiation(o, p, f)) return *s;
  if (auto s = tls(o, p, f)) return *s;
  if (auto s = session(o, p, f)) return *s;
  return fallback(o, f);
}

}  // namespace rdpdoctor
