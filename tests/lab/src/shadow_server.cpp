// FreeRDP's shadow server (2.11's freerdp-shadow-cli or 3.x's freerdp-shadow-cli3) on its own Xvfb
// (red root window), own HOME (it writes its certificate under $HOME/.config/freerdp/shadow/) and,
// for NLA, a SAM file from winpr-hash.
#include <filesystem>
#include <string>
#include <vector>

#include "config_files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "servers.hpp"

namespace rdpdoctor::lab {
namespace {

std::vector<std::string> securityArgs(Kind kind, const std::filesystem::path& sam) {
  switch (kind) {
    case Kind::ShadowNla:
    case Kind::Shadow3Nla:
      return {"/sec:nla", "+auth", "/sam-file:" + sam.string()};
    case Kind::ShadowTls:
    case Kind::Shadow3Tls:
      return {"/sec:tls"};
    case Kind::ShadowRdp:
      return {"/sec:rdp"};
    default:
      return {"-auth"};  // ShadowNoAuth: every layer but NLA, no authentication
  }
}

bool freerdp3(Kind kind) { return kind == Kind::Shadow3Nla || kind == Kind::Shadow3Tls; }

class ShadowServer final : public Server {
 public:
  ShadowServer(Kind kind, bool ipv6) : kind_(kind), ipv6_(ipv6) {}
  ~ShadowServer() override {
    process_.stop();
    display_.reset();
  }
  ShadowServer(const ShadowServer&) = delete;
  ShadowServer& operator=(const ShadowServer&) = delete;

  [[nodiscard]] std::string address() const override { return loopbackAddress(ipv6_); }
  [[nodiscard]] std::uint16_t port() const override { return port_; }
  [[nodiscard]] std::filesystem::path certificatePem() const override {
    std::error_code ec;
    const auto crt = home() / ".config/freerdp/shadow/shadow.crt";
    return std::filesystem::exists(crt, ec) ? crt : std::filesystem::path();
  }
  [[nodiscard]] std::filesystem::path logFile() const override {
    return dir_.path() / "shadow.log";
  }
  [[nodiscard]] Kind kind() const override { return kind_; }
  [[nodiscard]] std::vector<int> processIds() const override {
    std::vector<int> pids;
    if (process_.pid() > 0) pids.push_back(process_.pid());
    if (display_) {
      for (int p : display_->processIds()) pids.push_back(p);
    }
    return pids;
  }

  Status launch(const ServerOptions& options) {
    if (dir_.path().empty()) return makeError("io", "cannot create a temporary directory");
    std::error_code ec;
    std::filesystem::create_directories(home(), ec);
    const auto sam = dir_.path() / "sam";
    if (auto st = writeSam(options, sam); !st) return st;
    DisplayOptions displayOptions;
    displayOptions.rootColour = kDesktopColour;
    displayOptions.readyTimeout = options.readyTimeout;
    auto display = startDisplay(displayOptions);
    if (!display) return display.error();
    display_ = std::move(*display);

    const auto deadline = std::chrono::steady_clock::now() + options.readyTimeout;
    Error last = makeError("exited", "freerdp-shadow-cli did not start");
    for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
      auto st = launchOnce(sam, deadline);
      if (st || st.error().code != "exited") return st;
      last = st.error();
    }
    return last;
  }

 private:
  [[nodiscard]] std::filesystem::path home() const { return dir_.path() / "home"; }

  Status writeSam(const ServerOptions& options, const std::filesystem::path& sam) const {
    // winpr-hash prints the SAM line "user:domain:LMHash:NTHash:::" on stdout.
    return runChecked({{"winpr-hash", "-u", options.user, "-p", options.password, "-f", "sam"},
                       {},
                       dir_.path(),
                       sam},
                      std::chrono::milliseconds(10000));
  }

  Status launchOnce(const std::filesystem::path& sam,
                    std::chrono::steady_clock::time_point deadline) {
    auto port = reserveFreePort(address());
    if (!port) return port.error();
    port_ = *port;
    std::vector<std::string> argv = {freerdp3(kind_) ? "freerdp-shadow-cli3" : "freerdp-shadow-cli",
                                     ipv6_ ? "/bind-address:[::1]" : "/bind-address:127.0.0.1",
                                     "/port:" + std::to_string(port_)};
    for (auto& a : securityArgs(kind_, sam)) argv.push_back(std::move(a));
    auto child = ChildProcess::spawn(
        {argv, {{"HOME", home().string()}, {"DISPLAY", display_->name()}}, dir_.path(), logFile()});
    if (!child) return child.error();
    process_ = std::move(*child);
    auto ready = waitForTcp(address(), port_, deadline, [this] { return process_.running(); });
    if (ready) return okStatus();
    process_.stop();
    auto err = Error(ready.error());
    return std::move(err).because("shadow log: " + logTail(logFile()));
  }

  TempDir dir_;
  Kind kind_;
  bool ipv6_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Display> display_;
  ChildProcess process_;
};

}  // namespace

Result<std::unique_ptr<Server>> startShadow(const ServerOptions& options) {
  auto server = std::make_unique<ShadowServer>(options.kind, options.ipv6);
  if (auto st = server->launch(options); !st) {
    return wrapError(st.error(), "cannot start " + std::string(toString(options.kind)));
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace rdpdoctor::lab
