#pragma once
// Pure readings of a ProbeResult: findings per layer, the overall answer, a one-paragraph verdict.
#include <string>
#include <vector>

#include "rdpdoctor/probe_result.hpp"

namespace rdpdoctor::probe {

/// What the probe says about the host as a whole (the verb maps it to an exit code).
enum class ProbeAnswer {
  Works,        // some security layer completes: TLS (for SSL/HYBRID) or standard RDP security
  NoRdp,        // reachable, but no layer works (no RDP, refused, closed, garbage, TLS dies)
  Timeout,      // reachable, but the host stayed silent until the deadline
  Unreachable,  // the name does not resolve, or no address accepts TCP
};

[[nodiscard]] ProbeAnswer answerOf(const ProbeResult& r);
[[nodiscard]] std::string_view toString(ProbeAnswer a);

/// The result as findings, in layer order (name, TCP, negotiation, TLS, certificate, RDP security).
[[nodiscard]] std::vector<Finding> findingsOf(const ProbeResult& r);

/// One paragraph, e.g. "host speaks TLS 1.0 only with ECDHE; modern OpenSSL refuses it unless the
/// security level is 0".
[[nodiscard]] std::string verdictOf(const ProbeResult& r);

}  // namespace rdpdoctor::probe
