// The bundle's own credential-free connection with the winner, recorded through a relay.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bundle.hpp"
#include "rdpdoctor/front/session_process.hpp"
#include "rdpdoctor/probe/capture_relay.hpp"

namespace rdpdoctor::app {
namespace {

/// A private directory (0700) for FreeRDP's secrets file, removed with everything in it.
class PrivateDir {
 public:
  PrivateDir() {
    std::error_code ec;
    std::string tmpl =
        (std::filesystem::temp_directory_path(ec) / "rdpdoctor-keys-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~PrivateDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string reached(const Outcome& o) {
  if (o.success) return "reached the first frame (the login screen), no credentials sent";
  std::string s = "ended at the stage '" + std::string(toString(o.reached)) + "'";
  if (!o.freerdpErrorName.empty()) s += " (" + o.freerdpErrorName + ")";
  if (!o.detail.empty()) s += ": " + o.detail;
  return s;
}

}  // namespace

BundleSession recordWinnerSession(const Diagnosis& d, const std::string& logLevel,
                                  std::chrono::milliseconds deadline) {
  BundleSession b;
  b.freerdp = d.context.freerdpVersion;
  if (!d.ladder.winner) {
    b.what = "no combination worked, so no connection was made for the bundle";
    return b;
  }
  Profile p = d.ladder.winner->profile;
  p.user.clear();  // no credential of any kind: not the password, not the user name
  p.domain.clear();
  const std::string dial = p.dialHost();
  auto relay =
      probe::CaptureRelay::start(HostSpec{dial, p.target.port, dial.find(':') != std::string::npos},
                                 std::chrono::milliseconds(p.tcpConnectTimeoutMs));
  if (!relay) {
    b.what = "not made: " + relay.error().message();
    return b;
  }
  // FreeRDP dials the relay; the certificate name and the trust store key stay the host's
  p.dialAddress = (*relay)->address();
  p.dialPort = (*relay)->port();
  PrivateDir dir;
  const auto secrets = dir.path().empty() ? std::filesystem::path() : dir.path() / "tls.keys";
  if (!secrets.empty()) {
    const int fd = ::open(secrets.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  SessionRequest r;
  r.profile = p;
  r.goal = Goal::FirstFrame;
  r.deadline = deadline;
  r.floor = d.floor;
  r.tlsSecretsFile = secrets.string();
  IsolationOptions iso;
  iso.logLevel = logLevel;
  const Outcome o = runIsolated(r, iso);
  (*relay)->waitUntilIdle(std::chrono::milliseconds(2000));  // the server's last bytes and FIN
  b.made = (*relay)->forwarded() > 0;
  relay->reset();
  b.what = b.made ? reached(o) : "FreeRDP never connected to the relay: " + reached(o);
  std::ifstream in(secrets);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) {
      probe::captureKeyLogLine(line.c_str());
      ++b.keyLines;
    }
  return b;
}

}  // namespace rdpdoctor::app
