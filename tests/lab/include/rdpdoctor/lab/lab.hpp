#pragma once
// Real RDP servers on loopback for tests, benchmarks and the README demo (see shared LAB.md).
// Every server binds 127.0.0.1 (or ::1) on a free port, gets its own HOME and temp dir, is
// waited for with a deadline (never a sleep), and is stopped by PID in the destructor.
// A server that cannot start returns an Error with the reason (tests then FAIL, never skip).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::lab {

enum class Kind {
  // xrdp 0.9.21 (no NLA)
  XrdpNegotiate,   // security_layer=negotiate
  XrdpTls,         // security_layer=tls
  XrdpRdp,         // security_layer=rdp, crypt_level from ServerOptions::cryptLevel
  XrdpTls10Ecdhe,  // TLS 1.0 only, ECDHE cipher, server at @SECLEVEL=0
  XrdpTls10Rsa,    // TLS 1.0 only, RSA key exchange (works at FreeRDP's default level)
  Xrdp3desOnly,  // tls_ciphers=DES-CBC3-SHA: every TLS handshake dies (Debian OpenSSL has no 3DES)
  XrdpExpiredCert,  // security_layer=tls with a certificate valid 2020-01-01..2021-01-01
  // FreeRDP shadow server on its own Xvfb display
  ShadowNla,     // /sec:nla +auth with a SAM file (ServerOptions user/password)
  ShadowTls,     // /sec:tls
  ShadowRdp,     // /sec:rdp
  ShadowNoAuth,  // -auth (does not offer NLA)
  // FreeRDP 3.x's shadow server (freerdp-shadow-cli3), same settings as its 2.11 namesake
  Shadow3Nla,  // /sec:nla +auth with a SAM file
  Shadow3Tls,  // /sec:tls
  // fault endpoints (in-process threads, byte level)
  FaultSilent,             // accepts TCP, never answers
  FaultResetAfterConfirm,  // answers the X.224 request with a Connection Confirm selecting
                           // SSL if the request offered it (else standard RDP), then resets
                           // the socket (SO_LINGER 0: RST)
  FaultGarbage,            // answers anything with random-looking garbage, then closes
  FaultClosed,             // a port with nothing listening (reserved, then released)
  FaultFiltered,           // a port whose SYNs go unanswered, as behind a firewall that drops
                           // them: a listener (backlog 0) whose accept queue holds one
                           // connection it never accepts, so the kernel drops every later SYN
};

struct ServerOptions {
  Kind kind = Kind::XrdpTls;
  std::string cryptLevel = "high";         // xrdp: low|medium|high|fips
  bool ipv6 = false;                       // bind ::1 instead of 127.0.0.1
  std::string user = "rdpdoctor-test";     // shadow SAM / sesman logon user
  std::string password = "Lab-Pass-1234";  // test-only password of the lab user
  std::chrono::milliseconds readyTimeout{15000};
  /// startSesman: how long to wait for another lab Sesman of this machine (another test process)
  /// to finish; they take turns through a lock file since sesman's port 3350 is machine-wide.
  std::chrono::milliseconds sesmanTurnTimeout{120000};
  /// startSesman: the session also runs `top` refreshing twice a second (a changing screen).
  bool busySession = false;
};

class Server {
 public:
  virtual ~Server() = default;
  [[nodiscard]] virtual std::string address() const = 0;  // "127.0.0.1" or "::1"
  [[nodiscard]] virtual std::uint16_t port() const = 0;
  /// "127.0.0.1:PORT" or "[::1]:PORT": what a user would type.
  [[nodiscard]] std::string hostSpec() const;
  /// The server's certificate (PEM) where it has one we generated; empty otherwise.
  [[nodiscard]] virtual std::filesystem::path certificatePem() const = 0;
  /// The server's own log file (xrdp log, shadow stdout+stderr); empty for fault endpoints.
  [[nodiscard]] virtual std::filesystem::path logFile() const = 0;
  [[nodiscard]] virtual Kind kind() const = 0;
  /// PIDs of the processes this server runs (server, its Xvfb); empty for fault endpoints.
  /// All of them are gone (reaped) once the Server is destroyed.
  [[nodiscard]] virtual std::vector<int> processIds() const = 0;
};

/// Starts a server and waits until it accepts TCP (deadline: options.readyTimeout).
[[nodiscard]] Result<std::unique_ptr<Server>> start(const ServerOptions& options);

/// Full graphical logons through xrdp need xrdp-sesman (port 3350, one per machine) and a local
/// user whose session paints a known colour (kDesktopColour as 0xRRGGBB) and runs an xterm.
inline constexpr std::uint32_t kDesktopColour = 0xCC2200;
class Sesman {
 public:
  virtual ~Sesman() = default;
  [[nodiscard]] virtual std::string user() const = 0;
  [[nodiscard]] virtual std::string password() const = 0;
  /// xrdp-sesman's PID plus every live process of the lab user (sessions: Xorg, startwm.sh, ...).
  [[nodiscard]] virtual std::vector<int> processIds() const = 0;
  /// Displays of the live session X servers of the lab user (10 for ":10").
  [[nodiscard]] virtual std::vector<int> sessionDisplays() const = 0;
};
/// Creates the test user if missing (needs root), sets its password, writes its ~/startwm.sh,
/// starts xrdp-sesman, stops it and the sessions it spawned (by PID) on destruction. Lab Sesmans
/// of several processes take turns (flock on /tmp/rdpdoctor-lab-sesman.lock); a foreign sesman
/// already on port 3350 is an Error ("port-busy").
[[nodiscard]] Result<std::unique_ptr<Sesman>> startSesman(const ServerOptions& options = {});

/// A fresh private directory (removed on destruction) to use as HOME / temp for one test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int owner_ = -1;  // pid of the creating process
};

/// A private Xvfb (for xfreerdp, which needs a display even for +auth-only, and for screenshots).
struct DisplayOptions {
  int width = 1024;
  int height = 768;
  std::optional<std::uint32_t> rootColour;  // 0xRRGGBB painted with xsetroot once it is up
  std::chrono::milliseconds readyTimeout{15000};
};
class Display {
 public:
  virtual ~Display() = default;
  [[nodiscard]] virtual int number() const = 0;  // 123 for ":123"
  [[nodiscard]] std::string name() const { return ":" + std::to_string(number()); }
  [[nodiscard]] virtual std::vector<int> processIds() const = 0;  // the Xvfb
};
/// Starts Xvfb on a free display number (-nolisten tcp -noreset), waits for its socket.
[[nodiscard]] Result<std::unique_ptr<Display>> startDisplay(const DisplayOptions& options = {});

/// Every Kind, in declaration order.
inline constexpr Kind kAllKinds[] = {
    Kind::XrdpNegotiate,   Kind::XrdpTls,      Kind::XrdpRdp,
    Kind::XrdpTls10Ecdhe,  Kind::XrdpTls10Rsa, Kind::Xrdp3desOnly,
    Kind::XrdpExpiredCert, Kind::ShadowNla,    Kind::ShadowTls,
    Kind::ShadowRdp,       Kind::ShadowNoAuth, Kind::Shadow3Nla,
    Kind::Shadow3Tls,      Kind::FaultSilent,  Kind::FaultResetAfterConfirm,
    Kind::FaultGarbage,    Kind::FaultClosed,  Kind::FaultFiltered};

[[nodiscard]] std::string_view toString(Kind kind);
/// The inverse of toString ("xrdp-tls" -> Kind::XrdpTls); nullopt for an unknown name.
[[nodiscard]] std::optional<Kind> parseKind(std::string_view name);

}  // namespace rdpdoctor::lab
