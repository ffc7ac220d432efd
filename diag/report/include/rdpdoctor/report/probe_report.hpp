#pragma once
// A probe (diag/probe) as JSON (rdpdoctor/probe@1), as a terminal table per layer, and reduced
// to the HostFacts the verdict and the ladder use.
#include <nlohmann/json.hpp>
#include <string>

#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/probe_result.hpp"

namespace rdpdoctor {

inline constexpr const char* kProbeSchema = "rdpdoctor/probe@1";

/// DESIGN.md's public contract for probe plus documented extra fields (see the report's docs).
[[nodiscard]] nlohmann::json probeToJson(const probe::ProbeResult& r);

/// A table per layer (name, TCP, X.224, TLS, certificate, RDP security) and the verdict; ANSI
/// colours when `colour`.
[[nodiscard]] std::string renderProbeText(const probe::ProbeResult& r, bool colour);

/// The facts the ladder and the verdict read (HostFacts field comments say what each means).
[[nodiscard]] HostFacts hostFactsFrom(const probe::ProbeResult& r);

/// host_findings[] of probe@1 and diagnose@1: [{id, severity, evidence}], most severe first.
[[nodiscard]] nlohmann::json hostFindingsJson(const HostFacts& facts);
/// "host findings" lines for a terminal: "  high    certificate-expired: ..." (escaped), or "".
[[nodiscard]] std::string hostFindingsText(const HostFacts& facts, bool colour);

}  // namespace rdpdoctor
