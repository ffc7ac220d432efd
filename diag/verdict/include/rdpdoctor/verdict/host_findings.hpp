#pragma once
// The host's flaws, whether or not a connection needed a fix: what an administrator should mend
// even when rdpdoctor connects. Pure: probe facts in, findings out. One table of ids and
// severities (host_findings.cpp); probe, diagnose (and scan) reports render them.
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_facts.hpp"

namespace rdpdoctor {

enum class Severity { Info = 0, Low = 1, Medium = 2, High = 3 };

struct HostFinding {
  std::string_view id;  // stable: "certificate-expired", "tls-legacy-only", ...
  Severity severity = Severity::Info;
  std::string evidence;  // what the probe saw, one line (server text inside: renderers escape)
};

/// Every flaw the facts show, most severe first. Nothing when the host was not probed.
[[nodiscard]] std::vector<HostFinding> hostFindings(const HostFacts& facts);
[[nodiscard]] std::string_view toString(Severity s);

}  // namespace rdpdoctor
