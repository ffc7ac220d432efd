#include "rdpdoctor/verdict/host_findings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace rdpdoctor {
namespace {

/// The table: each finding's id and severity, in one place.
struct Kind {
  std::string_view id;
  Severity severity;
};
constexpr Kind kCertificateExpired{"certificate-expired", Severity::High};
constexpr Kind kCertificateNotYetValid{"certificate-not-yet-valid", Severity::High};
constexpr Kind kCertificateExpiring{"certificate-expiring", Severity::Medium};
constexpr Kind kCertificateNameMismatch{"certificate-name-mismatch", Severity::Medium};
constexpr Kind kCertificateWeakKey{"certificate-weak-key", Severity::Medium};
constexpr Kind kCertificateWeakSignature{"certificate-weak-signature", Severity::Medium};
constexpr Kind kCertificateSelfSigned{"certificate-self-signed", Severity::Low};
constexpr Kind kTlsLegacyOnly{"tls-legacy-only", Severity::High};
constexpr Kind kTlsLegacyEnabled{"tls-legacy-enabled", Severity::Low};
constexpr Kind kRdpSecurityAccepted{"rdp-security-accepted", Severity::High};
constexpr Kind kRdpWeakEncryption{"rdp-weak-encryption", Severity::High};
constexpr Kind kNlaNotRequired{"nla-not-required", Severity::Medium};

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
    out.push_back({kCertificateExpired.id, kCertificateExpired.severity,
                   "the certificate " + who + " expired on " + c.notAfter + " (" +
                       std::to_string(-c.daysLeft) + " days ago)"});
  else if (f.certNotYetValid)
    out.push_back({kCertificateNotYetValid.id, kCertificateNotYetValid.severity,
                   "the certificate " + who + " is not valid yet"});
  else if (c.daysLeft <= kExpiringWithinDays)
    out.push_back({kCertificateExpiring.id, kCertificateExpiring.severity,
                   "the certificate " + who + " expires on " + c.notAfter + " (in " +
                       std::to_string(c.daysLeft) + " days)"});
  if (!c.nameMatch)
    out.push_back({kCertificateNameMismatch.id, kCertificateNameMismatch.severity,
                   "the certificate " + who + " does not name the host that was typed"});
  const bool weakRsa =
      (c.keyType == "RSA" || c.keyType == "DSA") && c.keyBits > 0 && c.keyBits < 2048;
  const bool weakEc = c.keyType == "EC" && c.keyBits > 0 && c.keyBits < 256;
  if (weakRsa || weakEc)
    out.push_back(
        {kCertificateWeakKey.id, kCertificateWeakKey.severity,
         "the certificate's key is " + c.keyType + " " + std::to_string(c.keyBits) + " bits"});
  std::string alg = c.signatureAlgorithm;
  std::transform(alg.begin(), alg.end(), alg.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (alg.find("sha1") != std::string::npos || alg.find("md5") != std::string::npos)
    out.push_back({kCertificateWeakSignature.id, kCertificateWeakSignature.severity,
                   "the certificate is signed with " + c.signatureAlgorithm});
  if (f.certSelfSigned)
    out.push_back({kCertificateSelfSigned.id, kCertificateSelfSigned.severity,
                   "the certificate " + who +
                       " is self-signed: clients cannot verify it without trusting it by hand"});
}

}  // namespace

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

std::vector<HostFinding> hostFindings(const HostFacts& f) {
  std::vector<HostFinding> out;
  if (!f.probed) return out;
  certificateFindings(f, out);
  if (f.legacyTlsOnly())
    out.push_back(
        {kTlsLegacyOnly.id, kTlsLegacyOnly.severity,
         "TLS works only at " + joined(f.tlsVersionsOk) + ": modern clients refuse it by default"});
  else if (has(f.tlsVersionsOk, "1.0") || has(f.tlsVersionsOk, "1.1"))
    out.push_back(
        {kTlsLegacyEnabled.id, kTlsLegacyEnabled.severity,
         "TLS " + joined(f.tlsVersionsOk) + " accepted: TLS 1.0 and 1.1 are still enabled"});
  if (f.offersRdp || f.noNegotiationData)
    out.push_back(
        {kRdpSecurityAccepted.id, kRdpSecurityAccepted.severity,
         f.noNegotiationData
             ? std::string("the host answers without negotiation (pre-Vista): standard RDP "
                           "security only, no TLS")
             : std::string("standard RDP security (no TLS, no server authentication) is "
                           "accepted")});
  if (has(f.rdpMethods, "40") || has(f.rdpMethods, "56"))
    out.push_back(
        {kRdpWeakEncryption.id, kRdpWeakEncryption.severity,
         "standard RDP security accepts " + joined(f.rdpMethods) + "-bit encryption methods"});
  const bool withoutNla = (f.offersTls || f.offersRdp || f.noNegotiationData) && !f.nlaRequired;
  if (withoutNla)
    out.push_back(
        {kNlaNotRequired.id, kNlaNotRequired.severity,
         f.offersNla
             ? "NLA is offered but not required: a session (and its login screen) starts before "
               "any credential is checked"
             : "NLA is not offered: a session (and its login screen) starts before any credential "
               "is checked"});
  std::stable_sort(out.begin(), out.end(), [](const HostFinding& a, const HostFinding& b) {
    return static_cast<int>(a.severity) > static_cast<int>(b.severity);
  });
  return out;
}

}  // namespace rdpdoctor
