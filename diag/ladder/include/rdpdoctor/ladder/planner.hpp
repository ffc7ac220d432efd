#pragma once
// Pure planner: probe facts + the user's starting Profile + policy -> an ordered, bounded list of
// candidate Profiles (rungs). No I/O.
#include <cstddef>
#include <string>
#include <vector>

#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

struct Policy {
  SecurityFloor floor = SecurityFloor::Tls;  // --min-security
  bool haveCredentials = false;
  std::size_t maxAttempts = 12;
};

struct Rung {
  Profile profile;
  std::string why;          // "server requires NLA", "TLS 1.0 host: OpenSSL security level 0", ...
  bool belowFloor = false;  // would be a downgrade under the user's floor: reported, never tried
};

/// The original profile first, then the combinations the facts make plausible, strongest first.
/// Rungs below the floor are returned with belowFloor set (the runner reports, never tries them).
[[nodiscard]] std::vector<Rung> planLadder(const Profile& start, const HostFacts& facts,
                                           const Policy& policy);

/// Variants of a profile that got through security but failed in the session: graphics off,
/// compression off, 16 bpp, an older client build.
[[nodiscard]] std::vector<Rung> sessionVariants(const Profile& reached);

}  // namespace rdpdoctor
