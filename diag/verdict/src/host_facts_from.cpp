// probe::ProbeResult -> HostFacts (host_facts_from.hpp): what the classifier and the ladder read.
#include "rdpdoctor/verdict/host_facts_from.hpp"

#include <algorithm>

#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor {

using namespace probe;

HostFacts hostFactsFrom(const ProbeResult& r) {
  using namespace wire;
  HostFacts f;
  f.probed = true;
  f.resolveFailed = !r.resolveError.empty();
  f.resolveTimedOut = f.resolveFailed && r.resolveTimedOut;
  for (const auto& a : r.addresses)
    f.addresses.push_back({a.address, a.ipv6, a.tcp == "ok", a.tcp == "ok" ? "" : a.tcp});
  // a non-NLA request's failure: SSL first (says what TLS clients meet), then RDP
  for (std::uint32_t req : {kProtocolSsl, kProtocolRdp}) {
    for (const auto& c : r.negotiation)
      if (!f.negotiationFailure && c.requested == req && c.failureCode)
        f.negotiationFailure = failureCodeName(*c.failureCode);
  }
  for (const auto& c : r.negotiation) {
    if (c.status == NegotiationStatus::NoNegotiation) f.noNegotiationData = true;
    const bool nonNla = !isNla(c.requested);
    if (nonNla && c.failureCode && *c.failureCode == kHybridRequiredByServer) f.nlaRequired = true;
  }
  for (const auto& c : r.negotiation)  // the most a request got before its deadline: a slow host
    if (c.status == NegotiationStatus::Timeout && c.bytesReceived > 0 &&
        (!f.slowAnswer || c.bytesReceived > f.slowAnswer->bytes))
      f.slowAnswer = SlowAnswer{c.bytesReceived, c.elapsedMs};
  f.offersRdp = r.rdp.offered;
  f.offersTls = selects(r, kProtocolSsl);
  f.offersNla = selects(r, kProtocolHybrid) || selects(r, kProtocolHybridEx);
  for (const auto& v : r.tls.versions) {
    if (v.status == TlsStatus::Ok) f.tlsVersionsOk.push_back(v.version);
    if (v.status == TlsStatus::Closed) f.tlsVersionsClosed.push_back(v.version);
  }
  f.minSecLevel = r.tls.minSecLevel;
  f.tlsHandshakeClosedByServer =
      r.tls.offered && !r.tls.versions.empty() &&
      std::all_of(r.tls.versions.begin(), r.tls.versions.end(),
                  [](const TlsVersionCheck& v) { return v.status == TlsStatus::Closed; });
  if (r.tls.certificate) {
    f.certExpired = r.tls.certificate->expired;
    f.certNotYetValid = r.tls.certificate->notYetValid;
    f.certSelfSigned = r.tls.certificate->selfSigned;
    const auto& c = *r.tls.certificate;
    f.certificate = CertificateFacts{c.subject, c.notAfter, c.daysLeft,          c.nameMatch,
                                     c.keyType, c.keyBits,  c.signatureAlgorithm};
  }
  f.rdpSecurityClosed = !r.rdp.checks.empty() &&
                        std::all_of(r.rdp.checks.begin(), r.rdp.checks.end(),
                                    [](const RdpMethodCheck& c) { return c.status == "closed"; });
  f.notRdp = !r.negotiation.empty() &&
             std::all_of(r.negotiation.begin(), r.negotiation.end(), [](const NegotiationCheck& c) {
               return c.status == NegotiationStatus::Error;
             });
  f.rdpMethods = encryptionMethodNames(r.rdp.methods);
  if (r.rdp.level) f.rdpLevel = static_cast<int>(*r.rdp.level);
  return f;
}

}  // namespace rdpdoctor
