// xrdp-sesman with a private sesman.ini and a lab user whose session paints kDesktopColour and
// runs an xterm. Sessions outlive clients and sesman itself: they are stopped by PID here.
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config_files.hpp"
#include "net.hpp"
#include "proc_table.hpp"
#include "process.hpp"
#include "rdpdoctor/lab/lab.hpp"
#include "servers.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr auto kCommandTimeout = std::chrono::milliseconds(30000);
constexpr auto kTeardown = std::chrono::milliseconds(6000);  // leaves first, ~4 levels deep

std::string startWm(bool busy) {
  char colour[8];
  std::snprintf(colour, sizeof(colour), "#%06x", static_cast<unsigned>(kDesktopColour));
  return std::string(
             "#!/bin/sh\n"
             "# rdpdoctor lab session (written by rdpdoctor::lab): a known desktop colour\n"
             "# to assert on in screenshots, and one xterm; the session lasts as long as the "
             "xterm.\n"
             "xsetroot -solid '") +
         colour +
         "'\n"
         "xterm -geometry 80x24+40+40 &\n" +
         (busy ? "xterm -geometry 100x25+40+420 -e top -d 0.5 &\n"
               : "") +  // a screen that keeps changing
         "wait\n";      // the shell stays xterm's parent and reaps it: no orphans, no zombies
}

constexpr const char* kTurnLock = "/tmp/rdpdoctor-lab-sesman.lock";

std::atomic<int> gSesmansHere{0};  // lab sesmans this process runs (see labSesmanRunsHere)

/// Holds the machine-wide turn for a lab sesman (released when the descriptor closes, also if
/// the process dies).
class TurnLock {
 public:
  TurnLock() = default;
  ~TurnLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  TurnLock(const TurnLock&) = delete;
  TurnLock& operator=(const TurnLock&) = delete;

  Status acquire(std::chrono::milliseconds timeout) {
    fd_ = ::open(kTurnLock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return makeError("io", std::string("cannot open ") + kTurnLock);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return makeError("timeout", std::string("another lab xrdp-sesman still runs (it holds ") +
                                        kTurnLock + ")");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return okStatus();
  }

 private:
  int fd_ = -1;
};

bool sesmanPortInUse() {
  for (const char* a : {"127.0.0.1", "::1"}) {
    if (tryConnect(a, kSesmanPort, std::chrono::milliseconds(300)) == ConnectOutcome::Connected) {
      return true;
    }
  }
  return false;
}

/// The X display number of an Xorg command line (":10" -> 10), or -1.
int displayOf(const ProcInfo& p) {
  if (p.argv.empty() || p.argv[0].find("Xorg") == std::string::npos) return -1;
  for (const auto& a : p.argv) {
    if (a.size() > 1 && a[0] == ':' &&
        std::all_of(a.begin() + 1, a.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) {
      return std::stoi(a.substr(1));
    }
  }
  return -1;
}

class SesmanImpl final : public Sesman {
 public:
  explicit SesmanImpl(ServerOptions options) : options_(std::move(options)) {}
  ~SesmanImpl() override {
    if (::getpid() == owner_) shutdown();  // a fork()ed copy leaves the sessions alone
  }
  SesmanImpl(const SesmanImpl&) = delete;
  SesmanImpl& operator=(const SesmanImpl&) = delete;

  [[nodiscard]] std::string user() const override { return options_.user; }
  [[nodiscard]] std::string password() const override { return options_.password; }
  [[nodiscard]] std::vector<int> processIds() const override {
    std::vector<int> pids;
    if (process_.pid() > 0) pids.push_back(process_.pid());
    if (uid_) {
      for (pid_t p : processesOf(listProcesses(), *uid_)) pids.push_back(p);
    }
    return pids;
  }
  [[nodiscard]] std::vector<int> sessionDisplays() const override {
    std::vector<int> displays;
    if (!uid_) return displays;
    for (const auto& p : listProcesses()) {
      if (p.uid == *uid_ && p.state != 'Z' && displayOf(p) >= 0) displays.push_back(displayOf(p));
    }
    return displays;
  }

  Status launch() {
    if (::geteuid() != 0) return makeError("permission", "xrdp-sesman and the lab user need root");
    if (dir_.path().empty()) return makeError("io", "cannot create a temporary directory");
    if (auto st = turn_.acquire(options_.sesmanTurnTimeout); !st) return st;
    if (sesmanPortInUse()) {
      return makeError("port-busy",
                       "port 3350 is in use: another xrdp-sesman runs (one per machine)");
    }
    if (auto st = ensureUser(); !st) return st;
    // We hold the turn and no sesman listens: processes of the lab user are leftovers of a lab
    // run that was killed (its sesman dies with it, its sessions do not). Start clean.
    stopUserProcesses();
    auto base = readFile("/etc/xrdp/sesman.ini");
    if (!base) return base.error();
    const std::vector<IniSetting> settings = {
        {"Globals", "ListenAddress", "127.0.0.1"},
        {"Globals", "ListenPort", std::to_string(kSesmanPort)},
        {"Globals", "EnableUserWindowManager", "true"},
        {"Globals", "UserWindowManager", "startwm.sh"},
        {"Sessions", "KillDisconnected", "false"},
        {"Logging", "LogFile", (dir_.path() / "sesman.log").string()},
        {"Logging", "LogLevel", "DEBUG"},
        {"Logging", "EnableSyslog", "false"},
        {"Logging", "EnableConsole", "false"},
        {"ChansrvLogging", "EnableSyslog", "false"},
    };
    const auto ini = dir_.path() / "sesman.ini";
    if (auto st = writeFile(ini, rewriteIni(*base, settings)); !st) return st;
    const auto out = dir_.path() / "sesman.out";
    auto child =
        ChildProcess::spawn({{"xrdp-sesman", "-n", "-c", ini.string()}, {}, dir_.path(), out});
    if (!child) return child.error();
    process_ = std::move(*child);
    auto ready = waitReady(out);
    if (ready) {
      counted_ = true;
      ++gSesmansHere;
    }
    return ready;
  }

 private:
  Status waitReady(const std::filesystem::path& out) {
    const auto deadline = std::chrono::steady_clock::now() + options_.readyTimeout;
    for (;;) {
      if (!process_.running()) {
        return makeError("exited", "xrdp-sesman exited before it listened")
            .because(logTail(dir_.path() / "sesman.log") + logTail(out, 400));
      }
      if (sesmanPortInUse()) return okStatus();
      if (std::chrono::steady_clock::now() >= deadline) {
        process_.stop();
        return makeError("timeout", "xrdp-sesman did not listen on port 3350 before the deadline");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  Status ensureUser() {
    const auto log = dir_.path() / "user.log";
    if (::getpwnam(options_.user.c_str()) == nullptr) {
      auto st = runChecked({{"useradd", "-m", "-s", "/bin/bash", options_.user}, {}, {}, log},
                           kCommandTimeout);
      if (!st) return wrapError(st.error(), "cannot create the lab user " + options_.user);
    }
    const passwd* pw = ::getpwnam(options_.user.c_str());
    if (pw == nullptr) return makeError("user", "lab user " + options_.user + " does not exist");
    uid_ = pw->pw_uid;
    const gid_t gid = pw->pw_gid;
    const std::filesystem::path home = pw->pw_dir;
    auto st = runChecked({{"chpasswd"}, {}, {}, log}, kCommandTimeout,
                         options_.user + ":" + options_.password + "\n");
    if (!st) return wrapError(st.error(), "cannot set the lab user's password");
    std::error_code ec;
    std::filesystem::create_directories(home, ec);
    const auto script = home / "startwm.sh";
    if (auto w = writeFile(script, startWm(options_.busySession)); !w) return w;
    ::chmod(script.c_str(), 0755);
    if (::chown(script.c_str(), *uid_, gid) != 0) {
      return makeError("io", "cannot chown " + script.string());
    }
    return okStatus();
  }

  void shutdown() {
    if (counted_) {
      counted_ = false;
      --gSesmansHere;
    }
    if (!uid_) {
      process_.stop();
      return;
    }
    // Sessions first, while sesman still reaps its session processes (PID 1 here may not):
    // the window manager's exit ends a session cleanly (Xorg removes its socket and lock).
    auto table = listProcesses();
    std::set<pid_t> victims;
    for (pid_t p : processesOf(table, *uid_)) victims.insert(p);
    if (process_.pid() > 0) {
      for (pid_t p : descendantsOf(table, process_.pid())) victims.insert(p);
    }
    std::set<int> displays;
    for (const auto& p : table) {
      if (victims.count(p.pid) != 0 && displayOf(p) >= 0) displays.insert(displayOf(p));
    }
    terminateProcesses({victims.begin(), victims.end()}, kTeardown);
    process_.stop();
    stopUserProcesses();  // anything of the user that appeared meanwhile
    for (int d : displays) removeStaleDisplay(d);
  }

  void stopUserProcesses() {
    const auto table = listProcesses();
    const auto pids = processesOf(table, *uid_);
    if (pids.empty()) return;
    std::set<int> displays;
    for (const auto& p : table) {
      if (p.uid == *uid_ && displayOf(p) >= 0) displays.insert(displayOf(p));
    }
    terminateProcesses(pids, kTeardown);
    for (int d : displays) removeStaleDisplay(d);
  }

  static void removeStaleDisplay(int display) {
    // Xorg removes these itself on SIGTERM; after a SIGKILL they would block the display number.
    const std::filesystem::path lock = "/tmp/.X" + std::to_string(display) + "-lock";
    const std::filesystem::path socket = "/tmp/.X11-unix/X" + std::to_string(display);
    for (const auto& p : listProcesses()) {
      if (displayOf(p) == display && p.state != 'Z') return;  // someone serves it again
    }
    std::error_code ec;
    std::filesystem::remove(lock, ec);
    std::filesystem::remove(socket, ec);
  }

  ServerOptions options_;
  TurnLock turn_;  // declared first: released last, after every process is gone
  TempDir dir_;
  std::optional<uid_t> uid_;
  pid_t owner_ = ::getpid();
  bool counted_ = false;  // in gSesmansHere
  ChildProcess process_;
};

}  // namespace

bool labSesmanRunsHere() { return gSesmansHere.load() > 0; }

Result<std::unique_ptr<Sesman>> startSesman(const ServerOptions& options) {
  auto sesman = std::make_unique<SesmanImpl>(options);
  if (auto st = sesman->launch(); !st) return wrapError(st.error(), "cannot start xrdp-sesman");
  return std::unique_ptr<Sesman>(std::move(sesman));
}

}  // namespace rdpdoctor::lab
