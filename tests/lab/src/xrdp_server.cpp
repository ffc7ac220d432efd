// xrdp 0.9.21 in the foreground with a private xrdp.ini, certificate and log (see LAB.md).
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "config_files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "servers.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr const char* kSystemIni = "/etc/xrdp/xrdp.ini";
constexpr const char* kSystemSesmanIni = "/etc/xrdp/sesman.ini";
constexpr const char* kRsaKeys = "/etc/xrdp/rsakeys.ini";  // compiled-in path, not configurable

constexpr const char* kModernTls = "TLSv1.2, TLSv1.3";

struct TlsPolicy {
  std::string securityLayer;
  std::string protocols;
  std::string ciphers;  // empty: left commented (xrdp must never see an empty tls_ciphers=)
};

TlsPolicy policyFor(Kind kind) {
  switch (kind) {
    case Kind::XrdpNegotiate:
      return {"negotiate", kModernTls, ""};
    case Kind::XrdpRdp:
      return {"rdp", kModernTls, ""};
    case Kind::XrdpTls10Ecdhe:
      return {"tls", "TLSv1", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0"};
    case Kind::XrdpTls10Rsa:
      return {"tls", "TLSv1", "AES128-SHA:@SECLEVEL=0"};
    case Kind::Xrdp3desOnly:
      return {"tls", kModernTls, "DES-CBC3-SHA"};
    default:
      return {"tls", kModernTls, ""};  // XrdpTls, XrdpExpiredCert
  }
}

/// xrdp's listen syntax: tcp://127.0.0.1:P, and tcp6://{::1}:P for IPv6 (braces, not brackets).
std::string listenSpec(bool ipv6, std::uint16_t port) {
  return ipv6 ? "tcp6://{::1}:" + std::to_string(port) : "tcp://127.0.0.1:" + std::to_string(port);
}

class XrdpServer final : public Server {
 public:
  XrdpServer(Kind kind, bool ipv6) : kind_(kind), ipv6_(ipv6) {}
  ~XrdpServer() override { process_.stop(); }
  XrdpServer(const XrdpServer&) = delete;
  XrdpServer& operator=(const XrdpServer&) = delete;

  [[nodiscard]] std::string address() const override { return loopbackAddress(ipv6_); }
  [[nodiscard]] std::uint16_t port() const override { return port_; }
  [[nodiscard]] std::filesystem::path certificatePem() const override { return cert_.certificate; }
  [[nodiscard]] std::filesystem::path logFile() const override { return dir_.path() / "xrdp.log"; }
  [[nodiscard]] Kind kind() const override { return kind_; }
  [[nodiscard]] std::vector<int> processIds() const override {
    return process_.pid() > 0 ? std::vector<int>{process_.pid()} : std::vector<int>{};
  }

  Status launch(const ServerOptions& options) {
    if (dir_.path().empty()) return makeError("io", "cannot create a temporary directory");
    auto cert = generateCertificate(dir_.path(), kind_ == Kind::XrdpExpiredCert);
    if (!cert) return cert.error();
    cert_ = *cert;
    if (auto st = ensureRsaKeys(); !st) return st;
    auto base = readFile(kSystemIni);
    if (!base) return base.error();
    const auto deadline = std::chrono::steady_clock::now() + options.readyTimeout;
    Error last = makeError("exited", "xrdp did not start");
    for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
      auto st = launchOnce(*base, options, deadline);
      if (st || st.error().code != "exited") return st;
      last = st.error();
    }
    return last;
  }

 private:
  /// As root (who may mount): a copy of the system's sesman.ini whose ListenPort is the lab
  /// sesman's when this process runs one, else port 1 (refused: a logon fails as without any
  /// sesman). Empty when xrdp keeps the system's file (not root, or no unshare).
  Result<std::filesystem::path> privateSesmanIni() {
    if (::geteuid() != 0 || ::access("/usr/bin/unshare", X_OK) != 0) return std::filesystem::path();
    auto base = readFile(kSystemSesmanIni);
    if (!base) return base.error();
    const auto file = dir_.path() / "sesman.ini";
    const std::string port = labSesmanRunsHere() ? std::to_string(kSesmanPort) : "1";
    if (auto st = writeFile(file, rewriteIni(*base, {{"Globals", "ListenPort", port}})); !st)
      return st.error();
    return file;
  }

  static Status ensureRsaKeys() {
    if (std::filesystem::exists(kRsaKeys)) return okStatus();
    // Standard RDP security needs the server's RSA key; xrdp only looks in /etc/xrdp.
    return runChecked({{"xrdp-keygen", "xrdp", "auto"}, {}, {}, {}},
                      std::chrono::milliseconds(30000));
  }

  Status launchOnce(const std::string& base, const ServerOptions& options,
                    std::chrono::steady_clock::time_point deadline) {
    auto port = reserveFreePort(address());
    if (!port) return port.error();
    port_ = *port;
    const auto policy = policyFor(kind_);
    std::vector<IniSetting> settings = {
        {"Globals", "port", listenSpec(ipv6_, port_)},
        {"Globals", "fork", "false"},
        {"Globals", "security_layer", policy.securityLayer},
        {"Globals", "crypt_level", options.cryptLevel},
        {"Globals", "ssl_protocols", policy.protocols},
        {"Globals", "certificate", cert_.certificate.string()},
        {"Globals", "key_file", cert_.key.string()},
        {"Logging", "LogFile", logFile().string()},
        {"Logging", "LogLevel", "DEBUG"},
        {"Logging", "EnableSyslog", "false"},
        {"Logging", "EnableConsole", "false"},
    };
    if (!policy.ciphers.empty()) settings.push_back({"Globals", "tls_ciphers", policy.ciphers});
    const auto ini = dir_.path() / "xrdp.ini";
    if (auto st = writeFile(ini, rewriteIni(base, settings)); !st) return st;

    const auto out = dir_.path() / "xrdp.out";
    auto argv = std::vector<std::string>{"xrdp", "-n", "-c", ini.string()};
    if (auto own = privateSesmanIni(); !own) {
      return own.error();
    } else if (!own->empty()) {
      // xrdp finds sesman through the compiled-in /etc/xrdp/sesman.ini: in a mount namespace of
      // its own it reads ours instead, so it logs on through this process's lab sesman only (or
      // none), never through another test's that happens to run at the same time
      argv = {"unshare",
              "--mount",
              "--propagation",
              "private",
              "--",
              "/bin/sh",
              "-c",
              "mount --bind \"$0\" /etc/xrdp/sesman.ini && exec xrdp -n -c \"$1\"",
              own->string(),
              ini.string()};
    }
    auto child = ChildProcess::spawn({argv, {}, dir_.path(), out});
    if (!child) return child.error();
    process_ = std::move(*child);
    auto ready = waitForTcp(address(), port_, deadline, [this] { return process_.running(); });
    if (ready) return okStatus();
    process_.stop();
    auto err = Error(ready.error());
    const auto tail = logTail(logFile()) + logTail(out, 400);
    return std::move(err).because("xrdp log: " + tail);
  }

  TempDir dir_;
  Kind kind_;
  bool ipv6_;
  std::uint16_t port_ = 0;
  CertificateFiles cert_;
  ChildProcess process_;
};

}  // namespace

Result<std::unique_ptr<Server>> startXrdp(const ServerOptions& options) {
  auto server = std::make_unique<XrdpServer>(options.kind, options.ipv6);
  if (auto st = server->launch(options); !st) {
    return wrapError(st.error(), "cannot start " + std::string(toString(options.kind)));
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace rdpdoctor::lab
