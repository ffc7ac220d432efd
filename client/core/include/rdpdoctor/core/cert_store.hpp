#pragma once
// Our own trust-on-first-use store (never FreeRDP's known_hosts2 in the user's HOME).
// File format, one entry a line: "host:port sha256-fingerprint". Unknown lines are kept.
#include <filesystem>
#include <optional>
#include <string>

#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

class CertStore {
 public:
  explicit CertStore(std::filesystem::path file) : file_(std::move(file)) {}
  /// $RDPDOCTOR_STATE_DIR/known_hosts, else $XDG_STATE_HOME/rdpdoctor/known_hosts,
  /// else ~/.local/state/rdpdoctor/known_hosts.
  [[nodiscard]] static std::filesystem::path defaultPath();

  [[nodiscard]] Result<std::optional<std::string>> lookup(const std::string& key) const;
  [[nodiscard]] Status remember(const std::string& key, const std::string& fingerprint) const;
  [[nodiscard]] const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
};

enum class CertDecision { Deny, AcceptOnce, TofuNew, TofuMatch, TofuChanged, NeedsConsent };

/// Pure: what to do with a certificate FreeRDP could not verify, given the policy and what the
/// store holds for this host (nullopt: nothing). Ask becomes NeedsConsent (the caller asks).
[[nodiscard]] CertDecision decideCertificate(CertPolicy policy, const std::optional<std::string>& stored,
                                             const std::string& fingerprint);
[[nodiscard]] const char* toString(CertDecision d);
[[nodiscard]] bool accepts(CertDecision d);

}  // namespace rdpdoctor
