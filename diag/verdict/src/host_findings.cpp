#include "rdpdoctor/verdict/host_findings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace rdpdoctor {
namespace {

/// A finding of the row `id` (its contract id and severity) with what the probe saw.
HostFinding finding(HostFindingId id, std::string evidence) {
  const HostFindingRow& row = hostFindingRow(id);
  return {id, row.key, row.severity, std::move(evidence)};
}

constexpr int kExpiringWithinDays = 30;

bool has(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

void certificateFindings(const HostFacts& f, std::vector<HostFinding>& out) {
  if (!f.certificate) return;
  const auto& c = *f.certificate;
  const std::string who = "'" + c.subject + "'";
  if (f.certExpired)
    out.push_back(finding(HostFindingId::CertificateExpired,
                          "the certificate " + who + " expired on " + c.notAfter + " (" +
                              std::to_string(-c.daysLeft) + " days ago)"));
  else if (f.certNotYetValid)
    out.push_back(finding(HostFindingId::CertificateNotYetValid,
                          "the certificate " + who + " is not valid yet"));
  else if (c.daysLeft <= kExpiringWithinDays)
    out.push_back(finding(HostFindingId::CertificateExpiring,
                          "the certificate " + who + " expires on " + c.notAfter + " (in " +
                              std::to_string(c.daysLeft) + " days)"));
  if (!c.nameMatch)
    out.push_back(finding(HostFindingId::CertificateNameMismatch,
                          "the certificate " + who + " does not name the host that was typed"));
  const bool weakRsa =
      (c.keyType == "RSA" || c.keyType == "DSA") && c.keyBits > 0 && c.keyBits < 2048;
  const bool weakEc = c.keyType == "EC" && c.keyBits > 0 && c.keyBits < 256;
  if (weakRsa || weakEc)
    out.push_back(finding(
        HostFindingId::CertificateWeakKey,
        "the certificate's key is " + c.keyType + " " + std::to_string(c.keyBits) + " bits"));
  std::string alg = c.signatureAlgorithm;
  std::transform(alg.begin(), alg.end(), alg.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (alg.find("sha1") != std::string::npos || alg.find("md5") != std::string::npos)
    out.push_back(finding(HostFindingId::CertificateWeakSignature,
                          "the certificate is signed with " + c.signatureAlgorithm));
  if (f.certSelfSigned)
    out.push_back(
        finding(HostFindingId::CertificateSelfSigned,
                "the certificate " + who +
                    " is self-signed: clients cannot verify it without trusting it by hand"));
}

}  // namespace

std::vector<HostFinding> hostFindings(const HostFacts& f) {
  std::vector<HostFinding> out;
  if (!f.probed) return out;
  certificateFindings(f, out);
  if (f.legacyTlsOnly())
    out.push_back(finding(
        HostFindingId::TlsLegacyOnly,
        "TLS works only at " + joined(f.tlsVersionsOk) + ": modern clients refuse it by default"));
  else if (has(f.tlsVersionsOk, "1.0") || has(f.tlsVersionsOk, "1.1"))
    out.push_back(
        finding(HostFindingId::TlsLegacyEnabled,
                "TLS " + joined(f.tlsVersionsOk) + " accepted: TLS 1.0 and 1.1 are still enabled"));
  if (f.offersRdp || f.noNegotiationData)
    out.push_back(
        finding(HostFindingId::RdpSecurityAccepted,
                f.noNegotiationData
                    ? std::string("the host answers without negotiation (pre-Vista): standard RDP "
                                  "security only, no TLS")
                    : std::string("standard RDP security (no TLS, no server authentication) is "
                                  "accepted")));
  if (has(f.rdpMethods, "40") || has(f.rdpMethods, "56"))
    out.push_back(finding(
        HostFindingId::RdpWeakEncryption,
        "standard RDP security accepts " + joined(f.rdpMethods) + "-bit encryption methods"));
  const bool withoutNla = (f.offersTls || f.offersRdp || f.noNegotiationData) && !f.nlaRequired;
  if (withoutNla)
    out.push_back(finding(
        HostFindingId::NlaNotRequired,
        f.offersNla
            ? "NLA is offered but not required: a session (and its login screen) starts before "
              "any credential is checked"
            : "NLA is not offered: a session (and its login screen) starts before any credential "
              "is checked"));
  std::stable_sort(out.begin(), out.end(), [](const HostFinding& a, const HostFinding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
  return out;
}

}  // namespace rdpdoctor
