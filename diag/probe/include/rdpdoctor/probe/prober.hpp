#pragma once
// diag/probe: the layered pre-flight of one host without credentials (DESIGN.md "probe").
// Name -> TCP per address -> X.224 negotiation per requested set -> TLS 1.0..1.3 with the
// certificate, and standard RDP security per encryption method, on the first live address.
#include <chrono>
#include <cstdint>
#include <vector>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/probe_result.hpp"

namespace rdpdoctor::probe {

struct ProbeOptions {
  /// Deadline of one step (resolve, TCP, negotiation, security checks), each run concurrently.
  std::chrono::milliseconds stepTimeout{3000};
  /// One deadline for the whole probe.
  std::chrono::milliseconds totalTimeout{10000};
  /// MS-RDPBCGR 2.2.1.1.1 requestedProtocols sets to try (defaultRequestSets()).
  std::vector<std::uint32_t> requestSets;
  bool tls = true;
  bool rdpSecurity = true;
  /// Connections in flight to one address. xrdp 0.9 listens with a backlog of 2: 3 in flight can
  /// never overflow its accept queue (more do, and the SYN is retried only after 1 s).
  unsigned connectionsPerAddress = 3;
};

/// RDP, SSL, HYBRID, SSL|HYBRID, SSL|HYBRID|HYBRID_EX, RDSTLS.
[[nodiscard]] std::vector<std::uint32_t> defaultRequestSets();

/// Probes `target`. Never throws and never fails: every failure is part of the result.
/// Runs the host's checks as coroutines on a private event loop on the calling thread (the same
/// coroutine a scan runs); thread-safe.
[[nodiscard]] ProbeResult probeHost(const HostSpec& target, const ProbeOptions& options = {});

/// The name layer alone, with a deadline (what `connect` checks before it dials): `resolveError`,
/// `resolveTimedOut`, `resolveMs` and the addresses (TCP "not-tried") of the result are filled.
[[nodiscard]] ProbeResult resolveName(const HostSpec& target, std::chrono::milliseconds timeout);

}  // namespace rdpdoctor::probe
