#pragma once
// The one mapping from a Profile to FreeRDP 2.11 settings. Every knob is set here and nowhere else.
#include <string>

#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"

struct rdp_settings;

namespace rdpdoctor {

struct ConnectOptions {
  Goal goal = Goal::FirstFrame;
  std::string configDir;  // FreeRDP's ConfigPath: private, so its known_hosts2 is never the user's
  /// No layer below it is enabled: FreeRDP then drops a Connection Confirm that selects one
  /// before any credential is sent (the floor holds on every path that maps a Profile).
  SecurityFloor floor = SecurityFloor::Tls;
  /// Non-empty: FreeRDP writes this connection's TLS secrets there (NSS key log; FreeRDP 3 only,
  /// ignored by 2.11, which has no such setting).
  std::string tlsSecretsFile;
};

/// Applies `profile` (and the password, which is never stored in a Profile) to `settings`.
/// A profile that offers nothing at or above `options.floor` is an error ("below-floor").
[[nodiscard]] Status applyProfile(const Profile& profile, const std::string& password,
                                  const ConnectOptions& options, rdp_settings* settings);

}  // namespace rdpdoctor
