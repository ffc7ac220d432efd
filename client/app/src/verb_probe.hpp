#pragma once
// `rdpdoctor probe HOST[:PORT]`: the layered pre-flight without credentials.
#include "cli_common.hpp"

namespace rdpdoctor::app {

/// Exit codes of probe (DESIGN.md's 0/1/2/5, plus 6): 0 some security layer works (a TLS
/// handshake or a standard RDP security method), 1 reachable but no RDP / nothing works,
/// 2 usage, 5 the host (or its resolver) stayed silent until the deadline, 6 unreachable (the
/// name does not resolve, or every address refuses TCP).
inline constexpr int kExitUnreachable = 6;

struct ProbeOptions {
  CommonOptions common;
  double stepTimeout = 3;
  unsigned parallel = 3;
  bool noTls = false;
  bool noRdpSecurity = false;
};

void addProbeVerb(CLI::App& app, ProbeOptions& o);
[[nodiscard]] int runProbe(const ProbeOptions& o);

}  // namespace rdpdoctor::app
