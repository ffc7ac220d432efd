#pragma once
// One clear line for an attempt's Outcome, and its exit code (until diag/verdict classifies).
#include <string>

#include "rdpdoctor/core/outcome.hpp"
#include "rdpdoctor/profile.hpp"

namespace rdpdoctor::app {

[[nodiscard]] bool credentialsRejected(const Outcome& o);
[[nodiscard]] int exitCodeFor(const Outcome& o);
[[nodiscard]] std::string describeOutcome(const Profile& p, const Outcome& o);

}  // namespace rdpdoctor::app
