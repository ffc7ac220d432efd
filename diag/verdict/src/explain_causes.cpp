// The adapter between `explain` and the doctor's one signature table (signature_table.hpp).
// Codes that map to rows directly (mstsc's disconnect/extended pair) are looked up in the table;
// codes the classifier interprets (FreeRDP error names, ERRINFO, RDP_NEG_FAILURE) are classified
// by running classify() on one representative attempt, so explain and the doctor cannot disagree.
// No cause or remedy text is copied here: every sentence comes from the table and remedies.cpp.
#include <algorithm>

#include "rdpdoctor/verdict/explain.hpp"

namespace rdpdoctor {
namespace {

struct Scenario {
  Outcome outcome;
  Profile profile;
  HostFacts facts;
};

HostFacts liveHost() {
  HostFacts f;
  f.probed = true;
  f.addresses = {{"192.0.2.10", false, true, ""}};
  f.offersTls = true;
  f.tlsVersionsOk = {"1.2"};
  return f;
}

Scenario failed(std::string freerdpName, Stage reached = Stage::Started) {
  Scenario s{{}, {}, liveHost()};
  s.outcome.freerdpErrorName = std::move(freerdpName);
  s.outcome.reached = reached;
  s.outcome.detail = "the deadline passed";
  s.profile.target.host = "HOST";
  return s;
}

/// One attempt per signature, ranked as REMEDIES.md ranks the causes of 0x904/0x7 (certificate
/// and key, NLA, security layer, TLS version, path, DNS, legacy host, server denied, network),
/// then the rest.
std::vector<Scenario> representatives() {
  std::vector<Scenario> v;
  v.push_back(failed("ERRCONNECT_TLS_CONNECT_FAILED"));  // tls-closed-by-server
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // nla-required
    s.profile.security = Security::Tls;
    s.facts.nlaRequired = true;
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // ssl-required
    s.profile.security = Security::Rdp;
    s.outcome.logTail = {"RDP_NEG_FAILURE SSL_REQUIRED_BY_SERVER"};
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // ssl-not-allowed
    s.outcome.logTail = {"RDP_NEG_FAILURE SSL_NOT_ALLOWED_BY_SERVER"};
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // negotiation-refused
    s.outcome.logTail = {"RDP_NEG_FAILURE SSL_CERT_NOT_ON_SERVER"};
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_TLS_CONNECT_FAILED");  // tls-legacy-refused-locally
    s.facts.tlsVersionsOk = {"1.0"};
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_TLS_CONNECT_FAILED");  // closed-after-negotiation
    s.facts.tlsHandshakeClosedByServer = true;
    s.facts.rdpSecurityClosed = true;
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_CONNECT_FAILED");  // reset-after-accept
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_CONNECT_FAILED");  // address-unreachable
    s.facts.addresses = {{"192.0.2.10", false, false, "timeout"}, {"192.0.2.11", false, true, ""}};
    s.profile.dialAddress = "192.0.2.10";
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // pre-vista-host
    s.facts.noNegotiationData = true;
    v.push_back(s);
  }
  {
    auto s = failed("", Stage::Connected);  // server-denied
    s.outcome.errinfo = 0x7;
    s.outcome.errinfoName = "ERRINFO_SERVER_DENIED_CONNECTION";
    v.push_back(s);
  }
  {
    auto s = failed("");  // server-silent
    s.outcome.timedOut = true;
    v.push_back(s);
  }
  {
    auto s = failed("");  // server-slow
    s.outcome.timedOut = true;
    s.facts.slowAnswer = SlowAnswer{12, 2400};
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED");  // nothing-listening
    s.outcome.tcpRefused = true;
    s.facts.addresses = {{"192.0.2.10", false, false, "refused"}};
    v.push_back(s);
  }
  v.push_back(failed("ERRCONNECT_DNS_NAME_NOT_FOUND"));  // name-not-resolved
  {
    auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");  // not-rdp
    s.facts.notRdp = true;
    v.push_back(s);
  }
  v.push_back(failed("ERRCONNECT_LOGON_FAILURE", Stage::Certificate));  // credentials-rejected
  v.push_back(failed("ERRCONNECT_NO_OR_MISSING_CREDENTIALS"));          // credentials-missing
  for (auto decision : {CertDecision::Deny, CertDecision::TofuChanged}) {
    auto s = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Certificate);  // certificate-*
    s.outcome.certificate = CertificateSeen{};
    s.outcome.certificate->subject = "CN=HOST";
    s.outcome.certificate->fingerprint = "(the new fingerprint)";
    s.outcome.certificate->pinnedFingerprint = "(the pinned fingerprint)";
    s.outcome.certificate->decision = decision;
    v.push_back(s);
  }
  {
    auto s = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Certificate);  // certificate-expired
    s.outcome.certificate = CertificateSeen{};
    s.outcome.certificate->subject = "CN=HOST";
    s.facts.certExpired = true;
    v.push_back(s);
  }
  for (bool pinned : {false, true}) {
    auto s = failed("");  // below-floor, tls-stripped
    s.outcome.belowFloor = true;
    s.outcome.pinnedOverTls = pinned;
    v.push_back(s);
  }
  {
    auto s = failed("", Stage::Connected);  // licensing-failed
    s.outcome.errinfo = 0x102;
    s.outcome.errinfoName = "ERRINFO_LICENSE_NO_LICENSE";
    v.push_back(s);
  }
  {
    auto s = failed("", Stage::Connected);  // rdp-encryption-mismatch
    s.profile.security = Security::Rdp;
    s.outcome.errinfo = 0xC;
    v.push_back(s);
  }
  {
    auto s = failed("", Stage::Frame);  // logon-not-reached
    s.outcome.timedOut = true;
    v.push_back(s);
  }
  return v;
}

LikelyCause causeOf(const Scenario& s) {
  const auto sig = classify(s.outcome, s.profile, s.facts);
  return LikelyCause{std::string(sig.id), sig.layer, sig.mstsc, sig.cause, sig.remedies};
}

/// The query's own code in a representative attempt (a FreeRDP name, an ERRINFO, a negotiation
/// failure under each security layer), so that codes no representative carries are classified too.
std::vector<Scenario> fromQuery(const CauseQuery& q) {
  std::vector<Scenario> v;
  if (!q.freerdpName.empty())
    for (auto stage : {Stage::Started, Stage::Certificate})
      v.push_back(failed(q.freerdpName, stage));
  const auto errinfo = q.errinfo ? q.errinfo : q.extendedReason;
  if (errinfo && *errinfo != 0) {
    auto s = failed("", Stage::Connected);
    s.outcome.errinfo = *errinfo;
    if (const auto* e = findCode(CodeTable::ErrInfo, *errinfo)) s.outcome.errinfoName = e->name;
    v.push_back(s);
  }
  if (!q.negFailure.empty())
    for (auto sec : {Security::Negotiate, Security::Tls, Security::Rdp}) {
      auto s = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");
      s.profile.security = sec;
      s.outcome.logTail = {"RDP_NEG_FAILURE " + q.negFailure};
      if (q.negFailure == "HYBRID_REQUIRED_BY_SERVER") s.facts.nlaRequired = true;
      v.push_back(s);
    }
  return v;
}

bool matches(const CauseQuery& q, const Scenario& s, const LikelyCause& c) {
  if (c.signature == "ok" || c.signature == "unknown") return false;
  bool any = false;
  if (q.disconnectReason) {
    if (c.mstsc.disconnectReason != *q.disconnectReason) return false;
    any = true;
  }
  if (q.extendedReason) {
    if (c.mstsc.extendedReason != *q.extendedReason && s.outcome.errinfo != *q.extendedReason)
      return false;
    any = true;
  }
  if (q.errinfo) {
    if (s.outcome.errinfo != *q.errinfo) return false;
    any = true;
  }
  if (!q.freerdpName.empty()) {
    if (s.outcome.freerdpErrorName != q.freerdpName) return false;
    any = true;
  }
  if (!q.negFailure.empty()) {
    const bool inLog = std::any_of(
        s.outcome.logTail.begin(), s.outcome.logTail.end(),
        [&](const std::string& l) { return l.find(q.negFailure) != std::string::npos; });
    if (!inLog && !(q.negFailure == "HYBRID_REQUIRED_BY_SERVER" && s.facts.nlaRequired))
      return false;
    any = true;
  }
  return any;
}

}  // namespace

std::vector<LikelyCause> likelyCauses(const CauseQuery& q) {
  std::vector<Scenario> all = representatives();
  for (auto& s : fromQuery(q)) all.push_back(std::move(s));
  std::vector<LikelyCause> out;
  for (const auto& s : all) {
    auto c = causeOf(s);
    if (!matches(q, s, c)) continue;
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const LikelyCause& o) { return o.signature == c.signature; });
    if (!seen) out.push_back(std::move(c));
  }
  // every other row of the table with the same mstsc pair, after the ranked ones
  if (q.disconnectReason && q.freerdpName.empty() && q.negFailure.empty() && !q.errinfo)
    for (const auto* row : signaturesForMstsc(*q.disconnectReason, q.extendedReason)) {
      if (row->id == SignatureId::Ok || row->id == SignatureId::Unknown) continue;
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const LikelyCause& o) { return o.signature == row->key; });
      if (seen) continue;
      const auto sig = signatureOf(row->id);
      out.push_back(
          LikelyCause{std::string(sig.id), sig.layer, sig.mstsc, sig.cause, sig.remedies});
    }
  return out;
}

}  // namespace rdpdoctor
