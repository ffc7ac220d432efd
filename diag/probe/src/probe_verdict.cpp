#include "rdpdoctor/probe/probe_verdict.hpp"

#include <algorithm>
#include <cstdio>

#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe {
namespace {

using namespace wire;

std::string joined(const std::vector<std::string>& items, const std::string& last = " and ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += i + 1 == items.size() ? last : ", ";
    out += items[i];
  }
  return out;
}

std::string requestedText(std::uint32_t requested) {
  std::string s;
  for (const auto& n : protocolNames(requested)) s += (s.empty() ? "" : "|") + n;
  return s;
}

/// "sent 12 bytes in 2.4 s"
std::string sentIn(const NegotiationCheck& c) {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(c.elapsedMs) / 1000.0);
  return "sent " + std::to_string(c.bytesReceived) + (c.bytesReceived == 1 ? " byte" : " bytes") +
         " in " + secs + " s";
}

bool allNegotiation(const ProbeResult& r, NegotiationStatus s) {
  return !r.negotiation.empty() &&
         std::all_of(r.negotiation.begin(), r.negotiation.end(),
                     [s](const NegotiationCheck& c) { return c.status == s; });
}

bool anyNegotiation(const ProbeResult& r, NegotiationStatus s) {
  return std::any_of(r.negotiation.begin(), r.negotiation.end(),
                     [s](const NegotiationCheck& c) { return c.status == s; });
}

std::vector<std::string> okTlsVersions(const ProbeResult& r) {
  std::vector<std::string> ok;
  for (const auto& v : r.tls.versions)
    if (v.status == TlsStatus::Ok) ok.push_back("TLS " + v.version);
  return ok;
}

bool nlaRequired(const ProbeResult& r) {
  return std::any_of(r.negotiation.begin(), r.negotiation.end(), [](const NegotiationCheck& c) {
    return c.failureCode && *c.failureCode == kHybridRequiredByServer;
  });
}

std::string keyExchange(const std::string& cipher) {
  if (cipher.rfind("TLS_", 0) == 0) return "TLS 1.3 key exchange";
  if (cipher.rfind("ECDHE", 0) == 0) return "ECDHE";
  if (cipher.rfind("DHE", 0) == 0) return "DHE";
  return "RSA key exchange";
}

/// The check that got the most bytes before its deadline, if any got some: a slow host.
const NegotiationCheck* slowest(const ProbeResult& r) {
  const NegotiationCheck* best = nullptr;
  for (const auto& c : r.negotiation)
    if (c.status == NegotiationStatus::Timeout && c.bytesReceived > 0 &&
        (!best || c.bytesReceived > best->bytesReceived))
      best = &c;
  return best;
}

std::string negotiationSentence(const ProbeResult& r) {
  const auto* slow = slowest(r);
  if (allNegotiation(r, NegotiationStatus::Timeout) && slow)
    return "it answers the X.224 Connection Request too slowly: it " + sentIn(*slow) +
           " and never completed a Connection Confirm before the deadline (a slow host or path)";
  if (allNegotiation(r, NegotiationStatus::Timeout))
    return "it accepts TCP but never answers the X.224 Connection Request (a silent host, or a "
           "filter in the path)";
  if (allNegotiation(r, NegotiationStatus::Closed))
    return "it closes the connection after every X.224 Connection Request";
  if (allNegotiation(r, NegotiationStatus::Error))
    return "it answers with bytes that are not RDP (" + r.negotiation[0].detail + ")";
  if (anyNegotiation(r, NegotiationStatus::NoNegotiation))
    return "it does not negotiate (no RDP_NEG data in the Connection Confirm: a pre-Vista host), "
           "standard RDP security only";
  std::vector<std::string> offers;
  if (selects(r, kProtocolHybrid) || selects(r, kProtocolHybridEx)) offers.emplace_back("NLA");
  if (selects(r, kProtocolSsl)) offers.emplace_back("TLS");
  if (r.rdp.offered) offers.emplace_back("standard RDP security");
  std::string s = offers.empty() ? "it selects no security protocol for any request"
                                 : "it offers " + joined(offers);
  if (nlaRequired(r))
    s += "; it requires NLA (HYBRID_REQUIRED_BY_SERVER to requests without HYBRID)";
  std::vector<std::string> downgraded;
  std::string to;
  for (const auto& c : r.negotiation) {
    if (!c.downgrade || !c.selected) continue;
    downgraded.push_back(requestedText(c.requested));
    to = protocolName(*c.selected);
  }
  if (!downgraded.empty())
    s += "; it answers " + std::string(downgraded.size() == 1 ? "a request" : "requests") +
         " for " + joined(downgraded) + " by selecting " + to +
         (downgraded.size() == 1 ? " (a silent downgrade)" : " (silent downgrades)");
  return s;
}

std::string tlsSentence(const ProbeResult& r) {
  const auto ok = okTlsVersions(r);
  if (ok.empty()) {
    const bool allClosed =
        std::all_of(r.tls.versions.begin(), r.tls.versions.end(),
                    [](const TlsVersionCheck& v) { return v.status == TlsStatus::Closed; });
    if (allClosed)
      return "the server abandons every TLS handshake (TLS 1.0 to 1.3, OpenSSL security levels 1 "
             "and 0) without a TLS alert: "
             "its TLS configuration is unusable (e.g. a cipher list this OpenSSL lacks, such as "
             "3DES only, or an "
             "unreadable certificate or key)";
    return "no TLS version completes a handshake (" + r.tls.versions.back().reason + ")";
  }
  const bool legacy = std::none_of(
      ok.begin(), ok.end(), [](const std::string& v) { return v == "TLS 1.2" || v == "TLS 1.3"; });
  if (legacy) {
    std::string s = "host speaks " + joined(ok) + " only with " + keyExchange(r.tls.cipher) + " (" +
                    r.tls.cipher + ")";
    if (r.tls.minSecLevel && *r.tls.minSecLevel == 0)
      return s + "; modern OpenSSL refuses it unless the security level is 0";
    return s + "; OpenSSL accepts it at its default security level 1";
  }
  std::string s = joined(ok) + " work";
  if (ok.size() == 1) s += "s";
  s += r.tls.minSecLevel && *r.tls.minSecLevel >= 1 ? " at OpenSSL's default security level"
                                                    : " only at OpenSSL security level 0";
  return s + " (" + r.tls.cipher + " with TLS " + r.tls.cipherVersion + ")";
}

std::string certificateSentence(const ProbeResult& r) {
  const auto& c = *r.tls.certificate;
  std::vector<std::string> facts;
  if (c.expired)
    facts.push_back("expired on " + c.notAfter.substr(0, 10) + " (" + std::to_string(-c.daysLeft) +
                    " days ago)");
  if (c.notYetValid) facts.push_back("is not valid before " + c.notBefore.substr(0, 10));
  if (c.selfSigned) facts.emplace_back("is self-signed");
  facts.push_back(c.nameMatch ? "names " + r.target.host : "does not name " + r.target.host);
  return "its certificate (" + c.subject + ", " + c.keyType + " " + std::to_string(c.keyBits) +
         " bits) " + joined(facts);
}

std::string rdpSentence(const ProbeResult& r) {
  const auto level = r.rdp.level ? encryptionLevelName(*r.rdp.level) : std::string("unknown");
  if (r.rdp.methods != 0)
    return "standard RDP security accepts " +
           joined(encryptionMethodNames(r.rdp.methods), " and ") +
           (r.rdp.methods == kEncryptionFips ? "" : "-bit") + " encryption at level " + level;
  if (r.rdp.unencrypted)
    return "standard RDP security works without any encryption (method and level none)";
  return "standard RDP security is selected but none of 40, 56, 128-bit or FIPS offered alone is "
         "accepted";
}

std::string reachSentence(const ProbeResult& r) {
  std::string s = r.target.display() + " answers on " + r.probedAddress;
  for (const auto& a : r.addresses)
    if (a.tcp != "ok") s += "; " + a.address + " does not accept TCP (" + a.tcp + ")";
  return s;
}

}  // namespace

ProbeAnswer answerOf(const ProbeResult& r) {
  if (!r.resolveError.empty())
    return r.resolveTimedOut ? ProbeAnswer::Timeout : ProbeAnswer::Unreachable;
  if (r.probedAddress.empty()) {
    const bool allTimeout = std::all_of(r.addresses.begin(), r.addresses.end(),
                                        [](const AddressResult& a) { return a.tcp == "timeout"; });
    return allTimeout && !r.addresses.empty() ? ProbeAnswer::Timeout : ProbeAnswer::Unreachable;
  }
  const bool tlsWorks =
      std::any_of(r.tls.versions.begin(), r.tls.versions.end(),
                  [](const TlsVersionCheck& v) { return v.status == TlsStatus::Ok; });
  if (tlsWorks || r.rdp.methods != 0 || r.rdp.unencrypted) return ProbeAnswer::Works;
  // a layer the host selected whose checks the user skipped is not a failure: it may work
  if ((r.tls.offered && r.tls.skipped) || (r.rdp.offered && r.rdp.skipped))
    return ProbeAnswer::Works;
  if (allNegotiation(r, NegotiationStatus::Timeout)) return ProbeAnswer::Timeout;
  return ProbeAnswer::NoRdp;
}

std::string_view toString(ProbeAnswer a) {
  switch (a) {
    case ProbeAnswer::Works:
      return "works";
    case ProbeAnswer::NoRdp:
      return "no-rdp";
    case ProbeAnswer::Timeout:
      return "timeout";
    case ProbeAnswer::Unreachable:
      return "unreachable";
  }
  return "unknown";
}

std::string verdictOf(const ProbeResult& r) {
  if (!r.resolveError.empty())
    return "the name " + r.target.host + " does not resolve (" + r.resolveError +
           "): nothing else could be probed.";
  if (r.probedAddress.empty()) {
    std::vector<std::string> dead;
    for (const auto& a : r.addresses) dead.push_back(a.address + " " + a.tcp);
    return "nothing accepts TCP on port " + std::to_string(r.target.port) + " of " + r.target.host +
           " (" + joined(dead) + "): the service is not running, or a firewall is in the way.";
  }
  std::vector<std::string> parts{reachSentence(r), negotiationSentence(r)};
  if (r.tls.offered)
    parts.emplace_back(r.tls.skipped
                           ? "its TLS versions and certificate were not checked (--no-tls)"
                           : tlsSentence(r));
  if (r.tls.certificate) parts.push_back(certificateSentence(r));
  if (r.rdp.offered)
    parts.emplace_back(
        r.rdp.skipped ? "its standard RDP security methods were not checked (--no-rdp-security)"
                      : rdpSentence(r));
  if (r.deadlineReached) parts.emplace_back("the probe's deadline cut some checks short");
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s + ".";
}

}  // namespace rdpdoctor::probe
