#pragma once
// The host's flaws, whether or not a connection needed a fix: what an administrator should mend
// even when rdpdoctor connects. Pure: probe facts in, findings out. Ids and severities are rows
// of the signature table (signature_table.hpp, hostFindingTable); reports only render them.
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/verdict/signature_table.hpp"

namespace rdpdoctor {

struct HostFinding {
  HostFindingId kind = HostFindingId::NlaNotRequired;
  std::string_view id;  // the row's contract id: "certificate-expired", "tls-legacy-only", ...
  Severity severity = Severity::Info;  // the row's
  std::string evidence;  // what the probe saw, one line (server text inside: renderers escape)
};

/// Every flaw the facts show, most severe first. Nothing when the host was not probed.
[[nodiscard]] std::vector<HostFinding> hostFindings(const HostFacts& facts);

}  // namespace rdpdoctor
