// Started from a desktop: `rdpdoctor connect FILE.rdp` under Xvfb with no terminal at all (a new
// session, stdin from /dev/null), as a desktop entry runs it. The file names the user but no
// password; the certificate box and the credentials window are answered with xdotool as a
// person would, the session's desktop must show; Cancel ends with exit 7 and no further
// connection; an unreachable host shows the short verdict in a message box. And the keyring: a
// real Secret Service (gnome-keyring under its own D-Bus session) keeps the password when asked,
// and the next run takes it from there without a window.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rdpdoctor/lab/lab.hpp"
#include "rdpdoctor/lab/relay.hpp"
#include "x11_screen.hpp"

extern char** environ;

namespace {

using namespace rdpdoctor;
using Clock = std::chrono::steady_clock;
using rdpdoctor::screen::pollShare;
using rdpdoctor::screen::pollWindow;
using rdpdoctor::screen::run;
using rdpdoctor::screen::shareOf;
using std::chrono::seconds;

constexpr const char* kUser = "rdpdoctor-test";
constexpr const char* kPassword = "Lab-Pass-1234";

/// rdpdoctor started as a desktop entry starts it: a new session (no controlling terminal),
/// stdin /dev/null, output to a file; `env` replaces the variables it names.
struct Detached {
  pid_t pid = -1;
  std::filesystem::path output;
  int status = -1;

  Detached(const std::vector<std::string>& args, const std::vector<std::string>& env,
           std::filesystem::path out)
      : output(std::move(out)) {
    std::vector<std::string> store;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string kv = *e;
      bool replaced =
          kv.rfind("RDPDOCTOR_", 0) == 0 || kv.rfind("DBUS_SESSION_BUS_ADDRESS=", 0) == 0;
      for (const auto& x : env)
        replaced |= kv.substr(0, kv.find('=') + 1) == x.substr(0, x.find('=') + 1);
      if (!replaced) store.push_back(kv);
    }
    store.insert(store.end(), env.begin(), env.end());
    std::vector<char*> envp, argv;
    for (auto& s : store) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> a = args;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, output.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    if (posix_spawnp(&pid, argv[0], &fa, &attr, argv.data(), envp.data()) != 0) pid = -1;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
  }
  ~Detached() {
    if (pid > 0 && ::waitpid(pid, &status, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
  }
  Detached(const Detached&) = delete;
  Detached& operator=(const Detached&) = delete;

  bool exited(std::chrono::milliseconds within) {
    for (const auto until = Clock::now() + within; Clock::now() < until;) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        const pid_t done = pid;
        pid = -done;  // reaped
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  [[nodiscard]] int exitCode() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  [[nodiscard]] std::string text() const {
    std::ifstream in(output);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

class Desktop : public ::testing::Test {
 protected:
  void SetUp() override {
    lab::DisplayOptions d;
    d.width = 1280;
    d.height = 1024;
    auto disp = lab::startDisplay(d);
    ASSERT_TRUE(disp.ok()) << disp.error().message();
    display_ = std::move(*disp);
  }

  /// An .rdp file as a person keeps it: the address and the user name, no password.
  std::filesystem::path rdpFile(const std::string& hostSpec, const std::string& user = kUser) {
    const auto p = home_.path() / "desk.rdp";
    std::ofstream(p) << "full address:s:" << hostSpec << "\r\nusername:s:" << user << "\r\n";
    return p;
  }

  /// No Secret Service unless a test adds one: no session bus named, no user bus socket.
  std::vector<std::string> env() const {
    return {"DISPLAY=" + display_->name(), "HOME=" + home_.path().string(),
            "RDPDOCTOR_STATE_DIR=" + home_.path().string(),
            "XDG_RUNTIME_DIR=" + home_.path().string()};
  }

  void xdotool(const std::string& args) const {
    run("DISPLAY=" + display_->name() + " xdotool " + args + " 2>/dev/null");
  }

  /// The certificate box a person answers with Enter (accept once).
  void acceptCertificate(Detached& c) const {
    const std::string box = pollWindow(display_->name(), "certificate of", seconds(30));
    ASSERT_FALSE(box.empty()) << "no certificate box\n" << c.text();
    xdotool("windowfocus --sync " + box + " key Return");
  }

  lab::TempDir home_;
  std::unique_ptr<lab::Display> display_;
};

TEST_F(Desktop, AnRdpFileWithoutAPasswordAsksInAWindowAndTheSessionConnects) {
  auto server = lab::start({lab::Kind::ShadowNla});
  ASSERT_TRUE(server.ok()) << server.error().message();
  Detached c({RDPDOCTOR_BIN, "connect", rdpFile((*server)->hostSpec()).string()}, env(),
             home_.path() / "connect.txt");
  ASSERT_GT(c.pid, 0);
  ASSERT_NO_FATAL_FAILURE(acceptCertificate(c));
  const std::string form = pollWindow(display_->name(), "sign in to", seconds(30));
  ASSERT_FALSE(form.empty()) << "no credentials window\n" << c.text();
  // no Secret Service here: the window has no "remember" checkbox, and Tab order proves the
  // focus starts on the password (the user name is the file's)
  xdotool("windowfocus --sync " + form + " type --delay 20 '" + std::string(kPassword) + "'");
  xdotool("windowfocus --sync " + form + " key Return");
  // the shadow server's 1024x768 screen (the desktop colour): 60% of ours
  EXPECT_TRUE(pollShare(display_->name(), lab::kDesktopColour, 0.55, seconds(40))) << c.text();
  EXPECT_TRUE(pollWindow(display_->name(), "sign in to", seconds(1)).empty())
      << "the credentials window stayed";
  ::kill(c.pid, SIGTERM);
  ASSERT_TRUE(c.exited(std::chrono::seconds(15))) << c.text();
  EXPECT_EQ(c.exitCode(), 0) << c.text();
  EXPECT_EQ(c.text().find(kPassword), std::string::npos) << "the password leaked into the log";
}

TEST_F(Desktop, CancelInTheCredentialsWindowExitsSevenWithoutAnotherConnection) {
  auto server = lab::start({lab::Kind::ShadowNla});
  ASSERT_TRUE(server.ok()) << server.error().message();
  lab::Relay relay((*server)->port());
  ASSERT_GT(relay.port(), 0);
  Detached c({RDPDOCTOR_BIN, "connect", rdpFile(relay.hostSpec()).string()}, env(),
             home_.path() / "cancel.txt");
  ASSERT_GT(c.pid, 0);
  ASSERT_NO_FATAL_FAILURE(acceptCertificate(c));
  const std::string form = pollWindow(display_->name(), "sign in to", seconds(30));
  ASSERT_FALSE(form.empty()) << "no credentials window\n" << c.text();
  const int before = relay.accepted();  // the attempts without credentials that led here
  xdotool("windowfocus --sync " + form + " key Escape");
  ASSERT_TRUE(c.exited(std::chrono::seconds(20))) << c.text();
  EXPECT_EQ(c.exitCode(), 7) << c.text();
  EXPECT_EQ(relay.accepted(), before) << "a connection after Cancel\n" << c.text();
  EXPECT_NE(c.text().find("no credentials given"), std::string::npos) << c.text();
  EXPECT_TRUE(pollWindow(display_->name(), "cannot connect", seconds(1)).empty())
      << "an error box after Cancel";
}

TEST_F(Desktop, AnUnreachableHostShowsTheShortVerdictInAMessageBox) {
  auto server = lab::start({lab::Kind::FaultClosed});
  ASSERT_TRUE(server.ok()) << server.error().message();
  Detached c(
      {RDPDOCTOR_BIN, "connect", rdpFile((*server)->hostSpec()).string(), "--log-level", "info"},
      env(), home_.path() / "unreachable.txt");
  ASSERT_GT(c.pid, 0);
  const std::string box = pollWindow(display_->name(), "cannot connect to", seconds(60));
  ASSERT_FALSE(box.empty()) << "no message box\n" << c.text();
  // the box's text (the session process logs each line it shows): one to three lines, each a
  // line the front printed for the terminal too
  const std::string out = c.text();
  std::vector<std::string> lines;
  for (auto at = out.find("message box line: "); at != std::string::npos;
       at = out.find("message box line: ", at + 1)) {
    const auto from = at + 18;
    lines.push_back(out.substr(from, out.find('\n', from) - from));
  }
  ASSERT_FALSE(lines.empty()) << out;
  EXPECT_LE(lines.size(), 3u) << out;
  for (const auto& line : lines) {
    std::size_t seen = 0;
    for (auto at = out.find(line); at != std::string::npos; at = out.find(line, at + 1)) ++seen;
    EXPECT_GE(seen, 2u) << "'" << line << "' is not a line the terminal shows\n" << out;
  }
  const std::string& first = lines.front();
  EXPECT_NE(first.find((*server)->hostSpec()), std::string::npos) << first;
  xdotool("windowfocus --sync " + box + " key Return");
  ASSERT_TRUE(c.exited(std::chrono::seconds(20))) << c.text();
  EXPECT_NE(c.exitCode(), 0) << c.text();
}

TEST_F(Desktop, AnRdpFileThatCannotBeReadSaysSoInAMessageBox) {
  const auto missing = home_.path() / "gone.rdp";
  Detached c({RDPDOCTOR_BIN, "connect", missing.string()}, env(), home_.path() / "gone.txt");
  ASSERT_GT(c.pid, 0);
  const std::string box = pollWindow(display_->name(), "cannot connect", seconds(30));
  ASSERT_FALSE(box.empty()) << "no message box\n" << c.text();
  xdotool("windowfocus --sync " + box + " key Return");
  ASSERT_TRUE(c.exited(std::chrono::seconds(20))) << c.text();
  EXPECT_EQ(c.exitCode(), 2) << c.text();
  EXPECT_NE(c.text().find("gone.rdp"), std::string::npos) << c.text();
}

/// A real Secret Service: a D-Bus session of the test's own and gnome-keyring on it, its login
/// keyring (under the test's HOME) created or unlocked from stdin as a desktop's login does.
class SecretService {
 public:
  explicit SecretService(const std::filesystem::path& home) : home_(home) {
    std::istringstream out(run("HOME=" + home.string() +
                               " dbus-daemon --session --fork --print-address=1 --print-pid=1"));
    out >> address_ >> pid_;
    if (!up()) return;
    run(env() +
        " sh -c 'printf keyring-pass | gnome-keyring-daemon --unlock "
        "--components=secrets' >/dev/null 2>&1");
  }
  ~SecretService() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);  // gnome-keyring-daemon leaves with its bus
  }
  SecretService(const SecretService&) = delete;
  SecretService& operator=(const SecretService&) = delete;

  [[nodiscard]] bool up() const { return pid_ > 0 && !address_.empty(); }
  [[nodiscard]] std::string address() const { return address_; }
  /// What the keyring holds for rdpdoctor's attributes ("" when nothing).
  [[nodiscard]] std::string lookup(const std::string& host) const {
    return run(env() + " secret-tool lookup host " + host + " user " + kUser +
               " domain '' 2>/dev/null");
  }

 private:
  [[nodiscard]] std::string env() const {
    return "HOME=" + home_.string() + " DBUS_SESSION_BUS_ADDRESS='" + address_ + "'";
  }
  std::filesystem::path home_;
  std::string address_;
  pid_t pid_ = -1;
};

TEST_F(Desktop, WithASecretServiceThePasswordIsKeptOnlyWhenAskedAndUsedNextTime) {
  auto server = lab::start({lab::Kind::ShadowNla});
  ASSERT_TRUE(server.ok()) << server.error().message();
  SecretService keyring(home_.path());
  ASSERT_TRUE(keyring.up()) << "no D-Bus session for gnome-keyring";
  auto e = env();
  e.push_back("DBUS_SESSION_BUS_ADDRESS=" + keyring.address());
  const std::string host = (*server)->hostSpec();
  const auto file = rdpFile(host).string();
  // `tick`: Tab from the password to "remember the password in the keyring", Space ticks it
  const auto session = [&](const std::string& name, bool tick, bool expectWindow) {
    Detached c({RDPDOCTOR_BIN, "connect", file}, e, home_.path() / (name + ".txt"));
    ASSERT_GT(c.pid, 0);
    ASSERT_NO_FATAL_FAILURE(acceptCertificate(c));
    const std::string form =
        pollWindow(display_->name(), "sign in to", seconds(expectWindow ? 30 : 0));
    if (expectWindow) {
      ASSERT_FALSE(form.empty()) << "no credentials window\n" << c.text();
      xdotool("windowfocus --sync " + form + " type --delay 20 '" + std::string(kPassword) + "'");
      if (tick) xdotool("windowfocus --sync " + form + " key Tab space");
      xdotool("windowfocus --sync " + form + " key Return");
    }
    EXPECT_TRUE(pollShare(display_->name(), lab::kDesktopColour, 0.55, seconds(40))) << c.text();
    if (!expectWindow) {
      EXPECT_TRUE(pollWindow(display_->name(), "sign in to", seconds(1)).empty())
          << "asked although the keyring has the password\n"
          << c.text();
    }
    ::kill(c.pid, SIGTERM);
    ASSERT_TRUE(c.exited(std::chrono::seconds(20))) << c.text();
    EXPECT_EQ(c.exitCode(), 0) << c.text();
    EXPECT_EQ(c.text().find(kPassword), std::string::npos) << "the password leaked";
  };
  ASSERT_NO_FATAL_FAILURE(session("unticked", false, true));
  EXPECT_EQ(keyring.lookup(host), "") << "kept without being asked to";
  ASSERT_NO_FATAL_FAILURE(session("ticked", true, true));
  EXPECT_EQ(keyring.lookup(host), kPassword) << "not kept although asked to";
  ASSERT_NO_FATAL_FAILURE(session("from-keyring", false, false));
  // never in our own files
  for (const auto& f : std::filesystem::directory_iterator(home_.path())) {
    if (!f.is_regular_file() || f.path().extension() == ".txt") continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find(kPassword), std::string::npos) << f.path();
  }
}

}  // namespace
