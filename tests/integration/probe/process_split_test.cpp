// The process split (DESIGN.md "Processes"): the process a person starts maps neither FreeRDP nor
// SDL. Read while it runs: `rdpdoctor probe` against a stub that accepts and never answers, its
// /proc/PID/maps once the stub holds its connection (every library it loads is loaded then).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

extern char** environ;

namespace {

/// A TCP listener on 127.0.0.1 that accepts and stays silent.
class SilentStub {
 public:
  SilentStub() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
        ::listen(fd_, 8) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    port_ = ntohs(a.sin_port);
  }
  ~SilentStub() {
    if (peer_ >= 0) ::close(peer_);
    if (fd_ >= 0) ::close(fd_);
  }
  SilentStub(const SilentStub&) = delete;
  SilentStub& operator=(const SilentStub&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// Waits (at most `ms`) for a client and keeps its connection open.
  bool accept(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) != 1) return false;
    peer_ = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    return peer_ >= 0;
  }

 private:
  int fd_ = -1;
  int peer_ = -1;
  std::uint16_t port_ = 0;
};

/// The file names of the shared objects mapped by `pid`.
std::set<std::string> mappedLibraries(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::set<std::string> libs;
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.rfind('/');
    if (slash == std::string::npos || line.find(".so", slash) == std::string::npos) continue;
    libs.insert(line.substr(slash + 1));
  }
  return libs;
}

TEST(ProcessSplit, ProbeMapsNeitherFreerdpNorSdl) {
  SilentStub stub;
  ASSERT_NE(stub.port(), 0);
  std::string bin = RDPDOCTOR_BINARY, verb = "probe",
              host = "127.0.0.1:" + std::to_string(stub.port()), timeout = "--timeout",
              seconds = "30";
  char* argv[] = {bin.data(), verb.data(), host.data(), timeout.data(), seconds.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  const bool accepted = stub.accept(30000);
  const auto libs = mappedLibraries(pid);  // read while the probe waits on the silent stub
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(accepted) << "the probe never connected to the stub";
  std::ostringstream all;
  for (const auto& l : libs) all << l << ' ';
  // the maps were read from a live process that loaded its own libraries
  EXPECT_TRUE(std::any_of(libs.begin(), libs.end(), [](const std::string& l) {
    return l.rfind("libc.so", 0) == 0;
  })) << all.str();
  for (const auto& l : libs) {
    EXPECT_NE(l.rfind("libfreerdp", 0), 0U) << l;
    EXPECT_NE(l.rfind("libwinpr", 0), 0U) << l;
    EXPECT_NE(l.rfind("libSDL", 0), 0U) << l;
  }
  RecordProperty("shared_libraries", static_cast<int>(libs.size()));
  std::cout << "rdpdoctor probe maps " << libs.size() << " shared libraries: " << all.str()
            << std::endl;
}

}  // namespace
