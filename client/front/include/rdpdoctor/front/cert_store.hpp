#pragma once
// Our own trust-on-first-use store (never FreeRDP's known_hosts2 in the user's HOME).
// File format, one entry a line: "host:port sha256-fingerprint". Unknown lines are kept.
// Every write takes an flock on "known_hosts.lock" next to the store, writes a fresh temporary
// file (O_EXCL, never through a symbolic link, mode 0600), fsyncs it and renames it over the
// store: concurrent first contacts keep every pin, and nothing planted is followed. A state
// directory that is not the user's own, or that others may write to, is refused.
#include <filesystem>
#include <optional>
#include <string>

#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

/// The store's key for a host: "host:port" as the user typed the host (also for an IP literal).
[[nodiscard]] inline std::string pinKey(const HostSpec& target) {
  return target.host + ":" + std::to_string(target.port);
}

class CertStore {
 public:
  explicit CertStore(std::filesystem::path file) : file_(std::move(file)) {}
  /// $RDPDOCTOR_STATE_DIR/known_hosts, else $XDG_STATE_HOME/rdpdoctor/known_hosts, else
  /// $HOME/.local/state/rdpdoctor/known_hosts; an error when none of them is set.
  [[nodiscard]] static Result<std::filesystem::path> defaultPath();

  /// The pin of `key`, nullopt when there is none. Errors: "unsafe" (the directory or the store is
  /// not the user's own, is writable by others, or the store is a symbolic link), "io".
  [[nodiscard]] Result<std::optional<std::string>> lookup(const std::string& key) const;
  /// Pins `fingerprint` for `key`, replacing any earlier pin (the user chose to).
  [[nodiscard]] Status remember(const std::string& key, const std::string& fingerprint) const;
  /// Pins `fingerprint` only when `key` has no pin yet, under the same lock: the pin another
  /// process wrote meanwhile wins and is returned (nullopt: ours was stored).
  [[nodiscard]] Result<std::optional<std::string>> pinIfAbsent(
      const std::string& key, const std::string& fingerprint) const;
  [[nodiscard]] const std::filesystem::path& path() const { return file_; }

 private:
  [[nodiscard]] Result<std::optional<std::string>> write(const std::string& key,
                                                         const std::string& fingerprint,
                                                         bool replace) const;
  std::filesystem::path file_;
};

/// Pure: what to do with a certificate FreeRDP could not verify, given the policy and the pin
/// the store holds for this host (nullopt: none). The store is consulted in every mode: a
/// matching pin is accepted, a changed one is refused unless the policy is Replace (Ask: the
/// caller asks, and only an explicit "replace" retries with Replace).
[[nodiscard]] CertDecision decideCertificate(CertPolicy policy,
                                             const std::optional<std::string>& pinned,
                                             const std::string& fingerprint);
[[nodiscard]] bool accepts(CertDecision d);

}  // namespace rdpdoctor
