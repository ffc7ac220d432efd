#pragma once
// Helpers of the probe integration tests: start a lab server, probe it, look checks up.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "rdpdoctor/lab/lab.hpp"
#include "rdpdoctor/probe/prober.hpp"

namespace rdpdoctor::probe::test {

/// The lab server's options for `kind` (crypt level for XrdpRdp).
lab::ServerOptions labOptions(lab::Kind kind, const std::string& cryptLevel = "high", bool ipv6 = false);

/// Probes what a user would type for `server` (its host spec).
ProbeResult probeServer(const lab::Server& server, const ProbeOptions& options = {});

/// The check of `r` for exactly `requested` (fails the test and returns a dummy when absent).
const NegotiationCheck& negotiationFor(const ProbeResult& r, std::uint32_t requested);
const TlsVersionCheck& tlsFor(const ProbeResult& r, const std::string& version);

/// SHA-256 fingerprint "AB:CD:..." of the first certificate in a PEM file ("" when unreadable).
std::string pemSha256(const std::filesystem::path& pem);

/// Runs `command` through /bin/sh; returns its exit status and stdout.
struct CommandResult {
  int exitCode = -1;
  std::string out;
};
CommandResult runCommand(const std::string& command);

}  // namespace rdpdoctor::probe::test
