#pragma once
// One Profile describes one combination the doctor can try. The ladder produces Profiles,
// client/core maps a Profile to rdpSettings (exactly one mapping per knob), the report prints
// them and writes them as .rdp / xfreerdp arguments. No password ever lives in a Profile.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/security_protocol.hpp"

namespace rdpdoctor {

/// The security layer(s) offered in the X.224 negotiation.
enum class Security {
  Negotiate,  // offer RDP, TLS and NLA; the server picks (FreeRDP's default)
  Nla,        // HYBRID only (CredSSP over TLS)
  NlaExt,     // HYBRID_EX only (NLA with Early User Authorization Result)
  Tls,        // SSL only
  Rdp,        // standard RDP security only (legacy encryption, no TLS)
};

enum class CertPolicy {
  Deny,  // refuse any certificate FreeRDP cannot verify (a matching pin is accepted in every mode)
  AcceptOnce,  // accept an unverifiable certificate for this run only (explicit flag)
  Tofu,        // trust on first use: remember it in our store, refuse if it changes later
  Ask,         // ask on a TTY (or in the window)
  Replace,     // like Tofu, and a changed certificate replaces the pin (explicit flag only)
};

/// A TLS protocol version (the min/max a client offers in its ClientHello).
enum class TlsVersion { V1_0, V1_1, V1_2, V1_3 };
/// The version's wire value (RFC 8446 4.2.1 ProtocolVersion: 0x0301 .. 0x0304), as OpenSSL's
/// TLS1_VERSION .. TLS1_3_VERSION and FreeRDP's TLSMinVersion/TLSMaxVersion spell it.
[[nodiscard]] std::uint16_t wireValue(TlsVersion v);

/// Standard RDP security encryption methods (MS-RDPBCGR 2.2.1.3.3), bit values.
inline constexpr std::uint32_t kEncryption40 = 0x01;
inline constexpr std::uint32_t kEncryption128 = 0x02;
inline constexpr std::uint32_t kEncryption56 = 0x08;
inline constexpr std::uint32_t kEncryptionFips = 0x10;

/// The layer a selectedProtocol puts the connection on, in words: "NLA", "TLS", "standard RDP
/// security" (RDSTLS: "RDSTLS").
[[nodiscard]] std::string_view selectedLayerName(std::uint32_t selected);

struct Profile {
  HostSpec target;          // what the user typed; the certificate name
  std::string dialAddress;  // empty: dial target.host; else this address (IP literal)
  /// 0: dial target.port. Else this port on dialAddress: the bundle's recording relay on the
  /// loopback (the certificate name and the trust store key stay target's). Not for users.
  std::uint16_t dialPort = 0;
  std::string user;
  std::string domain;

  Security security = Security::Negotiate;
  std::optional<std::uint32_t>
      tlsSecLevel;                          // OpenSSL security level; nullopt = FreeRDP default (1)
  std::string tlsCiphers;                   // OpenSSL cipher list; empty = default
  std::optional<TlsVersion> tlsMinVersion;  // lowest TLS version offered; nullopt = FreeRDP's
  std::optional<TlsVersion> tlsMaxVersion;  // highest offered (a cap); nullopt = OpenSSL's (1.3)
  bool saltedMac = true;                    // standard RDP security: salted MAC (FreeRDP default);
                                            // false = the classic MAC some servers (xrdp) insist on
  std::uint32_t rdpEncryptionMethods = 0;   // 0 = FreeRDP default (40|56|128|FIPS)
  bool preferIpv6 = false;

  bool gfx = true;          // graphics pipeline (RDPGFX) when the server offers it
  bool compression = true;  // bulk compression
  std::uint32_t colorDepth = 32;
  std::uint32_t clientBuild = 0;  // 0 = FreeRDP default
  std::uint32_t width = 1024;
  std::uint32_t height = 768;

  CertPolicy cert = CertPolicy::Deny;
  std::uint32_t tcpConnectTimeoutMs = 5000;

  /// Where the TCP connection goes: dialAddress if set, else target.host.
  [[nodiscard]] const std::string& dialHost() const {
    return dialAddress.empty() ? target.host : dialAddress;
  }
  /// The port the TCP connection goes to: dialPort if set, else target.port.
  [[nodiscard]] std::uint16_t dialPortNumber() const {
    return dialPort != 0 ? dialPort : target.port;
  }
  /// The weakest layer this profile may end up on.
  [[nodiscard]] SecurityFloor weakestLayer() const;
  /// The strongest layer it offers (below a floor: nothing this profile offers may be used).
  [[nodiscard]] SecurityFloor strongestLayer() const;
  /// Downgrades below modern defaults that every report must mark; with the protocol the server
  /// selected (-1: not known), also standard RDP security it chose for a profile that offered more.
  [[nodiscard]] std::vector<std::string> downgrades(std::int64_t selectedProtocol = -1) const;
  /// One line: "tls, seclevel 0, via 127.0.0.1".
  [[nodiscard]] std::string summary() const;
  /// Complete xfreerdp 2.11 arguments (with /v:), credentials and /cert left out.
  [[nodiscard]] std::vector<std::string> xfreerdpArgs() const;
  /// The same combination for FreeRDP 3.x's xfreerdp3 / sdl-freerdp3 (/tls:seclevel:0, ...),
  /// whichever FreeRDP this binary links.
  [[nodiscard]] std::vector<std::string> xfreerdp3Args() const;
  /// The exact `rdpdoctor connect HOST ...` arguments (after "rdpdoctor") that reproduce this
  /// profile: every knob away from its default, the certificate policy when explicit (accept-once,
  /// tofu), and --min-security when the layer it lands on (the server's `selectedProtocol`, -1: not
  /// known) is below the default floor (tls) or `floor` is above it. No password.
  [[nodiscard]] std::vector<std::string> rdpdoctorArgs(
      std::int64_t selectedProtocol = -1, SecurityFloor floor = SecurityFloor::Tls) const;
  /// False when a knob has no xfreerdp 2.11 option (the classic MAC, a TLS version min or max):
  /// the args are then incomplete.
  [[nodiscard]] bool xfreerdpCanReproduce() const {
    return saltedMac && !tlsMinVersion && !tlsMaxVersion;
  }
  /// False when a knob has no xfreerdp3 option: 3.x has none for the classic MAC either, and its
  /// only TLS version option, /tls:enforce:V, pins min = max = V (a cap V with no min reproduces as
  /// that pin: the cap rung is only planned where the probe found V working).
  [[nodiscard]] bool xfreerdp3CanReproduce() const {
    return saltedMac && (!tlsMinVersion || tlsMinVersion == tlsMaxVersion);
  }

  bool operator==(const Profile&) const = default;
};

[[nodiscard]] std::string_view toString(Security s);
[[nodiscard]] std::string_view toString(SecurityFloor f);
[[nodiscard]] std::string_view toString(CertPolicy c);
[[nodiscard]] Result<Security> parseSecurity(std::string_view s);
[[nodiscard]] Result<SecurityFloor> parseFloor(std::string_view s);
[[nodiscard]] Result<CertPolicy> parseCertPolicy(std::string_view s);
[[nodiscard]] std::string_view toString(TlsVersion v);  // "1.0" .. "1.3"
[[nodiscard]] Result<TlsVersion> parseTlsVersion(std::string_view s);
/// "40,56,128,fips" <-> encryption method bits (kEncryption*); "" / 0 is FreeRDP's default.
[[nodiscard]] Result<std::uint32_t> parseEncryptionMethods(std::string_view s);
[[nodiscard]] std::string encryptionMethodsText(std::uint32_t methods);
/// One shell word: as is when it is plain, else in single quotes.
[[nodiscard]] std::string shellWord(const std::string& s);
/// The words joined for a shell, each quoted as needed.
[[nodiscard]] std::string shellLine(const std::vector<std::string>& words);

void to_json(nlohmann::json& j, const Profile& p);
/// Reads what to_json wrote (the knobs; summary, downgrades and args are derived).
void from_json(const nlohmann::json& j, Profile& p);

}  // namespace rdpdoctor
