#include <algorithm>

#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe {
namespace {

using namespace wire;

std::string requestedText(std::uint32_t requested) {
  std::string s;
  for (const auto& n : protocolNames(requested)) s += (s.empty() ? "" : "|") + n;
  return s;
}

Finding negotiationFinding(const NegotiationCheck& c) {
  Finding f{Layer::Negotiation, FindingStatus::Failed,
            "request " + requestedText(c.requested) + ": ", c.elapsedMs};
  switch (c.status) {
    case NegotiationStatus::Selected:
      f.status = c.downgrade ? FindingStatus::Failed : FindingStatus::Ok;
      f.evidence +=
          "selected " + protocolName(*c.selected) + (c.downgrade ? " (silent downgrade)" : "");
      break;
    case NegotiationStatus::Failure:
      f.evidence += "failure " + failureCodeName(*c.failureCode);
      break;
    case NegotiationStatus::NoNegotiation:
      f.status = FindingStatus::Ok;
      f.evidence += "no negotiation data (standard RDP security)";
      break;
    case NegotiationStatus::Timeout:
      f.evidence += "timeout" + (c.detail.empty() ? "" : " (" + c.detail + ")");
      if (c.bytesReceived > 0)  // a slow host, not a silent one
        f.evidence += " after " + std::to_string(c.bytesReceived) +
                      (c.bytesReceived == 1 ? " byte" : " bytes") + " in " +
                      std::to_string(c.elapsedMs) + " ms";
      break;
    default:
      f.evidence +=
          std::string(toString(c.status)) + (c.detail.empty() ? "" : " (" + c.detail + ")");
  }
  return f;
}

Finding tlsFinding(const TlsVersionCheck& v) {
  Finding f{Layer::Tls, FindingStatus::Failed,
            "TLS " + v.version + ": " + std::string(toString(v.status)), v.elapsedMs};
  if (v.status == TlsStatus::Ok) {
    f.status = FindingStatus::Ok;
    f.evidence += " at security level " + std::to_string(*v.secLevel) + ", " + v.cipher;
  } else if (v.status == TlsStatus::NotOffered || v.status == TlsStatus::Skipped) {
    f.status = FindingStatus::Skipped;
  } else {
    f.evidence += " (" + v.reason + ")";
  }
  return f;
}

Finding certificateFinding(const CertificateInfo& c) {
  Finding f{Layer::Certificate, FindingStatus::Ok,
            c.subject + ", valid " + c.notBefore + " to " + c.notAfter, 0};
  if (c.expired || c.notYetValid)
    f.status = FindingStatus::Failed;
  else if (c.selfSigned || !c.nameMatch)
    f.status = FindingStatus::Inconclusive;
  if (c.expired) f.evidence += ", expired";
  if (c.notYetValid) f.evidence += ", not yet valid";
  if (c.selfSigned) f.evidence += ", self-signed";
  f.evidence += c.nameMatch ? ", name matches" : ", name does not match";
  return f;
}

Finding rdpFinding(const RdpMethodCheck& c) {
  Finding f{Layer::RdpSecurity, FindingStatus::Failed,
            "offer " + encryptionMethodName(c.offered) + ": " + c.status, c.elapsedMs};
  if (c.status == "accepted" || c.status == "no-encryption") f.status = FindingStatus::Ok;
  if (c.status == "not-offered" || c.status == "skipped") f.status = FindingStatus::Skipped;
  if (c.level) f.evidence += ", level " + encryptionLevelName(*c.level);
  if (!c.detail.empty() && c.status != "accepted") f.evidence += " (" + c.detail + ")";
  return f;
}

}  // namespace

std::vector<Finding> findingsOf(const ProbeResult& r) {
  std::vector<Finding> out;
  if (!r.resolveError.empty()) {
    out.push_back({Layer::Name, FindingStatus::Failed, r.resolveError, r.resolveMs});
    return out;
  }
  std::string names;
  for (const auto& a : r.addresses) names += (names.empty() ? "" : ", ") + a.address;
  out.push_back({Layer::Name, FindingStatus::Ok, r.target.host + " -> " + names, r.resolveMs});
  for (const auto& a : r.addresses) {
    const bool ok = a.tcp == "ok";
    out.push_back({Layer::Tcp, ok ? FindingStatus::Ok : FindingStatus::Failed,
                   a.address + ": " +
                       (ok ? "connected" : a.tcp + (a.detail.empty() ? "" : " (" + a.detail + ")")),
                   std::max<std::int64_t>(a.connectMs, 0)});
  }
  for (const auto& c : r.negotiation) out.push_back(negotiationFinding(c));
  if (r.tls.offered)
    for (const auto& v : r.tls.versions) out.push_back(tlsFinding(v));
  if (r.tls.certificate) out.push_back(certificateFinding(*r.tls.certificate));
  if (r.rdp.offered)
    for (const auto& c : r.rdp.checks) out.push_back(rdpFinding(c));
  return out;
}

}  // namespace rdpdoctor::probe
