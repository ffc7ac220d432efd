#pragma once
// What nmap's rdp-enum-encryption claims, and the same claims read from a probe, side by side.
#include <map>
#include <optional>
#include <string>

#include "rdpdoctor/probe_result.hpp"

namespace rdpdoctor::bench {

/// A claim name ("Native RDP", "SSL", "CredSSP (NLA)", "RDSTLS", "CredSSP with Early User Auth",
/// "40-bit RC4", "56-bit RC4", "128-bit RC4", "FIPS 140-1", "level") -> "yes"/"no"/level text.
using Claims = std::map<std::string, std::string>;

struct NmapRun {
  bool scriptRan = false;     // the rdp-enum-encryption line is in the output
  bool scriptFailed = false;  // "ERROR: Script execution failed"
  Claims claims;              // empty when the script failed
};

/// Parses nmap's normal output (non-debug: only SUCCESS lines are printed, absence means no).
[[nodiscard]] NmapRun parseNmap(const std::string& out);

/// The same claims from a probe: a protocol counts when a request selected it (not merely any
/// Connection Confirm), a method when the server chose the offered method.
[[nodiscard]] Claims claimsOf(const probe::ProbeResult& r);

/// The names of every claim, in print order.
[[nodiscard]] const std::vector<std::string>& claimNames();

}  // namespace rdpdoctor::bench
