#include "rdpdoctor/report/probe_report.hpp"

#include <algorithm>

#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/text_safety.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"
#include "rdpdoctor/verdict/host_findings.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor {
namespace {

using nlohmann::json;
using namespace probe;

json optional(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json optionalU(const std::optional<std::uint32_t>& v) { return v ? json(*v) : json(nullptr); }
json textOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json addressJson(const AddressResult& a) {
  return {{"address", a.address},
          {"family", a.ipv6 ? "ipv6" : "ipv4"},
          {"tcp", a.tcp},
          {"connect_ms", a.connectMs >= 0 ? json(a.connectMs) : json(nullptr)},
          {"detail", textOrNull(a.detail)}};
}

json negotiationJson(const NegotiationCheck& c) {
  return {{"requested", wire::protocolNames(c.requested)},
          {"requested_value", c.requested},
          {"result", std::string(toString(c.status))},
          {"selected", c.selected ? json(wire::protocolName(*c.selected)) : json(nullptr)},
          {"failure", c.failureCode ? json(wire::failureCodeName(*c.failureCode)) : json(nullptr)},
          {"downgrade", c.downgrade},
          {"flags", wire::negotiationResponseFlagNames(c.flags)},
          {"detail", textOrNull(c.detail)},
          {"bytes", textOrNull(c.evidence)},
          {"bytes_received", c.bytesReceived},
          {"elapsed_ms", c.elapsedMs}};
}

json certificateJson(const CertificateInfo& c) {
  return {{"subject", c.subject},
          {"issuer", c.issuer},
          {"subject_alt_names", c.subjectAltNames},
          {"not_before", c.notBefore},
          {"not_after", c.notAfter},
          {"days_left", c.daysLeft},
          {"expired", c.expired},
          {"not_yet_valid", c.notYetValid},
          {"self_signed", c.selfSigned},
          {"name_match", c.nameMatch},
          {"key_type", c.keyType},
          {"key_bits", c.keyBits},
          {"signature_algorithm", c.signatureAlgorithm},
          {"sha256", c.sha256}};
}

json tlsJson(const TlsResult& t) {
  json versions = json::object();
  for (const auto v : kTlsVersions)
    versions[std::string(v)] = std::string(toString(TlsStatus::NotOffered));
  json details = json::array();
  for (const auto& v : t.versions) {
    versions[v.version] = std::string(toString(v.status));
    details.push_back(
        {{"version", v.version},
         {"result", std::string(toString(v.status))},
         {"requested",
          v.requested != 0 || t.offered ? json(wire::protocolNames(v.requested)) : json(nullptr)},
         {"seclevel", optional(v.secLevel)},
         {"cipher", textOrNull(v.cipher)},
         {"reason", textOrNull(v.reason)},
         {"elapsed_ms", v.elapsedMs}});
  }
  return {{"offered", t.offered},
          {"requested", t.offered ? json(wire::protocolNames(t.requested)) : json(nullptr)},
          {"versions", versions},
          {"attempts", details},
          {"min_seclevel", optional(t.minSecLevel)},
          {"cipher", textOrNull(t.cipher)},
          {"cipher_version", textOrNull(t.cipherVersion)},
          {"certificate", t.certificate ? certificateJson(*t.certificate) : json(nullptr)},
          {"certificate_error", textOrNull(t.certificateError)}};
}

json rdpJson(const RdpSecurityResult& s) {
  json offers = json::array();
  for (const auto& c : s.checks) {
    offers.push_back(
        {{"offered", wire::encryptionMethodName(c.offered)},
         {"result", c.status},
         {"server_method",
          c.serverMethod != 0 ? json(wire::encryptionMethodName(c.serverMethod)) : json(nullptr)},
         {"level", c.level ? json(wire::encryptionLevelName(*c.level)) : json(nullptr)},
         {"detail", textOrNull(c.detail)},
         {"elapsed_ms", c.elapsedMs}});
  }
  return {{"offered", s.offered},
          {"methods", wire::encryptionMethodNames(s.methods)},
          {"level", s.level ? json(wire::encryptionLevelName(*s.level)) : json(nullptr)},
          {"level_value", optionalU(s.level)},
          {"unencrypted", s.unencrypted},
          {"server_version", optionalU(s.serverVersion)},
          {"offers", offers}};
}

/// probe@1's findings[] spelled the negotiation layer "x224" before there was one Layer: kept,
/// so scripts that read it go on working (every other layer is the one spelling).
std::string findingLayer(Layer l) {
  return l == Layer::Negotiation ? std::string("x224") : std::string(toString(l));
}

json findingsJson(const ProbeResult& r) {
  json out = json::array();
  for (const auto& f : findingsOf(r))
    out.push_back({{"layer", findingLayer(f.layer)},
                   {"status", std::string(toString(f.status))},
                   {"evidence", f.evidence},
                   {"elapsed_ms", f.elapsedMs}});
  return out;
}

const char* colourOf(FindingStatus s) {
  switch (s) {
    case FindingStatus::Ok:
      return "\033[32m";
    case FindingStatus::Failed:
      return "\033[31m";
    case FindingStatus::Skipped:
      return "\033[90m";
    case FindingStatus::Inconclusive:
      return "\033[33m";
  }
  return "";
}

std::string padded(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string layerTitle(Layer l) {
  switch (l) {
    case Layer::Name:
      return "name";
    case Layer::Tcp:
      return "TCP";
    case Layer::Negotiation:
      return "X.224 negotiation";
    case Layer::Tls:
      return "TLS";
    case Layer::Certificate:
      return "certificate";
    case Layer::RdpSecurity:
      return "standard RDP security";
    case Layer::Nla:
    case Layer::Session:
    case Layer::Gateway:
    case Layer::None:
      break;  // not a layer a probe reaches
  }
  return "?";
}

}  // namespace

std::string renderProbeText(const ProbeResult& r, bool colour) {
  const char* bold = colour ? "\033[1m" : "";
  const char* reset = colour ? "\033[0m" : "";
  std::string out = std::string(bold) + "rdpdoctor probe of " + terminalText(r.target.display()) +
                    reset + " (" + std::to_string(r.elapsedMs) + " ms)\n";
  std::optional<Layer> current;
  for (const auto& f : findingsOf(r)) {
    if (!current || *current != f.layer) {
      out += "\n" + std::string(bold) + layerTitle(f.layer) + reset + "\n";
      current = f.layer;
    }
    const std::string status = padded(std::string(toString(f.status)), 13);
    out += "  " + (colour ? std::string(colourOf(f.status)) + status + reset : status) + " " +
           padded(terminalText(f.evidence), 60) + " " + std::to_string(f.elapsedMs) + " ms\n";
  }
  if (r.tls.certificate) {
    const auto& c = *r.tls.certificate;
    out += "    issuer " + terminalText(c.issuer) + "; SANs";
    for (const auto& n : c.subjectAltNames) out += " " + terminalText(n);
    out += "; " + terminalText(c.keyType) + " " + std::to_string(c.keyBits) + " bits, " +
           terminalText(c.signatureAlgorithm) + "\n";
    out +=
        "    sha256 " + terminalText(c.sha256) + "; " + std::to_string(c.daysLeft) + " days left\n";
  }
  out += hostFindingsText(hostFactsFrom(r), colour);
  out += "\n" + std::string(bold) + "verdict" + reset + ": " + terminalText(verdictOf(r)) + "\n";
  return out;
}

json hostFindingsJson(const HostFacts& facts) {
  json out = json::array();
  for (const auto& f : hostFindings(facts))
    out.push_back({{"id", std::string(f.id)},
                   {"severity", std::string(toString(f.severity))},
                   {"evidence", f.evidence}});
  return out;
}

std::string hostFindingsText(const HostFacts& facts, bool colour) {
  const auto findings = hostFindings(facts);
  if (findings.empty()) return "";
  const char* bold = colour ? "\033[1m" : "";
  const char* reset = colour ? "\033[0m" : "";
  std::string out =
      "\n" + std::string(bold) + "host findings" + reset + " (to fix even when it connects)\n";
  for (const auto& f : findings) {
    const bool loud = f.severity >= Severity::Medium;
    const std::string sev = padded(std::string(toString(f.severity)), 7);
    out += "  " +
           (colour && loud
                ? std::string(f.severity == Severity::High ? "\033[31m" : "\033[33m") + sev + reset
                : sev) +
           " " + std::string(f.id) + ": " + terminalText(f.evidence) + "\n";
  }
  return out;
}

json probeToJson(const ProbeResult& r) {
  json addresses = json::array();
  for (const auto& a : r.addresses) addresses.push_back(addressJson(a));
  json negotiation = json::array();
  for (const auto& c : r.negotiation) negotiation.push_back(negotiationJson(c));
  return {{"schema", kProbeSchema},
          {"host", r.target.host},
          {"port", r.target.port},
          {"resolve_error", textOrNull(r.resolveError)},
          {"addresses", addresses},
          {"probed_address", textOrNull(r.probedAddress)},
          {"negotiation", negotiation},
          {"tls", tlsJson(r.tls)},
          {"rdp_security", rdpJson(r.rdp)},
          {"answer", std::string(toString(answerOf(r)))},
          {"verdict", verdictOf(r)},
          {"findings", findingsJson(r)},
          {"host_findings", hostFindingsJson(hostFactsFrom(r))},
          {"deadline_reached", r.deadlineReached},
          {"elapsed_ms", r.elapsedMs}};
}

}  // namespace rdpdoctor
