#pragma once
#include <ostream>
// Terminal lines and exit codes for attempts (the classification itself is diag/verdict's).
#include <string>

#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor::app {

/// Exit code of a failure signature id: credentials 3, certificate 4, anything else 1.
/// A connection nothing was tried for (an RD Gateway in front of the host): its signature's cause
/// and remedies on `out`, one line each; returns the signature's exit code.
int reportNotTried(const std::string& host, const Signature& s, std::ostream& out);
/// The exit code of the contract for a signature's exit class.
[[nodiscard]] int exitCodeOf(ExitClass e);
[[nodiscard]] int exitCodeFor(const Outcome& o, const Signature& s);
[[nodiscard]] std::string describeOutcome(const Profile& p, const Outcome& o, const Signature& s);

}  // namespace rdpdoctor::app
