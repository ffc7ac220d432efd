#pragma once
// A probe (diag/probe) as JSON (rdpdoctor/probe@1) and as a terminal table per layer; its
// host findings rendered (the facts come from diag/verdict's hostFactsFrom).
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

/// host_findings[] of probe@1 and diagnose@1: [{id, severity, evidence}], most severe first.
[[nodiscard]] nlohmann::json hostFindingsJson(const HostFacts& facts);
/// "host findings" lines for a terminal: "  high    certificate-expired: ..." (escaped), or "".
[[nodiscard]] std::string hostFindingsText(const HostFacts& facts, bool colour);

}  // namespace rdpdoctor
