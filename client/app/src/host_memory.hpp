#pragma once
// Remembered hosts: the confirmed winner of each host:port, so that `connect HOST` goes straight to
// it (one connection, no ladder). The store is one JSON file next to the trust store
// ($RDPDOCTOR_STATE_DIR/hosts.json, else $XDG_STATE_HOME/rdpdoctor/hosts.json, else
// ~/.local/state/rdpdoctor/hosts.json): mode 0600, written under an flock on hosts.json.lock
// through a fresh temporary file that is fsynced and renamed over it, never through a symbolic
// link. A damaged file is reported and renamed aside (hosts.json.damaged-<time>), never emptied.
// It never holds a password (a Profile has none).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor::app {

struct RememberedHost {
  Profile profile;   // the winner (certificate policy not kept: asked anew)
  std::string when;  // ISO 8601 UTC, when the winner was confirmed
  std::vector<std::string> downgrades;
  std::string fingerprint;  // the certificate's SHA-256 where there was TLS, else ""
  std::string why;          // the rung's reason ("TLS 1.0 host: OpenSSL security level 0")
  SecurityFloor layer = SecurityFloor::Tls;  // the layer the server put the winner on
};

class HostMemory {
 public:
  explicit HostMemory(std::filesystem::path file) : file_(std::move(file)) {}
  /// hosts.json in the state directory (the trust store's).
  [[nodiscard]] static Result<std::filesystem::path> defaultPath();

  /// Every remembered host by "host:port". A damaged file: an Error "damaged" whose message names
  /// where it was kept aside (the next write starts a new file).
  [[nodiscard]] Result<std::map<std::string, RememberedHost>> all() const;
  [[nodiscard]] Result<std::optional<RememberedHost>> lookup(const std::string& key) const;
  /// Stores (or replaces) the entry of `key`, under the lock.
  [[nodiscard]] Status remember(const std::string& key, const RememberedHost& host) const;
  /// Removes `key`; false when it was not there.
  [[nodiscard]] Result<bool> forget(const std::string& key) const;
  [[nodiscard]] const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
};

/// The knobs of a combination (what a ladder changes) copied from `winner` onto `into`: security,
/// TLS level and ciphers, MAC, encryption methods, IPv6, dial address, graphics, compression,
/// client build. Host, user, size, colour depth and certificate policy stay `into`'s.
void applyCombination(const Profile& winner, Profile& into);
/// True when `p` asks for no particular combination (every knob at its default): only then does
/// `connect` use a remembered one.
[[nodiscard]] bool asksForNoCombination(const Profile& p);
/// "2026-12-02T01:23:45Z"
[[nodiscard]] std::string utcNow();

}  // namespace rdpdoctor::app
