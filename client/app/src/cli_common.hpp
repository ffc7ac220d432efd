#pragma once
// Options every verb shares (DESIGN.md's public contract) and the exit codes.
#include <spdlog/logger.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "rdpdoctor/front/credentials.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor::app {

enum Exit : int {
  kExitOk = 0,
  kExitNoConnection = 1,
  kExitUsage = 2,
  kExitCredentials = 3,
  kExitCertificate = 4,
  kExitTimeout = 5,
  kExitCredentialsNeeded = 7,  // the host needs credentials and nobody could give them
  kExitInternal = 70,
};

struct CommonOptions {
  std::string host;
  std::string user;
  std::string domain;
  std::string passwordFile;
  std::string cert;  // deny|accept-once|tofu|replace; empty: ask on a TTY, deny otherwise
  std::string security = "auto";
  std::string minSecurity = "tls";
  double timeoutSeconds = 30;
  std::string json;  // FILE or -
  std::string logLevel = "warn";
  // the Profile's knobs (defaults: FreeRDP's), so `connect` reproduces any combination exactly
  std::optional<std::uint32_t> tlsSecLevel;
  std::string tlsMinVersion, tlsMaxVersion;  // "1.0" .. "1.3"; empty: not given
  std::string tlsCiphers;
  std::string rdpMac;         // salted|classic; empty: salted
  std::string rdpEncryption;  // 40,56,128,fips; empty: FreeRDP's default (all)
  std::string address;        // dial this IP, keep the host's name for the certificate
  bool ipv6 = false;
  bool noGfx = false;
  bool noCompression = false;
  std::uint32_t clientBuild = 0;
};

/// Verbs that send no credentials (probe) keep the credential options for scripts but hide them
/// from --help; the verb warns that it ignores them.
enum class Credentials { Used, Ignored };
/// Adds the shared options; `o` already holds the verb's defaults (shown in --help).
void addCommonOptions(CLI::App& verb, CommonOptions& o, bool hostRequired,
                      Credentials credentials = Credentials::Used);
/// A number of seconds, above 0 (or at least 0 with `zeroAllowed`), at most a day: a one-line
/// error.
[[nodiscard]] CLI::Validator secondsValidator(bool zeroAllowed = false);
/// Colour on `fd`: a terminal, and NO_COLOR (no-color.org) not set.
[[nodiscard]] bool colourWanted(int fd);

/// The starting Profile from what the user typed (throws UsageError on bad input).
[[nodiscard]] Profile profileFrom(const CommonOptions& o);
/// Password from env/file/prompt (empty when none): never logged.
[[nodiscard]] Secret passwordFrom(const CommonOptions& o, const Profile& p);
[[nodiscard]] std::shared_ptr<spdlog::logger> makeLogger(const std::string& level);
/// Writes `text` to FILE or stdout for "-".
void writeOutput(const std::string& target, const std::string& text);

/// Shows an unverifiable certificate on the TTY and asks: accept once / always (TOFU) / no.
/// A changed certificate (ChangedNeedsConsent) shows the pinned and the new fingerprint, warns of
/// a man in the middle, and only the typed word "replace" gives Replace (anything else: no).
/// `validity` is the line certificateValidity() gives.
[[nodiscard]] std::optional<CertPolicy> askCertificateConsent(const CertificateSeen& c,
                                                              const std::string& validity);
/// The host needs credentials (NLA) and none were given: asks for the user name (when `user` is
/// empty) and the password on the terminal, as mstsc asks. False when there is no terminal or the
/// person gave nothing.
[[nodiscard]] bool askCredentials(const HostSpec& target, std::string& user, Secret& password);
/// True when this process can ask on a terminal (/dev/tty opens).
[[nodiscard]] bool terminalAvailable();
/// "2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z (730 days left)" for the certificate the server
/// presents, read with one TLS handshake of our own (FreeRDP 2.11's callback gives no dates);
/// "(not known)" when the handshake fails or shows another certificate than `fingerprint`.
[[nodiscard]] std::string certificateValidity(const HostSpec& target,
                                              const std::string& fingerprint);
/// Whether HOST as typed names an .rdp file (FILE.rdp) rather than a host.
[[nodiscard]] bool namesRdpFile(const std::string& host);
/// The starting Profile from HOST or FILE.rdp (then the file's settings, options override).
[[nodiscard]] Profile startingProfile(const CommonOptions& o);
/// The RD Gateway an .rdp file sends every connection through (mstsc's gatewayusagemethod 1 or
/// 3), empty when none: rdpdoctor cannot use one yet, so nothing is tried (the rd-gateway-required
/// signature).
[[nodiscard]] std::string rdGatewayOf(const CommonOptions& o);
/// The user's floor (--min-security). A starting profile that offers nothing at or above it (an
/// explicit --security rdp, or an .rdp file meaning standard RDP security, at the default floor)
/// is a usage error naming the option that allows it.
[[nodiscard]] SecurityFloor floorFor(const CommonOptions& o, const Profile& start);

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rdpdoctor::app
